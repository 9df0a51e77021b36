/*
 * Searches through api_handle() on the fixture snapshot: one, two and
 * five Chinese characters, numbers in full and short, credit codes,
 * name prefixes ranked first, former names, filters, and every page of a
 * search walked to the end (each result exactly once, also with a
 * window and a scan budget of a few rows).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/rows.h"
#include "tests/unit/test_api.h"

/* The match kinds of a search's first page, joined by spaces. */
static void
search(const struct api_config *config, const char *query, struct buf *matches,
    struct buf *numbers)
{
	struct api_reply r;
	json_t *item;
	size_t i;

	api_test_request(config, "GET", "/v1/certificates", query, NULL, &r);
	api_test_expect_status(query, &r, 200);
	json_array_foreach (json_object_get(r.json, "items"), i, item) {
		if (matches)
			buf_printf(
			    matches, "%s ", api_test_string(item, "match"));
		if (numbers)
			buf_printf(
			    numbers, "%s\n", api_test_string(item, "number"));
	}
	api_test_reply_free(&r);
}

/* search-1.1 one, two and five Chinese characters find 青岚 */
static void
test_search_chinese_lengths(void **state)
{
	struct buf n = {0};

	(void)state;
	search(NULL, "q=%E9%9D%92", NULL, &n); /* 青 */
	if (strstr(buf_str(&n), "CNITSEC-CS2-2024-0001") == NULL)
		fail_msg("search-1.1 青: CNITSEC-CS2-2024-0001 not in %s",
		    buf_str(&n));
	buf_reset(&n);
	search(NULL, "q=%E9%9D%92%E5%B2%9A", NULL, &n); /* 青岚 */
	if (strstr(buf_str(&n), "CNITSEC-CS2-2024-0001") == NULL)
		fail_msg("search-1.1 青岚: CNITSEC-CS2-2024-0001 not in %s",
		    buf_str(&n));
	buf_reset(&n);
	/* 青岚云安全 */
	search(
	    NULL, "q=%E9%9D%92%E5%B2%9A%E4%BA%91%E5%AE%89%E5%85%A8", NULL, &n);
	assert_string_equal(buf_str(&n), "CNITSEC-CS2-2024-0001\n");
	buf_free(&n);
}

/* search-1.2 an exact number comes first, then its prefix */
static void
test_search_exact_number(void **state)
{
	struct buf m = {0};

	(void)state;
	search(NULL, "q=CNITSEC-CS1-2024-0001&limit=100", &m, NULL);
	if (strncmp(buf_str(&m), "number ", 7) != 0)
		fail_msg(
		    "search-1.2: matches '%.80s', expected 'number ' first",
		    buf_str(&m));
	buf_free(&m);
}

/* search-1.3 the short form without CNITSEC- */
static void
test_search_short_number(void **state)
{
	struct buf n = {0};

	(void)state;
	search(NULL, "q=cs1-2024-0001", NULL, &n);
	if (strncmp(buf_str(&n), "CNITSEC-CS1-2024-0001\n", 22) != 0)
		fail_msg("search-1.3: first result '%.40s'", buf_str(&n));
	buf_free(&n);
}

/* search-1.4 a credit code */
static void
test_search_credit_code(void **state)
{
	struct buf m = {0};

	(void)state;
	search(NULL, "q=914403058glx14wmja", &m, NULL);
	assert_string_equal(buf_str(&m), "credit_code ");
	buf_free(&m);
}

/* search-1.5 name prefixes before other name matches: every sample name
 * starts with 示例, and some contain 示例 again */
static void
test_search_name_prefix_first(void **state)
{
	struct buf m = {0};

	(void)state;
	search(NULL, "q=%E7%A4%BA%E4%BE%8B&limit=100", &m, NULL);
	if (strncmp(buf_str(&m), "name_prefix ", 12) != 0)
		fail_msg("search-1.5: matches '%.80s', expected 'name_prefix ' "
		         "first",
		    buf_str(&m));
	buf_free(&m);
}

/* search-1.6 a former name only: 更名示例 */
static void
test_search_former_name(void **state)
{
	struct buf m = {0}, n = {0};

	(void)state;
	search(
	    NULL, "q=%E6%9B%B4%E5%90%8D%E7%A4%BA%E4%BE%8B&limit=100", &m, &n);
	if (strstr(buf_str(&m), "former_name") == NULL)
		fail_msg(
		    "search-1.6: no former_name match in '%s'", buf_str(&m));
	if (strstr(buf_str(&n), "CNITSEC-CS1-2024-0007") == NULL)
		fail_msg(
		    "search-1.6: CNITSEC-CS1-2024-0007 not in %s", buf_str(&n));
	buf_free(&m);
	buf_free(&n);
}

/* search-1.7 nothing found is an empty page, not an error */
static void
test_search_nothing(void **state)
{
	struct buf n = {0};

	(void)state;
	search(NULL, "q=%E9%BE%98%E9%BE%98%E9%BE%98", NULL, &n);
	assert_string_equal(buf_str(&n), "");
	buf_free(&n);
}

/* search-1.8 filters apply to search results */
static void
test_search_filtered(void **state)
{
	struct buf n = {0};

	(void)state;
	search(NULL, "q=%E7%A4%BA%E4%BE%8B&status=revoked&limit=100", NULL, &n);
	assert_int_equal(api_test_distinct("search-1.8", buf_str(&n), 0),
	    api_test_count("SELECT count(*) FROM certificates c "
	                   "WHERE status = 'revoked' AND "
	                   "(organisation_name LIKE '%示例%' OR "
	                   "EXISTS (SELECT 1 FROM former_names f "
	                   "WHERE f.organisation_id = "
	                   "c.organisation_id AND f.name LIKE "
	                   "'%示例%'))"));
	buf_free(&n);
}

/* A configuration with tiny windows and budgets. */
static void
small_config(struct api_config *small)
{
	api_test_config(small);
	small->scan_limit = 2;
	small->search_window = 3;
}

/* search-2.1 walking a search: every result once, ranks in order; the
 * same set with tiny windows, chunks and budgets */
static void
test_search_walk(void **state)
{
	struct buf all = {0}, small_all = {0};
	struct api_config small;

	(void)state;
	small_config(&small);
	api_test_walk(
	    NULL, "/v1/certificates", "q=%E4%BA%91&limit=7", "number", &all);
	api_test_walk(&small, "/v1/certificates", "q=%E4%BA%91&limit=7",
	    "number", &small_all);
	int a = api_test_distinct("search-2.1", buf_str(&all), 0);
	int b = api_test_distinct("search-2.1 small", buf_str(&small_all), 0);
	assert_int_equal(a, b);
	assert_true(a > 0);
	for (char *line = strtok(all.data, "\n"); line;
	     line = strtok(NULL, "\n"))
		if (strstr(small_all.data, line) == NULL)
			fail_msg(
			    "search-2.1: %s missing with small budgets", line);
	buf_free(&all);
	buf_free(&small_all);
}

/* search-2.2 the same with three characters (the trigram index) */
static void
test_search_walk_trigram(void **state)
{
	struct buf all = {0}, small_all = {0};
	struct api_config small;

	(void)state;
	small_config(&small);
	api_test_walk(NULL, "/v1/certificates",
	    "q=%E4%BA%91%E5%AE%89%E5%85%A8&limit=9", "number", &all);
	api_test_walk(&small, "/v1/certificates",
	    "q=%E4%BA%91%E5%AE%89%E5%85%A8&limit=9", "number", &small_all);
	assert_int_equal(api_test_distinct("search-2.2", buf_str(&all), 0),
	    api_test_distinct("search-2.2 small", buf_str(&small_all), 0));
	buf_free(&all);
	buf_free(&small_all);
}

/* search-2.3 a page's matches come in rank order */
static void
test_search_rank_order(void **state)
{
	static const char *const ranks[] = {"number ", "credit_code ",
	    "number_prefix ", "name_prefix ", "name ", NULL};
	struct buf m = {0};
	int at = 0;

	(void)state;
	search(NULL, "q=CNITSEC-CS1-2024-0001&limit=100", &m, NULL);
	for (const char *p = buf_str(&m); *p;) {
		int r = 0;
		while (ranks[r] && strncmp(p, ranks[r], strlen(ranks[r])) != 0)
			r++;
		if (ranks[r] == NULL)
			break;
		if (r < at)
			fail_msg("search-2.3: '%s' after '%s' in '%s'",
			    ranks[r], ranks[at], buf_str(&m));
		at = r;
		p += strlen(ranks[r]);
	}
	buf_free(&m);
}

/* search-3.1 a cursor with a window past the snapshot's organisations
 * (written with the server's secret: nobody else can write one) is
 * answered, and the window it gives on is clipped to the snapshot */
static void
test_search_cursor_window(void **state)
{
	struct api_config config;
	struct api_reply r;
	struct api_cursor c, next;
	char text[API_CURSOR_TEXT_MAX], query[400];
	long long last = api_test_count("SELECT max(id) FROM organisations");

	(void)state;
	api_test_config(&config);
	config.search_window = 2; /* so that the first page gives a cursor */
	api_test_request(&config, "GET", "/v1/certificates",
	    "q=%E4%BA%91&limit=1", NULL, &r);
	api_test_expect_status("search-3.1 first page", &r, 200);
	assert_int_equal(
	    api_cursor_decode(api_test_string(r.json, "next_cursor"),
	        config.cursor_secret, &c),
	    0);
	api_test_reply_free(&r);
	c.phase = 3;
	c.a = 0;
	c.b = 999999999999999999LL;
	c.c = 0;
	c.key[0] = '\0';
	snprintf(query, sizeof query, "q=%%E4%%BA%%91&limit=1&cursor=%s",
	    api_cursor_encode(&c, config.cursor_secret, text));
	api_test_request(&config, "GET", "/v1/certificates", query, NULL, &r);
	api_test_expect_status("search-3.1 the wide window", &r, 200);
	if (json_is_string(json_object_get(r.json, "next_cursor"))) {
		assert_int_equal(
		    api_cursor_decode(api_test_string(r.json, "next_cursor"),
		        config.cursor_secret, &next),
		    0);
		if (next.b > last)
			fail_msg(
			    "search-3.1: the next window ends at %lld, past "
			    "the last organisation %lld",
			    next.b, last);
	}
	api_test_reply_free(&r);
}

int
test_api_search(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_search_chinese_lengths),
	    cmocka_unit_test(test_search_exact_number),
	    cmocka_unit_test(test_search_short_number),
	    cmocka_unit_test(test_search_credit_code),
	    cmocka_unit_test(test_search_name_prefix_first),
	    cmocka_unit_test(test_search_former_name),
	    cmocka_unit_test(test_search_nothing),
	    cmocka_unit_test(test_search_filtered),
	    cmocka_unit_test(test_search_walk),
	    cmocka_unit_test(test_search_walk_trigram),
	    cmocka_unit_test(test_search_rank_order),
	    cmocka_unit_test(test_search_cursor_window),
	};
	struct rows r = {0};

	rows_add(&r, tests, ROWS_COUNT(tests));
	return rows_run(&r, "api_search");
}

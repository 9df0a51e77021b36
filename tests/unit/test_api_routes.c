/*
 * Every route of the API through api_handle() on the fixture snapshot:
 * answers checked against the registry library's own reading of the same
 * snapshot, pagination walked to the end (each row exactly once, also with
 * a scan budget of a few rows), statuses on dates across a suspension,
 * searches of one, two and five Chinese characters, exports, entity tags,
 * errors, the static site, and a snapshot swapped under a connection.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/api/db.h"
#include "registry/rules/date.h"
#include "registry/record/db.h"
#include "registry/record/ops.h"
#include "registry/record/publish.h"
#include "registry/snapshot/snapshot.h"
#include "registry/rules/status.h"
#include "tests/unit/rows.h"
#include "tests/unit/test_api.h"

#define SUSPENDED_THEN_REINSTATED "CNITSEC-CS1-2024-0004"

/* A query on the fixture snapshot, with SQLite itself: what the API
 * answers is checked against the file, not against the reader. */
static long long
snapshot_count(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	long long n = -1;

	if (sqlite3_open_v2(api_fixture.snapshot, &db, SQLITE_OPEN_READONLY,
	        NULL) != SQLITE_OK)
		fail_msg("%s: %s", api_fixture.snapshot, sqlite3_errmsg(db));
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return n;
}

static const char *
string_at(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void
expect_status(const char *name, const struct api_reply *r, int status)
{
	if (r->status != status)
		fail_msg("%s: status %d, expected %d; body: %.300s", name,
		    r->status, status, r->body);
}

/* Asserts a problem document naming `param` (NULL: none). */
static void
expect_problem(
    const char *name, const struct api_reply *r, int status, const char *param)
{
	char buf[128];
	const char *type = api_test_header(r, "Content-Type", buf, sizeof buf);

	expect_status(name, r, status);
	if (type == NULL || strcmp(type, "application/problem+json") != 0)
		fail_msg("%s: Content-Type %s", name, type ? type : "none");
	if (r->json == NULL ||
	    json_integer_value(json_object_get(r->json, "status")) != status)
		fail_msg("%s: not a problem document: %.300s", name, r->body);
	if (param && (string_at(r->json, "parameter") == NULL ||
	                 strcmp(string_at(r->json, "parameter"), param) != 0))
		fail_msg("%s: parameter %s, expected %s", name,
		    string_at(r->json, "parameter"), param);
}

/*
 * Follows next_cursor from `query` to the end, appending every item's
 * `key` (one per line) to `seen`; returns the number of pages.
 */
static int
walk(const struct api_config *config, const char *path, const char *query,
    const char *key, struct buf *seen)
{
	char q[600], link[600];
	int pages = 0;

	snprintf(q, sizeof q, "%s", query);
	for (;;) {
		struct api_reply r;
		json_t *item, *next;
		size_t i;
		api_test_request(config, "GET", path, q, NULL, &r);
		expect_status(q, &r, 200);
		json_array_foreach (json_object_get(r.json, "items"), i, item) {
			json_t *v = json_object_get(item, key);
			if (json_is_integer(v))
				buf_printf(seen, "%lld\n",
				    (long long)json_integer_value(v));
			else
				buf_printf(seen, "%s\n", json_string_value(v));
		}
		next = json_object_get(r.json, "next_cursor");
		pages++;
		if (!json_is_string(next) ||
		    !api_test_header(&r, "Link", link, sizeof link)) {
			api_test_reply_free(&r);
			break;
		}
		if (strstr(link, json_string_value(next)) == NULL ||
		    strstr(link, "rel=\"next\"") == NULL)
			fail_msg("Link %s does not carry the cursor", link);
		snprintf(q, sizeof q, "%s%scursor=%s", query,
		    query[0] ? "&" : "", json_string_value(next));
		api_test_reply_free(&r);
		if (pages > 5000)
			fail_msg("%s?%s: the walk does not end", path, query);
	}
	return pages;
}

/* Lines of `text`, checked to be distinct; returns how many. */
static int
distinct_lines(const char *name, const char *text, int sorted)
{
	int n = 0;
	const char *prev = NULL, *line = text;
	char *copy = strdup(text), *save, *tok;
	char **all = NULL;
	size_t cap = 0;

	(void)line;
	(void)prev;
	for (tok = strtok_r(copy, "\n", &save); tok;
	     tok = strtok_r(NULL, "\n", &save)) {
		if ((size_t)n == cap)
			all = realloc(
			    all, (cap = cap ? cap * 2 : 64) * sizeof *all);
		all[n++] = tok;
	}
	for (int i = 1; sorted && i < n; i++)
		if (strcmp(all[i - 1], all[i]) >= 0)
			fail_msg("%s: %s before %s", name, all[i - 1], all[i]);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (strcmp(all[i], all[j]) == 0)
				fail_msg("%s: %s twice", name, all[i]);
	free(all);
	free(copy);
	return n;
}

static void
test_meta_health_openapi(void **state)
{
	struct api_reply r;
	char buf[200];

	(void)state;
	api_test_get("/v1/meta", NULL, &r);
	expect_status("meta-1.1", &r, 200);
	assert_string_equal(string_at(r.json, "as_of"), "2026-01-01");
	assert_string_equal(string_at(r.json, "today"), "2026-01-01");
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_object_get(r.json, "counts"), "certificates")),
	    snapshot_count("SELECT count(*) FROM certificates"));
	assert_int_equal(strlen(string_at(r.json, "sha256")), 64);
	assert_non_null(api_test_header(&r, "ETag", buf, sizeof buf));
	assert_string_equal(
	    api_test_header(&r, "Last-Modified", buf, sizeof buf),
	    "Thu, 01 Jan 2026 00:00:00 GMT");
	api_test_reply_free(&r);

	api_test_get("/healthz", NULL, &r);
	expect_status("healthz-1.1", &r, 200);
	assert_string_equal(string_at(r.json, "status"), "ok");
	assert_string_equal(
	    api_test_header(&r, "Cache-Control", buf, sizeof buf), "no-store");
	api_test_reply_free(&r);

	api_test_get("/v1/openapi.json", NULL, &r);
	expect_status("openapi-1.1", &r, 200);
	assert_non_null(r.json);
	assert_non_null(json_object_get(r.json, "openapi"));
	api_test_reply_free(&r);
}

static void
test_one_certificate(void **state)
{
	struct api_reply r;

	(void)state;
	api_test_get("/v1/certificates/CNITSEC-CS2-2024-0001", NULL, &r);
	expect_status("certificate-1.1", &r, 200);
	assert_string_equal(
	    string_at(r.json, "number"), "CNITSEC-CS2-2024-0001");
	assert_string_equal(string_at(r.json, "status"), "valid");
	assert_string_equal(string_at(r.json, "status_label"), "有效");
	assert_string_equal(string_at(r.json, "as_of"), "2026-01-01");
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(r.json, "organisation"), "id")),
	    1);
	api_test_reply_free(&r);

	/* certificate-1.2 a lower-case number finds the same */
	api_test_get("/v1/certificates/cnitsec-cs2-2024-0001", NULL, &r);
	expect_status("certificate-1.2", &r, 200);
	api_test_reply_free(&r);

	api_test_get("/v1/certificates/CNITSEC-XX9-2000-0001", NULL, &r);
	expect_problem("certificate-1.3 unknown number", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get("/v1/certificates/%E4%BA%91", NULL, &r);
	expect_problem("certificate-1.4 not a number", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get("/v1/certificates/A%2FB", NULL, &r);
	expect_problem("certificate-1.5 an encoded slash", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get(
	    "/v1/certificates/CNITSEC-CS2-2024-0001", "as_of=2026-02-30", &r);
	expect_problem(
	    "certificate-1.6 a day that does not exist", &r, 400, "as_of");
	api_test_reply_free(&r);
	api_test_get("/v1/certificates/CNITSEC-CS2-2024-0001", "level=1", &r);
	expect_problem(
	    "certificate-1.7 a parameter this route lacks", &r, 400, "level");
	api_test_reply_free(&r);
}

/* as_of across a suspension and its reinstatement. */
static const struct as_of_row {
	const char *name, *as_of, *status, *since;
} as_of_rows[] = {
    {"as_of-1.1 before issue", "2024-10-27", "not_issued", NULL},
    {"as_of-1.2 valid", "2025-08-03", "valid", "2024-10-28"},
    {"as_of-1.3 suspended that day", "2025-08-04", "suspended", "2025-08-04"},
    {"as_of-1.4 still suspended", "2025-09-30", "suspended", "2025-08-04"},
    {"as_of-1.5 reinstated", "2025-10-01", "valid", "2025-10-01"},
    {"as_of-1.6 valid later", "2026-01-01", "valid", "2025-10-01"},
    {"as_of-1.7 expired", "2028-01-01", "expired", "2027-10-28"},
};

static void
test_as_of_row(void **state)
{
	const struct as_of_row *row = *state;
	struct api_reply r;
	char q[40];
	snprintf(q, sizeof q, "as_of=%s", row->as_of);
	api_test_get("/v1/certificates/" SUSPENDED_THEN_REINSTATED, q, &r);
	expect_status(q, &r, 200);
	if (strcmp(string_at(r.json, "status"), row->status) != 0 ||
	    strcmp(string_at(r.json, "as_of"), row->as_of) != 0)
		fail_msg("%s: status %s as of %s, expected %s", row->name,
		    string_at(r.json, "status"), string_at(r.json, "as_of"),
		    row->status);
	if (row->since && strcmp(string_at(r.json, "status_since"), row->since))
		fail_msg("%s: since %s, expected %s", row->name,
		    string_at(r.json, "status_since"), row->since);
	api_test_reply_free(&r);
}

/*
 * Every certificate on two dates through the API equals status_on() over
 * the registry library's reading: on the snapshot's date (stored
 * columns) and on another (computed from events).
 */
static void
test_status_matches_library(void **state)
{
	char why[300];
	struct snapshot *s =
	    snapshot_open(api_fixture.snapshot, why, sizeof why);
	struct snapshot_rows *rows;
	struct snapshot_cert cert;
	static const char *const days[] = {"2026-01-01", "2025-09-15"};
	int checked = 0, rc;

	(void)state;
	assert_non_null(s);
	rows = snapshot_certs(s, "");
	while ((rc = snapshot_next_cert(rows, &cert)) == 1) {
		const char *number = cert.number;
		for (int d = 0; d < 2; d++) {
			struct api_reply r;
			struct status st;
			char path[80], q[40], flags[128];
			int day;
			json_t *f;
			size_t i;
			struct buf got = {0};
			date_parse(days[d], &day);
			assert_int_equal(snapshot_cert_status_from_events(
			                     s, &cert, day, &st),
			    0);
			status_flags_format(st.flags, ",", flags, sizeof flags);
			snprintf(
			    path, sizeof path, "/v1/certificates/%s", number);
			snprintf(q, sizeof q, "as_of=%s", days[d]);
			api_test_get(path, q, &r);
			json_array_foreach (
			    json_object_get(r.json, "flags"), i, f)
				buf_printf(&got, "%s%s", i ? "," : "",
				    json_string_value(f));
			if (strcmp(string_at(r.json, "status"),
			        status_name(st.status)) != 0 ||
			    strcmp(buf_str(&got), flags) != 0)
				fail_msg(
				    "%s on %s: API says %s [%s], rules say "
				    "%s [%s]",
				    number, days[d],
				    string_at(r.json, "status"), buf_str(&got),
				    status_name(st.status), flags);
			buf_free(&got);
			api_test_reply_free(&r);
		}
		checked++;
	}
	assert_int_equal(rc, 0);
	snapshot_rows_done(rows);
	snapshot_close(s);
	assert_int_equal(checked, snapshot_count("SELECT count(*) FROM "
	                                         "certificates"));
}

static void
test_history(void **state)
{
	struct api_reply r;
	json_t *events, *e;
	size_t i;
	const char *prev = "";

	(void)state;
	api_test_get(
	    "/v1/certificates/" SUSPENDED_THEN_REINSTATED "/history", NULL, &r);
	expect_status("history-1.1", &r, 200);
	events = json_object_get(r.json, "events");
	assert_true(json_array_size(events) >= 3);
	assert_string_equal(
	    string_at(json_array_get(events, 0), "kind"), "issue");
	json_array_foreach (events, i, e) {
		/* history-1.2 oldest first */
		assert_true(strcmp(prev, string_at(e, "effective_on")) <= 0);
		prev = string_at(e, "effective_on");
	}
	assert_non_null(strstr(r.body, "\"kind\":\"suspend\""));
	assert_non_null(strstr(r.body, "\"kind\":\"reinstate\""));
	api_test_reply_free(&r);
	api_test_get(
	    "/v1/certificates/CNITSEC-XX9-2000-0001/history", NULL, &r);
	expect_problem("history-1.3 unknown number", &r, 404, NULL);
	api_test_reply_free(&r);
}

static void
test_list_walk(void **state)
{
	struct api_config small;
	struct buf seen = {0};
	long long total = snapshot_count("SELECT count(*) FROM certificates");
	int pages;

	(void)state;
	/* list-1.1 the default pages, every row once, in number order */
	pages = walk(NULL, "/v1/certificates", "", "number", &seen);
	assert_int_equal(distinct_lines("list-1.1", buf_str(&seen), 1), total);
	assert_int_equal(pages, (total + 19) / 20);
	buf_reset(&seen);

	/* list-1.2 limit 100 */
	walk(NULL, "/v1/certificates", "limit=100", "number", &seen);
	assert_int_equal(distinct_lines("list-1.2", buf_str(&seen), 1), total);
	buf_reset(&seen);

	/* list-1.3 a filter with a scan budget of 3 rows: short pages,
	 * still every matching row once */
	api_test_config(&small);
	small.scan_limit = 3;
	pages = walk(&small, "/v1/certificates", "status=suspended&limit=5",
	    "number", &seen);
	assert_int_equal(distinct_lines("list-1.3", buf_str(&seen), 1),
	    snapshot_count("SELECT count(*) FROM certificates "
	                   "WHERE status = 'suspended'"));
	buf_reset(&seen);

	/* list-1.4 level and category together, on another date */
	walk(&small, "/v1/certificates", "level=1&category=CS&as_of=2025-06-01",
	    "number", &seen);
	assert_int_equal(distinct_lines("list-1.4", buf_str(&seen), 1),
	    snapshot_count("SELECT count(*) FROM certificates "
	                   "WHERE level = 1 AND category = 'CS'"));
	buf_free(&seen);
	(void)pages;
}

static const struct list_error_row {
	const char *name, *query, *param;
} list_error_rows[] = {
    {"list-2.1 level 6", "level=6", "level"},
    {"list-2.2 level x", "level=x", "level"},
    {"list-2.3 unknown category", "category=ZZ", "category"},
    {"list-2.4 unknown status", "status=fine", "status"},
    {"list-2.5 limit 0", "limit=0", "limit"},
    {"list-2.6 limit 101", "limit=101", "limit"},
    {"list-2.7 limit -1", "limit=-1", "limit"},
    {"list-2.8 limit huge", "limit=99999999999999999999", "limit"},
    {"list-2.9 bad date", "as_of=2024-13-01", "as_of"},
    {"list-2.10 not a date", "as_of=yesterday", "as_of"},
    {"list-2.11 bad cursor", "cursor=abcd", "cursor"},
    {"list-2.12 unknown parameter", "sort=name", "sort"},
    {"list-2.13 invalid UTF-8 in q", "q=%FF", "q"},
    {"list-2.14 NUL in q", "q=a%00", "q"},
    {"list-2.15 malformed escape", "q=%E4%BA", "q"},
    {"list-2.16 given twice", "level=1&level=2", "level"},
};

static void
test_list_error_row(void **state)
{
	const struct list_error_row *row = *state;
	struct api_reply r;
	api_test_get("/v1/certificates", row->query, &r);
	expect_problem(row->name, &r, 400, row->param);
	api_test_reply_free(&r);
}

/* list-2.17 to 2.19: cursors out of place, a long q */
static void
test_list_errors(void **state)
{
	struct api_reply r, other;
	char q[300];
	json_t *next;

	(void)state;
	/* list-2.17 a cursor used with other filters */
	api_test_get("/v1/certificates", "level=1&limit=2", &r);
	next = json_object_get(r.json, "next_cursor");
	snprintf(
	    q, sizeof q, "level=2&limit=2&cursor=%s", json_string_value(next));
	api_test_get("/v1/certificates", q, &other);
	expect_problem("list-2.17", &other, 400, "cursor");
	api_test_reply_free(&other);
	/* list-2.18 a list's cursor given to another list */
	snprintf(q, sizeof q, "cursor=%s", json_string_value(next));
	api_test_get("/v1/organisations", q, &other);
	expect_problem("list-2.18", &other, 400, "cursor");
	api_test_reply_free(&other);
	api_test_reply_free(&r);
	/* list-2.19 q of 101 characters */
	strcpy(q, "q=");
	for (int i = 0; i < 101; i++)
		strcat(q, "a");
	api_test_get("/v1/certificates", q, &r);
	expect_problem("list-2.19", &r, 400, "q");
	api_test_reply_free(&r);
}

/* The match kinds of a search's first page, joined by spaces. */
static void
search(const struct api_config *config, const char *query, struct buf *matches,
    struct buf *numbers)
{
	struct api_reply r;
	json_t *item;
	size_t i;

	api_test_request(config, "GET", "/v1/certificates", query, NULL, &r);
	expect_status(query, &r, 200);
	json_array_foreach (json_object_get(r.json, "items"), i, item) {
		if (matches)
			buf_printf(matches, "%s ", string_at(item, "match"));
		if (numbers)
			buf_printf(numbers, "%s\n", string_at(item, "number"));
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
	assert_int_equal(distinct_lines("search-1.8", buf_str(&n), 0),
	    snapshot_count("SELECT count(*) FROM certificates c "
	                   "WHERE status = 'revoked' AND "
	                   "(organisation_name LIKE '%示例%' OR "
	                   "EXISTS (SELECT 1 FROM former_names f "
	                   "WHERE f.organisation_id = "
	                   "c.organisation_id AND f.name LIKE "
	                   "'%示例%'))"));
	buf_free(&n);
}

/* A configuration with tiny windows, chunks and budgets. */
static void
small_config(struct api_config *small)
{
	api_test_config(small);
	small->scan_limit = 2;
	small->search_window = 3;
	small->search_chunk = 5;
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
	walk(NULL, "/v1/certificates", "q=%E4%BA%91&limit=7", "number", &all);
	walk(&small, "/v1/certificates", "q=%E4%BA%91&limit=7", "number",
	    &small_all);
	int a = distinct_lines("search-2.1", buf_str(&all), 0);
	int b = distinct_lines("search-2.1 small", buf_str(&small_all), 0);
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
	walk(NULL, "/v1/certificates", "q=%E4%BA%91%E5%AE%89%E5%85%A8&limit=9",
	    "number", &all);
	walk(&small, "/v1/certificates",
	    "q=%E4%BA%91%E5%AE%89%E5%85%A8&limit=9", "number", &small_all);
	assert_int_equal(distinct_lines("search-2.2", buf_str(&all), 0),
	    distinct_lines("search-2.2 small", buf_str(&small_all), 0));
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

static void
test_organisations(void **state)
{
	struct buf seen = {0};
	struct api_reply r;

	(void)state;
	walk(NULL, "/v1/organisations", "limit=7", "id", &seen);
	assert_int_equal(distinct_lines("organisations-1.1", buf_str(&seen), 0),
	    snapshot_count("SELECT count(*) FROM organisations"));
	buf_free(&seen);

	api_test_get("/v1/organisations/15", NULL, &r);
	expect_status("organisations-1.2", &r, 200);
	assert_string_equal(
	    string_at(r.json, "name"), "示例全新名称科技有限公司");
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "former_names")), 2);
	assert_true(
	    json_array_size(json_object_get(r.json, "certificates")) >= 1);
	api_test_reply_free(&r);
	api_test_get("/v1/organisations/99999", NULL, &r);
	expect_problem("organisations-1.3", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get("/v1/organisations/0", NULL, &r);
	expect_problem("organisations-1.4", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get("/v1/organisations/abc", NULL, &r);
	expect_problem("organisations-1.5", &r, 404, NULL);
	api_test_reply_free(&r);
}

static void
test_changes(void **state)
{
	struct buf seen = {0};
	struct api_config small;
	struct api_reply r;
	char link[300];

	(void)state;
	walk(NULL, "/v1/changes", "", "seq", &seen);
	assert_int_equal(distinct_lines("changes-1.1", buf_str(&seen), 0),
	    snapshot_count("SELECT count(*) FROM events"));
	buf_reset(&seen);
	api_test_config(&small);
	small.scan_limit = 4;
	walk(
	    &small, "/v1/changes", "kind=suspend,revoke&limit=3", "seq", &seen);
	assert_int_equal(distinct_lines("changes-1.2", buf_str(&seen), 0),
	    snapshot_count("SELECT count(*) FROM events WHERE "
	                   "kind IN ('suspend', 'revoke')"));
	buf_free(&seen);

	/* changes-1.3 at the end: a cursor to poll with, no Link */
	api_test_get("/v1/changes", "limit=100", &r);
	{
		char q[300];
		struct api_reply last;
		snprintf(q, sizeof q, "limit=100&cursor=%s",
		    string_at(r.json, "next_cursor"));
		for (;;) {
			api_test_get("/v1/changes", q, &last);
			if (!api_test_header(&last, "Link", link, sizeof link))
				break;
			snprintf(q, sizeof q, "limit=100&cursor=%s",
			    string_at(last.json, "next_cursor"));
			api_test_reply_free(&last);
		}
		assert_non_null(string_at(last.json, "next_cursor"));
		assert_false(json_is_true(json_object_get(last.json, "more")));
		api_test_reply_free(&last);
	}
	api_test_reply_free(&r);
	api_test_get("/v1/changes", "kind=suspend,explode", &r);
	expect_problem("changes-1.4", &r, 400, "kind");
	api_test_reply_free(&r);

	api_test_get("/v1/changes.atom", "limit=5", &r);
	expect_status("changes-2.1", &r, 200);
	assert_true(strncmp(r.body, "<?xml", 5) == 0);
	assert_non_null(
	    strstr(r.body, "<feed xmlns=\"http://www.w3.org/2005/Atom\""));
	{
		int entries = 0;
		for (const char *p = r.body; (p = strstr(p, "<entry>")); p++)
			entries++;
		assert_int_equal(entries, 5);
	}
	assert_non_null(api_test_header(&r, "Content-Type", link, sizeof link));
	assert_string_equal(link, "application/atom+xml; charset=utf-8");
	api_test_reply_free(&r);
}

static void
test_exports(void **state)
{
	struct api_reply r;
	struct api_config one;
	struct api_server *server;
	struct api_db *db;
	struct api_request req = {
	    .method = "GET", .path = "/v1/export/certificates.csv"};
	struct api_response held = {0};
	long long total = snapshot_count("SELECT count(*) FROM certificates");
	int lines = 0;
	char why[300];

	(void)state;
	api_test_get("/v1/export/certificates.csv", NULL, &r);
	expect_status("export-1.1", &r, 200);
	for (const char *p = r.body; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	assert_int_equal(lines, total + 1);
	assert_true(strncmp(r.body, "number,category,", 16) == 0);
	api_test_reply_free(&r);

	api_test_get("/v1/export/certificates.ndjson", "as_of=2025-06-01", &r);
	expect_status("export-1.2", &r, 200);
	lines = 0;
	for (char *line = strtok(r.body, "\n"); line;
	     line = strtok(NULL, "\n")) {
		json_t *o = json_loads(line, 0, NULL);
		assert_non_null(o);
		assert_string_equal(string_at(o, "as_of"), "2025-06-01");
		json_decref(o);
		lines++;
	}
	assert_int_equal(lines, total);
	api_test_reply_free(&r);

	/* export-1.3 at most max_exports at once */
	api_test_config(&one);
	one.max_exports = 1;
	server = api_server_new(&one);
	db = api_db_new(api_fixture.snapshot);
	assert_int_equal(api_db_refresh(db, why, sizeof why), 0);
	api_handle(server, db, &req, &held);
	assert_int_equal(held.status, 200);
	{
		struct api_response second = {0};
		api_handle(server, db, &req, &second);
		assert_int_equal(second.status, 503);
		api_response_clear(&second);
	}
	api_response_clear(&held);
	{
		struct api_response again = {0};
		api_handle(server, db, &req, &again);
		assert_int_equal(again.status, 200);
		api_response_clear(&again);
	}
	api_db_free(db);
	api_server_free(server);
}

static void
test_http_semantics(void **state)
{
	struct api_reply r, again;
	char etag[64], buf[300];

	(void)state;
	/* http-1.1 an ETag on a 200, and 304 for it */
	api_test_get("/v1/certificates", "level=2&limit=3", &r);
	assert_non_null(api_test_header(&r, "ETag", etag, sizeof etag));
	api_test_request(
	    NULL, "GET", "/v1/certificates", "limit=3&level=2", etag, &again);
	expect_status("http-1.1 parameters in another order", &again, 304);
	assert_int_equal(again.body_len, 0);
	assert_non_null(api_test_header(&again, "ETag", buf, sizeof buf));
	api_test_reply_free(&again);
	snprintf(buf, sizeof buf, "W/%s", etag);
	api_test_request(
	    NULL, "GET", "/v1/certificates", "limit=3&level=2", buf, &again);
	expect_status("http-1.2 a weak tag", &again, 304);
	api_test_reply_free(&again);
	api_test_request(
	    NULL, "GET", "/v1/certificates", "limit=4&level=2", etag, &again);
	expect_status("http-1.3 another request", &again, 200);
	api_test_reply_free(&again);
	/* http-1.4 cacheable, CORS, security headers */
	assert_string_equal(
	    api_test_header(&r, "Cache-Control", buf, sizeof buf),
	    "public, max-age=60");
	assert_string_equal(
	    api_test_header(&r, "Access-Control-Allow-Origin", buf, sizeof buf),
	    "*");
	assert_non_null(
	    strstr(api_test_header(
	               &r, "Access-Control-Expose-Headers", buf, sizeof buf),
	        "Link"));
	assert_string_equal(
	    api_test_header(&r, "X-Content-Type-Options", buf, sizeof buf),
	    "nosniff");
	assert_non_null(
	    api_test_header(&r, "Content-Security-Policy", buf, sizeof buf));
	assert_non_null(
	    api_test_header(&r, "Referrer-Policy", buf, sizeof buf));
	api_test_reply_free(&r);

	/* http-2.1 methods */
	api_test_request(NULL, "POST", "/v1/meta", NULL, NULL, &r);
	expect_problem("http-2.1", &r, 405, NULL);
	assert_string_equal(api_test_header(&r, "Allow", buf, sizeof buf),
	    "GET, HEAD, OPTIONS");
	api_test_reply_free(&r);
	api_test_request(NULL, "DELETE", "/v1/certificates/X", NULL, NULL, &r);
	expect_problem("http-2.2", &r, 405, NULL);
	api_test_reply_free(&r);
	/* http-2.3 HEAD: the headers of GET, no body sent */
	api_test_request(NULL, "HEAD", "/v1/meta", NULL, NULL, &r);
	expect_status("http-2.3", &r, 200);
	assert_true(r.head);
	api_test_reply_free(&r);
	/* http-2.4 OPTIONS: a CORS preflight */
	api_test_request(NULL, "OPTIONS", "/v1/certificates", NULL, NULL, &r);
	expect_status("http-2.4", &r, 204);
	assert_non_null(
	    strstr(api_test_header(
	               &r, "Access-Control-Allow-Methods", buf, sizeof buf),
	        "GET"));
	assert_non_null(api_test_header(
	    &r, "Access-Control-Allow-Headers", buf, sizeof buf));
	api_test_reply_free(&r);
	/* http-2.5 unknown paths */
	api_test_get("/v1/nothing", NULL, &r);
	expect_problem("http-2.5", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get("/v1/certificates/", NULL, &r);
	expect_problem("http-2.6", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get("/v1/meta%", NULL, &r);
	expect_problem("http-2.7 a broken escape in the path", &r, 404, NULL);
	api_test_reply_free(&r);
}

static const struct site_row {
	const char *name, *path;
	int status;
	const char *type, *body;
} site_rows[] = {
    {"site-1.1 the index", "/", 200, "text/html; charset=utf-8", "首页"},
    {"site-1.2 a style sheet", "/css/style.css", 200, "text/css; charset=utf-8",
        "body"},
    {"site-1.3 a folder's index", "/sub/", 200, "text/html; charset=utf-8",
        "子"},
    {"site-1.4 the feed", "/feed.xml", 200,
        "application/atom+xml; charset=utf-8", "feed"},
    {"site-1.5 JSON", "/data.json", 200, "application/json; charset=utf-8",
        "{}"},
    {"site-1.6 SVG", "/logo.svg", 200, "image/svg+xml", "svg"},
    {"site-1.7 missing: the site's 404 page", "/nope.html", 404,
        "text/html; charset=utf-8", "找不到"},
    {"site-1.8 a dot-file", "/.secret", 404, NULL, "找不到"},
    {"site-1.9 up and out", "/../../etc/passwd", 404, NULL, "找不到"},
    {"site-1.10 up, encoded", "/%2e%2e/%2e%2e/etc/passwd", 404, NULL, "找不到"},
    {"site-1.11 an encoded slash", "/..%2F..%2Fetc%2Fpasswd", 404, NULL, NULL},
    {"site-1.12 a symbolic link out", "/passwd-link", 404, NULL, "找不到"},
    {"site-1.13 a folder without index", "/empty/", 404, NULL, "找不到"},
    {"site-1.14 double encoding stays literal", "/%252e%252e/etc/passwd", 404,
        NULL, "找不到"},
    {"site-1.15 a backslash", "/..%5C..%5Cetc%5Cpasswd", 404, NULL, "找不到"},
    {"site-1.16 /v1 is the API's", "/v1", 404, NULL, NULL},
};

static void
test_site_row(void **state)
{
	const struct site_row *row = *state;
	struct api_reply r;
	char buf[300];

	api_test_get(row->path, NULL, &r);
	expect_status(row->name, &r, row->status);
	if (row->type &&
	    strcmp(api_test_header(&r, "Content-Type", buf, sizeof buf),
	        row->type) != 0)
		fail_msg("%s: Content-Type %s", row->name, buf);
	if (row->body && strstr(r.body, row->body) == NULL)
		fail_msg("%s: body %.200s", row->name, r.body);
	if (strstr(r.body, "root:"))
		fail_msg("%s: served /etc/passwd", row->name);
	if (strncmp(row->path, "/v1", 3) != 0 &&
	    (!api_test_header(&r, "Content-Security-Policy", buf, sizeof buf) ||
	        strstr(buf, "default-src 'self'") == NULL))
		fail_msg("%s: CSP %s", row->name, buf);
	api_test_reply_free(&r);
}

/* site-2.x: redirects, entity tags, no site */
static void
test_site(void **state)
{
	struct api_reply r;
	char buf[300];

	(void)state;
	/* site-2.1 a folder without its slash redirects, query kept */
	api_test_get("/sub", "x=1", &r);
	expect_status("site-2.1", &r, 301);
	assert_string_equal(
	    api_test_header(&r, "Location", buf, sizeof buf), "/sub/?x=1");
	api_test_reply_free(&r);
	/* site-2.2 ETag and 304 for files */
	api_test_get("/css/style.css", NULL, &r);
	assert_non_null(api_test_header(&r, "ETag", buf, sizeof buf));
	{
		struct api_reply again;
		api_test_request(
		    NULL, "GET", "/css/style.css", NULL, buf, &again);
		expect_status("site-2.2", &again, 304);
		api_test_reply_free(&again);
	}
	api_test_reply_free(&r);
	/* site-2.3 no site configured: 404 for everything outside /v1/ */
	{
		struct api_config none;
		api_test_config(&none);
		none.site_dir = NULL;
		api_test_request(&none, "GET", "/", NULL, NULL, &r);
		expect_problem("site-2.3", &r, 404, NULL);
		api_test_reply_free(&r);
	}
}

/* A new snapshot renamed over the old: a connection switches at its next
 * refresh, and not before. */
static void
test_hot_swap(void **state)
{
	struct api_db *db = api_db_new(api_fixture.snapshot);
	struct db *registry;
	struct ops_request req;
	struct ops_result result;
	struct publish_summary published;
	char why[300], before[SNAPSHOT_SHA256_HEX];

	(void)state;
	api_db_set_check_interval(db, 0);
	assert_int_equal(api_db_refresh(db, why, sizeof why), 0);
	assert_int_equal(api_db_generation(db), 1);
	snprintf(before, sizeof before, "%s", api_db_meta(db)->sha256);
	assert_int_equal(api_db_refresh(db, why, sizeof why), 0);
	assert_int_equal(api_db_generation(db), 1);

	registry = db_open(api_fixture.registry, 0, why, sizeof why);
	assert_non_null(registry);
	db_set_now(registry, 1767312000);
	ops_request_init(&req, EVENT_WARN);
	req.cert = "CNITSEC-CS2-2024-0001";
	req.reason = "swap test";
	date_parse("2026-01-02", &req.effective_on);
	if (ops_record(registry, &req, &result) != 0 ||
	    publish_snapshot(
	        registry, api_fixture.snapshot, 1767312000, &published) != 0)
		fail_msg("publish: %s", db_error(registry));
	db_close(registry);

	/* The old file stays readable through the open connection. */
	assert_string_equal(api_db_meta(db)->sha256, before);
	assert_int_equal(api_db_refresh(db, why, sizeof why), 0);
	assert_int_equal(api_db_generation(db), 2);
	assert_string_equal(api_db_meta(db)->sha256, published.sha256);
	assert_string_not_equal(before, published.sha256);
	api_db_free(db);
}

int
test_api_routes(void)
{
	static const struct CMUnitTest first[] = {
	    cmocka_unit_test(test_meta_health_openapi),
	    cmocka_unit_test(test_one_certificate),
	};
	static const struct CMUnitTest middle[] = {
	    cmocka_unit_test(test_status_matches_library),
	    cmocka_unit_test(test_history),
	    cmocka_unit_test(test_list_walk),
	    cmocka_unit_test(test_list_errors),
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
	    cmocka_unit_test(test_organisations),
	    cmocka_unit_test(test_changes),
	    cmocka_unit_test(test_exports),
	    cmocka_unit_test(test_http_semantics),
	    cmocka_unit_test(test_site),
	};
	/* Last: it publishes a new snapshot over the fixture's. */
	static const struct CMUnitTest last[] = {
	    cmocka_unit_test(test_hot_swap),
	};
	struct rows r = {0};

	rows_add(&r, first, ROWS_COUNT(first));
	ROWS_TABLE(&r, as_of_rows, test_as_of_row, "%s", row->name);
	ROWS_TABLE(&r, list_error_rows, test_list_error_row, "%s", row->name);
	rows_add(&r, middle, ROWS_COUNT(middle));
	ROWS_TABLE(&r, site_rows, test_site_row, "%s", row->name);
	rows_add(&r, last, ROWS_COUNT(last));
	return rows_run(&r, "api_routes");
}

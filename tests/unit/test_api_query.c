/*
 * The API's parsers of outside input, case by case: query strings
 * (api_query), cursors (api_cursor), If-None-Match and HTTP dates
 * (api_call).  Each case is numbered so a failure names itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "registry/api/call.h"
#include "registry/api/cursor.h"
#include "registry/api/query.h"
#include "tests/unit/rows.h"
#include "tests/unit/test_api.h"

struct query_case {
	const char *name;
	const char *raw;
	int ok;            /* expected result: 1 parses, 0 refused */
	const char *param; /* refused: the parameter named */
	const char *key;   /* parsed: a parameter to look up ... */
	const char *value; /* ... and its value (NULL: absent) */
};

static const struct query_case QUERY_CASES[] = {
    {"query-1.1 two pairs", "q=a&limit=5", 1, NULL, "limit", "5"},
    {"query-1.2 plus is a space", "q=a+b", 1, NULL, "q", "a b"},
    {"query-1.3 escapes decode to UTF-8", "q=%E4%BA%91", 1, NULL, "q", "云"},
    {"query-1.4 empty pairs are skipped", "&&q=x&", 1, NULL, "q", "x"},
    {"query-1.5 an empty value counts as absent", "q=&level=1", 1, NULL, "q",
        NULL},
    {"query-1.6 a name without '=' has an empty value", "q", 1, NULL, "q",
        NULL},
    {"query-1.7 no query at all", NULL, 1, NULL, "q", NULL},
    {"query-1.8 a name twice is refused", "as_of=1&as_of=2", 0, "as_of", NULL,
        NULL},
    {"query-1.9 a bad escape is refused", "q=%zz", 0, "q", NULL, NULL},
    {"query-1.10 a cut escape is refused", "q=ab%4", 0, "q", NULL, NULL},
    {"query-1.11 %00 is refused", "q=a%00b", 0, "q", NULL, NULL},
    {"query-1.12 invalid UTF-8 is refused", "q=%FF%FE", 0, "q", NULL, NULL},
    {"query-1.13 an overlong UTF-8 form is refused", "q=%C0%AF", 0, "q", NULL,
        NULL},
    {"query-1.14 a control character is refused", "q=a%0Ab", 0, "q", NULL,
        NULL},
    {"query-1.15 a name with a space is refused", "a%20b=1", 0, "query", NULL,
        NULL},
    {"query-1.16 a non-ASCII name is refused", "%E4%BA%91=1", 0, "query", NULL,
        NULL},
    {"query-1.17 an empty name is refused", "=1", 0, "query", NULL, NULL},
};

static void
test_query_case(void **state)
{
	const struct query_case *t = *state;
	struct api_query q;
	char why[200], param[64];
	int rc =
	    api_query_parse(t->raw, &q, why, sizeof why, param, sizeof param);
	if ((rc == 0) != t->ok)
		fail_msg("%s: expected %s, got %s (%s)", t->name,
		    t->ok ? "success" : "refusal",
		    rc == 0 ? "success" : "refusal", why);
	if (!t->ok && strcmp(param, t->param) != 0)
		fail_msg("%s: expected parameter '%s' named, got '%s'", t->name,
		    t->param, param);
	if (t->ok) {
		const char *v = api_query_get(&q, t->key);
		if ((v == NULL) != (t->value == NULL) ||
		    (v && strcmp(v, t->value) != 0))
			fail_msg("%s: %s is '%s', expected '%s'", t->name,
			    t->key, v ? v : "(absent)",
			    t->value ? t->value : "(absent)");
	}
	api_query_clear(&q);
}

static void
test_query_limits(void **state)
{
	char raw[API_QUERY_RAW_MAX + 16], why[200], param[64];
	struct api_query q;
	size_t n;

	(void)state;
	/* query-2.1 a value of API_QUERY_VALUE_MAX bytes passes, one more
	 * does not */
	n = (size_t)snprintf(raw, sizeof raw, "q=");
	memset(raw + n, 'a', API_QUERY_VALUE_MAX);
	raw[n + API_QUERY_VALUE_MAX] = '\0';
	assert_int_equal(
	    api_query_parse(raw, &q, why, sizeof why, param, sizeof param), 0);
	api_query_clear(&q);
	strcat(raw, "a");
	assert_int_equal(
	    api_query_parse(raw, &q, why, sizeof why, param, sizeof param), -1);
	assert_string_equal(param, "q");
	api_query_clear(&q);

	/* query-2.2 at most API_QUERY_MAX_PARAMS pairs */
	raw[0] = '\0';
	for (int i = 0; i <= API_QUERY_MAX_PARAMS; i++)
		snprintf(
		    raw + strlen(raw), sizeof raw - strlen(raw), "p%d=1&", i);
	assert_int_equal(
	    api_query_parse(raw, &q, why, sizeof why, param, sizeof param), -1);
	assert_string_equal(param, "query");
	api_query_clear(&q);

	/* query-2.3 the whole string is bounded */
	memset(raw, 'a', API_QUERY_RAW_MAX + 1);
	raw[API_QUERY_RAW_MAX + 1] = '\0';
	assert_int_equal(
	    api_query_parse(raw, &q, why, sizeof why, param, sizeof param), -1);
	api_query_clear(&q);

	/* query-2.4 unknown names are found */
	{
		static const char *const allowed[] = {"q", "limit", NULL};
		assert_int_equal(api_query_parse("q=1&limt=2", &q, why,
		                     sizeof why, param, sizeof param),
		    0);
		assert_string_equal(api_query_unknown(&q, allowed), "limt");
		api_query_clear(&q);
	}
}

static void
test_cursor(void **state)
{
	struct api_cursor c = {.list = 's',
	                      .filters = 0xdeadbeef,
	                      .phase = 4,
	                      .a = 12,
	                      .b = 345678,
	                      .c = 90},
	                  back;
	char text[API_CURSOR_TEXT_MAX], edited[API_CURSOR_TEXT_MAX];
	unsigned char secret[API_CURSOR_SECRET_SIZE], other[sizeof secret];

	(void)state;
	memset(secret, 7, sizeof secret);
	memcpy(other, secret, sizeof other);
	other[31] ^= 1;
	strcpy(c.key, "CNITSEC-CS1-2024-000123");
	api_cursor_encode(&c, secret, text);
	/* cursor-1.1 round trip */
	assert_int_equal(api_cursor_decode(text, secret, &back), 0);
	assert_int_equal(back.list, 's');
	assert_int_equal(back.filters, 0xdeadbeef);
	assert_int_equal(back.phase, 4);
	assert_true(back.a == 12 && back.b == 345678 && back.c == 90);
	assert_string_equal(back.key, c.key);
	/* cursor-1.2 URL-safe text */
	assert_int_equal(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
	                              "klmnopqrstuvwxyz0123456789-_"),
	    strlen(text));
	/* cursor-1.3 every single-character edit is refused */
	for (size_t i = 0; i < strlen(text); i++) {
		strcpy(edited, text);
		edited[i] = edited[i] == 'A' ? 'B' : 'A';
		if (api_cursor_decode(edited, secret, &back) == 0)
			fail_msg(
			    "cursor-1.3: edit at %zu accepted: %s", i, edited);
	}
	/* cursor-1.4 cut short, empty, garbage */
	strcpy(edited, text);
	edited[strlen(edited) - 3] = '\0';
	assert_int_equal(api_cursor_decode(edited, secret, &back), -1);
	assert_int_equal(api_cursor_decode("", secret, &back), -1);
	assert_int_equal(api_cursor_decode("abc", secret, &back), -1);
	assert_int_equal(api_cursor_decode("!!!!", secret, &back), -1);
	/* cursor-1.5 an empty key */
	c.key[0] = '\0';
	api_cursor_encode(&c, secret, text);
	assert_int_equal(api_cursor_decode(text, secret, &back), 0);
	assert_string_equal(back.key, "");
	/* cursor-1.6 keyed: another secret (another server) refuses it */
	assert_int_equal(api_cursor_decode(text, other, &back), -1);
	/* cursor-1.7 the old unkeyed form, recomputable by anyone, is
	 * refused: "1.s.deadbeef.4.0.1000000000000000000.0..d5e1a7b2" */
	assert_int_equal(api_cursor_decode("MS5zLmRlYWRiZWVmLjQuMC4xMDAwMDAw"
	                                   "MDAwMDAwMDAwMDAwLjAuLmQ1ZTFhN2Iy",
	                     secret, &back),
	    -1);
}

static void
test_entity_tags_and_dates(void **state)
{
	(void)state;
	/* tag-1.1 .. 1.6 If-None-Match */
	assert_true(api_call_etag_matches("\"abc\"", "\"abc\""));
	assert_true(api_call_etag_matches("W/\"abc\"", "\"abc\""));
	assert_true(api_call_etag_matches("\"x\", \"abc\"", "\"abc\""));
	assert_true(api_call_etag_matches("*", "\"abc\""));
	assert_false(api_call_etag_matches("\"abcd\"", "\"abc\""));
	assert_false(api_call_etag_matches("", "\"abc\""));
	/* date-1.1 .. 1.5 HTTP dates */
	assert_true(api_call_http_date("Thu, 01 Jan 2026 00:00:00 GMT") ==
	            1767225600LL);
	assert_true(
	    api_call_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777LL);
	assert_true(api_call_http_date("Thu, 31 Feb 2026 00:00:00 GMT") == -1);
	assert_true(api_call_http_date("yesterday") == -1);
	assert_true(api_call_http_date(NULL) == -1);
}

int
test_api_query(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_query_limits),
	    cmocka_unit_test(test_cursor),
	    cmocka_unit_test(test_entity_tags_and_dates),
	};
	struct rows r = {0};

	ROWS_TABLE(&r, QUERY_CASES, test_query_case, "%s", row->name);
	rows_add(&r, tests, ROWS_COUNT(tests));
	return rows_run(&r, "api_query");
}

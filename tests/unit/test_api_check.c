/*
 * The public's check through api_handle(): the bulk call
 * (/v1/certificates?number=...) as JSON and CSV, a number that is not in
 * the registry (its problem document), a certificate's notices, numbers
 * typed in other forms, and the check pages registryd answers
 * (/registry/check/, /registry/bulk/, a missing certificate's page) on
 * the fixture's small site, whose pages carry the markers sitegen writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/buf.h"
#include "tests/unit/rows.h"
#include "tests/unit/test_api.h"

/* In the sample as of 2026-01-01 (see registry/record/sample.c). */
#define OVERDUE "CNITSEC-CS1-2024-0109"    /* an order past its deadline */
#define REINSTATED "CNITSEC-CS1-2024-0004" /* suspended, then reinstated */
#define CODE_OF_OVERDUE "91420111298X3HUYQ4"

static json_t *
result(json_t *body, size_t i)
{
	return json_array_get(json_object_get(body, "results"), i);
}

static json_t *
cert_of(json_t *result, size_t i)
{
	return json_array_get(json_object_get(result, "certificates"), i);
}

/* bulk-1.x: the JSON answer, entry by entry in the order given. */
static void
test_bulk_json(void **state)
{
	struct api_reply r;
	json_t *e;

	(void)state;
	api_test_get("/v1/certificates",
	    "number=cs1-2024-0109,%EF%BC%A3%EF%BC%B3%EF%BC%91-2024-0004,"
	    "CNITSEC-CS1-2099-0001,914403058GLX14WMJB,"
	    "nonsense," CODE_OF_OVERDUE,
	    &r);
	api_test_expect_status("bulk-1.1", &r, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "entries")), 6);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "found")), 3);
	assert_string_equal(api_test_string(r.json, "as_of"), "2026-01-01");
	assert_int_equal(strlen(api_test_string(r.json, "sha256")), 64);
	/* bulk-1.2 a short, lower-case number */
	e = result(r.json, 0);
	assert_string_equal(api_test_string(e, "input"), "cs1-2024-0109");
	assert_string_equal(api_test_string(e, "kind"), "number");
	assert_string_equal(api_test_string(e, "query"), OVERDUE);
	assert_true(json_is_true(json_object_get(e, "found")));
	assert_string_equal(api_test_string(cert_of(e, 0), "number"), OVERDUE);
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(cert_of(e, 0), "flags"), 0)),
	    "rectification_overdue");
	/* bulk-1.3 full-width characters */
	e = result(r.json, 1);
	assert_string_equal(api_test_string(e, "query"), REINSTATED);
	assert_true(json_is_true(json_object_get(e, "found")));
	/* bulk-1.4 a number not in the registry is a row, not found */
	e = result(r.json, 2);
	assert_true(json_is_false(json_object_get(e, "found")));
	assert_int_equal(
	    json_array_size(json_object_get(e, "certificates")), 0);
	assert_non_null(
	    strstr(api_test_string(e, "note"), "名录中没有这个编号"));
	/* bulk-1.5 a credit code with a wrong check character says so */
	e = result(r.json, 3);
	assert_string_equal(api_test_string(e, "kind"), "credit_code");
	assert_non_null(strstr(api_test_string(e, "note"), "校验位应为 A"));
	/* bulk-1.6 neither a number nor a code */
	e = result(r.json, 4);
	assert_string_equal(api_test_string(e, "kind"), "invalid");
	assert_true(json_is_null(json_object_get(e, "query")));
	/* bulk-1.7 a credit code gives its holder's certificates */
	e = result(r.json, 5);
	assert_string_equal(api_test_string(e, "kind"), "credit_code");
	assert_string_equal(api_test_string(cert_of(e, 0), "number"), OVERDUE);
	api_test_reply_free(&r);
}

/* bulk-2.x: limits and what the call takes with it. */
static void
test_bulk_limits(void **state)
{
	struct api_reply r;
	struct buf q = BUF_INIT;

	(void)state;
	buf_puts(&q, "number=");
	for (int i = 1; i <= 100; i++)
		buf_printf(&q, "%sCS1-2024-%04d", i > 1 ? "%2C" : "", i);
	api_test_get("/v1/certificates", q.data, &r);
	api_test_expect_status("bulk-2.1 a hundred entries", &r, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "entries")), 100);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "results")), 100);
	api_test_reply_free(&r);
	buf_puts(&q, "%2CCS1-2024-0101");
	api_test_get("/v1/certificates", q.data, &r);
	api_test_expect_problem(
	    "bulk-2.2 a hundred and one", &r, 400, "number");
	api_test_reply_free(&r);
	buf_free(&q);
	api_test_get("/v1/certificates", "number=%2C%20%2C", &r);
	api_test_expect_problem("bulk-2.3 no entry", &r, 400, "number");
	api_test_reply_free(&r);
	api_test_get("/v1/certificates", "number=CS1-2024-0001&q=x", &r);
	api_test_expect_problem("bulk-2.4 not with q", &r, 400, "q");
	api_test_reply_free(&r);
	api_test_get("/v1/certificates", "number=CS1-2024-0001&limit=5", &r);
	api_test_expect_problem("bulk-2.5 not with limit", &r, 400, "limit");
	api_test_reply_free(&r);
	api_test_get("/v1/certificates", "format=csv", &r);
	api_test_expect_problem(
	    "bulk-2.6 format without number", &r, 400, "format");
	api_test_reply_free(&r);
	api_test_get("/v1/certificates", "number=CS1-2024-0001&format=xml", &r);
	api_test_expect_problem(
	    "bulk-2.7 an unknown format", &r, 400, "format");
	api_test_reply_free(&r);
	api_test_get(
	    "/v1/certificates", "number=CS1-2024-0004&as_of=2025-08-04", &r);
	api_test_expect_status("bulk-2.8 on another day", &r, 200);
	assert_string_equal(
	    api_test_string(cert_of(result(r.json, 0), 0), "status"),
	    "suspended");
	api_test_reply_free(&r);
}

/* bulk-3.x: the same as CSV, a row per certificate and per unknown entry. */
static void
test_bulk_csv(void **state)
{
	struct api_reply r;
	char buf[300];
	int lines = 0;

	(void)state;
	api_test_get("/v1/certificates",
	    "number=cs1-2024-0109,CNITSEC-CS1-2099-0001&format=csv", &r);
	api_test_expect_status("bulk-3.1", &r, 200);
	assert_string_equal(
	    api_test_header(&r, "Content-Type", buf, sizeof buf),
	    "text/csv; charset=utf-8; header=present");
	assert_non_null(
	    strstr(api_test_header(&r, "Content-Disposition", buf, sizeof buf),
	        "registry-check-2026-01-01.csv"));
	for (const char *p = r.body; (p = strstr(p, "\r\n")) != NULL; p += 2)
		lines++;
	assert_int_equal(lines, 3);
	assert_non_null(strstr(r.body, "input,kind,found,note,number,"));
	assert_non_null(
	    strstr(r.body, "cs1-2024-0109,number,true,," OVERDUE ","));
	assert_non_null(strstr(r.body, ",rectification_overdue,整改逾期,"));
	assert_non_null(
	    strstr(r.body, "CNITSEC-CS1-2099-0001,number,false,名录中没有"));
	api_test_reply_free(&r);
}

/* notfound-1.x: a number the registry does not hold. */
static void
test_not_in_registry(void **state)
{
	struct api_reply r;

	(void)state;
	api_test_get("/v1/certificates/CNITSEC-CS1-2099-0001", NULL, &r);
	api_test_expect_problem("notfound-1.1", &r, 404, NULL);
	assert_string_equal(
	    api_test_string(r.json, "number"), "CNITSEC-CS1-2099-0001");
	assert_true(json_is_false(json_object_get(r.json, "in_registry")));
	assert_non_null(strstr(
	    api_test_string(r.json, "detail"), "is not in the registry"));
	assert_non_null(strstr(api_test_string(r.json, "detail"), "issuer"));
	assert_int_equal(json_array_size(json_object_get(r.json, "check")), 2);
	assert_non_null(strstr(api_test_string(r.json, "report"), "/contact/"));
	assert_string_equal(api_test_string(r.json, "as_of"), "2026-01-01");
	api_test_reply_free(&r);
	/* notfound-1.2 a short number, in the path */
	api_test_get("/v1/certificates/cs1-2099-0001", NULL, &r);
	api_test_expect_problem("notfound-1.2", &r, 404, NULL);
	assert_string_equal(
	    api_test_string(r.json, "number"), "CNITSEC-CS1-2099-0001");
	api_test_reply_free(&r);
	/* notfound-1.3 its history too */
	api_test_get(
	    "/v1/certificates/CNITSEC-CS1-2099-0001/history", NULL, &r);
	api_test_expect_problem("notfound-1.3", &r, 404, NULL);
	assert_true(json_is_false(json_object_get(r.json, "in_registry")));
	api_test_reply_free(&r);
	/* notfound-1.4 a number in short form is found */
	api_test_get("/v1/certificates/cs1-2024-0109", NULL, &r);
	api_test_expect_status("notfound-1.4", &r, 200);
	assert_string_equal(api_test_string(r.json, "number"), OVERDUE);
	api_test_reply_free(&r);
}

/* notice-1.x: the overdue order, as a notice of its own. */
static void
test_notices(void **state)
{
	struct api_reply r;
	json_t *n;

	(void)state;
	api_test_get("/v1/certificates/" OVERDUE, NULL, &r);
	api_test_expect_status("notice-1.1", &r, 200);
	n = json_array_get(json_object_get(r.json, "notices"), 0);
	assert_non_null(n);
	assert_string_equal(api_test_string(n, "kind"), "rectify");
	assert_string_equal(api_test_string(n, "label"), "整改逾期");
	assert_true(json_is_true(json_object_get(n, "overdue")));
	assert_string_equal(api_test_string(n, "deadline"),
	    api_test_string(r.json, "rectification_deadline"));
	assert_non_null(api_test_string(n, "reason"));
	assert_string_equal(api_test_string(r.json, "validity_label"),
	    "有效期至 2027年6月30日");
	api_test_reply_free(&r);
	/* notice-1.2 before the deadline it is an order in time */
	api_test_get("/v1/certificates/" OVERDUE, "as_of=2025-11-01", &r);
	n = json_array_get(json_object_get(r.json, "notices"), 0);
	assert_string_equal(api_test_string(n, "label"), "限期整改");
	assert_true(json_is_false(json_object_get(n, "overdue")));
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(r.json, "flags"), 0)),
	    "rectification");
	api_test_reply_free(&r);
	/* notice-1.3 lists do not carry notices */
	api_test_get("/v1/certificates", "limit=1", &r);
	assert_null(json_object_get(
	    json_array_get(json_object_get(r.json, "items"), 0), "notices"));
	api_test_reply_free(&r);
}

/* search-9.x: the box's forms reach the search too. */
static void
test_search_forms(void **state)
{
	struct api_reply r;

	(void)state;
	/* ＣＳ１－２０２４－０１０９ */
	api_test_get("/v1/certificates",
	    "q=%EF%BC%A3%EF%BC%B3%EF%BC%91%EF%BC%8D%EF%BC%92%EF%BC%90%EF%BC%92%"
	    "EF"
	    "%BC%94%EF%BC%8D%EF%BC%90%EF%BC%91%EF%BC%90%EF%BC%99",
	    &r);
	api_test_expect_status("search-9.1 a full-width number", &r, 200);
	assert_string_equal(
	    api_test_string(
	        json_array_get(json_object_get(r.json, "items"), 0), "number"),
	    OVERDUE);
	assert_string_equal(
	    api_test_string(
	        json_array_get(json_object_get(r.json, "items"), 0), "match"),
	    "number");
	api_test_reply_free(&r);
}

/* check-1.x: the check pages as registryd answers them. */
static const struct page_row {
	const char *name, *path, *query;
	int status;
	const char *location; /* or NULL */
	const char *body[3];  /* what the body holds, or NULL */
} page_rows[] = {
    {"check-1.1 one certificate: to its page", "/registry/check/",
        "q=cs1-2024-0109", 303, "../certificates/" OVERDUE "/", {NULL}},
    {"check-1.2 a credit code of one certificate: to its page",
        "/registry/check/", "q=" CODE_OF_OVERDUE, 303,
        "../certificates/" OVERDUE "/", {NULL}},
    {"check-1.3 a whole number not there: to its page, which says so",
        "/registry/check/", "q=CNITSEC-CS1-2099-0001", 303,
        "../certificates/CNITSEC-CS1-2099-0001/", {NULL}},
    {"check-1.4 a name: a short list with statuses", "/registry/check/",
        "q=%E9%9D%92%E5%B2%9A", 200, NULL,
        {"data-answered=\"server\"", "class=\"status status-",
            "value=\"青岚\""}},
    {"check-1.5 nothing found: says so", "/registry/check/",
        "q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E5%90%8D%E5%AD%97", 200, NULL,
        {"名录中没有找到", "联系方式", NULL}},
    {"check-1.6 the query is escaped", "/registry/check/", "q=%3Cscript%3E",
        200, NULL, {"&lt;script&gt;", NULL}},
    {"check-1.7 no query: the page itself", "/registry/check/", NULL, 200, NULL,
        {"<!--check:begin-->", NULL}},
    {"bulk-4.1 the table", "/registry/bulk/",
        "numbers=cs1-2024-0109%0D%0ACNITSEC-CS1-2099-0001%0D%0Anonsense", 200,
        NULL,
        {"共 3 项，找到 1 项，未找到 2 项", "status-not_found",
            "flag-rectification_overdue"}},
    {"bulk-4.2 with the snapshot's date, SHA-256 and CSV", "/registry/bulk/",
        "numbers=cs1-2024-0109", 200, NULL,
        {"状态截至 2026年1月1日", "SHA-256 <code class=\"sha256\">",
            "format=csv&amp;number=" OVERDUE "\""}},
    {"bulk-4.3 the list stays in its box", "/registry/bulk/", "numbers=a%3Cb",
        200, NULL, {"data-fill=\"numbers\">a&lt;b</textarea>"}},
    {"missing-1.1 a missing certificate page says so",
        "/registry/certificates/CNITSEC-CS1-2099-0001/", NULL, 404, NULL,
        {"data-fill=\"number\">CNITSEC-CS1-2099-0001</span>", NULL}},
    {"missing-1.2 another spelling of a page there: to it",
        "/registry/certificates/cs1-2024-0109/", NULL, 301, "../" OVERDUE "/",
        {NULL}},
    {"missing-1.3 without the slash",
        "/registry/certificates/cnitsec-cs1-2024-0109", NULL, 301, OVERDUE "/",
        {NULL}},
    {"missing-1.4 the page's own spelling missing: the page says so",
        "/registry/certificates/cs1-2099-0001/", NULL, 404, NULL,
        {">CNITSEC-CS1-2099-0001</span>", NULL}},
    {"missing-1.5 deeper paths: the site's 404",
        "/registry/certificates/CNITSEC-CS1-2099-0001/x.html", NULL, 404, NULL,
        {"找不到", NULL}},
};

static void
test_page_row(void **state)
{
	const struct page_row *row = *state;
	struct api_reply r;
	char buf[300];

	api_test_get(row->path, row->query, &r);
	api_test_expect_status(row->name, &r, row->status);
	if (row->location &&
	    (api_test_header(&r, "Location", buf, sizeof buf) == NULL ||
	        strcmp(buf, row->location) != 0))
		fail_msg("%s: Location %s", row->name,
		    api_test_header(&r, "Location", buf, sizeof buf));
	for (int i = 0; i < 3 && row->body[i]; i++)
		if (strstr(r.body, row->body[i]) == NULL)
			fail_msg("%s: no %s in %.300s", row->name, row->body[i],
			    r.body);
	if (!api_test_header(&r, "Content-Security-Policy", buf, sizeof buf) ||
	    strstr(buf, "default-src 'self'") == NULL)
		fail_msg("%s: the site's CSP, not %s", row->name, buf);
	api_test_reply_free(&r);
}

/* check-2.1 without a site, the check pages are not there */
static void
test_check_without_site(void **state)
{
	struct api_config none;
	struct api_reply r;

	(void)state;
	api_test_config(&none);
	none.site_dir = NULL;
	api_test_request(&none, "GET", "/registry/check/", "q=x", NULL, &r);
	api_test_expect_problem("check-2.1", &r, 404, NULL);
	api_test_reply_free(&r);
}

int
test_api_check(void)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_bulk_json),
	    cmocka_unit_test(test_bulk_limits),
	    cmocka_unit_test(test_bulk_csv),
	    cmocka_unit_test(test_not_in_registry),
	    cmocka_unit_test(test_notices),
	    cmocka_unit_test(test_search_forms),
	    cmocka_unit_test(test_check_without_site),
	};
	struct rows r = {0};

	rows_add(&r, fixed, ROWS_COUNT(fixed));
	ROWS_TABLE(&r, page_rows, test_page_row, "%s", row->name);
	return rows_run(&r, "api_check");
}

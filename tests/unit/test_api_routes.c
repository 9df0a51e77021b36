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

static void
test_meta_health_openapi(void **state)
{
	struct api_reply r;
	char buf[200];

	(void)state;
	api_test_get("/v1/meta", NULL, &r);
	api_test_expect_status("meta-1.1", &r, 200);
	assert_string_equal(api_test_string(r.json, "as_of"), "2026-01-01");
	assert_string_equal(api_test_string(r.json, "today"), "2026-01-01");
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_object_get(r.json, "counts"), "certificates")),
	    api_test_count("SELECT count(*) FROM certificates"));
	assert_int_equal(strlen(api_test_string(r.json, "sha256")), 64);
	assert_non_null(api_test_header(&r, "ETag", buf, sizeof buf));
	assert_string_equal(
	    api_test_header(&r, "Last-Modified", buf, sizeof buf),
	    "Thu, 01 Jan 2026 00:00:00 GMT");
	api_test_reply_free(&r);

	api_test_get("/healthz", NULL, &r);
	api_test_expect_status("healthz-1.1", &r, 200);
	assert_string_equal(api_test_string(r.json, "status"), "ok");
	assert_string_equal(
	    api_test_header(&r, "Cache-Control", buf, sizeof buf), "no-store");
	api_test_reply_free(&r);

	api_test_get("/v1/openapi.json", NULL, &r);
	api_test_expect_status("openapi-1.1", &r, 200);
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
	api_test_expect_status("certificate-1.1", &r, 200);
	assert_string_equal(
	    api_test_string(r.json, "number"), "CNITSEC-CS2-2024-0001");
	assert_string_equal(api_test_string(r.json, "status"), "valid");
	assert_string_equal(api_test_string(r.json, "status_label"), "有效");
	assert_string_equal(api_test_string(r.json, "as_of"), "2026-01-01");
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(r.json, "organisation"), "id")),
	    1);
	api_test_reply_free(&r);

	/* certificate-1.2 a lower-case number finds the same */
	api_test_get("/v1/certificates/cnitsec-cs2-2024-0001", NULL, &r);
	api_test_expect_status("certificate-1.2", &r, 200);
	api_test_reply_free(&r);

	api_test_get("/v1/certificates/CNITSEC-XX9-2000-0001", NULL, &r);
	api_test_expect_problem(
	    "certificate-1.3 unknown number", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get("/v1/certificates/%E4%BA%91", NULL, &r);
	api_test_expect_problem("certificate-1.4 not a number", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get("/v1/certificates/A%2FB", NULL, &r);
	api_test_expect_problem(
	    "certificate-1.5 an encoded slash", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get(
	    "/v1/certificates/CNITSEC-CS2-2024-0001", "as_of=2026-02-30", &r);
	api_test_expect_problem(
	    "certificate-1.6 a day that does not exist", &r, 400, "as_of");
	api_test_reply_free(&r);
	api_test_get("/v1/certificates/CNITSEC-CS2-2024-0001", "level=1", &r);
	api_test_expect_problem(
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
	api_test_expect_status(q, &r, 200);
	if (strcmp(api_test_string(r.json, "status"), row->status) != 0 ||
	    strcmp(api_test_string(r.json, "as_of"), row->as_of) != 0)
		fail_msg("%s: status %s as of %s, expected %s", row->name,
		    api_test_string(r.json, "status"),
		    api_test_string(r.json, "as_of"), row->status);
	if (row->since &&
	    strcmp(api_test_string(r.json, "status_since"), row->since))
		fail_msg("%s: since %s, expected %s", row->name,
		    api_test_string(r.json, "status_since"), row->since);
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
			if (strcmp(api_test_string(r.json, "status"),
			        status_name(st.status)) != 0 ||
			    strcmp(buf_str(&got), flags) != 0)
				fail_msg(
				    "%s on %s: API says %s [%s], rules say "
				    "%s [%s]",
				    number, days[d],
				    api_test_string(r.json, "status"),
				    buf_str(&got), status_name(st.status),
				    flags);
			buf_free(&got);
			api_test_reply_free(&r);
		}
		checked++;
	}
	assert_int_equal(rc, 0);
	snapshot_rows_done(rows);
	snapshot_close(s);
	assert_int_equal(checked, api_test_count("SELECT count(*) FROM "
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
	api_test_expect_status("history-1.1", &r, 200);
	events = json_object_get(r.json, "events");
	assert_true(json_array_size(events) >= 3);
	assert_string_equal(
	    api_test_string(json_array_get(events, 0), "kind"), "issue");
	json_array_foreach (events, i, e) {
		/* history-1.2 oldest first */
		assert_true(
		    strcmp(prev, api_test_string(e, "effective_on")) <= 0);
		prev = api_test_string(e, "effective_on");
	}
	assert_non_null(strstr(r.body, "\"kind\":\"suspend\""));
	assert_non_null(strstr(r.body, "\"kind\":\"reinstate\""));
	api_test_reply_free(&r);
	api_test_get(
	    "/v1/certificates/CNITSEC-XX9-2000-0001/history", NULL, &r);
	api_test_expect_problem("history-1.3 unknown number", &r, 404, NULL);
	api_test_reply_free(&r);
}

static void
test_list_walk(void **state)
{
	struct api_config small;
	struct buf seen = {0};
	long long total = api_test_count("SELECT count(*) FROM certificates");
	int pages;

	(void)state;
	/* list-1.1 the default pages, every row once, in number order */
	pages = api_test_walk(NULL, "/v1/certificates", "", "number", &seen);
	assert_int_equal(
	    api_test_distinct("list-1.1", buf_str(&seen), 1), total);
	assert_int_equal(pages, (total + 19) / 20);
	buf_reset(&seen);

	/* list-1.2 limit 100 */
	api_test_walk(NULL, "/v1/certificates", "limit=100", "number", &seen);
	assert_int_equal(
	    api_test_distinct("list-1.2", buf_str(&seen), 1), total);
	buf_reset(&seen);

	/* list-1.3 a filter with a scan budget of 3 rows: short pages,
	 * still every matching row once */
	api_test_config(&small);
	small.scan_limit = 3;
	pages = api_test_walk(&small, "/v1/certificates",
	    "status=suspended&limit=5", "number", &seen);
	assert_int_equal(api_test_distinct("list-1.3", buf_str(&seen), 1),
	    api_test_count("SELECT count(*) FROM certificates "
	                   "WHERE status = 'suspended'"));
	buf_reset(&seen);

	/* list-1.4 level and category together, on another date */
	api_test_walk(&small, "/v1/certificates",
	    "level=1&category=CS&as_of=2025-06-01", "number", &seen);
	assert_int_equal(api_test_distinct("list-1.4", buf_str(&seen), 1),
	    api_test_count("SELECT count(*) FROM certificates "
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
	api_test_expect_problem(row->name, &r, 400, row->param);
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
	api_test_expect_problem("list-2.17", &other, 400, "cursor");
	api_test_reply_free(&other);
	/* list-2.18 a list's cursor given to another list */
	snprintf(q, sizeof q, "cursor=%s", json_string_value(next));
	api_test_get("/v1/organisations", q, &other);
	api_test_expect_problem("list-2.18", &other, 400, "cursor");
	api_test_reply_free(&other);
	api_test_reply_free(&r);
	/* list-2.19 q of 101 characters */
	strcpy(q, "q=");
	for (int i = 0; i < 101; i++)
		strcat(q, "a");
	api_test_get("/v1/certificates", q, &r);
	api_test_expect_problem("list-2.19", &r, 400, "q");
	api_test_reply_free(&r);
}

static void
test_organisations(void **state)
{
	struct buf seen = {0};
	struct api_reply r;

	(void)state;
	api_test_walk(NULL, "/v1/organisations", "limit=7", "id", &seen);
	assert_int_equal(
	    api_test_distinct("organisations-1.1", buf_str(&seen), 0),
	    api_test_count("SELECT count(*) FROM organisations"));
	buf_free(&seen);

	api_test_get("/v1/organisations/15", NULL, &r);
	api_test_expect_status("organisations-1.2", &r, 200);
	assert_string_equal(
	    api_test_string(r.json, "name"), "示例全新名称科技有限公司");
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "former_names")), 2);
	assert_true(
	    json_array_size(json_object_get(r.json, "certificates")) >= 1);
	api_test_reply_free(&r);
	api_test_get("/v1/organisations/99999", NULL, &r);
	api_test_expect_problem("organisations-1.3", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get("/v1/organisations/0", NULL, &r);
	api_test_expect_problem("organisations-1.4", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get("/v1/organisations/abc", NULL, &r);
	api_test_expect_problem("organisations-1.5", &r, 404, NULL);
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
	api_test_walk(NULL, "/v1/changes", "", "seq", &seen);
	assert_int_equal(api_test_distinct("changes-1.1", buf_str(&seen), 0),
	    api_test_count("SELECT count(*) FROM events"));
	buf_reset(&seen);
	api_test_config(&small);
	small.scan_limit = 4;
	api_test_walk(
	    &small, "/v1/changes", "kind=suspend,revoke&limit=3", "seq", &seen);
	assert_int_equal(api_test_distinct("changes-1.2", buf_str(&seen), 0),
	    api_test_count("SELECT count(*) FROM events WHERE "
	                   "kind IN ('suspend', 'revoke')"));
	buf_free(&seen);

	/* changes-1.3 at the end: a cursor to poll with, no Link */
	api_test_get("/v1/changes", "limit=100", &r);
	{
		char q[300];
		struct api_reply last;
		snprintf(q, sizeof q, "limit=100&cursor=%s",
		    api_test_string(r.json, "next_cursor"));
		for (;;) {
			api_test_get("/v1/changes", q, &last);
			if (!api_test_header(&last, "Link", link, sizeof link))
				break;
			snprintf(q, sizeof q, "limit=100&cursor=%s",
			    api_test_string(last.json, "next_cursor"));
			api_test_reply_free(&last);
		}
		assert_non_null(api_test_string(last.json, "next_cursor"));
		assert_false(json_is_true(json_object_get(last.json, "more")));
		api_test_reply_free(&last);
	}
	api_test_reply_free(&r);
	api_test_get("/v1/changes", "kind=suspend,explode", &r);
	api_test_expect_problem("changes-1.4", &r, 400, "kind");
	api_test_reply_free(&r);

	api_test_get("/v1/changes.atom", "limit=5", &r);
	api_test_expect_status("changes-2.1", &r, 200);
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
	struct api_db_pool *pool;
	struct api_db *db;
	struct api_request req = {
	    .method = "GET", .path = "/v1/export/certificates.csv"};
	struct api_response held = {0};
	long long total = api_test_count("SELECT count(*) FROM certificates");
	int lines = 0;
	char why[300];

	(void)state;
	api_test_get("/v1/export/certificates.csv", NULL, &r);
	api_test_expect_status("export-1.1", &r, 200);
	for (const char *p = r.body; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	assert_int_equal(lines, total + 1);
	assert_true(strncmp(r.body, "number,category,", 16) == 0);
	api_test_reply_free(&r);

	api_test_get("/v1/export/certificates.ndjson", "as_of=2025-06-01", &r);
	api_test_expect_status("export-1.2", &r, 200);
	lines = 0;
	for (char *line = strtok(r.body, "\n"); line;
	     line = strtok(NULL, "\n")) {
		json_t *o = json_loads(line, 0, NULL);
		assert_non_null(o);
		assert_string_equal(api_test_string(o, "as_of"), "2025-06-01");
		json_decref(o);
		lines++;
	}
	assert_int_equal(lines, total);
	api_test_reply_free(&r);

	/* export-1.3 at most max_exports at once */
	api_test_config(&one);
	one.max_exports = 1;
	server = api_server_new(&one);
	pool = api_db_pool_open(
	    api_fixture.snapshot, 1, SNAPSHOT_CHECK_QUICK, why, sizeof why);
	assert_non_null(pool);
	db = api_db_acquire(pool);
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
	api_db_release(db);
	api_db_pool_free(pool);
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
	api_test_expect_status(
	    "http-1.1 parameters in another order", &again, 304);
	assert_int_equal(again.body_len, 0);
	assert_non_null(api_test_header(&again, "ETag", buf, sizeof buf));
	api_test_reply_free(&again);
	snprintf(buf, sizeof buf, "W/%s", etag);
	api_test_request(
	    NULL, "GET", "/v1/certificates", "limit=3&level=2", buf, &again);
	api_test_expect_status("http-1.2 a weak tag", &again, 304);
	api_test_reply_free(&again);
	api_test_request(
	    NULL, "GET", "/v1/certificates", "limit=4&level=2", etag, &again);
	api_test_expect_status("http-1.3 another request", &again, 200);
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
	api_test_expect_problem("http-2.1", &r, 405, NULL);
	assert_string_equal(api_test_header(&r, "Allow", buf, sizeof buf),
	    "GET, HEAD, OPTIONS");
	api_test_reply_free(&r);
	api_test_request(NULL, "DELETE", "/v1/certificates/X", NULL, NULL, &r);
	api_test_expect_problem("http-2.2", &r, 405, NULL);
	api_test_reply_free(&r);
	/* http-2.3 HEAD: the headers of GET, no body sent */
	api_test_request(NULL, "HEAD", "/v1/meta", NULL, NULL, &r);
	api_test_expect_status("http-2.3", &r, 200);
	assert_true(r.head);
	api_test_reply_free(&r);
	/* http-2.4 OPTIONS: a CORS preflight */
	api_test_request(NULL, "OPTIONS", "/v1/certificates", NULL, NULL, &r);
	api_test_expect_status("http-2.4", &r, 204);
	assert_non_null(
	    strstr(api_test_header(
	               &r, "Access-Control-Allow-Methods", buf, sizeof buf),
	        "GET"));
	assert_non_null(api_test_header(
	    &r, "Access-Control-Allow-Headers", buf, sizeof buf));
	api_test_reply_free(&r);
	/* http-2.5 unknown paths */
	api_test_get("/v1/nothing", NULL, &r);
	api_test_expect_problem("http-2.5", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get("/v1/certificates/", NULL, &r);
	api_test_expect_problem("http-2.6", &r, 404, NULL);
	api_test_reply_free(&r);
	api_test_get("/v1/meta%", NULL, &r);
	api_test_expect_problem(
	    "http-2.7 a broken escape in the path", &r, 404, NULL);
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
	api_test_expect_status(row->name, &r, row->status);
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
	api_test_expect_status("site-2.1", &r, 301);
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
		api_test_expect_status("site-2.2", &again, 304);
		api_test_reply_free(&again);
	}
	api_test_reply_free(&r);
	/* site-2.3 no site configured: 404 for everything outside /v1/ */
	{
		struct api_config none;
		api_test_config(&none);
		none.site_dir = NULL;
		api_test_request(&none, "GET", "/", NULL, NULL, &r);
		api_test_expect_problem("site-2.3", &r, 404, NULL);
		api_test_reply_free(&r);
	}
}

/* A new snapshot renamed over the old: the pool switches when it checks,
 * a connection taken before keeps the old file, and a bad file renamed
 * over it is refused once, naming it, while the good one stays. */
static void
test_hot_swap(void **state)
{
	struct api_db_pool *pool;
	struct api_db *db, *fresh, *cold;
	struct db *registry;
	struct ops_request req;
	struct ops_result result;
	struct publish_summary published;
	char why[1200], before[SNAPSHOT_SHA256_HEX], bad[512];
	FILE *f;

	(void)state;
	pool = api_db_pool_open(
	    api_fixture.snapshot, 2, SNAPSHOT_CHECK_QUICK, why, sizeof why);
	if (pool == NULL)
		fail_msg("api_db_pool_open: %s", why);
	db = api_db_acquire(pool);
	assert_int_equal(api_db_generation(db), 1);
	snprintf(before, sizeof before, "%s", api_db_meta(db)->sha256);
	assert_int_equal(api_db_pool_check(pool, why, sizeof why), 0);
	assert_int_equal(api_db_pool_generation(pool), 1);

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

	/* The old file stays readable through the connection taken. */
	assert_string_equal(api_db_meta(db)->sha256, before);
	assert_int_equal(api_db_pool_check(pool, why, sizeof why), 1);
	assert_int_equal(api_db_pool_generation(pool), 2);
	assert_string_equal(api_db_meta(db)->sha256, before);
	fresh = api_db_acquire(pool);
	assert_int_equal(api_db_generation(fresh), 2);
	assert_string_equal(api_db_meta(fresh)->sha256, published.sha256);
	assert_string_not_equal(before, published.sha256);
	api_db_release(db);
	api_db_release(fresh);

	/* swap-bad: an empty file renamed over the snapshot. */
	snprintf(bad, sizeof bad, "%s.bad", api_fixture.snapshot);
	f = fopen(bad, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(rename(bad, api_fixture.snapshot), 0);
	assert_int_equal(api_db_pool_check(pool, why, sizeof why), -1);
	assert_non_null(strstr(why, api_fixture.snapshot));
	assert_non_null(strstr(why, "refused the new snapshot"));
	assert_int_equal(api_db_pool_check(pool, why, sizeof why), 0);
	/* Both connections, the one that served and the one that never
	 * did, answer from the good file. */
	db = api_db_acquire(pool);
	cold = api_db_acquire(pool);
	assert_string_equal(api_db_meta(db)->sha256, published.sha256);
	assert_string_equal(api_db_meta(cold)->sha256, published.sha256);
	assert_true(snapshot_ping(api_db_snapshot(cold)));
	api_db_release(db);
	api_db_release(cold);
	api_db_pool_free(pool);
	/* and the fixture is whole again for the tests after this one */
	registry = db_open(api_fixture.registry, 0, why, sizeof why);
	assert_non_null(registry);
	if (publish_snapshot(
	        registry, api_fixture.snapshot, 1767312000, &published) != 0)
		fail_msg("publish: %s", db_error(registry));
	db_close(registry);
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

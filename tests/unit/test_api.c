/*
 * Runs the API's unit-test groups (cmocka; TAP when
 * CMOCKA_MESSAGE_OUTPUT=TAP) on a fixture built once: the sample registry
 * as of 2026-01-01, with organisation 15 renamed once more so that a
 * search can match a former name only, published to a snapshot; and a
 * small website with the files the static-file tests need, and the check
 * pages with the markers sitegen writes (registry/api/check.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/api/db.h"
#include "registry/base/mem.h"
#include "registry/record/db.h"
#include "registry/record/ops.h"
#include "registry/record/publish.h"
#include "registry/record/sample.h"
#include "tests/unit/test_api.h"

extern const char REGISTRYD_OPENAPI[];
extern const size_t REGISTRYD_OPENAPI_SIZE;

struct api_fixture api_fixture;

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) < 0 ||
	    fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
}

static int
build_fixture(void)
{
	struct api_fixture *f = &api_fixture;
	struct sample_summary sample;
	struct publish_summary published;
	struct ops_request rename;
	struct ops_result result;
	struct db *db;
	char why[300], path[256];
	int today;

	char dir[32] = "/tmp/api-unit.XXXXXX";

	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s", dir);
	snprintf(f->registry, sizeof f->registry, "%s/registry.db", dir);
	snprintf(f->snapshot, sizeof f->snapshot, "%s/snapshot.db", dir);
	snprintf(f->site, sizeof f->site, "%s/site", dir);
	db = db_open(f->registry, 1, why, sizeof why);
	if (db == NULL || db_init(db) != 0) {
		fprintf(stderr, "fixture: %s\n", db ? db_error(db) : why);
		return -1;
	}
	db_set_now(db, 1767225600);
	date_parse("2026-01-01", &today);
	ops_request_init(&rename, EVENT_ORG_RENAME);
	rename.org = "15";
	rename.name = "示例全新名称科技有限公司";
	date_parse("2025-12-20", &rename.effective_on);
	if (sample_build(db, today, &sample) != 0 ||
	    ops_record(db, &rename, &result) != 0 ||
	    publish_snapshot(db, f->snapshot, 1767225600, &published) != 0) {
		fprintf(stderr, "fixture: %s\n", db_error(db));
		db_close(db);
		return -1;
	}
	db_close(db);

	mkdir(f->site, 0755);
	snprintf(path, sizeof path, "%s/css", f->site);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/sub", f->site);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/empty", f->site);
	mkdir(path, 0755);
	write_file(
	    f->site, "index.html", "<!doctype html><title>首页</title>\n");
	write_file(
	    f->site, "404.html", "<!doctype html><title>找不到</title>\n");
	write_file(f->site, "css/style.css", "body { color: black }\n");
	write_file(
	    f->site, "sub/index.html", "<!doctype html><title>子</title>\n");
	write_file(f->site, "feed.xml", "<?xml version=\"1.0\"?><feed/>\n");
	write_file(f->site, "data.json", "{}\n");
	write_file(f->site, "logo.svg", "<svg/>\n");
	write_file(f->site, ".secret", "hidden\n");
	snprintf(path, sizeof path, "%s/passwd-link", f->site);
	if (symlink("/etc/passwd", path) != 0)
		return -1;
	static const char *const folders[] = {"registry", "registry/check",
	    "registry/bulk", "registry/not-found", "registry/certificates",
	    "registry/certificates/CNITSEC-CS1-2024-0109"};
	for (size_t i = 0; i < sizeof folders / sizeof *folders; i++) {
		snprintf(path, sizeof path, "%s/%s", f->site, folders[i]);
		mkdir(path, 0755);
	}
	write_file(f->site, "registry/check/index.html",
	    "<!doctype html><title>核验</title><input id=\"check-q\" "
	    "name=\"q\" data-fill=\"q\" value=\"\"><section>"
	    "<!--check:begin--><p>static</p><!--check:end--></section>\n");
	write_file(f->site, "registry/bulk/index.html",
	    "<!doctype html><title>批量核验</title><textarea "
	    "data-fill=\"numbers\"></textarea><section>"
	    "<!--bulk:begin--><p>static</p><!--bulk:end--></section>\n");
	write_file(f->site, "registry/not-found/index.html",
	    "<!doctype html><title>不在名录中</title><p>编号 <span "
	    "data-fill=\"number\"></span> 不在名录中</p>\n");
	write_file(f->site,
	    "registry/certificates/CNITSEC-CS1-2024-0109/index.html",
	    "<!doctype html><title>证书</title>\n");
	return 0;
}

void
api_test_config(struct api_config *config)
{
	api_config_defaults(config);
	config->site_dir = api_fixture.site;
	config->openapi = REGISTRYD_OPENAPI;
	config->openapi_size = REGISTRYD_OPENAPI_SIZE;
	/* One server's secret across the requests of a test, which each
	 * make a server of their own. */
	memset(config->cursor_secret, 0x5a, sizeof config->cursor_secret);
}

static int
collect(void *arg, const void *data, size_t len)
{
	buf_put(arg, data, len);
	return 0;
}

void
api_test_request(const struct api_config *config, const char *method,
    const char *path, const char *query, const char *if_none_match,
    struct api_reply *out)
{
	struct api_config defaults;
	struct api_server *server;
	struct api_db_pool *pool;
	struct api_db *db;
	struct api_request req = {0};
	struct api_response resp = {0};
	struct buf body = {0};
	struct api_sink sink = {collect, &body};
	char why[300];

	if (config == NULL) {
		api_test_config(&defaults);
		config = &defaults;
	}
	server = api_server_new(config);
	pool = api_db_pool_open(
	    api_fixture.snapshot, 1, SNAPSHOT_CHECK_QUICK, why, sizeof why);
	if (pool == NULL)
		fail_msg("api_db_pool_open: %s", why);
	db = api_db_acquire(pool);
	req.method = method;
	req.path = path;
	req.query = query;
	req.if_none_match = if_none_match;
	api_handle(server, db, &req, &resp);
	buf_put(&body, resp.body.data, resp.body.len);
	if (api_response_stream(&resp, &sink) != 0)
		fail_msg("%s %s: the stream failed", method, path);
	memset(out, 0, sizeof *out);
	out->status = resp.status;
	out->head = resp.head;
	out->headers = strdup(buf_str(&resp.headers));
	out->body_len = body.len;
	out->body = strdup(buf_str(&body));
	out->json = json_loadb(out->body, out->body_len, 0, NULL);
	buf_free(&body);
	api_response_clear(&resp);
	api_server_free(server);
	api_db_release(db);
	api_db_pool_free(pool);
}

void
api_test_get(const char *path, const char *query, struct api_reply *out)
{
	api_test_request(NULL, "GET", path, query, NULL, out);
}

const char *
api_test_header(
    const struct api_reply *r, const char *name, char *buf, size_t size)
{
	size_t len = strlen(name);

	for (const char *line = r->headers; line && *line;) {
		const char *end = strstr(line, "\r\n");
		if (end == NULL)
			break;
		if (strncasecmp(line, name, len) == 0 && line[len] == ':') {
			const char *v = line + len + 1;
			while (*v == ' ')
				v++;
			snprintf(buf, size, "%.*s", (int)(end - v), v);
			return buf;
		}
		line = end + 2;
	}
	return NULL;
}

void
api_test_reply_free(struct api_reply *r)
{
	free(r->headers);
	free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof *r);
}

/* A query on the fixture snapshot, with SQLite itself: what the API
 * answers is checked against the file, not against the reader.  The
 * tables are read through tests/snapshot-views.sql, the plain-text views
 * the shell tests use too ($SRC is the checkout, tests/run.sh sets it). */
long long
api_test_count(const char *sql)
{
	const char *src = getenv("SRC");
	char *path, *views;
	sqlite3 *db;
	sqlite3_stmt *stmt;
	long long n = -1;
	size_t len;
	FILE *f;

	if (sqlite3_open_v2(api_fixture.snapshot, &db, SQLITE_OPEN_READONLY,
	        NULL) != SQLITE_OK)
		fail_msg("%s: %s", api_fixture.snapshot, sqlite3_errmsg(db));
	path = mem_printf("%s/tests/snapshot-views.sql", src ? src : ".");
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: cannot open", path);
	views = mem_alloc(65536);
	len = fread(views, 1, 65535, f);
	views[len] = '\0';
	fclose(f);
	if (sqlite3_exec(db, views, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", path, sqlite3_errmsg(db));
	free(views);
	free(path);
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return n;
}

const char *
api_test_string(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

void
api_test_expect_status(const char *name, const struct api_reply *r, int status)
{
	if (r->status != status)
		fail_msg("%s: status %d, expected %d; body: %.300s", name,
		    r->status, status, r->body);
}

/* Asserts a problem document naming `param` (NULL: none). */
void
api_test_expect_problem(
    const char *name, const struct api_reply *r, int status, const char *param)
{
	char buf[128];
	const char *type = api_test_header(r, "Content-Type", buf, sizeof buf);

	api_test_expect_status(name, r, status);
	if (type == NULL || strcmp(type, "application/problem+json") != 0)
		fail_msg("%s: Content-Type %s", name, type ? type : "none");
	if (r->json == NULL ||
	    json_integer_value(json_object_get(r->json, "status")) != status)
		fail_msg("%s: not a problem document: %.300s", name, r->body);
	if (param &&
	    (api_test_string(r->json, "parameter") == NULL ||
	        strcmp(api_test_string(r->json, "parameter"), param) != 0))
		fail_msg("%s: parameter %s, expected %s", name,
		    api_test_string(r->json, "parameter"), param);
}

/*
 * Follows next_cursor from `query` to the end, appending every item's
 * `key` (one per line) to `seen`; returns the number of pages.
 */
int
api_test_walk(const struct api_config *config, const char *path,
    const char *query, const char *key, struct buf *seen)
{
	char q[600], link[600];
	int pages = 0;

	snprintf(q, sizeof q, "%s", query);
	for (;;) {
		struct api_reply r;
		json_t *item, *next;
		size_t i;
		api_test_request(config, "GET", path, q, NULL, &r);
		api_test_expect_status(q, &r, 200);
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
int
api_test_distinct(const char *name, const char *text, int sorted)
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

int
main(void)
{
	int failed = 0;
	char command[128];

	if (build_fixture() != 0) {
		printf("not ok - the API test fixture could not be built\n");
		return 1;
	}
	failed += test_api_query();
	failed += test_api_search();
	failed += test_api_check();
	failed += test_api_routes(); /* last: it swaps the snapshot */
	snprintf(command, sizeof command, "rm -rf '%s'", api_fixture.dir);
	if (system(command) != 0)
		failed++;
	return failed ? 1 : 0;
}

/*
 * The database layer, operations, import and the snapshot reader, on real
 * SQLite files in a temporary folder: refused changes write nothing, the
 * event log refuses UPDATE and DELETE, a bad import leaves the registry
 * empty, and a published snapshot reads back through the reader API with
 * statuses equal to those status_on() computes from its events.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry/record/bulk.h"
#include "registry/rules/date.h"
#include "registry/record/db.h"
#include "registry/record/ops.h"
#include "registry/record/publish.h"
#include "registry/record/sample.h"
#include "registry/snapshot/snapshot.h"
#include "registry/snapshot/write.h"
#include "tests/unit/test_registry.h"

struct fixture {
	char dir[64];
	char path[128];
	struct db *db;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char why[256];

	strcpy(f->dir, "/tmp/registry-unit.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/r.db", f->dir);
	f->db = db_open(f->path, 1, why, sizeof why);
	if (f->db == NULL || db_init(f->db) != 0)
		return -1;
	db_set_now(f->db, 1767225600);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char command[200];

	db_close(f->db);
	snprintf(command, sizeof command, "rm -rf '%s'", f->dir);
	if (system(command) != 0)
		return -1;
	free(f);
	return 0;
}

static long long
count(struct db *db, const char *table)
{
	enum db_table t = strcmp(table, "events") == 0 ? DB_EVENTS
	                  : strcmp(table, "certificates") == 0
	                      ? DB_CERTIFICATES
	                      : DB_ORGANISATIONS;
	long long n = -1;

	if (db_count(db, t, &n) != 0)
		fail_msg("counting %s: %s", table, db_error(db));
	return n;
}

static int
day(const char *text)
{
	int d = DATE_NONE;
	date_parse(text, &d);
	return d;
}

static void
add_org_and_cert(struct db *db, char number[NUMBER_MAX])
{
	struct ops_request req;
	struct ops_result result;

	ops_request_init(&req, EVENT_ORG_ADD);
	req.name = "示例单元测试有限公司";
	req.credit_code = "91350100M000100Y43";
	req.effective_on = day("2024-01-01");
	assert_int_equal(ops_record(db, &req, &result), 0);
	assert_int_equal(result.org_id, 1);
	ops_request_init(&req, EVENT_ISSUE);
	req.org = "91350100M000100Y43";
	req.effective_on = day("2024-03-01");
	assert_int_equal(ops_record(db, &req, &result), 0);
	memcpy(number, result.number, NUMBER_MAX);
}

static void
test_refused_change_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct ops_request req;
	struct ops_result result;
	char number[NUMBER_MAX];

	add_org_and_cert(f->db, number);
	assert_string_equal(number, "CNITSEC-CS1-2024-0001");
	long long events = count(f->db, "events");
	ops_request_init(&req, EVENT_REINSTATE);
	req.cert = number;
	req.effective_on = day("2025-01-01");
	assert_int_equal(ops_record(f->db, &req, &result), -1);
	assert_string_equal(db_error(f->db),
	    "CNITSEC-CS1-2024-0001: reinstate on 2025-01-01: "
	    "the certificate is not suspended");
	assert_int_equal(count(f->db, "events"), events);
	/* A renewal refused after its successor would have been issued:
	 * the successor is rolled back too. */
	ops_request_init(&req, EVENT_RENEW);
	req.cert = number;
	req.effective_on = day("2026-01-01");
	assert_int_equal(ops_record(f->db, &req, &result), -1);
	assert_int_equal(count(f->db, "certificates"), 1);
	assert_int_equal(count(f->db, "events"), events);
}

static void
test_event_log_append_only(void **state)
{
	struct fixture *f = *state;
	char number[NUMBER_MAX];

	add_org_and_cert(f->db, number);
	assert_int_equal(db_exec(f->db, "UPDATE events SET reason = 'x'"), -1);
	assert_non_null(strstr(db_error(f->db), "events are append-only"));
	assert_int_equal(db_exec(f->db, "DELETE FROM events"), -1);
	assert_int_equal(db_exec(f->db, "DELETE FROM organisations"), -1);
	assert_int_equal(db_exec(f->db, "UPDATE certificates SET issued_on = "
	                                "'2020-01-01'"),
	    -1);
	assert_int_equal(count(f->db, "events"), 2);
}

static void
test_bad_import_writes_nothing(void **state)
{
	struct fixture *f = *state;
	static const char csv[] =
	    "number,category,level,issued_on,organisation\r\n"
	    "CNITSEC-CS1-2024-0001,CS,1,2024-03-01,示例甲\r\n"
	    "CNITSEC-CS1-2024-0002,CS,1,2024-03-02,示例乙\r\n"
	    "CNITSEC-CS1-2024-0003,CS,1,2024-02-30,示例丙\r\n";
	FILE *in = fmemopen((void *)csv, sizeof csv - 1, "r");
	struct bulk_summary summary;

	assert_int_equal(
	    bulk_import_stream(f->db, in, "x.csv", NULL, &summary), -1);
	fclose(in);
	assert_string_equal(db_error(f->db),
	    "x.csv:4: issued_on: 2024-02-30 is not a date that "
	    "exists (YYYY-MM-DD)");
	assert_int_equal(count(f->db, "organisations"), 0);
	assert_int_equal(count(f->db, "certificates"), 0);
	assert_int_equal(count(f->db, "events"), 0);
	assert_int_equal(summary.certificates, 0);
}

static void check_tampering_found(const char *target, const char *registry);

static void
test_snapshot_reader(void **state)
{
	struct fixture *f = *state;
	struct sample_summary sample;
	struct publish_summary published;
	struct snapshot *snap;
	char target[160], why[300];
	sqlite3 *raw;
	sqlite3_stmt *stmt;
	int checked = 0;

	assert_int_equal(sample_build(f->db, day("2026-01-01"), &sample), 0);
	snprintf(target, sizeof target, "%s/snapshot.db", f->dir);
	assert_int_equal(
	    publish_snapshot(f->db, target, 1767225600, &published), 0);
	snap = snapshot_open(target, why, sizeof why);
	if (snap == NULL)
		fail_msg("snapshot_open: %s", why);
	assert_string_equal(snapshot_meta(snap)->sha256, published.sha256);
	if (snapshot_verify(snap, why, sizeof why) != 0)
		fail_msg("snapshot_verify: %s", why);

	/* Every certificate: the status recomputed from the snapshot's
	 * events equals the precomputed column, read here apart from the
	 * reader. */
	assert_int_equal(
	    sqlite3_open_v2(target, &raw, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(raw,
	                     "SELECT (SELECT r.prefix || CASE WHEN "
	                     "r.width > 0 THEN printf('%0*d', r.width, "
	                     "r.first + c.id - r.first_id) ELSE '' END "
	                     "FROM number_runs r WHERE r.first_id <= c.id "
	                     "ORDER BY r.first_id DESC LIMIT 1), "
	                     "c.status, c.flags FROM certificates c",
	                     -1, &stmt, NULL),
	    SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct snapshot_rows *rows;
		struct snapshot_cert cert;
		struct status st;
		char flags[128];
		const char *number = (const char *)sqlite3_column_text(stmt, 0);
		rows = snapshot_cert(snap, number);
		assert_int_equal(snapshot_next_cert(rows, &cert), 1);
		assert_int_equal(snapshot_cert_status_from_events(
		                     snap, &cert, day("2026-01-01"), &st),
		    0);
		snapshot_rows_done(rows);
		status_flags_format(st.flags, ",", flags, sizeof flags);
		/* Stored as the codes of rules/status.h. */
		if ((int)st.status != sqlite3_column_int(stmt, 1) ||
		    (int)st.flags != sqlite3_column_int(stmt, 2))
			fail_msg("%s: recomputed %s [%s] (%d, %u), columns say "
			         "%d, %d",
			    number, status_name(st.status), flags,
			    (int)st.status, st.flags,
			    sqlite3_column_int(stmt, 1),
			    sqlite3_column_int(stmt, 2));
		checked++;
	}
	sqlite3_finalize(stmt);
	sqlite3_close(raw);
	assert_int_equal(checked, published.certificates);
	{
		struct snapshot_cert none;
		struct snapshot_rows *rows =
		    snapshot_cert(snap, "CNITSEC-XX1-2000-0001");
		assert_int_equal(snapshot_next_cert(rows, &none), 0);
		snapshot_rows_done(rows);
	}
	snapshot_close(snap);
	check_tampering_found(target, f->path);
}

/* A changed row no longer matches the recorded hash; a registry is not a
 * snapshot. */
static void
check_tampering_found(const char *target, const char *registry)
{
	struct snapshot *snap;
	char why[300];

	{
		sqlite3 *rw;
		assert_int_equal(sqlite3_open(target, &rw), SQLITE_OK);
		assert_int_equal(sqlite3_exec(rw,
		                     "UPDATE organisations SET "
		                     "name = 'x' WHERE id = 1",
		                     NULL, NULL, NULL),
		    SQLITE_OK);
		sqlite3_close(rw);
	}
	snap = snapshot_open(target, why, sizeof why);
	assert_non_null(snap);
	assert_int_equal(snapshot_verify(snap, why, sizeof why), -1);
	assert_non_null(strstr(why, "content hash is"));
	snapshot_close(snap);
	assert_null(snapshot_open(registry, why, sizeof why));
	assert_non_null(strstr(why, "not a registry snapshot"));
}

/* A writer's certificate of caller id `id` with a predecessor. */
static int
write_cert(struct snapshot_writer *w, long long id, const char *predecessor)
{
	struct snapshot_cert c = {
	    .id = id,
	    .category = "CS",
	    .level = 1,
	    .issued_on = 20000,
	    .valid_until = 21000,
	    .organisation_id = 1,
	    .predecessor = predecessor,
	};

	return snapshot_write_cert(w, &c);
}

/* The writer's rules for certificates: numbers first and in order, only
 * numbered certificates, each once, every numbered one written; links
 * become the snapshot's ids, unknown numbers stay text. */
static void
test_writer_numbers_first(void **state)
{
	struct fixture *f = *state;
	struct snapshot_write_meta meta = {
	    .published_at = 1767225600, .as_of = 20454, .generator = "test"};
	struct snapshot_write_summary written;
	struct snapshot_writer *w;
	char target[160], why[300];
	sqlite3 *raw;
	sqlite3_stmt *stmt;

	snprintf(target, sizeof target, "%s/w.db", f->dir);
	w = snapshot_write_begin(target, why, sizeof why);
	assert_non_null(w);
	/* Caller id 7 has the first number, 3 the second. */
	assert_int_equal(
	    snapshot_write_number(w, 7, "CNITSEC-CS1-2024-0001"), 0);
	assert_int_equal(
	    snapshot_write_number(w, 3, "CNITSEC-CS1-2024-0002"), 0);
	assert_int_equal(
	    snapshot_write_number(w, 5, "CNITSEC-CS1-2024-0002"), -1);
	assert_non_null(strstr(snapshot_write_error(w), "out of order"));
	assert_int_equal(
	    snapshot_write_number(w, 3, "CNITSEC-CS1-2024-0003"), -1);
	assert_non_null(strstr(snapshot_write_error(w), "numbered twice"));
	assert_int_equal(write_cert(w, 9, NULL), -1);
	assert_non_null(strstr(snapshot_write_error(w), "not numbered"));
	assert_int_equal(write_cert(w, 3, "CNITSEC-CS1-2024-0001"), 0);
	assert_int_equal(
	    snapshot_write_number(w, 8, "CNITSEC-CS1-2024-0009"), -1);
	assert_non_null(strstr(snapshot_write_error(w), "after the first"));
	assert_int_equal(write_cert(w, 3, NULL), -1);
	assert_non_null(strstr(snapshot_write_error(w), "written twice"));
	assert_int_equal(write_cert(w, 7, "CNITSEC-CS9-2020-0001"), 0);
	assert_int_equal(snapshot_write_commit(w, &meta, &written), 0);
	snapshot_write_free(w);

	assert_int_equal(
	    sqlite3_open_v2(target, &raw, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(raw,
	        "SELECT group_concat(id || ':' || recorded || ':' "
	        "|| typeof(predecessor) || ':' || predecessor, ' ') "
	        "FROM (SELECT * FROM certificates ORDER BY id)",
	        -1, &stmt, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0),
	    "1:7:text:CNITSEC-CS9-2020-0001 2:3:integer:1");
	sqlite3_finalize(stmt);
	sqlite3_close(raw);

	/* A certificate numbered but never written fails the commit. */
	w = snapshot_write_begin(target, why, sizeof why);
	assert_non_null(w);
	assert_int_equal(
	    snapshot_write_number(w, 1, "CNITSEC-CS1-2024-0001"), 0);
	assert_int_equal(
	    snapshot_write_number(w, 2, "CNITSEC-CS1-2024-0002"), 0);
	assert_int_equal(write_cert(w, 2, NULL), 0);
	assert_int_equal(snapshot_write_commit(w, &meta, &written), -1);
	assert_non_null(
	    strstr(snapshot_write_error(w), "2 numbered but 1 written"));
	snapshot_write_free(w);
}

/* The count of organisation_search's matches of `phrase` with rowid
 * `id` in the snapshot at `path`. */
static int
search_hits(const char *path, const char *phrase, long long id)
{
	sqlite3 *raw;
	sqlite3_stmt *stmt;
	int n;

	assert_int_equal(
	    sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(raw,
	        "SELECT count(*) FROM organisation_search "
	        "WHERE organisation_search MATCH ?1 AND rowid = ?2",
	        -1, &stmt, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(stmt, 1, phrase, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, id);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(raw);
	return n;
}

/* The organisations' indexes built ahead (snapshot_write_idle()) by
 * current names: a renamed organisation is found by its former name as
 * well as its current one, once, and an organisation written after them
 * is refused. */
static void
test_writer_idle_indexes(void **state)
{
	struct fixture *f = *state;
	struct snapshot_write_meta meta = {
	    .published_at = 1767225600, .as_of = 20454, .generator = "test"};
	struct snapshot_write_summary written;
	struct snapshot_org a = {
	    1, "松涧云安全", "91110000MA01ABCDE1", "", 1, NULL};
	struct snapshot_org b = {2, "北辰数据", NULL, "", 0, NULL};
	struct snapshot_org late = {3, "迟到公司", NULL, "", 0, NULL};
	struct snapshot_event rename = {
	    .seq = 1,
	    .kind = EVENT_ORG_RENAME,
	    .organisation_id = 1,
	    .effective_on = 20100,
	    .recorded_at = "2025-01-01T00:00:00Z",
	    .reason = "",
	    .reference = "",
	    .deadline = DATE_NONE,
	    .old_value = "旧名青石科技",
	    .new_value = "松涧云安全",
	};
	struct snapshot_writer *w;
	char target[160], why[300];
	int steps = 0, rc;

	snprintf(target, sizeof target, "%s/idle.db", f->dir);
	w = snapshot_write_begin(target, why, sizeof why);
	assert_non_null(w);
	assert_int_equal(snapshot_write_org(w, &a), 0);
	assert_int_equal(snapshot_write_org(w, &b), 0);
	/* Nothing to do ahead before the numbers: more organisations may
	 * come. */
	assert_int_equal(snapshot_write_idle(w), 0);
	assert_int_equal(
	    snapshot_write_number(w, 1, "CNITSEC-CS1-2024-0001"), 0);
	while ((rc = snapshot_write_idle(w)) > 0)
		steps++;
	assert_int_equal(rc, 0);
	assert_int_equal(steps, 2); /* the names, then the credit codes */
	assert_int_equal(snapshot_write_org(w, &late), -1);
	assert_non_null(strstr(snapshot_write_error(w), "indexes were begun"));
	assert_int_equal(write_cert(w, 1, NULL), 0);
	assert_int_equal(snapshot_write_event(w, &rename), 0);
	assert_int_equal(snapshot_write_commit(w, &meta, &written), 0);
	snapshot_write_free(w);

	assert_int_equal(search_hits(target, "\"松涧云\"", 1), 1);
	assert_int_equal(search_hits(target, "\"青石科\"", 1), 1);
	assert_int_equal(search_hits(target, "\"北辰数\"", 2), 1);
	assert_int_equal(search_hits(target, "\"青石科\"", 2), 0);
}

int
test_registry_db(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_refused_change_writes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_event_log_append_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_bad_import_writes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_snapshot_reader, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_writer_numbers_first, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_writer_idle_indexes, setup, teardown),
	};
	return cmocka_run_group_tests_name("registry_db", tests, NULL, NULL);
}

/*
 * Writing snapshots (see publish.h and snapshot.h for the schema).  The
 * registry connection attaches the new file and fills it with INSERT ...
 * SELECT, except the certificates, whose status columns are computed here
 * by status_on() in one merged pass over certificates and their events.
 * The file is built without a journal (a failed build is simply deleted)
 * and made durable by one fsync before the rename.
 */
#include "registry/record/publish.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "registry/base/mem.h"
#include "registry/rules/status.h"

static const char SNAPSHOT_SCHEMA[] =
    "CREATE TABLE snap.meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)\n"
    "  WITHOUT ROWID;\n"
    "CREATE TABLE snap.categories(code TEXT PRIMARY KEY,\n"
    "  position INTEGER NOT NULL, name_zh TEXT NOT NULL,\n"
    "  name_en TEXT NOT NULL) WITHOUT ROWID;\n"
    "CREATE TABLE snap.levels(level INTEGER PRIMARY KEY,\n"
    "  name_zh TEXT NOT NULL, name_en TEXT NOT NULL);\n"
    "CREATE TABLE snap.organisations(id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL, credit_code TEXT, address TEXT NOT NULL,\n"
    "  certificate_count INTEGER NOT NULL);\n"
    "CREATE TABLE snap.former_names(organisation_id INTEGER NOT NULL,\n"
    "  event_id INTEGER NOT NULL, name TEXT NOT NULL, until TEXT NOT NULL,\n"
    "  PRIMARY KEY (organisation_id, event_id)) WITHOUT ROWID;\n"
    "CREATE TABLE snap.certificates(id INTEGER PRIMARY KEY,\n"
    "  number TEXT NOT NULL, category TEXT NOT NULL,\n"
    "  level INTEGER NOT NULL, issued_on TEXT NOT NULL,\n"
    "  valid_until TEXT NOT NULL, organisation_id INTEGER NOT NULL,\n"
    "  organisation_name TEXT NOT NULL, credit_code TEXT,\n"
    "  predecessor TEXT, successor TEXT, status TEXT NOT NULL,\n"
    "  status_since TEXT, flags TEXT NOT NULL, warning_until TEXT,\n"
    "  rectification_deadline TEXT,\n"
    "  annual1_start TEXT, annual1_end TEXT, annual1_state TEXT,\n"
    "  annual1_done_on TEXT,\n"
    "  annual2_start TEXT, annual2_end TEXT, annual2_state TEXT,\n"
    "  annual2_done_on TEXT,\n"
    "  renewal_start TEXT, renewal_end TEXT, renewal_state TEXT,\n"
    "  renewal_done_on TEXT);\n"
    "CREATE TABLE snap.events(seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,\n"
    "  certificate_id INTEGER, number TEXT,\n"
    "  organisation_id INTEGER NOT NULL, effective_on TEXT NOT NULL,\n"
    "  recorded_at TEXT NOT NULL, reason TEXT NOT NULL,\n"
    "  reference TEXT NOT NULL, deadline TEXT, target_seq INTEGER,\n"
    "  old_value TEXT, new_value TEXT, other_organisation_id INTEGER,\n"
    "  other_number TEXT, voided_by INTEGER);\n"
    "CREATE VIRTUAL TABLE snap.organisation_search USING fts5(names,\n"
    "  tokenize = 'trigram');\n";

static const char SNAPSHOT_FILL[] =
    "INSERT INTO snap.categories SELECT code, position, name_zh, name_en\n"
    "  FROM main.categories ORDER BY code;\n"
    "INSERT INTO snap.levels SELECT level, name_zh, name_en\n"
    "  FROM main.levels ORDER BY level;\n"
    "INSERT INTO snap.organisations SELECT o.id, o.name, o.credit_code,\n"
    "  o.address, (SELECT count(*) FROM main.certificates c\n"
    "              WHERE c.holder_id = o.id)\n"
    "  FROM main.organisations o ORDER BY o.id;\n"
    "INSERT INTO snap.former_names SELECT organisation_id, id, old_value,\n"
    "  date(effective_on, '-1 day') FROM main.events\n"
    "  WHERE kind = 'org-rename' ORDER BY organisation_id, id;\n"
    "INSERT INTO snap.events SELECT e.id, e.kind, e.certificate_id,\n"
    "  c.number, e.organisation_id, e.effective_on, e.recorded_at,\n"
    "  e.reason, e.reference, e.deadline, e.target_id, e.old_value,\n"
    "  e.new_value, e.other_organisation_id, oc.number, NULL\n"
    "  FROM main.events e\n"
    "  LEFT JOIN main.certificates c ON c.id = e.certificate_id\n"
    "  LEFT JOIN main.certificates oc ON oc.id = e.other_certificate_id\n"
    "  ORDER BY e.id;\n"
    "UPDATE snap.events SET voided_by = v.seq\n"
    "  FROM (SELECT seq, target_seq FROM snap.events WHERE kind = 'void') v\n"
    "  WHERE snap.events.seq = v.target_seq;\n"
    "INSERT INTO snap.organisation_search(rowid, names)\n"
    "  SELECT o.id, o.name || coalesce(char(10) ||\n"
    "    (SELECT group_concat(f.name, char(10)) FROM snap.former_names f\n"
    "     WHERE f.organisation_id = o.id), '')\n"
    "  FROM snap.organisations o ORDER BY o.id;\n"
    "CREATE UNIQUE INDEX snap.certificates_number ON certificates(number);\n"
    "CREATE INDEX snap.certificates_status ON certificates(status, number);\n"
    "CREATE INDEX snap.certificates_level ON certificates(level, number);\n"
    "CREATE INDEX snap.certificates_category\n"
    "  ON certificates(category, number);\n"
    "CREATE INDEX snap.certificates_organisation\n"
    "  ON certificates(organisation_id);\n"
    "CREATE INDEX snap.certificates_credit_code ON certificates(credit_code)\n"
    "  WHERE credit_code IS NOT NULL;\n"
    "CREATE INDEX snap.organisations_credit_code\n"
    "  ON organisations(credit_code) WHERE credit_code IS NOT NULL;\n"
    "CREATE INDEX snap.events_number ON events(number, effective_on, seq)\n"
    "  WHERE number IS NOT NULL;\n"
    "CREATE INDEX snap.events_organisation ON events(organisation_id);\n";

#define CERT_SELECT                                                            \
	"SELECT c.id, c.number, c.category, c.level, c.issued_on,\n"           \
	"  c.valid_until, c.holder_id, o.name, o.credit_code, p.number,\n"     \
	"  s.number FROM main.certificates c\n"                                \
	"  JOIN main.organisations o ON o.id = c.holder_id\n"                  \
	"  LEFT JOIN main.certificates p ON p.id = c.predecessor_id\n"         \
	"  LEFT JOIN main.certificates s ON s.id = c.successor_id\n"           \
	"  ORDER BY c.id"

#define EVENT_SELECT                                                           \
	"SELECT certificate_id, id, kind, effective_on, deadline, target_id\n" \
	"  FROM main.events WHERE certificate_id IS NOT NULL\n"                \
	"  ORDER BY certificate_id, id"

#define CERT_INSERT                                                            \
	"INSERT INTO snap.certificates VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,"   \
	"?,?,?,?,?,?,?,?,?,?,?,?,?,?)"

static int
sql_fail(struct db *db, const char *what)
{
	return db_fail(
	    db, "publish: %s: %s", what, sqlite3_errmsg(db_handle(db)));
}

static void
bind_date(sqlite3_stmt *stmt, int i, int date)
{
	char buf[DATE_BUFSIZE];

	if (date == DATE_NONE)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_text(
		    stmt, i, date_format(date, buf), -1, SQLITE_TRANSIENT);
}

static void
bind_window(sqlite3_stmt *stmt, int i, const struct status_window *w)
{
	bind_date(stmt, i, w->start);
	bind_date(stmt, i + 1, w->end);
	sqlite3_bind_text(
	    stmt, i + 2, status_window_state_name(w->state), -1, SQLITE_STATIC);
	bind_date(stmt, i + 3, w->done_on);
}

static int
column_date(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	int date;

	if (text == NULL || date_parse((const char *)text, &date) != 0)
		return DATE_NONE;
	return date;
}

/* Copies the certificates with their status on `day`. */
static int
fill_certificates(struct db *db, int day, long long *count)
{
	sqlite3 *sql = db_handle(db);
	sqlite3_stmt *certs = NULL, *events = NULL, *insert = NULL;
	struct status_event *history = NULL;
	size_t cap = 16;
	int have_event, rc = -1;

	if (sqlite3_prepare_v2(sql, CERT_SELECT, -1, &certs, NULL) ||
	    sqlite3_prepare_v2(sql, EVENT_SELECT, -1, &events, NULL) ||
	    sqlite3_prepare_v2(sql, CERT_INSERT, -1, &insert, NULL)) {
		sql_fail(db, "preparing");
		goto done;
	}
	history = mem_alloc(cap * sizeof *history);
	have_event = sqlite3_step(events) == SQLITE_ROW;
	while (sqlite3_step(certs) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(certs, 0);
		struct status_facts facts = {
		    column_date(certs, 4), column_date(certs, 5)};
		struct status st;
		char flags[128];
		size_t n = 0;

		while (have_event && sqlite3_column_int64(events, 0) < id)
			have_event = sqlite3_step(events) == SQLITE_ROW;
		while (have_event && sqlite3_column_int64(events, 0) == id) {
			int kind = event_kind_parse(
			    (const char *)sqlite3_column_text(events, 2));
			if (n == cap)
				history = mem_realloc(
				    history, (cap *= 2) * sizeof *history);
			history[n].id = sqlite3_column_int64(events, 1);
			history[n].kind =
			    kind < 0 ? EVENT_KIND_COUNT : (enum event_kind)kind;
			history[n].effective_on = column_date(events, 3);
			history[n].deadline = column_date(events, 4);
			history[n].target = sqlite3_column_int64(events, 5);
			n++;
			have_event = sqlite3_step(events) == SQLITE_ROW;
		}
		status_on(&facts, history, n, day, &st);
		status_flags_format(st.flags, ",", flags, sizeof flags);
		for (int c = 0; c < 11; c++)
			sqlite3_bind_value(
			    insert, c + 1, sqlite3_column_value(certs, c));
		sqlite3_bind_text(
		    insert, 12, status_name(st.status), -1, SQLITE_STATIC);
		bind_date(insert, 13, st.since);
		sqlite3_bind_text(insert, 14, flags, -1, SQLITE_TRANSIENT);
		bind_date(insert, 15,
		    (st.flags & STATUS_FLAG_WARNING) ? st.warning_until
		                                     : DATE_NONE);
		bind_date(insert, 16, st.rectification_deadline);
		bind_window(insert, 17, &st.annual[0]);
		bind_window(insert, 21, &st.annual[1]);
		bind_window(insert, 25, &st.renewal);
		if (sqlite3_step(insert) != SQLITE_DONE) {
			sql_fail(db, "writing certificates");
			goto done;
		}
		sqlite3_reset(insert);
		(*count)++;
	}
	if (sqlite3_errcode(sql) != SQLITE_OK &&
	    sqlite3_errcode(sql) != SQLITE_DONE &&
	    sqlite3_errcode(sql) != SQLITE_ROW) {
		sql_fail(db, "reading certificates");
		goto done;
	}
	rc = 0;
done:
	free(history);
	sqlite3_finalize(certs);
	sqlite3_finalize(events);
	sqlite3_finalize(insert);
	return rc;
}

static long long
count_rows(struct db *db, const char *table)
{
	char *sql = mem_printf("SELECT count(*) FROM snap.%s", table);
	sqlite3_stmt *stmt;
	long long n = -1;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &stmt, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			n = sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
	}
	free(sql);
	return n;
}

static int
set_meta(struct db *db, const char *key, const char *value)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(db_handle(db),
	        "INSERT INTO snap.meta VALUES (?, ?)", -1, &stmt,
	        NULL) != SQLITE_OK)
		return sql_fail(db, "meta");
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, value, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : sql_fail(db, "meta");
	sqlite3_finalize(stmt);
	return rc;
}

static int
integrity_ok(struct db *db)
{
	sqlite3_stmt *stmt;
	int ok = 0;

	if (sqlite3_prepare_v2(db_handle(db), "PRAGMA snap.integrity_check", -1,
	        &stmt, NULL) != SQLITE_OK)
		return sql_fail(db, "integrity check");
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *result = (const char *)sqlite3_column_text(stmt, 0);
		ok = result && strcmp(result, "ok") == 0;
		if (!ok)
			db_fail(db, "publish: integrity check failed: %s",
			    result ? result : "");
	} else {
		sql_fail(db, "integrity check");
	}
	sqlite3_finalize(stmt);
	return ok ? 0 : -1;
}

static int
fsync_path(const char *path, int directory)
{
	int fd = open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* For tests that kill a publish midway: REGISTRY_TEST_PUBLISH_PAUSE names
 * a stage ("written", "before-rename") at which to stop for a while. */
static void
test_pause(const char *stage)
{
	const char *want = getenv("REGISTRY_TEST_PUBLISH_PAUSE");

	if (want != NULL && strcmp(want, stage) == 0) {
		fprintf(stderr, "publish: paused at %s\n", stage);
		sleep(30);
	}
}

/* The date statuses are computed for. */
static int
as_of_date(struct db *db, long long now)
{
	char *sample_today = db_meta_get(db, "sample_today");
	int day = date_from_epoch(now);

	if (sample_today != NULL)
		date_parse(sample_today, &day);
	free(sample_today);
	return day;
}

int
publish_snapshot(struct db *db, const char *target, long long now,
    struct publish_summary *summary)
{
	char *temp = NULL, *dir_copy = NULL, *sample = NULL;
	char stamp[TIMESTAMP_BUFSIZE], number[32], why[600];
	struct timespec start, end;
	int fd, attached = 0, in_transaction = 0, ok = 0, day;
	sqlite3_stmt *attach = NULL;

	memset(summary, 0, sizeof *summary);
	clock_gettime(CLOCK_MONOTONIC, &start);
	temp = mem_printf("%s.tmp-XXXXXX", target);
	if ((fd = mkstemp(temp)) < 0) {
		db_fail(db, "%s: cannot create a temporary file beside it: %s",
		    target, strerror(errno));
		free(temp);
		return -1;
	}
	fchmod(fd, 0644);
	close(fd);

	if (sqlite3_prepare_v2(db_handle(db), "ATTACH DATABASE ? AS snap", -1,
	        &attach, NULL) != SQLITE_OK)
		goto sql_error;
	sqlite3_bind_text(attach, 1, temp, -1, SQLITE_STATIC);
	if (sqlite3_step(attach) != SQLITE_DONE)
		goto sql_error;
	sqlite3_finalize(attach);
	attach = NULL;
	attached = 1;
	if (db_exec(db, "PRAGMA snap.journal_mode = OFF;"
	                "PRAGMA snap.synchronous = OFF;"
	                "PRAGMA snap.cache_size = -65536") != 0)
		goto fail;
	if (db_exec(db, "BEGIN") != 0)
		goto fail;
	in_transaction = 1;
	day = as_of_date(db, now);
	date_format(day, summary->as_of);
	if (db_exec(db, SNAPSHOT_SCHEMA) != 0)
		goto fail;
	test_pause("schema");
	if (fill_certificates(db, day, &summary->certificates) != 0)
		goto fail;
	if (db_exec(db, SNAPSHOT_FILL) != 0)
		goto fail;
	test_pause("written");
	summary->organisations = count_rows(db, "organisations");
	summary->events = count_rows(db, "events");
	if (snapshot_content_hash(
	        db_handle(db), "snap", summary->sha256, why, sizeof why) != 0) {
		db_fail(db, "publish: %s", why);
		goto fail;
	}
	sample = db_meta_get(db, "sample");
	snprintf(number, sizeof number, "%d", SNAPSHOT_SCHEMA_VERSION);
	if (set_meta(db, "schema_version", number) ||
	    set_meta(db, "published_at", date_format_timestamp(now, stamp)) ||
	    set_meta(db, "as_of", summary->as_of) ||
	    set_meta(db, "sha256", summary->sha256) ||
	    set_meta(
	        db, "sample", sample && strcmp(sample, "1") == 0 ? "1" : "0") ||
	    set_meta(db, "generator", "registryctl " VERSION))
		goto fail;
	snprintf(number, sizeof number, "%lld", summary->certificates);
	if (set_meta(db, "certificates", number))
		goto fail;
	snprintf(number, sizeof number, "%lld", summary->organisations);
	if (set_meta(db, "organisations", number))
		goto fail;
	snprintf(number, sizeof number, "%lld", summary->events);
	if (set_meta(db, "events", number))
		goto fail;
	if (db_exec(db, "COMMIT") != 0)
		goto fail;
	in_transaction = 0;
	if (integrity_ok(db) != 0)
		goto fail;
	if (db_exec(db, "DETACH DATABASE snap") != 0)
		goto fail;
	attached = 0;
	if (fsync_path(temp, 0) != 0) {
		db_fail(db, "publish: %s: fsync: %s", temp, strerror(errno));
		goto fail;
	}
	test_pause("before-rename");
	if (rename(temp, target) != 0) {
		db_fail(db, "publish: cannot rename %s to %s: %s", temp, target,
		    strerror(errno));
		goto fail;
	}
	dir_copy = mem_strdup(target);
	fsync_path(dirname(dir_copy), 1);
	ok = 1;
	goto done;
sql_error:
	sql_fail(db, "attaching the new snapshot");
fail:
	if (in_transaction) {
		char saved[1024];
		snprintf(saved, sizeof saved, "%s", db_error(db));
		db_exec(db, "ROLLBACK");
		db_fail(db, "%s", saved);
	}
	if (attached) {
		char saved[1024];
		snprintf(saved, sizeof saved, "%s", db_error(db));
		db_exec(db, "DETACH DATABASE snap");
		db_fail(db, "%s", saved);
	}
	unlink(temp);
done:
	sqlite3_finalize(attach);
	clock_gettime(CLOCK_MONOTONIC, &end);
	summary->seconds = (double)(end.tv_sec - start.tv_sec) +
	                   (double)(end.tv_nsec - start.tv_nsec) / 1e9;
	free(sample);
	free(dir_copy);
	free(temp);
	return ok ? 0 : -1;
}

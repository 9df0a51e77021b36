/*
 * The registry database: schema, migrations, transactions and typed reads
 * and writes of one organisation, certificate or event at a time (see
 * db.h).  Whole-registry reads are db_scan.c's; both use the statement
 * cache of db_stmt.c.
 */
#include "registry/record/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "registry/base/mem.h"
#include "registry/record/db_schema.h"
#include "registry/record/db_stmt.h"
#include "registry/rules/date.h"
#include "registry/rules/label.h"

/* The columns read_event() reads, in its order. */
#define EVENT_COLUMNS                                                          \
	"id, kind, certificate_id, organisation_id, effective_on, "            \
	"recorded_at, reason, reference, deadline, target_id, old_value, "     \
	"new_value, other_organisation_id, other_certificate_id"

int
db_fail(struct db *db, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(db->error, sizeof db->error, format, ap);
	va_end(ap);
	return -1;
}

const char *
db_error(const struct db *db)
{
	return db->error;
}

struct db *
db_open(const char *path, int create, char *why, size_t why_size)
{
	struct db *db = mem_calloc(1, sizeof *db);
	/* One thread uses a connection: no SQLite mutexes. */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	            (create ? SQLITE_OPEN_CREATE : 0);

	db->now = -1;
	/* No counts of SQLite's memory (nothing reads them): one lock less
	 * for each of its allocations.  Refused, harmlessly, once SQLite
	 * has started. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sqlite3_open_v2(path, &db->sql, flags, NULL) != SQLITE_OK) {
		snprintf(why, why_size, "%s: %s", path,
		    db->sql ? sqlite3_errmsg(db->sql) : "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(db->sql, 10000);
	sqlite3_extended_result_codes(db->sql, 1);
	/* A new registry gets pages of 16 KB, which a first load of a
	 * million certificates writes in about 15% less time than 4 KB ones
	 * (fewer levels in the indexes it fills at random).  The size is
	 * fixed before the file's first write, so it must come before the
	 * journal mode; for a registry that exists it changes nothing. */
	if (db_exec(db, "PRAGMA page_size = 16384") != 0 ||
	    db_exec(db, "PRAGMA foreign_keys = ON") != 0 ||
	    db_exec(db, "PRAGMA journal_mode = WAL") != 0 ||
	    db_exec(db, "PRAGMA synchronous = NORMAL") != 0 ||
	    db_restore_cache(db) != 0) {
		snprintf(why, why_size, "%s: %s", path, db->error);
		goto fail;
	}
	return db;
fail:
	db_close(db);
	return NULL;
}

int
db_restore_cache(struct db *db)
{
	return db_exec(db, "PRAGMA cache_size = -65536");
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	for (int i = 0; i < DB_STMT_CACHE_SIZE; i++) {
		sqlite3_finalize(db->cache[i].stmt);
		free(db->cache[i].sql);
	}
	sqlite3_close(db->sql);
	free(db);
}

int
db_exec(struct db *db, const char *sql)
{
	char *message = NULL;

	if (sqlite3_exec(db->sql, sql, NULL, NULL, &message) != SQLITE_OK) {
		db_fail(db, "%s", message ? message : sqlite3_errmsg(db->sql));
		sqlite3_free(message);
		return -1;
	}
	return 0;
}

/* PRAGMA user_version, or -1 with db_error(). */
static int
schema_version(struct db *db)
{
	sqlite3_stmt *stmt = db_stmt_prepare(db, "PRAGMA user_version");
	int version = -1;

	if (stmt == NULL)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int(stmt, 0);
	else
		db_stmt_fail(db, "reading the schema version");
	db_stmt_release(stmt);
	return version;
}

/* The levels and their names, as the rules label them. */
static int
insert_levels(struct db *db)
{
	for (int level = 1; level <= LABEL_LEVEL_MAX; level++) {
		sqlite3_stmt *stmt = db_stmt_prepare(db,
		    "INSERT INTO levels(level, name_zh, name_en) "
		    "VALUES (?, ?, ?)");
		if (stmt == NULL ||
		    (sqlite3_bind_int(stmt, 1, level) |
		        db_stmt_bind_text(stmt, 2, label_level_zh(level)) |
		        db_stmt_bind_text(stmt, 3, label_level_en(level))) !=
		        SQLITE_OK ||
		    db_stmt_run(db, stmt, "adding levels") != 0)
			return -1;
	}
	return 0;
}

/* 0 when no row breaks a foreign key, else -1 with the first that does. */
static int
check_foreign_keys(struct db *db)
{
	sqlite3_stmt *stmt = db_stmt_prepare(db, "PRAGMA foreign_key_check");
	int rc;

	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		db_fail(db, "row %lld of %s refers to no row of %s",
		    sqlite3_column_int64(stmt, 1), db_stmt_text(stmt, 0),
		    db_stmt_text(stmt, 2));
	else if (rc != SQLITE_DONE)
		db_stmt_fail(db, "checking foreign keys");
	db_stmt_release(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_init(struct db *db)
{
	int version, ok = 0;
	char pragma[64];

	/* Migrations build tables again (version 3), which SQLite allows
	 * with the foreign keys off only; they are checked before the
	 * commit. */
	if (db_foreign_keys(db, 0) != 0 || db_begin(db) != 0)
		goto done;
	version = schema_version(db);
	if (version < 0)
		goto end;
	if (version > DB_SCHEMA_VERSION) {
		db_fail(db,
		    "the database has schema version %d, newer than "
		    "this program's %d",
		    version, DB_SCHEMA_VERSION);
		goto end;
	}
	for (int v = version; v < DB_SCHEMA_VERSION; v++)
		if (db_exec(db, db_schema_migration(v)) != 0 ||
		    (v == 0 && insert_levels(db) != 0))
			goto end;
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
	    DB_SCHEMA_VERSION);
	if (db_exec(db, pragma) != 0 ||
	    (version < DB_SCHEMA_VERSION && check_foreign_keys(db) != 0))
		goto end;
	ok = 1;
end:
	if (db_end(db, ok) != 0)
		ok = 0;
done:
	if (db_foreign_keys(db, 1) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

int
db_check_schema(struct db *db)
{
	int version = schema_version(db);

	if (version < 0)
		return -1;
	if (version == 0)
		return db_fail(db, "not a registry (run `registryctl init` "
		                   "first)");
	if (version != DB_SCHEMA_VERSION)
		return db_fail(db,
		    "schema version %d, expected %d (run "
		    "`registryctl init` to migrate)",
		    version, DB_SCHEMA_VERSION);
	return 0;
}

void
db_set_now(struct db *db, long long seconds)
{
	db->now = seconds;
}

long long
db_now(const struct db *db)
{
	return db->now >= 0 ? db->now : (long long)time(NULL);
}

int
db_begin(struct db *db)
{
	int rc;

	if (sqlite3_get_autocommit(db->sql))
		rc = db_exec(db, "BEGIN IMMEDIATE");
	else
		rc = db_exec(db, "SAVEPOINT registry_op");
	if (rc == 0)
		db->depth++;
	return rc;
}

int
db_begin_read(struct db *db)
{
	if (!sqlite3_get_autocommit(db->sql))
		return db_fail(db, "a read of the whole registry needs a "
		                   "transaction of its own");
	if (db_exec(db, "BEGIN") != 0)
		return -1;
	db->depth++;
	return 0;
}

/* Runs `sql` (a rollback) keeping the message of the failure before. */
static void
undo(struct db *db, const char *sql)
{
	char saved[sizeof db->error];

	memcpy(saved, db->error, sizeof saved);
	db_exec(db, sql);
	memcpy(db->error, saved, sizeof saved);
}

int
db_end(struct db *db, int ok)
{
	int outer = db->depth == 1;

	db->depth--;
	if (outer) {
		if (ok && db_exec(db, "COMMIT") == 0)
			return 0;
		if (!sqlite3_get_autocommit(db->sql))
			undo(db, "ROLLBACK");
		return -1;
	}
	if (ok)
		return db_exec(db, "RELEASE registry_op");
	undo(db, "ROLLBACK TO registry_op");
	undo(db, "RELEASE registry_op");
	return -1;
}

/* Sets the journal mode (`sql`) and the synchronous setting that goes
 * with the mode SQLite then has: 1 rollback journal, 0 log (also when
 * another connection keeps SQLite from changing it), -1 error. */
static int
set_journal(struct db *db, const char *sql)
{
	sqlite3_stmt *stmt = db_stmt_prepare(db, sql);
	const char *mode;
	int rollback, rc;

	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
		/* another connection has the registry open: the mode stays */
		db_stmt_release(stmt);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		db_stmt_fail(db, "changing the journal");
		db_stmt_release(stmt);
		return -1;
	}
	mode = db_stmt_text(stmt, 0);
	rollback = mode != NULL && strcmp(mode, "delete") == 0;
	db_stmt_release(stmt);
	/* A rollback journal is durable at each commit only with FULL. */
	if (db_exec(db, rollback ? "PRAGMA synchronous = FULL"
	                         : "PRAGMA synchronous = NORMAL") != 0)
		return -1;
	return rollback;
}

int
db_journal_bulk(struct db *db, int on)
{
	char saved[sizeof db->error];

	if (!sqlite3_get_autocommit(db->sql))
		return 0; /* SQLite would refuse; the mode stays */
	if (on)
		return set_journal(db, "PRAGMA journal_mode = DELETE");
	memcpy(saved, db->error, sizeof saved);
	set_journal(db, "PRAGMA journal_mode = WAL");
	memcpy(db->error, saved, sizeof saved);
	return 0;
}

int
db_foreign_keys(struct db *db, int on)
{
	return db_exec(
	    db, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
}

int
db_late_indexes(struct db *db, enum db_schema_late which, int build)
{
	return db_exec(db, db_schema_late_indexes(which, build));
}

/* ---- meta and counts ---- */

int
db_meta_set(struct db *db, const char *key, const char *value)
{
	sqlite3_stmt *stmt = db_stmt_prepare(db,
	    "INSERT INTO meta(key, value) VALUES (?, ?) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value");

	if (stmt == NULL)
		return -1;
	if ((db_stmt_bind_text(stmt, 1, key) |
	        db_stmt_bind_text(stmt, 2, value)) != SQLITE_OK) {
		db_stmt_release(stmt);
		return db_stmt_fail(db, "writing meta");
	}
	return db_stmt_run(db, stmt, "writing meta");
}

int
db_meta_get(struct db *db, const char *key, char **out)
{
	sqlite3_stmt *stmt =
	    db_stmt_prepare(db, "SELECT value FROM meta WHERE key = ?");
	int rc;

	*out = NULL;
	if (stmt == NULL)
		return -1;
	if (db_stmt_bind_text(stmt, 1, key) != SQLITE_OK) {
		db_stmt_release(stmt);
		return db_stmt_fail(db, "reading meta");
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*out = db_stmt_strdup(stmt, 0);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
	         ? 0
	         : db_stmt_fail(db, "reading meta");
	db_stmt_release(stmt);
	return rc;
}

int
db_count(struct db *db, enum db_table table, long long *out)
{
	static const char *const SQL[] = {
	    [DB_ORGANISATIONS] = "SELECT count(*) FROM organisations",
	    [DB_CERTIFICATES] = "SELECT count(*) FROM certificates",
	    [DB_EVENTS] = "SELECT count(*) FROM events",
	};
	sqlite3_stmt *stmt = db_stmt_prepare(db, SQL[table]);
	int rc;

	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt) == SQLITE_ROW
	         ? 0
	         : db_stmt_fail(db, "counting rows");
	*out = rc == 0 ? sqlite3_column_int64(stmt, 0) : -1;
	db_stmt_release(stmt);
	return rc;
}

/* ---- one-row reads ---- */

/*
 * Runs a query whose only parameter is `text` (or, when NULL, `id`) and
 * that gives at most one row, for `read` to fill `out` from.  0 found, 1
 * not found, -1 error with "reading `what`: why".
 */
static int
one_row(struct db *db, const char *sql, long long id, const char *text,
    const char *what, void (*read)(sqlite3_stmt *, void *), void *out)
{
	sqlite3_stmt *stmt = db_stmt_prepare(db, sql);
	char message[64];
	int rc;

	if (stmt == NULL)
		return -1;
	rc = text != NULL ? db_stmt_bind_borrowed(stmt, 1, text)
	                  : sqlite3_bind_int64(stmt, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		read(stmt, out);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = 1;
	} else {
		snprintf(message, sizeof message, "reading %s", what);
		rc = db_stmt_fail(db, message);
	}
	db_stmt_release(stmt);
	return rc;
}

static void
read_nothing(sqlite3_stmt *stmt, void *out)
{
	(void)stmt, (void)out;
}

/* ---- organisations ---- */

void
org_clear(struct org *org)
{
	free(org->name);
	free(org->credit_code);
	free(org->address);
	memset(org, 0, sizeof *org);
}

#define ORG_SELECT "SELECT id, name, credit_code, address FROM organisations "

static void
read_org(sqlite3_stmt *stmt, void *out)
{
	struct org *org = out;

	org->id = sqlite3_column_int64(stmt, 0);
	org->name = db_stmt_strdup(stmt, 1);
	org->credit_code = db_stmt_strdup(stmt, 2);
	org->address = db_stmt_strdup(stmt, 3);
	if (org->address == NULL)
		org->address = mem_strdup("");
}

int
db_org_get(struct db *db, long long id, struct org *out)
{
	int rc = one_row(db, ORG_SELECT "WHERE id = ?", id, NULL,
	    "an organisation", read_org, out);
	if (rc == 1)
		db_fail(db, "no organisation %lld", id);
	return rc;
}

int
db_org_by_code(struct db *db, const char *code, struct org *out)
{
	int rc = one_row(db, ORG_SELECT "WHERE credit_code = ?", 0, code,
	    "an organisation", read_org, out);
	if (rc == 1)
		db_fail(db, "no organisation with credit code %s", code);
	return rc;
}

int
db_org_by_name(struct db *db, const char *name, struct org *out)
{
	int rc = one_row(db,
	    ORG_SELECT "WHERE name = ? AND +credit_code IS NULL "
	               "ORDER BY id LIMIT 1",
	    0, name, "an organisation", read_org, out);
	if (rc == 1)
		db_fail(db, "no organisation named %s", name);
	return rc;
}

int
db_org_insert(struct db *db, struct org *org)
{
	sqlite3_stmt *stmt = db_stmt_prepare(db,
	    "INSERT INTO organisations(id, name, credit_code, address) "
	    "VALUES (?, ?, ?, ?)");

	if (stmt == NULL)
		return -1;
	if ((db_stmt_bind_id(stmt, 1, org->id) |
	        db_stmt_bind_borrowed(stmt, 2, org->name) |
	        db_stmt_bind_borrowed(stmt, 3, org->credit_code) |
	        db_stmt_bind_borrowed(
	            stmt, 4, org->address ? org->address : "")) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_DONE) {
		db_stmt_fail(db, "adding an organisation");
		db_stmt_release(stmt);
		return -1;
	}
	org->id = sqlite3_last_insert_rowid(db->sql);
	db_stmt_release(stmt);
	return 0;
}

int
db_org_update(struct db *db, const struct org *org)
{
	sqlite3_stmt *stmt = db_stmt_prepare(
	    db, "UPDATE organisations SET name = ?, address = ? WHERE id = ?");

	if (stmt == NULL)
		return -1;
	if ((db_stmt_bind_text(stmt, 1, org->name) |
	        db_stmt_bind_text(stmt, 2, org->address ? org->address : "") |
	        sqlite3_bind_int64(stmt, 3, org->id)) != SQLITE_OK) {
		db_stmt_release(stmt);
		return db_stmt_fail(db, "changing an organisation");
	}
	return db_stmt_run(db, stmt, "changing an organisation");
}

int
db_org_name_en(struct db *db, long long id, char **out)
{
	sqlite3_stmt *stmt = db_stmt_prepare(
	    db, "SELECT name_en FROM organisations WHERE id = ?");
	int rc;

	*out = NULL;
	if (stmt == NULL)
		return -1;
	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK) {
		db_stmt_release(stmt);
		return db_stmt_fail(db, "reading an English name");
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*out = db_stmt_strdup(stmt, 0);
	db_stmt_release(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
	           ? 0
	           : db_stmt_fail(db, "reading an English name");
}

int
db_org_set_name_en(struct db *db, long long id, const char *name_en)
{
	sqlite3_stmt *stmt = db_stmt_prepare(
	    db, "UPDATE organisations SET name_en = ? WHERE id = ?");

	if (stmt == NULL)
		return -1;
	if ((db_stmt_bind_text(stmt, 1, name_en) |
	        sqlite3_bind_int64(stmt, 2, id)) != SQLITE_OK) {
		db_stmt_release(stmt);
		return db_stmt_fail(db, "recording an English name");
	}
	return db_stmt_run(db, stmt, "recording an English name");
}

/* ---- certificates ---- */

void
cert_clear(struct cert *cert)
{
	free(cert->number);
	free(cert->category);
	memset(cert, 0, sizeof *cert);
}

#define CERT_SELECT                                                            \
	"SELECT id, number, category, level, issued_on, valid_until, "         \
	"holder_id, predecessor_id, successor_id FROM certificates "

static void
read_cert(sqlite3_stmt *stmt, void *out)
{
	struct cert *cert = out;

	cert->id = sqlite3_column_int64(stmt, 0);
	cert->number = db_stmt_strdup(stmt, 1);
	cert->category = db_stmt_strdup(stmt, 2);
	cert->level = sqlite3_column_int(stmt, 3);
	cert->issued_on = db_stmt_date(stmt, 4);
	cert->valid_until = db_stmt_date(stmt, 5);
	cert->holder_id = sqlite3_column_int64(stmt, 6);
	cert->predecessor_id = sqlite3_column_int64(stmt, 7);
	cert->successor_id = sqlite3_column_int64(stmt, 8);
}

int
db_cert_get(struct db *db, long long id, struct cert *out)
{
	int rc = one_row(db, CERT_SELECT "WHERE id = ?", id, NULL,
	    "a certificate", read_cert, out);
	if (rc == 1)
		db_fail(db, "no certificate %lld", id);
	return rc;
}

int
db_cert_by_number(struct db *db, const char *number, struct cert *out)
{
	int rc = one_row(db, CERT_SELECT "WHERE number = ?", 0, number,
	    "a certificate", read_cert, out);
	if (rc == 1)
		db_fail(db, "no certificate %s", number);
	return rc;
}

int
db_cert_number_taken(struct db *db, const char *number)
{
	int rc = one_row(db, "SELECT 1 FROM certificates WHERE number = ?", 0,
	    number, "a certificate", read_nothing, NULL);
	return rc < 0 ? -1 : rc == 0;
}

int
db_cert_insert(struct db *db, struct cert *cert)
{
	sqlite3_stmt *stmt = db_stmt_prepare(db,
	    "INSERT INTO certificates(number, category, level, issued_on, "
	    "valid_until, holder_id, predecessor_id, successor_id) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");

	if (stmt == NULL)
		return -1;
	if ((db_stmt_bind_borrowed(stmt, 1, cert->number) |
	        db_stmt_bind_borrowed(stmt, 2, cert->category) |
	        sqlite3_bind_int(stmt, 3, cert->level) |
	        db_stmt_bind_date(stmt, 4, cert->issued_on) |
	        db_stmt_bind_date(stmt, 5, cert->valid_until) |
	        sqlite3_bind_int64(stmt, 6, cert->holder_id) |
	        db_stmt_bind_id(stmt, 7, cert->predecessor_id) |
	        db_stmt_bind_id(stmt, 8, cert->successor_id)) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_DONE) {
		db_stmt_fail(db, "adding a certificate");
		db_stmt_release(stmt);
		return -1;
	}
	cert->id = sqlite3_last_insert_rowid(db->sql);
	db_stmt_release(stmt);
	return 0;
}

int
db_cert_update(struct db *db, const struct cert *cert)
{
	sqlite3_stmt *stmt = db_stmt_prepare(db,
	    "UPDATE certificates SET holder_id = ?, successor_id = ? "
	    "WHERE id = ?");

	if (stmt == NULL)
		return -1;
	if ((sqlite3_bind_int64(stmt, 1, cert->holder_id) |
	        db_stmt_bind_id(stmt, 2, cert->successor_id) |
	        sqlite3_bind_int64(stmt, 3, cert->id)) != SQLITE_OK) {
		db_stmt_release(stmt);
		return db_stmt_fail(db, "changing a certificate");
	}
	return db_stmt_run(db, stmt, "changing a certificate");
}

int
db_category_exists(struct db *db, const char *code)
{
	int rc = one_row(db, "SELECT 1 FROM categories WHERE code = ?", 0, code,
	    "categories", read_nothing, NULL);
	return rc < 0 ? -1 : rc == 0;
}

static void
read_serial(sqlite3_stmt *stmt, void *out)
{
	*(long long *)out = sqlite3_column_int64(stmt, 0);
}

int
db_cert_max_serial(struct db *db, const char *prefix, long long *out)
{
	int rc = one_row(db,
	    "SELECT max(CAST(substr(number, length(?1) + 1) AS INTEGER)) "
	    "FROM certificates WHERE number >= ?1 AND number < ?1 || '~'",
	    0, prefix, "certificate numbers", read_serial, out);
	if (rc == 1)
		*out = 0;
	return rc < 0 ? -1 : 0;
}

int
db_cert_set_successor(struct db *db, long long id, long long successor_id)
{
	sqlite3_stmt *stmt = db_stmt_prepare(
	    db, "UPDATE certificates SET successor_id = ? WHERE id = ?");

	if (stmt == NULL)
		return -1;
	if ((sqlite3_bind_int64(stmt, 1, successor_id) |
	        sqlite3_bind_int64(stmt, 2, id)) != SQLITE_OK) {
		db_stmt_release(stmt);
		return db_stmt_fail(db, "changing a certificate");
	}
	return db_stmt_run(db, stmt, "changing a certificate");
}

/* ---- events ---- */

void
event_record_clear(struct event_record *e)
{
	free(e->recorded_at);
	free(e->reason);
	free(e->reference);
	free(e->old_value);
	free(e->new_value);
	memset(e, 0, sizeof *e);
}

void
event_records_free(struct event_record *events, size_t count)
{
	if (events == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		event_record_clear(&events[i]);
	free(events);
}

/* The EVENT_COLUMNS of the current row. */
static void
read_event(sqlite3_stmt *stmt, void *out)
{
	struct event_record *e = out;

	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(stmt, 0);
	e->kind = event_kind_of(db_stmt_text(stmt, 1));
	e->certificate_id = sqlite3_column_int64(stmt, 2);
	e->organisation_id = sqlite3_column_int64(stmt, 3);
	e->effective_on = db_stmt_date(stmt, 4);
	e->recorded_at = db_stmt_strdup(stmt, 5);
	e->reason = db_stmt_strdup(stmt, 6);
	e->reference = db_stmt_strdup(stmt, 7);
	e->deadline = db_stmt_date(stmt, 8);
	e->target_id = sqlite3_column_int64(stmt, 9);
	e->old_value = db_stmt_strdup(stmt, 10);
	e->new_value = db_stmt_strdup(stmt, 11);
	e->other_organisation_id = sqlite3_column_int64(stmt, 12);
	e->other_certificate_id = sqlite3_column_int64(stmt, 13);
	if (e->reason == NULL)
		e->reason = mem_strdup("");
	if (e->reference == NULL)
		e->reference = mem_strdup("");
}

int
db_event_get(struct db *db, long long id, struct event_record *out)
{
	int rc =
	    one_row(db, "SELECT " EVENT_COLUMNS " FROM events WHERE id = ?", id,
	        NULL, "an event", read_event, out);
	if (rc == 1)
		db_fail(db, "no event %lld", id);
	return rc;
}

static int
bind_event(sqlite3_stmt *stmt, const struct event_record *e)
{
	return db_stmt_bind_borrowed(stmt, 1, event_kind_name(e->kind)) |
	       db_stmt_bind_id(stmt, 2, e->certificate_id) |
	       sqlite3_bind_int64(stmt, 3, e->organisation_id) |
	       db_stmt_bind_date(stmt, 4, e->effective_on) |
	       db_stmt_bind_borrowed(stmt, 5, e->recorded_at) |
	       db_stmt_bind_borrowed(stmt, 6, e->reason ? e->reason : "") |
	       db_stmt_bind_borrowed(
	           stmt, 7, e->reference ? e->reference : "") |
	       db_stmt_bind_date(stmt, 8, e->deadline) |
	       db_stmt_bind_id(stmt, 9, e->target_id) |
	       db_stmt_bind_borrowed(stmt, 10, e->old_value) |
	       db_stmt_bind_borrowed(stmt, 11, e->new_value) |
	       db_stmt_bind_id(stmt, 12, e->other_organisation_id) |
	       db_stmt_bind_id(stmt, 13, e->other_certificate_id);
}

int
db_event_insert(struct db *db, struct event_record *e)
{
	sqlite3_stmt *stmt = db_stmt_prepare(db,
	    "INSERT INTO events(kind, certificate_id, organisation_id, "
	    "effective_on, recorded_at, reason, reference, deadline, "
	    "target_id, old_value, new_value, other_organisation_id, "
	    "other_certificate_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
	long long now = db_now(db);

	if (stmt == NULL)
		return -1;
	if (db->stamp[0] == '\0' || db->stamp_of != now) {
		date_format_timestamp(now, db->stamp);
		db->stamp_of = now;
	}
	free(e->recorded_at);
	e->recorded_at = mem_strdup(db->stamp);
	if (bind_event(stmt, e) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_DONE) {
		db_stmt_fail(db, "recording an event");
		db_stmt_release(stmt);
		return -1;
	}
	e->id = sqlite3_last_insert_rowid(db->sql);
	db_stmt_release(stmt);
	return 0;
}

static int
events_query(struct db *db, const char *where, long long id,
    struct event_record **out, size_t *count)
{
	char sql[400];
	sqlite3_stmt *stmt;
	size_t n = 0, cap = 8;
	struct event_record *events;
	int rc;

	snprintf(sql, sizeof sql,
	    "SELECT " EVENT_COLUMNS " FROM events "
	    "WHERE %s ORDER BY effective_on, id",
	    where);
	if ((stmt = db_stmt_prepare(db, sql)) == NULL)
		return -1;
	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK) {
		db_stmt_release(stmt);
		return db_stmt_fail(db, "reading events");
	}
	events = mem_alloc(cap * sizeof *events);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap)
			events =
			    mem_realloc(events, (cap *= 2) * sizeof *events);
		read_event(stmt, &events[n++]);
	}
	if (rc != SQLITE_DONE) {
		db_stmt_fail(db, "reading events");
		db_stmt_release(stmt);
		event_records_free(events, n);
		return -1;
	}
	db_stmt_release(stmt);
	*out = events;
	*count = n;
	return 0;
}

int
db_cert_events(
    struct db *db, long long cert_id, struct event_record **out, size_t *count)
{
	return events_query(db, "certificate_id = ?", cert_id, out, count);
}

int
db_org_events(
    struct db *db, long long org_id, struct event_record **out, size_t *count)
{
	return events_query(db,
	    "organisation_id = ?1 OR other_organisation_id = ?1", org_id, out,
	    count);
}

struct status_event *
db_status_events(const struct event_record *events, size_t count)
{
	struct status_event *out = mem_alloc((count + 1) * sizeof *out);

	for (size_t i = 0; i < count; i++) {
		out[i].id = events[i].id;
		out[i].kind = events[i].kind;
		out[i].effective_on = events[i].effective_on;
		out[i].deadline = events[i].deadline;
		out[i].target = events[i].target_id;
	}
	return out;
}

int
db_org_certs(struct db *db, long long org_id, long long **ids, size_t *count)
{
	sqlite3_stmt *stmt = db_stmt_prepare(
	    db, "SELECT id FROM certificates WHERE holder_id = ? ORDER BY id");
	size_t n = 0, cap = 8;
	long long *out;
	int rc;

	if (stmt == NULL)
		return -1;
	if (sqlite3_bind_int64(stmt, 1, org_id) != SQLITE_OK) {
		db_stmt_release(stmt);
		return db_stmt_fail(db, "reading certificates");
	}
	out = mem_alloc(cap * sizeof *out);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap)
			out = mem_realloc(out, (cap *= 2) * sizeof *out);
		out[n++] = sqlite3_column_int64(stmt, 0);
	}
	if (rc != SQLITE_DONE) {
		db_stmt_fail(db, "reading certificates");
		db_stmt_release(stmt);
		free(out);
		return -1;
	}
	db_stmt_release(stmt);
	*ids = out;
	*count = n;
	return 0;
}

/*
 * The registry database: schema, migrations and typed access (see db.h).
 * Dates are stored as ISO text (YYYY-MM-DD) so the file reads well in the
 * sqlite3 shell; they sort correctly as text.
 */
#include "registry/record/db.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "registry/rules/date.h"
#include "registry/base/mem.h"

#define STATEMENT_CACHE_SIZE 48

struct db {
	sqlite3 *sql;
	long long now; /* -1: the clock */
	int depth;     /* open db_begin() levels */
	char error[1024];
	struct {
		char *sql;
		sqlite3_stmt *stmt;
	} cache[STATEMENT_CACHE_SIZE]; /* prepared once, reused per row */
};

/* Each migration takes the schema from version i to i + 1. */
static const char *const MIGRATIONS[] = {
    /* 0 -> 1 */
    "CREATE TABLE meta(\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL);\n"
    "CREATE TABLE categories(\n"
    "  code TEXT PRIMARY KEY,\n"
    "  position INTEGER NOT NULL UNIQUE,\n"
    "  name_zh TEXT NOT NULL,\n"
    "  name_en TEXT NOT NULL);\n"
    "INSERT INTO categories VALUES\n"
    "  ('CS', 1, '云计算安全', 'Cloud computing security'),\n"
    "  ('SI', 2, '安全集成', 'Security integration'),\n"
    "  ('SO', 3, '安全运维', 'Security operations'),\n"
    "  ('ER', 4, '应急处理', 'Emergency response'),\n"
    "  ('RA', 5, '风险评估', 'Risk assessment'),\n"
    "  ('SD', 6, '软件安全开发', 'Secure software development'),\n"
    "  ('DR', 7, '灾难备份与恢复', 'Disaster backup and recovery');\n"
    "CREATE TABLE levels(\n"
    "  level INTEGER PRIMARY KEY,\n"
    "  name_zh TEXT NOT NULL,\n"
    "  name_en TEXT NOT NULL);\n"
    "INSERT INTO levels VALUES\n"
    "  (1, '基本执行级', 'Basic execution'),\n"
    "  (2, '计划跟踪级', 'Planned and tracked'),\n"
    "  (3, '充分定义级', 'Well defined'),\n"
    "  (4, '量化控制级', 'Quantitatively controlled'),\n"
    "  (5, '持续改进级', 'Continuously improving');\n"
    "CREATE TABLE organisations(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL CHECK (name <> ''),\n"
    "  credit_code TEXT UNIQUE,\n"
    "  address TEXT NOT NULL DEFAULT '');\n"
    "CREATE INDEX organisations_name ON organisations(name);\n"
    "CREATE TABLE certificates(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  number TEXT NOT NULL UNIQUE,\n"
    "  category TEXT NOT NULL REFERENCES categories(code),\n"
    "  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),\n"
    "  issued_on TEXT NOT NULL,\n"
    "  valid_until TEXT NOT NULL,\n"
    "  holder_id INTEGER NOT NULL REFERENCES organisations(id),\n"
    "  predecessor_id INTEGER REFERENCES certificates(id),\n"
    "  successor_id INTEGER REFERENCES certificates(id));\n"
    "CREATE INDEX certificates_holder ON certificates(holder_id);\n"
    "CREATE TABLE events(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL,\n"
    "  certificate_id INTEGER REFERENCES certificates(id),\n"
    "  organisation_id INTEGER NOT NULL REFERENCES organisations(id),\n"
    "  effective_on TEXT NOT NULL,\n"
    "  recorded_at TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL DEFAULT '',\n"
    "  reference TEXT NOT NULL DEFAULT '',\n"
    "  deadline TEXT,\n"
    "  target_id INTEGER REFERENCES events(id),\n"
    "  old_value TEXT,\n"
    "  new_value TEXT,\n"
    "  other_organisation_id INTEGER REFERENCES organisations(id),\n"
    "  other_certificate_id INTEGER REFERENCES certificates(id));\n"
    "CREATE INDEX events_certificate ON events(certificate_id)\n"
    "  WHERE certificate_id IS NOT NULL;\n"
    "CREATE INDEX events_organisation ON events(organisation_id);\n"
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN\n"
    "  SELECT RAISE(ABORT, 'events are append-only: record a void event "
    "instead');\n"
    "END;\n"
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN\n"
    "  SELECT RAISE(ABORT, 'events are append-only: record a void event "
    "instead');\n"
    "END;\n"
    "CREATE TRIGGER organisations_no_delete BEFORE DELETE ON organisations\n"
    "BEGIN\n"
    "  SELECT RAISE(ABORT, 'organisations are never deleted');\n"
    "END;\n"
    "CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates\n"
    "BEGIN\n"
    "  SELECT RAISE(ABORT, 'certificates are never deleted');\n"
    "END;\n"
    "CREATE TRIGGER certificates_facts_fixed BEFORE UPDATE OF\n"
    "  number, category, level, issued_on, valid_until, predecessor_id\n"
    "  ON certificates BEGIN\n"
    "  SELECT RAISE(ABORT, 'a certificate''s facts never change');\n"
    "END;\n",
};

#define MIGRATION_COUNT (sizeof MIGRATIONS / sizeof MIGRATIONS[0])

int
db_fail(struct db *db, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(db->error, sizeof db->error, format, ap);
	va_end(ap);
	return -1;
}

static int
sql_fail(struct db *db, const char *what)
{
	return db_fail(db, "%s: %s", what, sqlite3_errmsg(db->sql));
}

const char *
db_error(const struct db *db)
{
	return db->error;
}

sqlite3 *
db_handle(struct db *db)
{
	return db->sql;
}

struct db *
db_open(const char *path, int create, char *why, size_t why_size)
{
	struct db *db = mem_calloc(1, sizeof *db);
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);

	db->now = -1;
	if (sqlite3_open_v2(path, &db->sql, flags, NULL) != SQLITE_OK) {
		snprintf(why, why_size, "%s: %s", path,
		    db->sql ? sqlite3_errmsg(db->sql) : "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(db->sql, 10000);
	sqlite3_extended_result_codes(db->sql, 1);
	if (db_exec(db, "PRAGMA foreign_keys = ON") != 0 ||
	    db_exec(db, "PRAGMA journal_mode = WAL") != 0 ||
	    db_exec(db, "PRAGMA synchronous = NORMAL") != 0 ||
	    db_exec(db, "PRAGMA cache_size = -65536") != 0) {
		snprintf(why, why_size, "%s: %s", path, db->error);
		goto fail;
	}
	return db;
fail:
	db_close(db);
	return NULL;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	for (int i = 0; i < STATEMENT_CACHE_SIZE; i++) {
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

static int
schema_version(struct db *db)
{
	sqlite3_stmt *stmt;
	int version = -1;

	if (sqlite3_prepare_v2(
	        db->sql, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return version;
}

int
db_init(struct db *db)
{
	int version;
	char pragma[64];

	if (db_begin(db) != 0)
		return -1;
	version = schema_version(db);
	if (version < 0) {
		sql_fail(db, "reading the schema version");
		goto fail;
	}
	if (version > (int)MIGRATION_COUNT) {
		db_fail(db,
		    "the database has schema version %d, newer than "
		    "this program's %d",
		    version, DB_SCHEMA_VERSION);
		goto fail;
	}
	for (int v = version; v < (int)MIGRATION_COUNT; v++)
		if (db_exec(db, MIGRATIONS[v]) != 0)
			goto fail;
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
	    (int)MIGRATION_COUNT);
	if (db_exec(db, pragma) != 0)
		goto fail;
	return db_end(db, 1);
fail:
	db_end(db, 0);
	return -1;
}

int
db_check_schema(struct db *db)
{
	int version = schema_version(db);

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
db_end(struct db *db, int ok)
{
	int outer = db->depth == 1;

	db->depth--;
	if (outer) {
		if (ok && db_exec(db, "COMMIT") == 0)
			return 0;
		if (!sqlite3_get_autocommit(db->sql)) {
			char saved[sizeof db->error];
			memcpy(saved, db->error, sizeof saved);
			db_exec(db, "ROLLBACK");
			memcpy(db->error, saved, sizeof saved);
		}
		return -1;
	}
	if (ok)
		return db_exec(db, "RELEASE registry_op");
	{
		char saved[sizeof db->error];
		memcpy(saved, db->error, sizeof saved);
		db_exec(db, "ROLLBACK TO registry_op");
		db_exec(db, "RELEASE registry_op");
		memcpy(db->error, saved, sizeof saved);
	}
	return -1;
}

/* ---- statement helpers ---- */

/*
 * A prepared statement for `sql`, from the cache when it was prepared
 * before.  Give it back with release(), never sqlite3_finalize().
 */
static sqlite3_stmt *
prepare(struct db *db, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	int free_slot = -1;

	for (int i = 0; i < STATEMENT_CACHE_SIZE; i++) {
		if (db->cache[i].sql == NULL) {
			if (free_slot < 0)
				free_slot = i;
		} else if (strcmp(db->cache[i].sql, sql) == 0) {
			return db->cache[i].stmt;
		}
	}
	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT,
	        &stmt, NULL) != SQLITE_OK) {
		sql_fail(db, "preparing a query");
		return NULL;
	}
	assert(free_slot >= 0);
	db->cache[free_slot].sql = mem_strdup(sql);
	db->cache[free_slot].stmt = stmt;
	return stmt;
}

static void
release(sqlite3_stmt *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

static char *
column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	return text == NULL ? NULL : mem_strdup((const char *)text);
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

static void
bind_text(sqlite3_stmt *stmt, int i, const char *text)
{
	if (text == NULL)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_text(stmt, i, text, -1, SQLITE_TRANSIENT);
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
bind_id(sqlite3_stmt *stmt, int i, long long id)
{
	if (id == 0)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_int64(stmt, i, id);
}

/* ---- meta ---- */

int
db_meta_set(struct db *db, const char *key, const char *value)
{
	sqlite3_stmt *stmt = prepare(db, "INSERT INTO meta(key, value) "
	                                 "VALUES (?, ?) ON CONFLICT(key) DO "
	                                 "UPDATE SET value = excluded.value");
	int rc;

	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, key);
	bind_text(stmt, 2, value);
	rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : sql_fail(db, "meta");
	release(stmt);
	return rc;
}

char *
db_meta_get(struct db *db, const char *key)
{
	sqlite3_stmt *stmt =
	    prepare(db, "SELECT value FROM meta WHERE key = ?");
	char *value = NULL;

	if (stmt == NULL)
		return NULL;
	bind_text(stmt, 1, key);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = column_text(stmt, 0);
	release(stmt);
	return value;
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

/* Runs a one-row organisation query; 0 found, 1 not found, -1 error. */
static int
org_query(struct db *db, const char *where, long long id, const char *text,
    struct org *out)
{
	char sql[200];
	sqlite3_stmt *stmt;
	int rc;

	snprintf(sql, sizeof sql,
	    "SELECT id, name, credit_code, address FROM "
	    "organisations WHERE %s ORDER BY id LIMIT 1",
	    where);
	if ((stmt = prepare(db, sql)) == NULL)
		return -1;
	if (text != NULL)
		bind_text(stmt, 1, text);
	else
		sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(stmt, 0);
		out->name = column_text(stmt, 1);
		out->credit_code = column_text(stmt, 2);
		out->address = column_text(stmt, 3);
		if (out->address == NULL)
			out->address = mem_strdup("");
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = 1;
	} else {
		rc = sql_fail(db, "reading an organisation");
	}
	release(stmt);
	return rc;
}

int
db_org_get(struct db *db, long long id, struct org *out)
{
	int rc = org_query(db, "id = ?", id, NULL, out);
	if (rc == 1)
		return db_fail(db, "no organisation %lld", id);
	return rc;
}

int
db_org_by_code(struct db *db, const char *code, struct org *out)
{
	int rc = org_query(db, "credit_code = ?", 0, code, out);
	if (rc == 1)
		return db_fail(db, "no organisation with credit code %s", code);
	return rc;
}

int
db_org_by_name(struct db *db, const char *name, struct org *out)
{
	int rc =
	    org_query(db, "name = ? AND +credit_code IS NULL", 0, name, out);
	if (rc == 1)
		return db_fail(db, "no organisation named %s", name);
	return rc;
}

int
db_org_insert(struct db *db, struct org *org)
{
	sqlite3_stmt *stmt = prepare(db, "INSERT INTO organisations(id, name, "
	                                 "credit_code, address) "
	                                 "VALUES (?, ?, ?, ?)");
	int rc;

	if (stmt == NULL)
		return -1;
	bind_id(stmt, 1, org->id);
	bind_text(stmt, 2, org->name);
	bind_text(stmt, 3, org->credit_code);
	bind_text(stmt, 4, org->address ? org->address : "");
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		org->id = sqlite3_last_insert_rowid(db->sql);
		rc = 0;
	} else {
		rc = sql_fail(db, "adding an organisation");
	}
	release(stmt);
	return rc;
}

int
db_org_update(struct db *db, const struct org *org)
{
	sqlite3_stmt *stmt = prepare(db, "UPDATE organisations SET name = ?, "
	                                 "address = ? WHERE id = ?");
	int rc;

	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, org->name);
	bind_text(stmt, 2, org->address ? org->address : "");
	sqlite3_bind_int64(stmt, 3, org->id);
	rc = sqlite3_step(stmt) == SQLITE_DONE
	         ? 0
	         : sql_fail(db, "changing an organisation");
	release(stmt);
	return rc;
}

/* ---- certificates ---- */

void
cert_clear(struct cert *cert)
{
	free(cert->number);
	free(cert->category);
	memset(cert, 0, sizeof *cert);
}

static int
cert_query(struct db *db, const char *where, long long id, const char *text,
    struct cert *out)
{
	char sql[300];
	sqlite3_stmt *stmt;
	int rc;

	snprintf(sql, sizeof sql,
	    "SELECT id, number, category, level, issued_on, valid_until, "
	    "holder_id, predecessor_id, successor_id FROM certificates "
	    "WHERE %s",
	    where);
	if ((stmt = prepare(db, sql)) == NULL)
		return -1;
	if (text != NULL)
		bind_text(stmt, 1, text);
	else
		sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(stmt, 0);
		out->number = column_text(stmt, 1);
		out->category = column_text(stmt, 2);
		out->level = sqlite3_column_int(stmt, 3);
		out->issued_on = column_date(stmt, 4);
		out->valid_until = column_date(stmt, 5);
		out->holder_id = sqlite3_column_int64(stmt, 6);
		out->predecessor_id = sqlite3_column_int64(stmt, 7);
		out->successor_id = sqlite3_column_int64(stmt, 8);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = 1;
	} else {
		rc = sql_fail(db, "reading a certificate");
	}
	release(stmt);
	return rc;
}

int
db_cert_get(struct db *db, long long id, struct cert *out)
{
	int rc = cert_query(db, "id = ?", id, NULL, out);
	if (rc == 1)
		return db_fail(db, "no certificate %lld", id);
	return rc;
}

int
db_cert_by_number(struct db *db, const char *number, struct cert *out)
{
	int rc = cert_query(db, "number = ?", 0, number, out);
	if (rc == 1)
		return db_fail(db, "no certificate %s", number);
	return rc;
}

int
db_cert_insert(struct db *db, struct cert *cert)
{
	sqlite3_stmt *stmt = prepare(db,
	    "INSERT INTO certificates(number, category, level, issued_on, "
	    "valid_until, holder_id, predecessor_id, successor_id) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	int rc;

	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, cert->number);
	bind_text(stmt, 2, cert->category);
	sqlite3_bind_int(stmt, 3, cert->level);
	bind_date(stmt, 4, cert->issued_on);
	bind_date(stmt, 5, cert->valid_until);
	sqlite3_bind_int64(stmt, 6, cert->holder_id);
	bind_id(stmt, 7, cert->predecessor_id);
	bind_id(stmt, 8, cert->successor_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		cert->id = sqlite3_last_insert_rowid(db->sql);
		rc = 0;
	} else {
		rc = sql_fail(db, "adding a certificate");
	}
	release(stmt);
	return rc;
}

int
db_cert_update(struct db *db, const struct cert *cert)
{
	sqlite3_stmt *stmt =
	    prepare(db, "UPDATE certificates SET holder_id = ?,"
	                " successor_id = ? WHERE id = ?");
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, cert->holder_id);
	bind_id(stmt, 2, cert->successor_id);
	sqlite3_bind_int64(stmt, 3, cert->id);
	rc = sqlite3_step(stmt) == SQLITE_DONE
	         ? 0
	         : sql_fail(db, "changing a certificate");
	release(stmt);
	return rc;
}

int
db_category_exists(struct db *db, const char *code)
{
	sqlite3_stmt *stmt = prepare(db, "SELECT 1 FROM categories WHERE "
	                                 "code = ?");
	int rc;

	if (stmt == NULL)
		return -1;
	bind_text(stmt, 1, code);
	rc = sqlite3_step(stmt);
	release(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : sql_fail(db, "reading categories");
}

long long
db_cert_max_serial(struct db *db, const char *prefix)
{
	sqlite3_stmt *stmt = prepare(db,
	    "SELECT max(CAST(substr(number, length(?1) + 1) AS INTEGER)) "
	    "FROM certificates WHERE number >= ?1 AND number < ?1 || '~'");
	long long serial = 0;

	if (stmt == NULL)
		return 0;
	bind_text(stmt, 1, prefix);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		serial = sqlite3_column_int64(stmt, 0);
	release(stmt);
	return serial;
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

void
db_read_event(sqlite3_stmt *stmt, int c, struct event_record *e)
{
	const unsigned char *kind = sqlite3_column_text(stmt, c + 1);
	int k = kind ? event_kind_parse((const char *)kind) : -1;

	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(stmt, c);
	e->kind = k < 0 ? EVENT_KIND_COUNT : (enum event_kind)k;
	e->certificate_id = sqlite3_column_int64(stmt, c + 2);
	e->organisation_id = sqlite3_column_int64(stmt, c + 3);
	e->effective_on = column_date(stmt, c + 4);
	e->recorded_at = column_text(stmt, c + 5);
	e->reason = column_text(stmt, c + 6);
	e->reference = column_text(stmt, c + 7);
	e->deadline = column_date(stmt, c + 8);
	e->target_id = sqlite3_column_int64(stmt, c + 9);
	e->old_value = column_text(stmt, c + 10);
	e->new_value = column_text(stmt, c + 11);
	e->other_organisation_id = sqlite3_column_int64(stmt, c + 12);
	e->other_certificate_id = sqlite3_column_int64(stmt, c + 13);
	if (e->reason == NULL)
		e->reason = mem_strdup("");
	if (e->reference == NULL)
		e->reference = mem_strdup("");
}

int
db_event_get(struct db *db, long long id, struct event_record *out)
{
	sqlite3_stmt *stmt =
	    prepare(db, "SELECT " DB_EVENT_COLUMNS " FROM events WHERE id = ?");
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		db_read_event(stmt, 0, out);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = db_fail(db, "no event %lld", id);
	} else {
		rc = sql_fail(db, "reading an event");
	}
	release(stmt);
	return rc;
}

int
db_event_insert(struct db *db, struct event_record *e)
{
	sqlite3_stmt *stmt = prepare(db,
	    "INSERT INTO events(kind, certificate_id, organisation_id, "
	    "effective_on, recorded_at, reason, reference, deadline, "
	    "target_id, old_value, new_value, other_organisation_id, "
	    "other_certificate_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
	char stamp[TIMESTAMP_BUFSIZE];
	int rc;

	if (stmt == NULL)
		return -1;
	date_format_timestamp(db_now(db), stamp);
	free(e->recorded_at);
	e->recorded_at = mem_strdup(stamp);
	bind_text(stmt, 1, event_kind_name(e->kind));
	bind_id(stmt, 2, e->certificate_id);
	sqlite3_bind_int64(stmt, 3, e->organisation_id);
	bind_date(stmt, 4, e->effective_on);
	bind_text(stmt, 5, stamp);
	bind_text(stmt, 6, e->reason ? e->reason : "");
	bind_text(stmt, 7, e->reference ? e->reference : "");
	bind_date(stmt, 8, e->deadline);
	bind_id(stmt, 9, e->target_id);
	bind_text(stmt, 10, e->old_value);
	bind_text(stmt, 11, e->new_value);
	bind_id(stmt, 12, e->other_organisation_id);
	bind_id(stmt, 13, e->other_certificate_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		e->id = sqlite3_last_insert_rowid(db->sql);
		rc = 0;
	} else {
		rc = sql_fail(db, "recording an event");
	}
	release(stmt);
	return rc;
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
	    "SELECT " DB_EVENT_COLUMNS " FROM events "
	    "WHERE %s ORDER BY effective_on, id",
	    where);
	if ((stmt = prepare(db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	events = mem_alloc(cap * sizeof *events);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap)
			events =
			    mem_realloc(events, (cap *= 2) * sizeof *events);
		db_read_event(stmt, 0, &events[n++]);
	}
	release(stmt);
	if (rc != SQLITE_DONE) {
		event_records_free(events, n);
		return sql_fail(db, "reading events");
	}
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
	    "organisation_id = ?1 OR "
	    "other_organisation_id = ?1",
	    org_id, out, count);
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
	sqlite3_stmt *stmt = prepare(db, "SELECT id FROM certificates WHERE "
	                                 "holder_id = ? ORDER BY id");
	size_t n = 0, cap = 8;
	long long *out;
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, org_id);
	out = mem_alloc(cap * sizeof *out);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap)
			out = mem_realloc(out, (cap *= 2) * sizeof *out);
		out[n++] = sqlite3_column_int64(stmt, 0);
	}
	release(stmt);
	if (rc != SQLITE_DONE) {
		free(out);
		return sql_fail(db, "reading certificates");
	}
	*ids = out;
	*count = n;
	return 0;
}

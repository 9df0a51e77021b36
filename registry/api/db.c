/*
 * Per-thread snapshot connections (see api_db.h).  Every SQL statement of
 * the API is here, so the queries and the indexes they rely on (snapshot.h,
 * publish.c) can be read side by side.
 */
#include "registry/api/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "registry/api/cert.h"
#include "registry/api/event.h"
#include "registry/base/mem.h"

#define CERT_SELECT "SELECT " API_CERT_COLUMNS " FROM certificates "
#define EVENT_SELECT "SELECT " API_EVENT_COLUMNS " FROM events "

static const char *const SQL[API_SQL_COUNT] = {
    [API_SQL_CERT_BY_NUMBER] = CERT_SELECT "WHERE number = ?1",
    [API_SQL_CERT_EVENTS] =
        "SELECT seq, kind, effective_on, deadline, target_seq FROM events "
        "WHERE number = ?1 ORDER BY effective_on, seq",
    [API_SQL_CERT_HISTORY] =
        EVENT_SELECT "WHERE number = ?1 ORDER BY effective_on, seq",
    [API_SQL_CERTS] = CERT_SELECT "WHERE number > ?1 ORDER BY number",
    [API_SQL_CERTS_BY_STATUS] =
        CERT_SELECT "WHERE status = ?1 AND number > ?2 ORDER BY number",
    [API_SQL_CERTS_BY_LEVEL] =
        CERT_SELECT "WHERE level = ?1 AND number > ?2 ORDER BY number",
    [API_SQL_CERTS_BY_CATEGORY] =
        CERT_SELECT "WHERE category = ?1 AND number > ?2 ORDER BY number",
    [API_SQL_CERTS_BY_CREDIT_CODE] =
        CERT_SELECT "WHERE credit_code = ?1 ORDER BY number",
    [API_SQL_CERTS_BY_PREFIX] =
        CERT_SELECT "WHERE number > ?1 AND number < ?2 ORDER BY number",
    [API_SQL_CERTS_OF_ORG] =
        CERT_SELECT "WHERE organisation_id = ?1 ORDER BY number",
    [API_SQL_ORG] = "SELECT id, name, credit_code, address, "
                    "certificate_count FROM organisations WHERE id = ?1",
    [API_SQL_ORGS] = "SELECT id, name, credit_code, address, "
                     "certificate_count FROM organisations WHERE id > ?1 "
                     "ORDER BY id LIMIT ?2",
    [API_SQL_ORG_FORMER_NAMES] =
        "SELECT name, until FROM former_names WHERE organisation_id = ?1 "
        "ORDER BY event_id",
    /* The FTS index drives; organisations is probed by rowid. */
    [API_SQL_SEARCH_FTS] =
        "SELECT o.id, o.name FROM organisation_search s "
        "JOIN organisations o ON o.id = s.rowid "
        "WHERE organisation_search MATCH ?1 AND s.rowid > ?2 "
        "AND s.rowid <= ?3 ORDER BY s.rowid LIMIT ?4",
    /* One or two characters: the trigram index cannot help, so the
     * names are scanned in id order over an id range the caller keeps
     * short, each scan stopping at its limit. */
    [API_SQL_SEARCH_NAMES] =
        "SELECT id, name FROM organisations WHERE id > ?2 AND id <= ?3 "
        "AND (instr(name, ?1) > 0 OR (?5 AND instr(lower(name), ?1) > 0)) "
        "ORDER BY id LIMIT ?4",
    [API_SQL_SEARCH_FORMER] =
        "SELECT DISTINCT f.organisation_id, o.name FROM former_names f "
        "JOIN organisations o ON o.id = f.organisation_id "
        "WHERE f.organisation_id > ?2 AND f.organisation_id <= ?3 "
        "AND (instr(f.name, ?1) > 0 OR (?5 AND instr(lower(f.name), ?1) > 0)) "
        "ORDER BY f.organisation_id LIMIT ?4",
    [API_SQL_EVENTS_AFTER] = EVENT_SELECT "WHERE seq > ?1 ORDER BY seq",
    [API_SQL_EVENTS_BEFORE] = EVENT_SELECT "WHERE seq < ?1 ORDER BY seq DESC",
    [API_SQL_EXPORT_CERTS] = CERT_SELECT "ORDER BY number",
    [API_SQL_PING] = "SELECT count(*) FROM meta",
};

struct api_db {
	char *path;
	sqlite3 *sql;
	struct stat id; /* the open file's identity */
	unsigned generation;
	int check_ms;
	long long checked_at;
	struct api_meta meta;
	struct api_category *categories;
	size_t category_count;
	struct api_level levels[6]; /* index = level; 0 unused */
	sqlite3_stmt *stmts[API_SQL_COUNT];
	long long deadline; /* monotonic ms; 0: none */
	int timed_out;
};

long long
api_db_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
progress(void *arg)
{
	struct api_db *d = arg;

	if (d->deadline != 0 && api_db_clock_ms() >= d->deadline) {
		d->timed_out = 1;
		return 1;
	}
	return 0;
}

struct api_db *
api_db_new(const char *path)
{
	struct api_db *d = mem_calloc(1, sizeof *d);

	d->path = mem_strdup(path);
	d->check_ms = 100;
	return d;
}

void
api_db_set_check_interval(struct api_db *d, int ms)
{
	d->check_ms = ms;
}

static void
close_snapshot(struct api_db *d)
{
	for (int i = 0; i < API_SQL_COUNT; i++) {
		sqlite3_finalize(d->stmts[i]);
		d->stmts[i] = NULL;
	}
	sqlite3_close(d->sql);
	d->sql = NULL;
	for (size_t i = 0; i < d->category_count; i++) {
		free(d->categories[i].name_zh);
		free(d->categories[i].name_en);
	}
	free(d->categories);
	d->categories = NULL;
	d->category_count = 0;
	for (int i = 0; i < 6; i++) {
		free(d->levels[i].name_zh);
		free(d->levels[i].name_en);
	}
	memset(d->levels, 0, sizeof d->levels);
	memset(&d->meta, 0, sizeof d->meta);
}

void
api_db_free(struct api_db *d)
{
	if (d == NULL)
		return;
	close_snapshot(d);
	free(d->path);
	free(d);
}

static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* "file:PATH?immutable=1" with PATH percent-encoded as a URI needs. */
static char *
file_uri(const char *path)
{
	size_t len = strlen(path);
	char *uri = mem_alloc(len * 3 + 32), *o = uri;

	o += sprintf(o, "file:");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("/._-~", c))
			*o++ = (char)c;
		else
			o += sprintf(o, "%%%02X", c);
	}
	strcpy(o, "?immutable=1");
	return uri;
}

static char *
column_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	return mem_strdup(text ? (const char *)text : "");
}

static void
meta_value(struct api_meta *m, const char *key, const char *value)
{
	if (strcmp(key, "schema_version") == 0)
		m->schema_version = atoi(value);
	else if (strcmp(key, "published_at") == 0)
		snprintf(m->published_at, sizeof m->published_at, "%s", value);
	else if (strcmp(key, "sha256") == 0)
		snprintf(m->sha256, sizeof m->sha256, "%s", value);
	else if (strcmp(key, "as_of") == 0)
		date_parse(value, &m->as_of);
	else if (strcmp(key, "sample") == 0)
		m->sample = strcmp(value, "1") == 0;
	else if (strcmp(key, "certificates") == 0)
		m->certificates = atoll(value);
	else if (strcmp(key, "organisations") == 0)
		m->organisations = atoll(value);
	else if (strcmp(key, "events") == 0)
		m->events = atoll(value);
	else if (strcmp(key, "generator") == 0)
		snprintf(m->generator, sizeof m->generator, "%s", value);
}

/* Reads meta, categories and levels of the freshly opened d->sql. */
static int
load_tables(struct api_db *d, char *why, size_t why_size)
{
	sqlite3_stmt *stmt = NULL;
	size_t cap = 8;
	struct tm tm;
	time_t t;

	d->meta.as_of = DATE_NONE;
	if (sqlite3_prepare_v2(d->sql, "SELECT key, value FROM meta", -1, &stmt,
	        NULL) != SQLITE_OK)
		goto not_snapshot;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(stmt, 0);
		const char *value = (const char *)sqlite3_column_text(stmt, 1);
		if (key && value)
			meta_value(&d->meta, key, value);
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (d->meta.schema_version != SNAPSHOT_SCHEMA_VERSION) {
		snprintf(why, why_size,
		    "%s: snapshot schema version %d, this "
		    "program reads %d",
		    d->path, d->meta.schema_version, SNAPSHOT_SCHEMA_VERSION);
		return -1;
	}
	if (d->meta.as_of == DATE_NONE ||
	    date_parse_timestamp(
	        d->meta.published_at, &d->meta.published_epoch) != 0) {
		snprintf(why, why_size, "%s: meta lacks as_of or published_at",
		    d->path);
		return -1;
	}
	if (sqlite3_prepare_v2(d->sql, "SELECT max(id) FROM organisations", -1,
	        &stmt, NULL) != SQLITE_OK)
		goto not_snapshot;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		d->meta.max_organisation_id = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	stmt = NULL;
	t = (time_t)d->meta.published_epoch;
	gmtime_r(&t, &tm);
	strftime(d->meta.last_modified, sizeof d->meta.last_modified,
	    "%a, %d %b %Y %H:%M:%S GMT", &tm);

	if (sqlite3_prepare_v2(d->sql,
	        "SELECT code, name_zh, name_en FROM "
	        "categories ORDER BY position, code",
	        -1, &stmt, NULL) != SQLITE_OK)
		goto not_snapshot;
	d->categories = mem_alloc(cap * sizeof *d->categories);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct api_category *c;
		if (d->category_count == cap)
			d->categories = mem_realloc(
			    d->categories, (cap *= 2) * sizeof *d->categories);
		c = &d->categories[d->category_count++];
		snprintf(c->code, sizeof c->code, "%s",
		    (const char *)sqlite3_column_text(stmt, 0));
		c->name_zh = column_dup(stmt, 1);
		c->name_en = column_dup(stmt, 2);
	}
	sqlite3_finalize(stmt);
	if (sqlite3_prepare_v2(d->sql,
	        "SELECT level, name_zh, name_en FROM "
	        "levels",
	        -1, &stmt, NULL) != SQLITE_OK)
		goto not_snapshot;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		int level = sqlite3_column_int(stmt, 0);
		if (level < 1 || level > 5 || d->levels[level].level)
			continue;
		d->levels[level].level = level;
		d->levels[level].name_zh = column_dup(stmt, 1);
		d->levels[level].name_en = column_dup(stmt, 2);
	}
	sqlite3_finalize(stmt);
	return 0;
not_snapshot:
	snprintf(why, why_size, "%s: not a registry snapshot (%s)", d->path,
	    sqlite3_errmsg(d->sql));
	sqlite3_finalize(stmt);
	return -1;
}

/* Opens the file `path` names now into d (which has nothing open). */
static int
open_snapshot(struct api_db *d, struct stat *id, char *why, size_t why_size)
{
	char *uri = file_uri(d->path);
	int rc = -1;

	for (int attempt = 0; attempt < 3 && rc != 0; attempt++) {
		struct stat before, after;

		close_snapshot(d);
		if (stat(d->path, &before) != 0) {
			snprintf(why, why_size, "%s: cannot read the snapshot",
			    d->path);
			break;
		}
		if (sqlite3_open_v2(uri, &d->sql,
		        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
		            SQLITE_OPEN_NOMUTEX,
		        NULL) != SQLITE_OK) {
			snprintf(why, why_size, "%s: %s", d->path,
			    d->sql ? sqlite3_errmsg(d->sql) : "cannot open");
			continue;
		}
		if (load_tables(d, why, why_size) != 0)
			continue;
		/* The file read must be the one stat() saw: a rename in
		 * between means trying again. */
		if (stat(d->path, &after) != 0 || !same_file(&before, &after))
			continue;
		*id = after;
		rc = 0;
	}
	free(uri);
	if (rc != 0) {
		close_snapshot(d);
		return -1;
	}
	sqlite3_exec(d->sql, "PRAGMA query_only = 1", NULL, NULL, NULL);
	sqlite3_progress_handler(d->sql, 1000, progress, d);
	return 0;
}

int
api_db_refresh(struct api_db *d, char *why, size_t why_size)
{
	long long now = api_db_clock_ms();
	struct stat st, id;
	struct api_db fresh;

	if (d->sql != NULL && now - d->checked_at < d->check_ms)
		return 0;
	d->checked_at = now;
	if (d->sql != NULL &&
	    (stat(d->path, &st) != 0 || same_file(&st, &d->id)))
		return 0;
	/* Open the new file beside the old one, and switch only when it
	 * reads. */
	memset(&fresh, 0, sizeof fresh);
	fresh.path = d->path;
	if (open_snapshot(&fresh, &id, why, why_size) != 0)
		return d->sql != NULL ? 0 : -1;
	close_snapshot(d);
	d->sql = fresh.sql;
	d->id = id;
	d->meta = fresh.meta;
	d->categories = fresh.categories;
	d->category_count = fresh.category_count;
	memcpy(d->levels, fresh.levels, sizeof d->levels);
	sqlite3_progress_handler(d->sql, 1000, progress, d);
	d->generation++;
	return 0;
}

unsigned
api_db_generation(const struct api_db *d)
{
	return d->generation;
}

const struct api_meta *
api_db_meta(const struct api_db *d)
{
	return &d->meta;
}

sqlite3 *
api_db_handle(struct api_db *d)
{
	return d->sql;
}

const struct api_category *
api_db_categories(const struct api_db *d, size_t *count)
{
	*count = d->category_count;
	return d->categories;
}

const struct api_category *
api_db_category(const struct api_db *d, const char *code)
{
	for (size_t i = 0; i < d->category_count; i++)
		if (strcmp(d->categories[i].code, code) == 0)
			return &d->categories[i];
	return NULL;
}

const struct api_level *
api_db_level(const struct api_db *d, int level)
{
	if (level < 1 || level > 5 || d->levels[level].level == 0)
		return NULL;
	return &d->levels[level];
}

sqlite3_stmt *
api_db_stmt(struct api_db *d, enum api_sql which)
{
	sqlite3_stmt *stmt = d->stmts[which];

	if (stmt == NULL) {
		if (sqlite3_prepare_v3(d->sql, SQL[which], -1,
		        SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
			return NULL;
		d->stmts[which] = stmt;
	} else {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
	}
	return stmt;
}

void
api_db_limit(struct api_db *d, int ms)
{
	d->deadline = ms > 0 ? api_db_clock_ms() + ms : 0;
	d->timed_out = 0;
}

int
api_db_timed_out(const struct api_db *d)
{
	return d->timed_out;
}

/*
 * Reading published snapshots (see snapshot.h): the connection and what
 * it reads once, on opening (meta, categories, levels), its checks and
 * its time limit.  The reads of rows are read.c's; the tables are
 * described in schema.h.
 */
#include "registry/snapshot/snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/clock.h"
#include "registry/base/mem.h"
#include "registry/snapshot/connection.h"
#include "registry/snapshot/schema.h"

void
snapshot_library_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

const char *
snapshot_library_version(void)
{
	return sqlite3_libversion();
}

/* ---- opening ---- */

/* SQLite's progress callback: stops every statement past the deadline. */
static int
progress(void *arg)
{
	struct snapshot *s = arg;

	if (s->deadline != 0 && clock_ms() >= s->deadline) {
		s->timed_out = 1;
		return 1;
	}
	return 0;
}

int
snapshot_failed(struct snapshot *s)
{
	snprintf(s->error, sizeof s->error, "%s", sqlite3_errmsg(s->db));
	return -1;
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

static void
meta_value(struct snapshot_meta *m, const char *key, const char *value)
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

/*
 * Runs a query of the open file once, calling row() on each row; 0, or
 * -1 with SQLite's message in s->error.
 */
static int
each_row(struct snapshot *s, const char *sql,
    void (*row)(struct snapshot *s, sqlite3_stmt *stmt))
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return snapshot_failed(s);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		row(s, stmt);
	if (rc != SQLITE_DONE)
		snapshot_failed(s);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

static char *
copy(sqlite3_stmt *stmt, int col)
{
	return mem_strdup(
	    snapshot_text(stmt, col) ? snapshot_text(stmt, col) : "");
}

static void
meta_row(struct snapshot *s, sqlite3_stmt *stmt)
{
	if (snapshot_text(stmt, 0) && snapshot_text(stmt, 1))
		meta_value(
		    &s->meta, snapshot_text(stmt, 0), snapshot_text(stmt, 1));
}

static void
max_id_row(struct snapshot *s, sqlite3_stmt *stmt)
{
	s->meta.max_organisation_id = sqlite3_column_int64(stmt, 0);
}

static void
run_row(struct snapshot *s, sqlite3_stmt *stmt)
{
	if (!s->runs_bad &&
	    number_runs_load(&s->runs, sqlite3_column_int64(stmt, 0),
	        snapshot_text(stmt, 1), sqlite3_column_int(stmt, 2),
	        sqlite3_column_int64(stmt, 3), s->error, sizeof s->error) != 0)
		s->runs_bad = 1;
}

static void
last_cert_row(struct snapshot *s, sqlite3_stmt *stmt)
{
	s->runs.last_id = sqlite3_column_int64(stmt, 0);
}

static void
category_row(struct snapshot *s, sqlite3_stmt *stmt)
{
	struct snapshot_category *c;

	s->categories = mem_realloc(
	    s->categories, (s->category_count + 1) * sizeof *s->categories);
	c = &s->categories[s->category_count++];
	c->code = copy(stmt, 0);
	c->position = sqlite3_column_int(stmt, 1);
	c->name_zh = copy(stmt, 2);
	c->name_en = copy(stmt, 3);
}

static void
level_row(struct snapshot *s, sqlite3_stmt *stmt)
{
	int level = sqlite3_column_int(stmt, 0);

	if (level < 1 || level > 5 || s->levels[level].level)
		return;
	s->levels[level].level = level;
	s->levels[level].name_zh = copy(stmt, 1);
	s->levels[level].name_en = copy(stmt, 2);
}

static void
kind_row(struct snapshot *s, sqlite3_stmt *stmt)
{
	int code = sqlite3_column_int(stmt, 0);

	if (code < 0 || code > 1000 || (size_t)code < s->kind_count)
		return;
	s->kind_names = mem_realloc(
	    s->kind_names, (size_t)(code + 1) * sizeof *s->kind_names);
	s->kinds = mem_realloc(s->kinds, (size_t)(code + 1) * sizeof *s->kinds);
	while (s->kind_count <= (size_t)code) {
		s->kind_names[s->kind_count] = mem_strdup("");
		s->kinds[s->kind_count++] = EVENT_KIND_COUNT;
	}
	free(s->kind_names[code]);
	s->kind_names[code] = copy(stmt, 1);
	s->kinds[code] = event_kind_of(s->kind_names[code]);
}

/* Reads meta, categories, levels and kinds; 0, or -1 with `why`. */
static int
load_tables(struct snapshot *s, char *why, size_t why_size)
{
	s->meta.as_of = DATE_NONE;
	if (each_row(s, "SELECT key, value FROM meta", meta_row) != 0)
		goto not_snapshot;
	if (s->meta.schema_version == 0) {
		snprintf(why, why_size, "%s: not a registry snapshot", s->path);
		return -1;
	}
	if (s->meta.schema_version != SNAPSHOT_SCHEMA_VERSION) {
		snprintf(why, why_size,
		    "%s: snapshot schema version %d, this program reads %d",
		    s->path, s->meta.schema_version, SNAPSHOT_SCHEMA_VERSION);
		return -1;
	}
	if (s->meta.as_of == DATE_NONE ||
	    date_parse_timestamp(
	        s->meta.published_at, &s->meta.published_epoch) != 0) {
		snprintf(why, why_size, "%s: meta lacks as_of or published_at",
		    s->path);
		return -1;
	}
	if (each_row(s, "SELECT max(id) FROM organisations", max_id_row) ||
	    each_row(s,
	        "SELECT code, position, name_zh, name_en FROM categories "
	        "ORDER BY position, code",
	        category_row) ||
	    each_row(
	        s, "SELECT level, name_zh, name_en FROM levels", level_row) ||
	    each_row(
	        s, "SELECT code, name FROM kinds ORDER BY code", kind_row) ||
	    each_row(s,
	        "SELECT first_id, prefix, width, first FROM number_runs "
	        "ORDER BY first_id",
	        run_row) ||
	    s->runs_bad ||
	    each_row(s, "SELECT max(id) FROM certificates", last_cert_row))
		goto not_snapshot;
	if (s->runs.last_id > 0 &&
	    (s->runs.count == 0 || s->runs.runs[0].first_id != 1 ||
	        s->runs.runs[s->runs.count - 1].first_id > s->runs.last_id)) {
		snprintf(s->error, sizeof s->error,
		    "the numbers do not cover the certificates");
		goto not_snapshot;
	}
	return 0;
not_snapshot:
	snprintf(why, why_size, "%s: not a registry snapshot (%s)", s->path,
	    s->error);
	return -1;
}

struct snapshot *
snapshot_open(const char *path, char *why, size_t why_size)
{
	struct snapshot *s = mem_calloc(1, sizeof *s);
	char *uri = file_uri(path);

	s->path = mem_strdup(path);
	if (sqlite3_open_v2(uri, &s->db,
	        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
	        NULL) != SQLITE_OK) {
		snprintf(why, why_size, "%s: %s", path,
		    s->db ? sqlite3_errmsg(s->db) : "cannot open");
		goto fail;
	}
	if (load_tables(s, why, why_size) != 0)
		goto fail;
	for (int q = 0; q < SNAPSHOT_QUERIES; q++)
		s->rows[q].snapshot = s;
	sqlite3_exec(s->db, "PRAGMA query_only = 1", NULL, NULL, NULL);
	sqlite3_progress_handler(s->db, 1000, progress, s);
	free(uri);
	return s;
fail:
	free(uri);
	snapshot_close(s);
	return NULL;
}

void
snapshot_close(struct snapshot *s)
{
	if (s == NULL)
		return;
	for (int q = 0; q < SNAPSHOT_QUERIES; q++)
		sqlite3_finalize(s->rows[q].stmt);
	sqlite3_close(s->db);
	for (size_t i = 0; i < s->category_count; i++) {
		free((char *)s->categories[i].code);
		free((char *)s->categories[i].name_zh);
		free((char *)s->categories[i].name_en);
	}
	free(s->categories);
	for (size_t i = 0; i < s->kind_count; i++)
		free(s->kind_names[i]);
	free(s->kind_names);
	free(s->kinds);
	number_runs_free(&s->runs);
	for (int i = 0; i < 6; i++) {
		free((char *)s->levels[i].name_zh);
		free((char *)s->levels[i].name_en);
	}
	free(s->path);
	free(s);
}

const struct snapshot_meta *
snapshot_meta(const struct snapshot *s)
{
	return &s->meta;
}

const struct snapshot_category *
snapshot_categories(const struct snapshot *s, size_t *count)
{
	*count = s->category_count;
	return s->categories;
}

const struct snapshot_category *
snapshot_category(const struct snapshot *s, const char *code)
{
	for (size_t i = 0; i < s->category_count; i++)
		if (strcmp(s->categories[i].code, code) == 0)
			return &s->categories[i];
	return NULL;
}

const struct snapshot_level *
snapshot_level(const struct snapshot *s, int level)
{
	if (level < 1 || level > 5 || s->levels[level].level == 0)
		return NULL;
	return &s->levels[level];
}

/* Runs a check pragma whose single row is "ok" when the file is sound;
 * 0, or -1 with the first complaint in `why`. */
static int
check_pragma(struct snapshot *s, const char *pragma, char *why, size_t why_size)
{
	sqlite3_stmt *stmt;
	const char *result;
	int ok;

	if (sqlite3_prepare_v2(s->db, pragma, -1, &stmt, NULL) != SQLITE_OK) {
		snprintf(
		    why, why_size, "%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	result =
	    sqlite3_step(stmt) == SQLITE_ROW ? snapshot_text(stmt, 0) : NULL;
	ok = result != NULL && strcmp(result, "ok") == 0;
	if (!ok) {
		const char *text = result ? result : sqlite3_errmsg(s->db);
		char *p;
		/* One line for a log: SQLite's lines joined, its header
		 * dropped. */
		if (strncmp(text, "*** in database main ***\n", 25) == 0)
			text += 25;
		snprintf(why, why_size, "%s: integrity check failed: %s",
		    s->path, text);
		while ((p = strchr(why, '\n')) != NULL)
			*p = ';';
	}
	sqlite3_finalize(stmt);
	return ok ? 0 : -1;
}

/* Recomputes the content digest and compares it with meta.sha256. */
static int
check_digest(struct snapshot *s, char *why, size_t why_size)
{
	char hex[SNAPSHOT_SHA256_HEX], reason[256];

	if (snapshot_schema_digest(s->db, hex, reason, sizeof reason) != 0) {
		snprintf(why, why_size, "%s: %s", s->path, reason);
		return -1;
	}
	if (strcmp(s->meta.sha256, hex) != 0) {
		snprintf(why, why_size, "%s: content hash is %s, meta says %s",
		    s->path, hex,
		    s->meta.sha256[0] ? s->meta.sha256 : "nothing");
		return -1;
	}
	return 0;
}

int
snapshot_check(
    struct snapshot *s, enum snapshot_check level, char *why, size_t why_size)
{
	snapshot_limit(s, 0);
	if (level == SNAPSHOT_CHECK_NONE)
		return 0;
	if (check_pragma(s,
	        level == SNAPSHOT_CHECK_FULL ? "PRAGMA integrity_check(1)"
	                                     : "PRAGMA quick_check(1)",
	        why, why_size) != 0)
		return -1;
	return level == SNAPSHOT_CHECK_QUICK ? 0
	                                     : check_digest(s, why, why_size);
}

int
snapshot_verify(struct snapshot *s, char *why, size_t why_size)
{
	return snapshot_check(s, SNAPSHOT_CHECK_FULL, why, why_size);
}

const char *
snapshot_error(const struct snapshot *s)
{
	return s->error;
}

void
snapshot_limit(struct snapshot *s, int ms)
{
	s->deadline = ms > 0 ? clock_ms() + ms : 0;
	s->timed_out = 0;
}

int
snapshot_timed_out(const struct snapshot *s)
{
	return s->timed_out;
}

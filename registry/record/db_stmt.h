/*
 * The registry database's connection and prepared statements, shared by
 * the two files that speak SQL to it: db.c (typed reads and writes of one
 * thing at a time) and db_scan.c (the whole registry in one pass).  No
 * other file includes this header or sqlite3.h for the registry.
 */
#ifndef REGISTRY_RECORD_DB_STMT_H
#define REGISTRY_RECORD_DB_STMT_H

#include <sqlite3.h>

#include "registry/record/db.h"
#include "registry/rules/date.h"

#define DB_STMT_CACHE_SIZE 48

struct db {
	sqlite3 *sql;
	long long now; /* -1: the clock */
	int depth;     /* open db_begin() levels */
	char error[1024];
	long long stamp_of;            /* the time `stamp` shows */
	char stamp[TIMESTAMP_BUFSIZE]; /* "" or recorded_at of new events */
	struct {
		const char *text; /* the caller's string, to find it fast */
		char *sql;
		sqlite3_stmt *stmt;
	} cache[DB_STMT_CACHE_SIZE]; /* prepared once, reused per row */
};

/*
 * The prepared statement for `sql`, from the cache when it was prepared
 * before, reset and with no bindings.  NULL with db_error() when SQLite
 * refuses it.  Never finalize it: db_close() does.
 */
sqlite3_stmt *db_stmt_prepare(struct db *db, const char *sql);

/* Resets a statement after use, so that it holds no lock or row. */
void db_stmt_release(sqlite3_stmt *stmt);

/* Leaves "what: SQLite's message" in db_error(); returns -1. */
int db_stmt_fail(struct db *db, const char *what);

/* Binds: NULL text, DATE_NONE and id 0 bind SQL NULL.  Each returns
 * SQLite's result code. */
int db_stmt_bind_text(sqlite3_stmt *stmt, int i, const char *text);
/* The same without a copy: `text` must outlive the statement's step. */
int db_stmt_bind_borrowed(sqlite3_stmt *stmt, int i, const char *text);
int db_stmt_bind_date(sqlite3_stmt *stmt, int i, int date);
int db_stmt_bind_id(sqlite3_stmt *stmt, int i, long long id);

/* Columns of the current row: text borrowed until the next step (NULL
 * for SQL NULL), a date (DATE_NONE for NULL), a new copy of the text. */
const char *db_stmt_text(sqlite3_stmt *stmt, int col);
int db_stmt_date(sqlite3_stmt *stmt, int col);
char *db_stmt_strdup(sqlite3_stmt *stmt, int col);

/*
 * Steps a statement that returns no rows; 0 when it ran to the end, else
 * -1 with "what: why" in db_error().  The statement is released either
 * way.
 */
int db_stmt_run(struct db *db, sqlite3_stmt *stmt, const char *what);

#endif

/*
 * The statement cache and column helpers of the registry database (see
 * db_stmt.h).  Dates are stored as ISO text (YYYY-MM-DD) so the file
 * reads well in the sqlite3 shell; they sort correctly as text.
 */
#include "registry/record/db_stmt.h"

#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"
#include "registry/rules/date.h"

int
db_stmt_fail(struct db *db, const char *what)
{
	return db_fail(db, "%s: %s", what, sqlite3_errmsg(db->sql));
}

sqlite3_stmt *
db_stmt_prepare(struct db *db, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	int free_slot = -1;

	/* Most callers pass the same literal each time: look for that string
	 * first, then compare every text. */
	for (int i = 0; i < DB_STMT_CACHE_SIZE; i++)
		if (db->cache[i].text == sql &&
		    strcmp(db->cache[i].sql, sql) == 0) {
			db_stmt_release(db->cache[i].stmt);
			return db->cache[i].stmt;
		}
	for (int i = 0; i < DB_STMT_CACHE_SIZE; i++) {
		if (db->cache[i].sql == NULL) {
			if (free_slot < 0)
				free_slot = i;
		} else if (strcmp(db->cache[i].sql, sql) == 0) {
			db_stmt_release(db->cache[i].stmt);
			return db->cache[i].stmt;
		}
	}
	if (free_slot < 0) {
		db_fail(db, "preparing a query: more than %d kinds",
		    DB_STMT_CACHE_SIZE);
		return NULL;
	}
	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT,
	        &stmt, NULL) != SQLITE_OK) {
		db_stmt_fail(db, "preparing a query");
		return NULL;
	}
	db->cache[free_slot].text = sql;
	db->cache[free_slot].sql = mem_strdup(sql);
	db->cache[free_slot].stmt = stmt;
	return stmt;
}

void
db_stmt_release(sqlite3_stmt *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

int
db_stmt_bind_text(sqlite3_stmt *stmt, int i, const char *text)
{
	if (text == NULL)
		return sqlite3_bind_null(stmt, i);
	return sqlite3_bind_text(stmt, i, text, -1, SQLITE_TRANSIENT);
}

int
db_stmt_bind_borrowed(sqlite3_stmt *stmt, int i, const char *text)
{
	if (text == NULL)
		return sqlite3_bind_null(stmt, i);
	return sqlite3_bind_text(stmt, i, text, -1, SQLITE_STATIC);
}

int
db_stmt_bind_date(sqlite3_stmt *stmt, int i, int date)
{
	char buf[DATE_BUFSIZE];

	return db_stmt_bind_text(stmt, i, date_format_or_null(date, buf));
}

int
db_stmt_bind_id(sqlite3_stmt *stmt, int i, long long id)
{
	if (id == 0)
		return sqlite3_bind_null(stmt, i);
	return sqlite3_bind_int64(stmt, i, id);
}

const char *
db_stmt_text(sqlite3_stmt *stmt, int col)
{
	return (const char *)sqlite3_column_text(stmt, col);
}

int
db_stmt_date(sqlite3_stmt *stmt, int col)
{
	return date_parse_or_none(db_stmt_text(stmt, col));
}

char *
db_stmt_strdup(sqlite3_stmt *stmt, int col)
{
	const char *text = db_stmt_text(stmt, col);
	return text == NULL ? NULL : mem_strdup(text);
}

int
db_stmt_run(struct db *db, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : db_stmt_fail(db, what);

	db_stmt_release(stmt);
	return rc;
}

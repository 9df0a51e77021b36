/*
 * An open snapshot's parts, shared by the two files that implement
 * snapshot.h: snapshot.c (opening, meta, checks) and read.c (the reads).
 * No other file includes this header.
 */
#ifndef REGISTRY_SNAPSHOT_CONNECTION_H
#define REGISTRY_SNAPSHOT_CONNECTION_H

#include <sqlite3.h>

#include "registry/snapshot/runs.h"
#include "registry/snapshot/snapshot.h"

#define SNAPSHOT_QUERIES 22 /* the reads of read.c, a statement each */

struct snapshot_rows {
	struct snapshot *snapshot;
	sqlite3_stmt *stmt;            /* prepared on first use */
	char stamp[TIMESTAMP_BUFSIZE]; /* a row's recorded_at, formatted */
	/* A row's numbers (runs.h), formatted: its own, and the
	 * predecessor and successor, or the other certificate's. */
	char number[3][SNAPSHOT_NUMBER_MAX];
};

struct snapshot {
	sqlite3 *db;
	char *path;
	struct snapshot_meta meta;
	struct snapshot_category *categories;
	size_t category_count;
	struct snapshot_level levels[6]; /* index = level; 0 unused */
	struct number_runs runs;         /* the certificates' numbers */
	int runs_bad;                    /* number_runs is malformed */
	char **kind_names;               /* the kinds table, by code */
	enum event_kind *kinds;          /* the same as this program's kinds */
	size_t kind_count;
	struct snapshot_rows rows[SNAPSHOT_QUERIES];
	long long deadline; /* monotonic ms; 0: none */
	int timed_out;
	char error[256];
};

/* Keeps SQLite's message about what just failed; returns -1. */
int snapshot_failed(struct snapshot *s);

/* The kind stored as `code`: EVENT_KIND_COUNT when unknown. */
static inline enum event_kind
snapshot_kind(const struct snapshot *s, int code)
{
	return code >= 0 && (size_t)code < s->kind_count ? s->kinds[code]
	                                                 : EVENT_KIND_COUNT;
}

/* A text column of the current row, or NULL: valid until the next step. */
static inline const char *
snapshot_text(sqlite3_stmt *stmt, int col)
{
	return (const char *)sqlite3_column_text(stmt, col);
}

#endif

/*
 * One worker thread's read-only connection to the published snapshot, with
 * the snapshot's meta data, categories and levels read once, and every
 * statement the API runs prepared once and kept.  The snapshot file is
 * immutable (registryctl publish writes a new file and renames it into
 * place), so the connection opens it with SQLite's immutable flag: no
 * locks, no change checks.
 *
 * Hot swap: api_db_refresh() notices when the path names a different file
 * than the one open and switches to it; the caller calls it between
 * requests only, so a request sees one snapshot from start to end.  The
 * old file stays readable through its open descriptor until it is closed.
 *
 * Not thread-safe: one api_db per thread.
 */
#ifndef REGISTRY_API_DB_H
#define REGISTRY_API_DB_H

#include <sqlite3.h>
#include <stddef.h>

#include "registry/rules/date.h"
#include "registry/snapshot/snapshot.h"

/* The statements; their SQL is in api_db.c. */
enum api_sql {
	API_SQL_CERT_BY_NUMBER,       /* ?1 number */
	API_SQL_CERT_EVENTS,          /* ?1 number: what status_on() needs */
	API_SQL_CERT_HISTORY,         /* ?1 number: every event, oldest first */
	API_SQL_CERTS,                /* ?1 after number; by number */
	API_SQL_CERTS_BY_STATUS,      /* ?1 status, ?2 after number */
	API_SQL_CERTS_BY_LEVEL,       /* ?1 level, ?2 after number */
	API_SQL_CERTS_BY_CATEGORY,    /* ?1 category, ?2 after number */
	API_SQL_CERTS_BY_CREDIT_CODE, /* ?1 credit code */
	API_SQL_CERTS_BY_PREFIX,      /* ?1 after number, ?2 below number */
	API_SQL_CERTS_OF_ORG,         /* ?1 organisation id */
	API_SQL_ORG,                  /* ?1 id */
	API_SQL_ORGS,                 /* ?1 after id, ?2 limit */
	API_SQL_ORG_FORMER_NAMES,     /* ?1 id */
	API_SQL_SEARCH_FTS,           /* ?1 phrase, ?2 after id, ?3 last id,
	                                 ?4 limit: matching organisations */
	API_SQL_SEARCH_NAMES,         /* ?1 text (lower case), ?2 after id,
	                                 ?3 last id, ?4 limit, ?5 1 to ignore
	                                 ASCII case: current names holding
	                                 the text */
	API_SQL_SEARCH_FORMER,        /* the same for former names */
	API_SQL_EVENTS_AFTER,         /* ?1 after seq: oldest first */
	API_SQL_EVENTS_BEFORE,        /* ?1 before seq: newest first */
	API_SQL_EXPORT_CERTS,         /* every certificate by number */
	API_SQL_PING,
	API_SQL_COUNT
};

/* The snapshot's meta table, parsed. */
struct api_meta {
	int schema_version;
	char published_at[TIMESTAMP_BUFSIZE]; /* "2026-01-01T00:00:00Z" */
	long long published_epoch;
	char last_modified[32]; /* as an HTTP date */
	char sha256[SNAPSHOT_SHA256_HEX];
	int as_of;  /* status columns' date */
	int sample; /* 1 for sample data */
	long long certificates, organisations, events;
	long long max_organisation_id; /* the largest organisation id */
	char generator[64];
};

struct api_category {
	char code[8];
	char *name_zh, *name_en;
};

struct api_level {
	int level;
	char *name_zh, *name_en;
};

struct api_db;

/*
 * A connection to the snapshot at `path` (not opened until the first
 * api_db_refresh()).  Free with api_db_free().
 */
struct api_db *api_db_new(const char *path);
void api_db_free(struct api_db *d); /* accepts NULL */

/*
 * How often (milliseconds) api_db_refresh() looks at the file; 0 looks
 * every time.  Default 100.
 */
void api_db_set_check_interval(struct api_db *d, int ms);

/*
 * Makes sure a snapshot is open and is the file `path` names now, unless
 * it was checked less than the check interval ago.  When the path names a
 * new file that cannot be read, the open one stays in use.  Returns 0 when
 * a snapshot is open, else -1 with the reason in `why`.
 */
int api_db_refresh(struct api_db *d, char *why, size_t why_size);

/* How many times a snapshot has been opened (1 after the first). */
unsigned api_db_generation(const struct api_db *d);

/* The open snapshot's parts; valid until the next api_db_refresh(). */
const struct api_meta *api_db_meta(const struct api_db *d);
sqlite3 *api_db_handle(struct api_db *d);
const struct api_category *api_db_categories(
    const struct api_db *d, size_t *count);
const struct api_category *api_db_category(
    const struct api_db *d, const char *code);
const struct api_level *api_db_level(const struct api_db *d, int level);

/*
 * Statement `which`, reset and with its bindings cleared, prepared on
 * first use.  NULL when it cannot be prepared (a snapshot from an
 * incompatible writer).  Owned by d.
 */
sqlite3_stmt *api_db_stmt(struct api_db *d, enum api_sql which);

/*
 * Limits the time SQLite may spend from now on: after `ms` milliseconds
 * every running statement is interrupted (SQLITE_INTERRUPT) until the next
 * call; 0 lifts the limit.  api_db_timed_out() says whether the limit was
 * hit since the last call.
 */
void api_db_limit(struct api_db *d, int ms);
int api_db_timed_out(const struct api_db *d);

/* Monotonic milliseconds, for budgets. */
long long api_db_clock_ms(void);

#endif

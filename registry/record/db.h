/*
 * The registry database (the system of record): schema and migrations,
 * transactions, and typed reads and writes of organisations, certificates
 * and events.  The event log is append-only: SQLite triggers refuse UPDATE
 * and DELETE on it, and DELETE on organisations and certificates; the
 * columns of organisations and certificates that do change (name, address,
 * holder, successor) are caches of what the events say.
 *
 * Functions return 0 (or a pointer) on success and -1 (or NULL) on
 * failure, leaving a message in db_error().  They never exit.  The
 * tables are db_schema.h's; reading the whole registry in one pass
 * (publish, export) is db_scan.h's.
 */
#ifndef REGISTRY_RECORD_DB_H
#define REGISTRY_RECORD_DB_H

#include <stddef.h>

#include "registry/record/db_schema.h"
#include "registry/rules/event.h"
#include "registry/rules/status.h"

struct db; /* opaque */

struct org {
	long long id;
	char *name;
	char *credit_code; /* NULL when it has none */
	char *address;     /* "" when unknown */
};

struct cert {
	long long id;
	char *number;
	char *category;
	int level;
	int issued_on;   /* date */
	int valid_until; /* date */
	long long holder_id;
	long long predecessor_id; /* 0 when none */
	long long successor_id;   /* 0 when none */
};

struct event_record {
	long long id;
	enum event_kind kind;
	long long certificate_id;  /* 0 for organisation events */
	long long organisation_id; /* the organisation concerned; for
	                              certificate events the holder */
	int effective_on;          /* date */
	char *recorded_at;         /* UTC timestamp; set by db_event_insert */
	char *reason;              /* "" when none */
	char *reference;           /* announcement number or URL; "" */
	int deadline;              /* EVENT_RECTIFY; else DATE_NONE */
	long long target_id;       /* EVENT_VOID, EVENT_RECTIFY_CLOSE; else 0 */
	char *old_value;           /* renames and address changes; else NULL */
	char *new_value;
	long long other_organisation_id; /* EVENT_TRANSFER: former holder */
	long long other_certificate_id;  /* EVENT_RENEW/UPGRADE: successor;
	                                    EVENT_ISSUE: predecessor */
};

/*
 * Opens (creating when `create`) the database at `path`.  Returns NULL
 * with a message in `why` on failure.  Caller closes with db_close().
 * One thread at a time uses a struct db.
 */
struct db *db_open(const char *path, int create, char *why, size_t why_size);
void db_close(struct db *db); /* accepts NULL */

/* Gives SQLite's page cache the size db_open() gives it (64 MB), after
 * a module changed it for a while. */
int db_restore_cache(struct db *db);

/* The last failure's message. */
const char *db_error(const struct db *db);

/* Sets the message db_error() returns; returns -1. */
int db_fail(struct db *db, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Creates the schema or migrates it to DB_SCHEMA_VERSION. */
int db_init(struct db *db);

/* -1 with a message unless the schema is at DB_SCHEMA_VERSION. */
int db_check_schema(struct db *db);

/*
 * The time recorded in new events (Unix seconds).  Defaults to the clock;
 * set for reproducible runs.
 */
void db_set_now(struct db *db, long long seconds);
long long db_now(const struct db *db);

/*
 * Transactions: db_begin() opens one (BEGIN IMMEDIATE) or, inside one, a
 * savepoint; db_begin_read() opens a read transaction, for reads that
 * must see one registry from start to end while others may write;
 * db_end() commits/releases when ok, else rolls back.  db_end() fails
 * when the transaction could not commit, or was already lost (SQLite
 * rolls one back itself after an I/O error).
 */
int db_begin(struct db *db);
int db_begin_read(struct db *db);
int db_end(struct db *db, int ok);

/*
 * For a large import: on, the registry is written with a rollback
 * journal (each page written once, instead of into the write-ahead log
 * and again into the database; the journal keeps the pages as they were,
 * so a crash still leaves the registry as it was) and synchronous=FULL;
 * off, back to the write-ahead log that lets others read while one
 * writes.  On: 1 when the rollback journal is in use, 0 when the log
 * still is (inside a transaction, or while another connection has the
 * registry open, SQLite keeps it), -1 with db_error().  Off: 0, and
 * db_error() unchanged; when SQLite cannot go back to the log now, the
 * next db_open() does.
 */
int db_journal_bulk(struct db *db, int on);

/*
 * For a large import, which checks what the keys would: foreign keys
 * off or back on (outside a transaction; inside one SQLite leaves the
 * setting as it is).  0, or -1 with db_error().
 */
int db_foreign_keys(struct db *db, int on);

/*
 * For a first load, inside its transaction: drops (build 0) the indexes
 * of the set `which` (db_schema_late_indexes()), or builds them (1) after
 * the rows, in one sort each instead of entry by entry.  0, or -1 with
 * db_error().
 */
int db_late_indexes(struct db *db, enum db_schema_late which, int build);

/* Runs SQL without results (the modules and their tests; no program
 * passes SQL here). */
int db_exec(struct db *db, const char *sql);

/* Key/value meta table.  db_meta_get sets *out to a new string (caller
 * frees) or to NULL when the key is absent; -1 on a read error. */
int db_meta_set(struct db *db, const char *key, const char *value);
int db_meta_get(struct db *db, const char *key, char **out);

/* The number of rows of a table. */
enum db_table { DB_ORGANISATIONS, DB_CERTIFICATES, DB_EVENTS };
int db_count(struct db *db, enum db_table table, long long *out);

/*
 * The lookups of one organisation, certificate or event return 0 when
 * found, 1 when there is none (db_error() says so: "no certificate
 * CNITSEC-CS1-2024-9999"), -1 when it could not be read.
 *
 * Organisations: by id, by credit code, and (for those without a credit
 * code, such as organisations abroad) by exact current name.
 */
int db_org_get(struct db *db, long long id, struct org *out);
int db_org_by_code(struct db *db, const char *code, struct org *out);
int db_org_by_name(struct db *db, const char *name, struct org *out);
/* Inserts; out->id 0 lets SQLite choose and sets it. */
int db_org_insert(struct db *db, struct org *org);
int db_org_update(struct db *db, const struct org *org);
/* An organisation's English name (a new string, NULL when it has none)
 * into *out, and setting it; 0, or -1 with db_error(). */
int db_org_name_en(struct db *db, long long id, char **out);
int db_org_set_name_en(struct db *db, long long id, const char *name_en);
void org_clear(struct org *org); /* frees the strings; accepts zeroed */

int db_cert_get(struct db *db, long long id, struct cert *out);
int db_cert_by_number(struct db *db, const char *number, struct cert *out);
/* 1 when a certificate has this number, 0 when none, -1 on error. */
int db_cert_number_taken(struct db *db, const char *number);
int db_cert_insert(struct db *db, struct cert *cert);
/* Updates only the holder and successor (the other facts never change). */
int db_cert_update(struct db *db, const struct cert *cert);
/* Sets only the successor of certificate `id` (renew, upgrade). */
int db_cert_set_successor(struct db *db, long long id, long long successor_id);
void cert_clear(struct cert *cert);

/* 1 when the category code exists, 0 when not, -1 on error. */
int db_category_exists(struct db *db, const char *code);

/* The largest serial among numbers that start with `prefix` (0 when
 * there is none) in *out. */
int db_cert_max_serial(struct db *db, const char *prefix, long long *out);

int db_event_get(struct db *db, long long id, struct event_record *out);
/* Inserts; sets e->id and e->recorded_at. */
int db_event_insert(struct db *db, struct event_record *e);
void event_record_clear(struct event_record *e);

/*
 * All events of a certificate (or, with db_org_events, of an
 * organisation) oldest first: *out is a new array of *count records;
 * free with event_records_free().
 */
int db_cert_events(
    struct db *db, long long cert_id, struct event_record **out, size_t *count);
int db_org_events(
    struct db *db, long long org_id, struct event_record **out, size_t *count);
void event_records_free(struct event_record *events, size_t count);

/* The rule engine's view of records: a new array (caller frees). */
struct status_event *db_status_events(
    const struct event_record *events, size_t count);

/* Certificates held by an organisation (ids, oldest first); caller frees. */
int db_org_certs(
    struct db *db, long long org_id, long long **ids, size_t *count);

#endif

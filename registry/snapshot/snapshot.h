/*
 * Published snapshots, read.  A snapshot is an SQLite file that
 * `registryctl publish` writes once (write.h) and never changes; registryd
 * and sitegen open it read-only and read typed rows through here: no code
 * outside registry/snapshot/ knows its tables or columns (schema.h) or
 * calls SQLite on it.
 *
 * A read is a `struct snapshot_rows`: one of the connection's prepared
 * statements, opened by a function below (snapshot_certs() ...) and read
 * a row at a time with the snapshot_next_*() of its kind, which return 1
 * with a row, 0 at the end, -1 on a read error (snapshot_error() says
 * what; snapshot_timed_out() whether the time limit stopped it).  A row's
 * strings belong to the read and live until its next step or
 * snapshot_rows_done(), which ends it.  Opening a read that is already
 * open starts it again.  Every step's result is checked: an error is
 * never taken for the end of the rows.
 *
 * One thread at a time per struct snapshot; threads that read at once
 * open one each.
 */
#ifndef REGISTRY_SNAPSHOT_SNAPSHOT_H
#define REGISTRY_SNAPSHOT_SNAPSHOT_H

#include <stddef.h>

#include "registry/rules/date.h"
#include "registry/rules/status.h"

#define SNAPSHOT_SCHEMA_VERSION 7
#define SNAPSHOT_SHA256_HEX 65 /* 64 hex digits and a NUL */

struct snapshot;      /* opaque: an open snapshot */
struct snapshot_rows; /* opaque: a read in progress */

/* What the snapshot says about itself (its meta table). */
struct snapshot_meta {
	int schema_version;
	char published_at[TIMESTAMP_BUFSIZE]; /* "2026-01-01T00:00:00Z" */
	long long published_epoch;            /* the same, Unix time */
	char sha256[SNAPSHOT_SHA256_HEX];     /* the content's digest */
	int as_of;  /* the date the stored statuses are for */
	int sample; /* 1 for sample data */
	long long certificates, organisations, events; /* counts */
	long long max_organisation_id; /* the largest organisation id */
	char generator[64];            /* "registryctl 0.1.0" */
};

struct snapshot_category {
	const char *code; /* "CS" */
	int position;     /* the order categories are shown in */
	const char *name_zh, *name_en;
};

struct snapshot_level {
	int level; /* 1 to 5 */
	const char *name_zh, *name_en;
};

struct snapshot_org {
	long long id;
	const char *name;
	const char *credit_code; /* or NULL */
	const char *address;     /* "" when unknown */
	long long certificate_count;
	const char *name_en; /* its English name, or NULL */
};

/* A rename: the name an organisation had until the day before it. */
struct snapshot_former_name {
	long long organisation_id;
	long long event_id; /* the rename's seq */
	const char *name;
	int until; /* date */
};

/* An organisation a search found, with its current name. */
struct snapshot_match {
	long long organisation_id;
	const char *name;
};

/* A certificate, with its status, flags and windows on meta.as_of. */
struct snapshot_cert {
	long long id;
	const char *number, *category;
	int level;
	int issued_on, valid_until; /* dates */
	long long organisation_id;
	const char *organisation_name, *credit_code; /* the holder's */
	const char *predecessor, *successor;         /* numbers, or NULL */
	long long predecessor_id, successor_id; /* writing: the caller's ids
	                                           of those, in place of
	                                           their numbers; or 0 */
	struct status status; /* on meta.as_of; open_orders is not kept */
};

/* An event of the registry's log. */
struct snapshot_event {
	long long seq;                  /* the change feed's cursor */
	enum event_kind kind;           /* EVENT_KIND_COUNT when unknown */
	const char *kind_name;          /* as stored ("annual-check") */
	long long certificate_id;       /* 0 for organisation events */
	const char *number;             /* the certificate's, or NULL */
	long long organisation_id;      /* the organisation concerned: for
	                                   certificate events the holder */
	int effective_on;               /* date */
	const char *recorded_at;        /* UTC timestamp */
	const char *reason, *reference; /* "" when none */
	int deadline;                   /* date, or DATE_NONE */
	long long target_seq; /* the event voided or order closed, or 0 */
	const char *old_value, *new_value; /* renames, address changes; or
	                                      NULL */
	long long other_organisation_id;   /* a transfer's former holder, or
	                                      0 */
	const char *other_number; /* a successor or predecessor, or NULL */
	long long other_certificate_id; /* writing: the caller's id of it,
	                                   in place of its number; or 0 */
	long long voided_by;            /* the void that corrects it, or 0 */
	int new_value_is_name; /* writing: an org-add of the name written
	                          for the organisation, which is then not
	                          stored twice (schema.h) */
};

/* The orders a read can take where there is a choice. */
enum snapshot_order {
	SNAPSHOT_BY_NUMBER, /* certificates by number */
	SNAPSHOT_BY_ID,     /* by id: the order of recording */
	SNAPSHOT_BY_DATE,   /* certificates by issued_on, then number; former
	                       names by until, then event */
};

/* ---- the snapshot ---- */

/*
 * Makes SQLite skip its own locking, for programs whose threads each use
 * their own snapshots (registryd).  Call before anything else of SQLite.
 */
void snapshot_library_init(void);

/* The SQLite version the program runs with ("3.40.1"). */
const char *snapshot_library_version(void);

/*
 * Opens the snapshot at `path` read-only (as the immutable file it is:
 * no locks, no change checks), with its meta, categories and levels read.
 * NULL with a message in `why` naming the file when it cannot be opened
 * or is not a snapshot of a schema version this code reads.  Close with
 * snapshot_close().
 */
struct snapshot *snapshot_open(const char *path, char *why, size_t why_size);
void snapshot_close(struct snapshot *s); /* accepts NULL */

const struct snapshot_meta *snapshot_meta(const struct snapshot *s);

/* Categories in the order they are shown, and one by code or NULL. */
const struct snapshot_category *snapshot_categories(
    const struct snapshot *s, size_t *count);
const struct snapshot_category *snapshot_category(
    const struct snapshot *s, const char *code);

/* Level 1 to 5, or NULL. */
const struct snapshot_level *snapshot_level(
    const struct snapshot *s, int level);

/* How thoroughly snapshot_check() looks at a file. */
enum snapshot_check {
	SNAPSHOT_CHECK_NONE,   /* what snapshot_open() read is enough */
	SNAPSHOT_CHECK_QUICK,  /* PRAGMA quick_check: every page of every
	                          b-tree is read and its structure checked */
	SNAPSHOT_CHECK_DIGEST, /* quick_check, then the content digest
	                          recomputed against meta.sha256 */
	SNAPSHOT_CHECK_FULL,   /* PRAGMA integrity_check (indexes against
	                          their tables too), then the digest */
};

/*
 * Checks an open snapshot before it is used, without a time limit.  0
 * when it holds, else -1 with the reason in `why`, naming the file
 * ("live.db: integrity check failed: Tree 12 page 4097 cell 0: ...").
 * The schema version is already checked by snapshot_open().
 */
int snapshot_check(
    struct snapshot *s, enum snapshot_check level, char *why, size_t why_size);

/* snapshot_check(s, SNAPSHOT_CHECK_FULL, ...). */
int snapshot_verify(struct snapshot *s, char *why, size_t why_size);

/* What the last failed read said. */
const char *snapshot_error(const struct snapshot *s);

/* 1 when a read can be answered at all (the file is still readable). */
int snapshot_ping(struct snapshot *s);

/*
 * Limits the time reads may take from now on: after `ms` milliseconds
 * every running read fails (and snapshot_timed_out() says so) until the
 * next call; 0 lifts the limit.
 */
void snapshot_limit(struct snapshot *s, int ms);
int snapshot_timed_out(const struct snapshot *s);

/* ---- reads of certificates (snapshot_next_cert) ---- */

/* The certificate numbered `number` (no row when there is none). */
struct snapshot_rows *snapshot_cert(struct snapshot *s, const char *number);

/* Every certificate numbered after `after` ("" for all), by number; the
 * same with that status (as stored), level, or category. */
struct snapshot_rows *snapshot_certs(struct snapshot *s, const char *after);
struct snapshot_rows *snapshot_certs_by_status(
    struct snapshot *s, enum cert_status status, const char *after);
struct snapshot_rows *snapshot_certs_by_level(
    struct snapshot *s, int level, const char *after);
struct snapshot_rows *snapshot_certs_by_category(
    struct snapshot *s, const char *category, const char *after);

/* Certificates whose holder has credit code `code`, by number. */
struct snapshot_rows *snapshot_certs_by_credit_code(
    struct snapshot *s, const char *code);

/* Certificates numbered after `after` and before `below`, by number. */
struct snapshot_rows *snapshot_certs_between(
    struct snapshot *s, const char *after, const char *below);

/* The certificates organisation `org` holds. */
struct snapshot_rows *snapshot_certs_of_org(
    struct snapshot *s, long long org, enum snapshot_order order);

int snapshot_next_cert(struct snapshot_rows *rows, struct snapshot_cert *out);

/*
 * The status of `cert` on `day`: the stored one on meta.as_of, else
 * status_on() over the certificate's events.  0, or -1 when the events
 * cannot be read.
 */
int snapshot_cert_status(struct snapshot *s, const struct snapshot_cert *cert,
    int day, struct status *out);

/* The same, always from the events, whatever the day. */
int snapshot_cert_status_from_events(struct snapshot *s,
    const struct snapshot_cert *cert, int day, struct status *out);

/* ---- reads of events (snapshot_next_event) ---- */

/* A certificate's events, oldest first (effective date, then seq). */
struct snapshot_rows *snapshot_history(struct snapshot *s, const char *number);

/* Events after `seq`, oldest first; before `seq`, newest first. */
struct snapshot_rows *snapshot_events_after(struct snapshot *s, long long seq);
struct snapshot_rows *snapshot_events_before(struct snapshot *s, long long seq);

/* The events of organisation `org` (its own, and its certificates' while
 * it held them), newest first. */
struct snapshot_rows *snapshot_org_events(struct snapshot *s, long long org);

int snapshot_next_event(struct snapshot_rows *rows, struct snapshot_event *out);

/* ---- reads of organisations ---- */

/* The organisation numbered `id`; at most `limit` (-1: all) numbered
 * after `after`, by id (snapshot_next_org). */
struct snapshot_rows *snapshot_org(struct snapshot *s, long long id);
struct snapshot_rows *snapshot_orgs(
    struct snapshot *s, long long after, long long limit);

int snapshot_next_org(struct snapshot_rows *rows, struct snapshot_org *out);

/* The names organisation `org` had before, by event or by date
 * (snapshot_next_former_name). */
struct snapshot_rows *snapshot_former_names(
    struct snapshot *s, long long org, enum snapshot_order order);

int snapshot_next_former_name(
    struct snapshot_rows *rows, struct snapshot_former_name *out);

/*
 * Searches, over organisations with ids in (after, last], by id, at most
 * `limit`.  snapshot_search_phrase() (snapshot_next_match): names holding
 * the FTS5 phrase `phrase` (three characters or more; current and former
 * names).  snapshot_search_short(): the ids, into ids[] (room for
 * `limit`), of organisations whose current or a former name, ASCII
 * letters in lower case, holds `text` of one or two characters (already
 * in lower case); how many, or -1.
 */
struct snapshot_rows *snapshot_search_phrase(struct snapshot *s,
    const char *phrase, long long after, long long last, long long limit);
long long snapshot_search_short(struct snapshot *s, const char *text,
    long long after, long long last, long long limit, long long *ids);

int snapshot_next_match(struct snapshot_rows *rows, struct snapshot_match *out);

/* Ends a read (resets its statement).  Accepts NULL. */
void snapshot_rows_done(struct snapshot_rows *rows);

#endif

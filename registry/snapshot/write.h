/*
 * Writing a snapshot (the tables of schema.h) from typed rows, atomically:
 * snapshot_write_begin() creates a temporary file beside the target with
 * the tables and no rows; the snapshot_write_*() of each kind add rows;
 * snapshot_write_commit() adds the search indexes and indexes, the counts
 * and the content digest to meta, commits, runs PRAGMA quick_check (every
 * page read, every b-tree's structure checked), fsyncs the file, renames
 * it over the target and fsyncs the folder.
 * Readers see the old snapshot or the new one, never a mix; on any
 * failure (or if the process dies) the target is untouched, and
 * snapshot_write_free() removes the temporary file.
 *
 * Functions return 0, or -1 with the reason in snapshot_write_error().
 */
#ifndef REGISTRY_SNAPSHOT_WRITE_H
#define REGISTRY_SNAPSHOT_WRITE_H

#include <stddef.h>

#include "registry/snapshot/snapshot.h"

struct snapshot_writer; /* opaque */

/* What meta says besides the counts and digest. */
struct snapshot_write_meta {
	long long published_at; /* Unix time */
	int as_of;              /* the date the certificates' status is for */
	int sample;             /* 1 for sample data */
	const char *generator;  /* "registryctl 0.1.0" */
};

/* What was written, once committed. */
struct snapshot_write_summary {
	long long certificates, organisations, events;
	char sha256[SNAPSHOT_SHA256_HEX];
};

/*
 * Removes the temporary files beside `target` that publishes killed
 * midway left ("TARGET.tmp-XXXXXX" that no writer holds: a writer holds
 * a lock on its file while it lives), telling `removed` each one's path
 * and size.  How many were removed, or -1 with `why` when the folder
 * cannot be read.
 */
int snapshot_write_sweep(const char *target,
    void (*removed)(void *arg, const char *path, long long bytes), void *arg,
    char *why, size_t why_size);

/*
 * Starts a snapshot to replace `target`, in "TARGET.tmp-XXXXXX".  NULL
 * with the reason in `why` when the file cannot be made.  Free with
 * snapshot_write_free(), committed or not.
 */
struct snapshot_writer *snapshot_write_begin(
    const char *target, char *why, size_t why_size);

/* Rows, in any order but two: every certificate's number first, in the
 * order of the numbers (strcmp()) and before the first certificate, with
 * snapshot_write_number() (the snapshot numbers certificates in that
 * order, and an event names its certificate by that id; `recorded`,
 * `cert->id` and an event's `certificate_id` are the caller's ids, and
 * `cert->number` is not read); then every certificate numbered, before
 * the first event.  An org-rename event also records the former name it
 * replaces.  The strings need only live for the call.  Certificates go
 * into their table in the order of the ids from the first event on, a
 * few at each event and the rest at commit, so a row SQLite refuses
 * fails one of those calls. */
int snapshot_write_number(
    struct snapshot_writer *w, long long recorded, const char *number);
int snapshot_write_category(
    struct snapshot_writer *w, const struct snapshot_category *category);
int snapshot_write_level(
    struct snapshot_writer *w, const struct snapshot_level *level);
int snapshot_write_org(
    struct snapshot_writer *w, const struct snapshot_org *org);
int snapshot_write_cert(
    struct snapshot_writer *w, const struct snapshot_cert *cert);
int snapshot_write_event(
    struct snapshot_writer *w, const struct snapshot_event *event);

/* A step of work the writer can do ahead of the commit once every
 * organisation is in (the numbers have begun): the organisations'
 * indexes, a little at a time, for a caller with nothing to hand over
 * just now.  1 when it did some, 0 when there is none (left), -1 on an
 * error.  An organisation written after that is refused. */
int snapshot_write_idle(struct snapshot_writer *w);

/* Finishes, checks and renames the snapshot into place (see above). */
int snapshot_write_commit(struct snapshot_writer *w,
    const struct snapshot_write_meta *meta,
    struct snapshot_write_summary *summary);

const char *snapshot_write_error(const struct snapshot_writer *w);

/* Closes; removes the temporary file unless committed.  Accepts NULL. */
void snapshot_write_free(struct snapshot_writer *w);

#endif

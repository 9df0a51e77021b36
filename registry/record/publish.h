/*
 * Publishing: the registry database read in one pass (db_scan.h) and
 * written as a snapshot (snapshot/write.h), each certificate with its
 * status computed by the rules as of the publishing date.
 */
#ifndef REGISTRY_RECORD_PUBLISH_H
#define REGISTRY_RECORD_PUBLISH_H

#include "registry/record/db.h"
#include "registry/record/logpub.h"
#include "registry/rules/date.h"
#include "registry/snapshot/snapshot.h"

struct publish_summary {
	long long certificates, organisations, events;
	char as_of[DATE_BUFSIZE];
	char sha256[SNAPSHOT_SHA256_HEX];
	double seconds;
	/* Temporary files of publishes that did not finish, removed first:
	 * how many, their bytes, and their names (", " between). */
	int leftovers;
	long long leftover_bytes;
	char leftover_names[1024];
	struct logpub_summary log; /* what was signed, with signing */
};

/* Signing the log (logpub.h): the private key's file and the log folder. */
struct publish_signing {
	const char *key_path, *log_dir;
};

/*
 * Writes a snapshot of `db` to a temporary file beside `target`, runs
 * PRAGMA integrity_check on it, fsyncs it, renames it over `target` and
 * fsyncs the folder.  Readers see the old snapshot or the new one, never a
 * mix; on any failure (a read error in the middle of the registry
 * included), or if the process dies, `target` is untouched.  The registry
 * is read in one read transaction, so others may record events
 * meanwhile.  `now` is the published time (Unix seconds); statuses are
 * computed as of its date in China Standard Time, or for a sample
 * registry as of the sample's reference date.  First it removes what
 * killed publishes to the same target left (summary->leftovers).  0, or
 * -1 with db_error()
 * ("publish: reading events: disk I/O error").
 */
int publish_snapshot(struct db *db, const char *target, long long now,
    struct publish_summary *summary);

/*
 * The same, and with `signing` every event as a leaf of the log and a
 * signed checkpoint of it that binds the snapshot (logpub.h).  The key,
 * the last checkpoint and the tree's extension of it are checked before
 * the snapshot is committed: a refusal leaves snapshot and log as they
 * were.  `signing` NULL is publish_snapshot().
 */
int publish_snapshot_signed(struct db *db, const char *target, long long now,
    const struct publish_signing *signing, struct publish_summary *summary);

#endif

/*
 * Publishing: writes the snapshot that readers use (schema in
 * snapshot.h) from the registry database, atomically.
 */
#ifndef REGISTRY_PUBLISH_H
#define REGISTRY_PUBLISH_H

#include "registry/rules/date.h"
#include "registry/record/db.h"
#include "registry/snapshot/snapshot.h"

struct publish_summary {
	long long certificates, organisations, events;
	char as_of[DATE_BUFSIZE];
	char sha256[SNAPSHOT_SHA256_HEX];
	double seconds;
};

/*
 * Writes a snapshot of `db` to a temporary file beside `target`, runs
 * PRAGMA integrity_check on it, fsyncs it, renames it over `target` and
 * fsyncs the folder.  Readers see the old snapshot or the new one, never a
 * mix; on any failure (or if the process dies) `target` is untouched.
 * `now` is the published time (Unix seconds); statuses are computed as of
 * its date in China Standard Time, or for a sample registry as of the
 * sample's reference date.  0, or -1 with db_error().
 */
int publish_snapshot(struct db *db, const char *target, long long now,
    struct publish_summary *summary);

#endif

/*
 * One worker thread's snapshot, swapped for a new one when registryctl
 * publish renames a new file into place.  The snapshot file is immutable,
 * so the worker reads it without locks (snapshot.h); this module only
 * notices that the path names another file and opens that instead.
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

#include <stddef.h>

#include "registry/snapshot/snapshot.h"

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

/* The open snapshot, or NULL; valid until the next api_db_refresh(). */
struct snapshot *api_db_snapshot(struct api_db *d);

/* Its meta (all zero when none is open), and its published time as an
 * HTTP date ("Thu, 01 Jan 2026 02:00:00 GMT"). */
const struct snapshot_meta *api_db_meta(const struct api_db *d);
const char *api_db_last_modified(const struct api_db *d);

#endif

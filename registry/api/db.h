/*
 * The snapshot registryd serves, shared by every worker thread: a pool
 * of read-only connections to the one snapshot that was checked last, and
 * its hot swap when `registryctl publish` renames a new file into place.
 *
 * A file is checked before any request sees it (snapshot_check(): its
 * schema version, then the integrity check asked for), at start and on
 * every swap.  A file that fails is refused and named once, and the one
 * in use stays: the pool always has a checked snapshot, so every worker,
 * whether it served before or not, always has one to answer from.  All
 * connections of a snapshot are opened when it is checked, each from the
 * file that was checked (a rename meanwhile is noticed), so no worker ever
 * opens the path on its own.
 *
 * A request takes a connection with api_db_acquire() and gives it back
 * with api_db_release(): it sees one snapshot from start to end, even
 * when a swap happens meanwhile (the old file stays readable through its
 * open descriptors until its last connection is given back).
 *
 * Thread-safe, except that one struct api_db (a connection taken) is used
 * by one thread at a time.
 */
#ifndef REGISTRY_API_DB_H
#define REGISTRY_API_DB_H

#include <stddef.h>

#include "registry/snapshot/snapshot.h"

struct api_db_pool; /* the shared pool */
struct api_db;      /* one connection, taken for one request */

/*
 * Opens the snapshot at `path`, checks it at `level` and opens
 * `connections` (1 or more) connections to it.  NULL with the reason in
 * `why` ("snapshot.db: file is not a database") when it cannot be read or
 * fails the check.  Free with api_db_pool_free().
 */
struct api_db_pool *api_db_pool_open(const char *path, int connections,
    enum snapshot_check level, char *why, size_t why_size);

/* Stops the watcher, closes every connection.  Connections still taken
 * must have been released.  Accepts NULL. */
void api_db_pool_free(struct api_db_pool *p);

/*
 * Looks at the path: when it names a file other than the one in use (and
 * other than the last one refused), checks it and switches to it.  1 when
 * it switched (`why` says to what), 0 when nothing changed, -1 when the
 * new file was refused (`why` says why; the file in use stays).
 */
int api_db_pool_check(struct api_db_pool *p, char *why, size_t why_size);

/*
 * Starts a thread that calls api_db_pool_check() every `interval_ms` and
 * tells `report` each switch and refusal (called from that thread).  0,
 * or -1 when the thread cannot start.
 */
int api_db_pool_watch(struct api_db_pool *p, int interval_ms,
    void (*report)(void *arg, const char *message), void *arg);

/*
 * A connection to the snapshot in use, waiting while all of them are
 * taken.  Give it back with api_db_release().
 */
struct api_db *api_db_acquire(struct api_db_pool *p);
void api_db_release(struct api_db *d); /* accepts NULL */

/* How many snapshots the pool has used (1 after opening, 2 after the
 * first swap...); the one `d` belongs to. */
unsigned api_db_pool_generation(struct api_db_pool *p);
unsigned api_db_generation(const struct api_db *d);

/* The connection's snapshot; valid until api_db_release(). */
struct snapshot *api_db_snapshot(struct api_db *d);

/* Its meta, and its published time as an HTTP date ("Thu, 01 Jan 2026
 * 02:00:00 GMT"). */
const struct snapshot_meta *api_db_meta(const struct api_db *d);
const char *api_db_last_modified(const struct api_db *d);

#endif

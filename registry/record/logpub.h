/*
 * The signing step of a publish: every event of the registry, in the
 * order recorded, as a leaf of the log (registry/log/), and a signed
 * checkpoint of the tree that binds the snapshot just written.
 *
 * The log lives in a folder beside the snapshot (by default
 * "SNAPSHOT.tlog/"), in the layout of c2sp.org/tlog-tiles, so that a
 * static server can serve it as it is:
 *
 *   checkpoint             the latest signed checkpoint (written last)
 *   tile/...               hash tiles and entry bundles (log/tiles.h)
 *   checkpoints/<size>     every checkpoint signed, by tree size
 *   verifier-key           the log's public key (note.h's verifier form)
 *
 * The private key stays in its own file, read here and never written
 * anywhere.  A publish refuses to sign a tree that does not extend the
 * last one signed: the consistency proof from the last checkpoint's size
 * is checked against its root before the snapshot is committed, so a
 * refused publish leaves the previous snapshot and log as they were.
 * Hash tiles and entry bundles are written into a staging folder inside
 * the log (".staging/") as they complete while the events stream by, and
 * moved into place only once signed; no tree is kept (log/tiles.h's
 * log_tiles_writer), so memory does not grow with the log.  A publish
 * holds a lock on ".lock" in the folder while it signs: a second publish
 * to the same log at the same time is refused.
 */
#ifndef REGISTRY_RECORD_LOGPUB_H
#define REGISTRY_RECORD_LOGPUB_H

#include <stddef.h>

#include "registry/record/db_scan.h"

struct logpub; /* opaque */

/* What was signed. */
struct logpub_summary {
	unsigned long long size, old_size; /* leaves now, at the last one */
	char verifier[512];                /* the verifier key */
};

/*
 * Loads the private key in `key_path` (mode 0600), opens the log folder
 * `log_dir` (made when missing) and its last checkpoint, which must be
 * signed by that key.  NULL with the reason in `why`.
 */
struct logpub *logpub_begin(
    const char *key_path, const char *log_dir, char *why, size_t why_size);

/* The next event of the registry, in order: 0, or -1 with the reason. */
int logpub_event(struct logpub *lp, const struct db_event_row *row, char *why,
    size_t why_size);

/* Before the snapshot is committed: does the tree extend the last
 * checkpoint?  0, or -1 with the reason. */
int logpub_check(struct logpub *lp, char *why, size_t why_size);

/*
 * Signs the checkpoint of the whole tree with the snapshot's date and
 * digest, moves the bundles into place, writes the hash tiles, the
 * checkpoint of this size, the verifier key and last the checkpoint.
 * 0, or -1 with the reason.
 */
int logpub_sign(struct logpub *lp, int as_of, const char *sha256,
    struct logpub_summary *summary, char *why, size_t why_size);

/* Removes what was staged unless signed, and frees.  Accepts NULL. */
void logpub_free(struct logpub *lp);

/* The log folder of a snapshot by default: "SNAPSHOT.tlog"; caller frees. */
char *logpub_default_dir(const char *snapshot);

#endif

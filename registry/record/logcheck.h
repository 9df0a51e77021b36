/*
 * registryctl verify: the checks of a receipt (log/receipt.h), or of a
 * published snapshot against its signed checkpoint and the log's tiles,
 * offline, each a named check with its result for the command to print.
 */
#ifndef REGISTRY_RECORD_LOGCHECK_H
#define REGISTRY_RECORD_LOGCHECK_H

#include <stddef.h>

#include "registry/log/receipt.h"

struct logcheck_request {
	const char *receipt;     /* a receipt's file, or NULL */
	const char *key;         /* the verifier key, or a file holding it */
	const char *consistency; /* a consistency document's file, or NULL */
	const char *snapshot;    /* a snapshot to check, or NULL */
	const char *log_dir;     /* its log (default SNAPSHOT.tlog) */
};

/*
 * Runs the checks the request asks for, appending each to *checks (from
 * a zeroed struct; free with log_receipt_checks_free).  0 when all
 * passed, 1 when one failed, -1 with the reason in `why` when a file
 * given cannot be read or the key is not a verifier key.
 *
 * A snapshot's checks: "signature" (its log's checkpoint opens with the
 * key), "snapshot" (the file's content digest, recomputed, and its date
 * are the checkpoint's), "log" (the snapshot's events, as entries, are
 * the checkpoint's tree), "tiles" (the log's tiles recompute the root)
 * and "bundles" (each entry bundle hashes to its level-0 tile).
 */
int logcheck_run(const struct logcheck_request *req,
    struct log_receipt_checks *checks, char *why, size_t why_size);

#endif

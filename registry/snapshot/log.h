/*
 * A snapshot's events as the leaves of the log (registry/log/): the one
 * place that turns a snapshot's event into a log entry and rebuilds the
 * log's tree from a snapshot, for registryd's proofs, sitegen's receipts
 * and `registryctl verify --snapshot`.  The only module of snapshot/
 * that uses log/; link $(REGISTRY_SNAPSHOT_LOG_OBJS) with the reader and
 * the log.
 */
#ifndef REGISTRY_SNAPSHOT_LOG_H
#define REGISTRY_SNAPSHOT_LOG_H

#include <stddef.h>

#include "registry/log/entry.h"
#include "registry/log/tree.h"
#include "registry/snapshot/snapshot.h"

/* The log entry of event `ev`; its strings point into ev's. */
void snapshot_log_entry(const struct snapshot_event *ev, struct log_entry *out);

/*
 * Every event of the snapshot, in seq order, voids included, as the
 * leaves of a new tree (free with log_tree_free()).  With `seqs` not
 * NULL, *seqs gets each leaf's event seq, log_tree_size() of them (the
 * caller frees).  NULL with the reason in `why` ("event 12: ...", or the
 * snapshot's error).
 */
struct log_tree *snapshot_log_tree(
    struct snapshot *s, long long **seqs, char *why, size_t why_size);

#endif

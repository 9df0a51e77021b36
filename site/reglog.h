/*
 * reglog: the registry's signed log on the website.  When the snapshot
 * has its log beside it (registryctl publish --key writes SNAPSHOT.tlog/,
 * registry/record/logpub.h), the log's files are published as they are at
 * /registry/log/ (the C2SP tlog-tiles layout: checkpoint, tile/...,
 * checkpoints/<size>, verifier-key), and each certificate page gets its
 * receipt (registry/log/receipt.h), receipt.json beside it, which the
 * page's script verifies.  The tree is rebuilt from the snapshot's events
 * and checked against the signed checkpoint: a log that is not the
 * snapshot's fails the build.
 */
#ifndef REGLOG_H
#define REGLOG_H

#include <jansson.h>

#include "registry/base/buf.h"
#include "registry/snapshot/snapshot.h"
#include "site/build.h"

struct reglog; /* opaque; read-only once opened, so shared by threads */

/*
 * The log of the snapshot at `snapshot_path` (open as `s`): NULL with
 * *why empty when there is none beside it, NULL with the reason when it
 * cannot be used.
 */
struct reglog *reglog_open(
    const char *snapshot_path, struct snapshot *s, char *why, size_t why_size);
void reglog_free(struct reglog *log); /* accepts NULL */

/* Copies the log's files into the staging folder at registry/log/. */
int reglog_publish(struct reglog *log, struct build *b);

/* What the pages say of it: verifier_key, origin, size, date, date_words. */
json_t *reglog_json(const struct reglog *log);

/*
 * The receipt of certificate `number` from snapshot `s` (a connection of
 * the calling thread) into `out`: 0, or -1 with the reason.
 */
int reglog_receipt(const struct reglog *log, struct snapshot *s,
    const char *number, struct buf *out, char *why, size_t why_size);

#endif

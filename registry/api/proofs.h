/*
 * The log's routes (registry/log/): the latest signed checkpoint, a
 * certificate's receipt (its events, their inclusion proofs against the
 * checkpoint, the signed checkpoint), and consistency proofs between two
 * tree sizes, from the log folder publish signs beside the snapshot
 * (record/logpub.h) and the snapshot's own events.
 *
 * The tree is built from the snapshot's events (in seq order, each as its
 * log entry) once per snapshot served, on the first request that needs
 * it, and checked against the checkpoint: a checkpoint whose root is not
 * the snapshot's tree at its size is not served.  The checkpoint is read
 * again whenever its file changes, since publish writes it just after
 * renaming the snapshot.  Thread-safe.
 */
#ifndef REGISTRY_API_PROOFS_H
#define REGISTRY_API_PROOFS_H

#include <jansson.h>

#include "registry/api/call.h"

struct api_proofs; /* opaque */

/* The log in folder `log_dir`; NULL dir gives NULL (no log routes). */
struct api_proofs *api_proofs_new(const char *log_dir);
void api_proofs_free(struct api_proofs *p); /* accepts NULL */

/* GET /v1/checkpoint: the signed checkpoint, text/plain. */
void api_proofs_checkpoint(struct api_call *c);

/* GET /v1/certificates/{number}/receipt. */
void api_proofs_receipt(struct api_call *c, const char *number);

/* GET /v1/log/consistency?from=N[&to=M]. */
void api_proofs_consistency(struct api_call *c);

/* /v1/meta's "log": the verifier key, origin, size; null without one. */
json_t *api_proofs_meta(struct api_call *c);

/* Mixes the checkpoint served into an entity tag ("\"...\""). */
void api_proofs_etag(struct api_call *c, char etag[24]);

#endif

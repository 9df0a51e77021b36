/*
 * doc: the API's documents of one certificate and one organisation, as
 * functions of (snapshot, date) with no HTTP in them: registryd answers
 * /v1/certificates/{number} and /v1/organisations/{id} with them, and
 * sitegen writes the same bytes as each registry page's JSON twin.
 */
#ifndef REGISTRY_API_DOC_H
#define REGISTRY_API_DOC_H

#include "registry/base/buf.h"
#include "registry/snapshot/snapshot.h"

/* The certificate `number` (canonical) on `day`, with its notices, and a
 * newline, appended to b: 1, 0 when it is not in the snapshot, -1 when
 * the snapshot cannot be read. */
int api_doc_certificate(
    struct snapshot *s, const char *number, int day, struct buf *b);

/* The organisation `id` on `day` (former names, certificates) and a
 * newline appended to b: 1, 0 when there is none, -1 on a read error. */
int api_doc_organisation(
    struct snapshot *s, long long id, int day, struct buf *b);

/* An organisation's members as the lists give them, without the closing
 * brace. */
void api_doc_put_org(struct buf *b, const struct snapshot_org *org);

#endif

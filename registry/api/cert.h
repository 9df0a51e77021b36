/*
 * Certificates as the API shows them: a certificate of the snapshot with
 * its status, flags and windows on the date the request asks about.  On
 * the snapshot's own as_of date the stored status is used; on any other
 * date it is derived from the certificate's events by status_on(), the
 * rules registryctl and sitegen use (snapshot_cert_status()).  One JSON
 * shape serves the single-certificate route, lists, search results and
 * the NDJSON export; the CSV export flattens it.
 */
#ifndef REGISTRY_API_CERT_H
#define REGISTRY_API_CERT_H

#include "registry/base/buf.h"
#include "registry/rules/status.h"
#include "registry/snapshot/snapshot.h"

/* A certificate on a date.  The row's strings are the read's: valid
 * until it steps or ends. */
struct api_cert {
	struct snapshot_cert row;
	int day; /* the date answered for */
	struct status st;
	/* The holder's English name, written as the organisation's
	 * "name_en" when not NULL: the certificate document sets it; lists
	 * leave it NULL (api_cert_next does). */
	const char *holder_name_en;
};

/*
 * Reads the next certificate of `rows` with its status on `day`.  1, 0 at
 * the end, -1 when it, or the events needed for another date, cannot be
 * read (the time limit cut the read short, or the snapshot is
 * unreadable).
 */
int api_cert_next(struct snapshot *s, struct snapshot_rows *rows, int day,
    struct api_cert *out);

/*
 * Appends the certificate as a JSON object (the API's Certificate
 * schema) to b, with the member "match" when `match` is not NULL.
 */
void api_cert_write(const struct snapshot *s, const struct api_cert *c,
    const char *match, struct buf *b);

/*
 * Appends the warnings within their 12 months and the open
 * rectification orders of the certificate on c->day as a JSON array (the
 * API's Notice items, oldest first; status_notices()), read from its
 * history.  0, or -1 when the history cannot be read.
 */
int api_cert_write_notices(
    struct snapshot *s, const struct api_cert *c, struct buf *b);

#endif

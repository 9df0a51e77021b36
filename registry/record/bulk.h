/*
 * Bulk import and export of organisations and certificates.
 *
 * The CSV format (RFC 4180, UTF-8, CRLF, one header line) has the columns
 *   number,category,level,issued_on,valid_until,organisation_id,
 *   organisation,credit_code,address,predecessor
 * one row per certificate, in the order they were issued.  Export writes
 * exactly these; import reads them back (a header may list them in any
 * order; valid_until, organisation_id, credit_code, address and
 * predecessor may be empty), so an export imported into an empty registry
 * exports the same bytes.  The status is not a column: it is derived from
 * events, which the CSV does not carry.  NDJSON export adds the status,
 * flags and windows on a date, for consumers.
 */
#ifndef REGISTRY_BULK_H
#define REGISTRY_BULK_H

#include <stdio.h>

#include "registry/record/db.h"

struct bulk_summary {
	long long certificates;  /* rows imported */
	long long organisations; /* organisations created */
	double seconds;
};

#define BULK_PROGRESS_EVERY 10000

/* Told how far an import is, every BULK_PROGRESS_EVERY rows. */
struct bulk_progress {
	void (*report)(void *arg, long long certificates, double seconds);
	void *arg;
};

/*
 * Imports `path` ("-" for standard input) in one transaction.  Any bad row
 * rejects the whole file: -1 with db_error() "path:line: column: why" and
 * nothing written.  `progress` (or NULL) hears of the rows imported so
 * far.
 */
int bulk_import(struct db *db, const char *path,
    const struct bulk_progress *progress, struct bulk_summary *summary);

/* The same, reading from an open stream; `name` is used in messages. */
int bulk_import_stream(struct db *db, FILE *in, const char *name,
    const struct bulk_progress *progress, struct bulk_summary *summary);

/* Writes every certificate as CSV (see above). */
int bulk_export_csv(struct db *db, FILE *out);

/* Writes every certificate as one JSON object per line, with its status on
 * `day`. */
int bulk_export_ndjson(struct db *db, int day, FILE *out);

#endif

/*
 * Certificates as the API shows them: one row of the snapshot's
 * certificates table, with its status, flags and windows on the date the
 * request asks about.  On the snapshot's own as_of date the precomputed
 * columns are used; on any other date the status is derived from the
 * certificate's events by status_on(), the rules registryctl and sitegen
 * use.  One JSON shape serves the single-certificate route, lists, search
 * results and the NDJSON export; the CSV export flattens it.
 */
#ifndef REGISTRY_API_CERT_H
#define REGISTRY_API_CERT_H

#include <sqlite3.h>

#include "registry/base/buf.h"
#include "registry/api/db.h"
#include "registry/rules/status.h"

/* The columns every certificate query selects, in this order. */
#define API_CERT_COLUMNS                                                       \
	"number, category, level, issued_on, valid_until, organisation_id, "   \
	"organisation_name, credit_code, predecessor, successor, status, "     \
	"status_since, flags, warning_until, rectification_deadline, "         \
	"annual1_start, annual1_end, annual1_state, annual1_done_on, "         \
	"annual2_start, annual2_end, annual2_state, annual2_done_on, "         \
	"renewal_start, renewal_end, renewal_state, renewal_done_on"

enum api_cert_column {
	API_CERT_NUMBER,
	API_CERT_CATEGORY,
	API_CERT_LEVEL,
	API_CERT_ISSUED_ON,
	API_CERT_VALID_UNTIL,
	API_CERT_ORG_ID,
	API_CERT_ORG_NAME,
	API_CERT_CREDIT_CODE,
	API_CERT_PREDECESSOR,
	API_CERT_SUCCESSOR,
	API_CERT_STATUS,
	API_CERT_STATUS_SINCE,
	API_CERT_FLAGS,
	API_CERT_WARNING_UNTIL,
	API_CERT_RECTIFICATION_DEADLINE,
	API_CERT_ANNUAL1, /* start, end, state, done_on */
	API_CERT_ANNUAL2 = API_CERT_ANNUAL1 + 4,
	API_CERT_RENEWAL = API_CERT_ANNUAL2 + 4,
	API_CERT_COLUMN_COUNT = API_CERT_RENEWAL + 4
};

/*
 * A certificate on a date.  The strings point into the statement's
 * current row: valid until it steps or resets.
 */
struct api_cert {
	const char *number, *category;
	int level;
	int issued_on, valid_until;
	long long organisation_id;
	const char *organisation_name, *credit_code;
	const char *predecessor, *successor; /* or NULL */
	int day;                             /* the date answered for */
	struct status st;
};

/*
 * Reads the current row of `stmt` (API_CERT_COLUMNS) as certificate on
 * `day`.  0, or -1 when the events needed for another date cannot be read
 * (the statement was interrupted by the time limit, or the snapshot is
 * unreadable).
 */
int api_cert_read(
    struct api_db *d, sqlite3_stmt *stmt, int day, struct api_cert *out);

/*
 * Appends the certificate as a JSON object (the API's Certificate
 * schema) to b, with the member "match" when `match` is not NULL.
 */
void api_cert_write(struct api_db *d, const struct api_cert *c,
    const char *match, struct buf *b);

#endif

/*
 * Recording what happens, with the rules applied: every change to the
 * registry goes through ops_record(), which checks the request, replays
 * the certificate's history with the new event (status_validate()), and
 * writes the event and the caches it changes in one transaction.  A
 * refused request writes nothing and leaves the reason in db_error(), for
 * example "reinstate on 2025-03-01: the certificate is not suspended".
 */
#ifndef REGISTRY_OPS_H
#define REGISTRY_OPS_H

#include "registry/record/db.h"
#include "registry/rules/number.h"

struct ops_request {
	enum event_kind kind;
	const char *org;         /* organisation: id or credit code (org-*,
	                            issue) */
	const char *cert;        /* certificate number (certificate events) */
	const char *name;        /* org-add, org-rename */
	const char *name_en;     /* org-name-en, and org-add (optional): the
	                            English name; the Chinese one stays the
	                            legal name */
	const char *credit_code; /* org-add; NULL or "" when none */
	const char *address;     /* org-add, org-address */
	const char *category;    /* issue; NULL: "CS" */
	int level;               /* issue, upgrade; 0: 1 for issue */
	const char *number;      /* issue, renew, upgrade: the new number;
	                            NULL: the next free one */
	const char *to_org;      /* transfer: the new holder */
	int effective_on;        /* date */
	int deadline;            /* rectify; else DATE_NONE */
	long long target;        /* void: the event; rectify-close: the order
	                            (0: the latest open one) */
	const char *reason;
	const char *reference;
	long long org_id;         /* org-add: the id to give it (import);
	                             0: the next free one */
	long long predecessor_id; /* issue: a certificate it replaces (used
	                             by renew/upgrade and import) */
};

struct ops_result {
	long long event_id;
	long long org_id;        /* org-add: the new organisation */
	char number[NUMBER_MAX]; /* issue, renew, upgrade: new number */
};

/* Initialises a request: DATE_NONE dates, everything else zero. */
void ops_request_init(struct ops_request *req, enum event_kind kind);

/* Checks, records and applies one event.  0, or -1 with db_error(). */
int ops_record(
    struct db *db, const struct ops_request *req, struct ops_result *result);

/*
 * Finds an organisation by id ("12") or credit code.  0, 1 when there is
 * none, -1 when it cannot be read, with db_error(); free with
 * org_clear().
 */
int ops_find_org(struct db *db, const char *ref, struct org *out);

/*
 * Checks text meant for a name, address, reason or reference: valid
 * UTF-8 without control characters, at most `max_bytes`.  0 or -1 with
 * the reason in `why`.
 */
int ops_check_text(
    const char *text, size_t max_bytes, char *why, size_t why_size);

#endif

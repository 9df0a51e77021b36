/*
 * Validated changes to the registry (see ops.h).  Each request runs in its
 * own transaction (or savepoint, inside an import): on any refusal the
 * transaction is rolled back, so nothing is half-written.
 */
#include "registry/record/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/rules/creditcode.h"
#include "registry/rules/date.h"
#include "registry/base/mem.h"
#include "registry/rules/number.h"
#include "registry/rules/text.h"

#define NAME_MAX_BYTES 300
#define ADDRESS_MAX_BYTES 500
#define NOTE_MAX_BYTES 2000

void
ops_request_init(struct ops_request *req, enum event_kind kind)
{
	memset(req, 0, sizeof *req);
	req->kind = kind;
	req->effective_on = DATE_NONE;
	req->deadline = DATE_NONE;
}

int
ops_check_text(const char *text, size_t max_bytes, char *why, size_t why_size)
{
	size_t len = strlen(text), bad;

	if (!text_valid_utf8(text, len, &bad)) {
		snprintf(why, why_size, "invalid UTF-8 at byte %zu", bad + 1);
		return -1;
	}
	if (text_has_control(text)) {
		snprintf(why, why_size, "control characters are not allowed");
		return -1;
	}
	if (len > max_bytes) {
		snprintf(why, why_size, "longer than %zu bytes", max_bytes);
		return -1;
	}
	return 0;
}

int
ops_find_org(struct db *db, const char *ref, struct org *out)
{
	size_t len = strlen(ref);

	memset(out, 0, sizeof *out);
	if (len > 0 && len < 19 && strspn(ref, "0123456789") == len &&
	    len != CREDITCODE_LENGTH)
		return db_org_get(db, atoll(ref), out);
	return db_org_by_code(db, ref, out);
}

/* Checks optional text; "" and NULL pass. */
static int
check_field(struct db *db, const char *what, const char *text, size_t max)
{
	char why[128];

	if (text == NULL)
		return 0;
	if (ops_check_text(text, max, why, sizeof why) != 0)
		return db_fail(db, "%s: %s", what, why);
	return 0;
}

static int
require(struct db *db, const char *what, const char *text,
    const struct ops_request *req)
{
	if (text == NULL || *text == '\0')
		return db_fail(
		    db, "%s needs %s", event_kind_name(req->kind), what);
	return 0;
}

/*
 * Replays the certificate's history with `candidate` added; refuses with
 * the rule's message when it would not make sense.
 */
static int
validate_with(struct db *db, const struct cert *cert,
    const struct event_record *candidate)
{
	struct event_record *events = NULL;
	struct status_event *history;
	struct status_facts facts = {cert->issued_on, cert->valid_until};
	size_t count = 0;
	char why[600];
	int rc;

	if (db_cert_events(db, cert->id, &events, &count) != 0)
		return -1;
	history = db_status_events(events, count);
	{
		struct status_event *one = db_status_events(candidate, 1);
		history[count] = one[0];
		free(one);
	}
	history[count].id = STATUS_NEW_EVENT;
	rc = status_validate(&facts, history, count + 1, why, sizeof why);
	free(history);
	event_records_free(events, count);
	if (rc != 0)
		return db_fail(db, "%s: %s", cert->number, why);
	return 0;
}

static int
next_number(struct db *db, const char *category, int level, int issued_on,
    char out[NUMBER_MAX])
{
	char prefix[NUMBER_MAX];
	long long serial;

	number_series(category, level, issued_on, prefix);
	if (db_cert_max_serial(db, prefix, &serial) != 0)
		return -1;
	if (++serial > NUMBER_SERIAL_MAX)
		return db_fail(db, "no serial left for %s", prefix);
	snprintf(
	    out, NUMBER_MAX, "%.32s%04u", prefix, (unsigned)(serial % 1000000));
	return 0;
}

/* Inserts a certificate and its issue event. */
static int
issue_cert(struct db *db, const struct ops_request *req, long long holder,
    const char *category, int level, struct ops_result *result)
{
	struct cert cert = {0}, existing = {0};
	struct event_record e = {0};
	char number[NUMBER_MAX], why[300];
	int rc = -1;

	if (level < 1 || level > 5)
		return db_fail(db, "level must be 1 to 5, not %d", level);
	switch (db_category_exists(db, category)) {
	case 1:
		break;
	case 0:
		return db_fail(db, "unknown category %s", category);
	default:
		return -1;
	}
	if (req->number != NULL && *req->number != '\0') {
		if (number_check(req->number, category, level,
		        req->effective_on, why, sizeof why) != 0)
			return db_fail(db, "%s", why);
		switch (db_cert_by_number(db, req->number, &existing)) {
		case 0:
			cert_clear(&existing);
			return db_fail(
			    db, "certificate %s already exists", req->number);
		case 1:
			break;
		default:
			return -1;
		}
		snprintf(number, sizeof number, "%s", req->number);
	} else if (next_number(
	               db, category, level, req->effective_on, number) != 0) {
		return -1;
	}
	cert.number = mem_strdup(number);
	cert.category = mem_strdup(category);
	cert.level = level;
	cert.issued_on = req->effective_on;
	cert.valid_until = status_valid_until(req->effective_on);
	cert.holder_id = holder;
	cert.predecessor_id = req->predecessor_id;
	if (db_cert_insert(db, &cert) != 0)
		goto done;
	e.kind = EVENT_ISSUE;
	e.certificate_id = cert.id;
	e.organisation_id = holder;
	e.effective_on = req->effective_on;
	e.deadline = DATE_NONE;
	e.reason = (char *)(req->reason ? req->reason : "");
	e.reference = (char *)(req->reference ? req->reference : "");
	e.other_certificate_id = req->predecessor_id;
	if (db_event_insert(db, &e) != 0)
		goto done;
	result->event_id = e.id;
	snprintf(result->number, sizeof result->number, "%s", number);
	rc = 0;
done:
	free(e.recorded_at);
	cert_clear(&cert);
	return rc;
}

/*
 * Refuses an organisation that would take a credit code or id already
 * taken.  0 when both are free, else -1 with db_error().
 */
static int
check_new_org(struct db *db, const char *code, long long id)
{
	struct org other = {0};
	char why[200];
	int rc = 1;

	if (code != NULL && *code != '\0') {
		if (creditcode_check(code, why, sizeof why) != 0)
			return db_fail(db, "credit code %s: %s", code, why);
		if ((rc = db_org_by_code(db, code, &other)) == 0)
			db_fail(db,
			    "credit code %s already belongs to organisation "
			    "%lld (%s)",
			    code, other.id, other.name);
		org_clear(&other);
		if (rc != 1)
			return -1;
	}
	if (id != 0) {
		if ((rc = db_org_get(db, id, &other)) == 0)
			db_fail(db, "organisation %lld already exists (%s)", id,
			    other.name);
		org_clear(&other);
		if (rc != 1)
			return -1;
	}
	return 0;
}

/* org-add: the organisation and the event that records it. */
static int
add_org(struct db *db, const struct ops_request *req, struct event_record *e,
    struct ops_result *result)
{
	const char *code = req->credit_code;
	struct org org = {0};
	int rc = -1;

	if (require(db, "a name", req->name, req) ||
	    check_field(db, "name", req->name, NAME_MAX_BYTES) ||
	    check_field(db, "address", req->address, ADDRESS_MAX_BYTES) ||
	    check_new_org(db, code, req->org_id) != 0)
		return -1;
	org.id = req->org_id;
	org.name = mem_strdup(req->name);
	org.credit_code = code && *code ? mem_strdup(code) : NULL;
	org.address = mem_strdup(req->address ? req->address : "");
	if (db_org_insert(db, &org) != 0)
		goto done;
	e->organisation_id = org.id;
	e->new_value = org.name;
	if (db_event_insert(db, e) != 0)
		goto done;
	result->org_id = org.id;
	rc = 0;
done:
	org_clear(&org);
	return rc;
}

/* org-rename, org-address: the new value, the old one kept in the
 * event. */
static int
change_org(struct db *db, const struct ops_request *req, struct event_record *e)
{
	int rename = req->kind == EVENT_ORG_RENAME;
	const char *value = rename ? req->name : req->address;
	struct org org = {0};
	char **field;
	int rc = -1;

	if (require(db, "an organisation", req->org, req) ||
	    require(db, rename ? "a new name" : "an address", value, req) ||
	    check_field(db, "value", value,
	        rename ? NAME_MAX_BYTES : ADDRESS_MAX_BYTES))
		return -1;
	if (ops_find_org(db, req->org, &org) != 0)
		return -1;
	field = rename ? &org.name : &org.address;
	if (strcmp(*field, value) == 0) {
		db_fail(db, "organisation %lld already has %s %s", org.id,
		    rename ? "the name" : "the address", value);
		goto done;
	}
	e->old_value = *field;
	*field = mem_strdup(value);
	e->new_value = *field;
	e->organisation_id = org.id;
	if (db_org_update(db, &org) != 0 || db_event_insert(db, e) != 0)
		goto done;
	rc = 0;
done:
	free(e->old_value);
	org_clear(&org);
	return rc;
}

/* org-name-en: the English name of organisation `id` set to req->name_en,
 * the one it had (or none) kept in the event.  An event of its own, as a
 * rename is, so that the record says when it was given. */
static int
set_name_en(struct db *db, const struct ops_request *req, long long id,
    long long *event_id)
{
	struct event_record e = {0};
	char *old = NULL;
	int rc = -1;

	if (require(db, "an English name", req->name_en, req) ||
	    check_field(db, "English name", req->name_en, NAME_MAX_BYTES) ||
	    db_org_name_en(db, id, &old) != 0)
		return -1;
	if (old && strcmp(old, req->name_en) == 0) {
		db_fail(db, "organisation %lld already has the English name %s",
		    id, old);
		goto done;
	}
	if (db_org_set_name_en(db, id, req->name_en) != 0)
		goto done;
	e.kind = EVENT_ORG_NAME_EN;
	e.effective_on = req->effective_on;
	e.deadline = DATE_NONE;
	e.reason = (char *)(req->reason ? req->reason : "");
	e.reference = (char *)(req->reference ? req->reference : "");
	e.organisation_id = id;
	e.old_value = old;
	e.new_value = (char *)req->name_en;
	if (db_event_insert(db, &e) != 0)
		goto done;
	*event_id = e.id;
	rc = 0;
done:
	free(e.recorded_at);
	free(old);
	return rc;
}

static int
record_org(
    struct db *db, const struct ops_request *req, struct ops_result *result)
{
	struct event_record e = {0};
	int rc;

	if (req->kind == EVENT_ORG_NAME_EN) {
		struct org org = {0};
		if (require(db, "an organisation", req->org, req) ||
		    ops_find_org(db, req->org, &org) != 0)
			return -1;
		rc = set_name_en(db, req, org.id, &result->event_id);
		org_clear(&org);
		return rc;
	}

	e.kind = req->kind;
	e.effective_on = req->effective_on;
	e.deadline = DATE_NONE;
	e.reason = (char *)(req->reason ? req->reason : "");
	e.reference = (char *)(req->reference ? req->reference : "");
	if (req->kind == EVENT_ORG_ADD)
		rc = add_org(db, req, &e, result);
	else
		rc = change_org(db, req, &e);
	if (rc == 0)
		result->event_id = e.id;
	free(e.recorded_at);
	/* An English name given with org-add: its own event, after. */
	if (rc == 0 && req->kind == EVENT_ORG_ADD && req->name_en &&
	    *req->name_en) {
		long long ignored;
		rc = set_name_en(db, req, result->org_id, &ignored);
	}
	return rc;
}

/* The latest rectification order of a certificate still open (0 when
 * none) in *found.  0, or -1 with db_error(). */
static int
latest_open_order(struct db *db, const struct cert *cert, long long *found)
{
	struct event_record *events = NULL;
	struct status_event *history;
	size_t count = 0;

	if (db_cert_events(db, cert->id, &events, &count) != 0)
		return -1;
	history = db_status_events(events, count);
	*found = status_latest_open_order(history, count);
	free(history);
	event_records_free(events, count);
	return 0;
}

/* The certificate a request concerns: the voided event's for a void,
 * else the one numbered req->cert. */
static int
find_cert(struct db *db, const struct ops_request *req, struct cert *out)
{
	struct event_record target = {0};
	int rc;

	if (req->kind != EVENT_VOID) {
		if (require(db, "a certificate number", req->cert, req))
			return -1;
		return db_cert_by_number(db, req->cert, out) == 0 ? 0 : -1;
	}
	if (db_event_get(db, req->target, &target) != 0)
		return -1;
	if (target.certificate_id == 0)
		rc = db_fail(db,
		    "event %lld concerns an organisation and cannot be "
		    "voided: record the correct details with `org rename` "
		    "or `org address`",
		    req->target);
	else
		rc = db_cert_get(db, target.certificate_id, out) == 0 ? 0 : -1;
	event_record_clear(&target);
	return rc;
}

/*
 * Checks what each kind of certificate event needs and completes `e`
 * with it (the deadline, the order closed, the new holder, found in
 * *to).  0, or -1 with db_error().
 */
static int
complete_event(struct db *db, const struct ops_request *req,
    const struct cert *cert, struct event_record *e, struct org *to)
{
	switch (req->kind) {
	case EVENT_WARN:
	case EVENT_SUSPEND:
	case EVENT_REVOKE:
	case EVENT_VOID:
		return require(db, "a reason (--reason)", req->reason, req);
	case EVENT_RECTIFY:
		if (require(db, "a reason (--reason)", req->reason, req))
			return -1;
		if (req->deadline == DATE_NONE)
			return db_fail(
			    db, "rectify needs a deadline (--deadline)");
		e->deadline = req->deadline;
		return 0;
	case EVENT_RECTIFY_CLOSE:
		if (e->target_id == 0 &&
		    latest_open_order(db, cert, &e->target_id) != 0)
			return -1;
		if (e->target_id == 0)
			return db_fail(db,
			    "%s: there is no open rectification order",
			    cert->number);
		return 0;
	case EVENT_TRANSFER:
		if (require(db, "the new holder (--to)", req->to_org, req) ||
		    ops_find_org(db, req->to_org, to) != 0)
			return -1;
		if (to->id == cert->holder_id)
			return db_fail(db,
			    "%s is already held by organisation %lld",
			    cert->number, to->id);
		e->organisation_id = to->id;
		e->other_organisation_id = cert->holder_id;
		return 0;
	case EVENT_UPGRADE:
		if (req->level <= cert->level || req->level > 5)
			return db_fail(db,
			    "%s is at level %d: an upgrade goes to a "
			    "higher level, up to 5",
			    cert->number, cert->level);
		return 0;
	default:
		return 0;
	}
}

/* Renew, upgrade: issues the successor of `cert` and links the two. */
static int
issue_successor(struct db *db, const struct ops_request *req, struct cert *cert,
    struct event_record *e, struct ops_result *result)
{
	struct ops_request issue = *req;
	struct ops_result issued = {0};
	struct cert successor = {0};
	int level = req->kind == EVENT_UPGRADE ? req->level : cert->level;

	issue.kind = EVENT_ISSUE;
	issue.predecessor_id = cert->id;
	if (issue_cert(db, &issue, cert->holder_id, cert->category, level,
	        &issued) != 0)
		return -1;
	if (db_cert_by_number(db, issued.number, &successor) != 0) {
		cert_clear(&successor);
		return -1;
	}
	e->other_certificate_id = successor.id;
	cert->successor_id = successor.id;
	snprintf(result->number, sizeof result->number, "%s", issued.number);
	cert_clear(&successor);
	return 0;
}

static int
record_cert_event(
    struct db *db, const struct ops_request *req, struct ops_result *result)
{
	struct cert cert = {0};
	struct org to = {0};
	struct event_record e = {0};
	int moves = req->kind == EVENT_TRANSFER || req->kind == EVENT_RENEW ||
	            req->kind == EVENT_UPGRADE;
	int rc = -1;

	if (find_cert(db, req, &cert) != 0)
		goto done;
	e.kind = req->kind;
	e.certificate_id = cert.id;
	e.organisation_id = cert.holder_id;
	e.effective_on = req->effective_on;
	e.deadline = DATE_NONE;
	e.target_id = req->target;
	e.reason = (char *)(req->reason ? req->reason : "");
	e.reference = (char *)(req->reference ? req->reference : "");
	if (complete_event(db, req, &cert, &e, &to) != 0 ||
	    check_field(db, "reason", req->reason, NOTE_MAX_BYTES) ||
	    check_field(db, "reference", req->reference, NOTE_MAX_BYTES) ||
	    validate_with(db, &cert, &e) != 0)
		goto done;
	if ((req->kind == EVENT_RENEW || req->kind == EVENT_UPGRADE) &&
	    issue_successor(db, req, &cert, &e, result) != 0)
		goto done;
	if (db_event_insert(db, &e) != 0)
		goto done;
	if (req->kind == EVENT_TRANSFER)
		cert.holder_id = to.id;
	if (moves && db_cert_update(db, &cert) != 0)
		goto done;
	result->event_id = e.id;
	rc = 0;
done:
	free(e.recorded_at);
	org_clear(&to);
	cert_clear(&cert);
	return rc;
}

int
ops_record(
    struct db *db, const struct ops_request *req, struct ops_result *result)
{
	struct org holder = {0};
	int rc;

	memset(result, 0, sizeof *result);
	if (req->effective_on == DATE_NONE)
		return db_fail(
		    db, "%s needs a date", event_kind_name(req->kind));
	if (db_begin(db) != 0)
		return -1;
	switch (req->kind) {
	case EVENT_ORG_ADD:
	case EVENT_ORG_RENAME:
	case EVENT_ORG_ADDRESS:
	case EVENT_ORG_NAME_EN:
		rc = record_org(db, req, result);
		break;
	case EVENT_ISSUE:
		rc = require(db, "an organisation (--org)", req->org, req);
		if (rc == 0)
			rc = ops_find_org(db, req->org, &holder);
		if (rc == 0)
			rc = check_field(
			         db, "reason", req->reason, NOTE_MAX_BYTES) ||
			     check_field(db, "reference", req->reference,
			         NOTE_MAX_BYTES);
		if (rc == 0)
			rc = issue_cert(db, req, holder.id,
			    req->category ? req->category : "CS",
			    req->level ? req->level : 1, result);
		org_clear(&holder);
		break;
	case EVENT_KIND_COUNT:
		rc = db_fail(db, "unknown event kind");
		break;
	default:
		rc = record_cert_event(db, req, result);
		break;
	}
	if (rc != 0) {
		db_end(db, 0);
		return -1;
	}
	return db_end(db, 1);
}

/*
 * Text reports (see show.h).  The layout is for people: one fact per line,
 * labels left, and a history line per event with what it changed.
 */
#include "registry/record/show.h"

#include <stdlib.h>
#include <string.h>

#include "registry/rules/date.h"
#include "registry/rules/label.h"
#include "registry/base/mem.h"
#include "registry/record/ops.h"

int
show_status(struct db *db, const struct cert *cert, int day, struct status *out)
{
	struct event_record *events = NULL;
	struct status_event *history;
	struct status_facts facts = {cert->issued_on, cert->valid_until};
	size_t count = 0;

	if (db_cert_events(db, cert->id, &events, &count) != 0)
		return -1;
	history = db_status_events(events, count);
	status_on(&facts, history, count, day, out);
	free(history);
	event_records_free(events, count);
	return 0;
}

static void
print_window(FILE *out, const char *label, const struct status_window *w)
{
	char a[DATE_BUFSIZE], b[DATE_BUFSIZE], c[DATE_BUFSIZE];

	fprintf(out, "%-15s %s to %s, %s", label, date_format(w->start, a),
	    date_format(w->end, b), status_window_state_name(w->state));
	if (w->done_on != DATE_NONE)
		fprintf(out, " on %s", date_format(w->done_on, c));
	fputc('\n', out);
}

/* "name (organisation N)" with the name the organisation had on `day`:
 * the old name of the first rename after that day, else the current one.
 * 0, or -1 when it cannot be read. */
static int
org_label(struct db *db, long long id, int day, char *buf, size_t size)
{
	struct org org = {0};
	struct event_record *events = NULL;
	size_t count = 0;
	const char *name = NULL;
	int rc = db_org_get(db, id, &org);

	if (rc != 0) {
		snprintf(buf, size, "organisation %lld", id);
		return rc < 0 ? -1 : 0;
	}
	name = org.name;
	rc = db_org_events(db, id, &events, &count);
	for (size_t i = 0; rc == 0 && i < count; i++)
		if (events[i].kind == EVENT_ORG_RENAME &&
		    events[i].organisation_id == id &&
		    events[i].effective_on > day && events[i].old_value) {
			name = events[i].old_value;
			break;
		}
	snprintf(buf, size, "%s (organisation %lld)", name, id);
	event_records_free(events, count);
	org_clear(&org);
	return rc;
}

/* A certificate's number, "certificate N" when there is none; 0, or -1
 * when it cannot be read. */
static int
cert_label(struct db *db, long long id, char *buf, size_t size)
{
	struct cert cert = {0};
	int rc = db_cert_get(db, id, &cert);

	if (rc == 0)
		snprintf(buf, size, "%s", cert.number);
	else
		snprintf(buf, size, "certificate %lld", id);
	cert_clear(&cert);
	return rc < 0 ? -1 : 0;
}

/* What an event says beyond its kind and date; 0, or -1 when a name or
 * number it refers to cannot be read. */
static int
print_details(struct db *db, FILE *out, const struct event_record *e)
{
	char date[DATE_BUFSIZE], other[700];
	int rc = 0;

	switch (e->kind) {
	case EVENT_ORG_ADD:
		fprintf(out, "  name: %s", e->new_value ? e->new_value : "");
		break;
	case EVENT_ORG_RENAME:
	case EVENT_ORG_ADDRESS:
	case EVENT_ORG_NAME_EN:
		fprintf(out, "  from: %s  to: %s",
		    e->old_value ? e->old_value : "",
		    e->new_value ? e->new_value : "");
		break;
	case EVENT_ISSUE:
		rc = org_label(db, e->organisation_id, e->effective_on, other,
		    sizeof other);
		fprintf(out, "  to: %s", other);
		if (e->other_certificate_id) {
			rc |= cert_label(
			    db, e->other_certificate_id, other, sizeof other);
			fprintf(out, "  replaces: %s", other);
		}
		break;
	case EVENT_RECTIFY:
		fprintf(out, "  deadline: %s", date_format(e->deadline, date));
		break;
	case EVENT_RECTIFY_CLOSE:
		fprintf(out, "  closes: #%lld", e->target_id);
		break;
	case EVENT_TRANSFER:
		rc = org_label(db, e->other_organisation_id, e->effective_on,
		    other, sizeof other);
		fprintf(out, "  from: %s", other);
		rc |= org_label(db, e->organisation_id, e->effective_on, other,
		    sizeof other);
		fprintf(out, "  to: %s", other);
		break;
	case EVENT_RENEW:
	case EVENT_UPGRADE:
		rc = cert_label(
		    db, e->other_certificate_id, other, sizeof other);
		fprintf(out, "  successor: %s", other);
		break;
	case EVENT_VOID:
		fprintf(out, "  voids: #%lld", e->target_id);
		break;
	default:
		break;
	}
	return rc;
}

/* One history line; 0, or -1 as print_details(). */
static int
print_event(struct db *db, FILE *out, const struct event_record *e,
    const struct event_record *all, size_t count)
{
	char date[DATE_BUFSIZE];
	int rc;

	fprintf(out, "  #%-6lld %s  %-13s %s", e->id,
	    date_format(e->effective_on, date), event_kind_name(e->kind),
	    label_event_zh(e->kind));
	rc = print_details(db, out, e);
	if (e->reason && *e->reason)
		fprintf(out, "  reason: %s", e->reason);
	if (e->reference && *e->reference)
		fprintf(out, "  ref: %s", e->reference);
	fprintf(out, "  recorded: %s", e->recorded_at ? e->recorded_at : "");
	for (size_t i = 0; i < count; i++)
		if (all[i].kind == EVENT_VOID && all[i].target_id == e->id)
			fprintf(out, "  [voided by #%lld]", all[i].id);
	fputc('\n', out);
	return rc;
}

/* "history" and a line per event; 0, or -1 as print_details(). */
static int
print_history(
    struct db *db, FILE *out, const struct event_record *events, size_t count)
{
	fprintf(out, "history\n");
	for (size_t i = 0; i < count; i++)
		if (print_event(db, out, &events[i], events, count) != 0)
			return -1;
	return 0;
}

int
show_cert(struct db *db, const char *number, int day, FILE *out)
{
	struct cert cert = {0};
	struct org holder = {0};
	struct status st;
	struct event_record *events = NULL;
	size_t count = 0;
	char d1[DATE_BUFSIZE], d2[DATE_BUFSIZE], flags[128], other[64];
	int rc = -1;

	if (db_cert_by_number(db, number, &cert) != 0)
		return -1;
	if (db_org_get(db, cert.holder_id, &holder) != 0 ||
	    show_status(db, &cert, day, &st) != 0 ||
	    db_cert_events(db, cert.id, &events, &count) != 0)
		goto done;
	fprintf(out, "%-15s %s\n", "number", cert.number);
	fprintf(out, "%-15s %s\n", "category", cert.category);
	fprintf(out, "%-15s %d %s\n", "level", cert.level,
	    label_level_zh(cert.level));
	fprintf(out, "%-15s %s (organisation %lld%s%s)\n", "holder",
	    holder.name, holder.id, holder.credit_code ? ", " : "",
	    holder.credit_code ? holder.credit_code : "");
	fprintf(
	    out, "%-15s %s\n", "issued_on", date_format(cert.issued_on, d1));
	fprintf(out, "%-15s %s\n", "valid_until",
	    date_format(cert.valid_until, d1));
	if (cert.predecessor_id) {
		if (cert_label(db, cert.predecessor_id, other, sizeof other))
			goto done;
		fprintf(out, "%-15s %s\n", "predecessor", other);
	}
	if (cert.successor_id) {
		if (cert_label(db, cert.successor_id, other, sizeof other))
			goto done;
		fprintf(out, "%-15s %s\n", "successor", other);
	}
	fprintf(out, "%-15s %s\n", "as_of", date_format(day, d1));
	fprintf(out, "%-15s %s %s", "status", status_name(st.status),
	    label_status_zh(st.status));
	if (st.since != DATE_NONE)
		fprintf(out, " since %s", date_format(st.since, d1));
	fputc('\n', out);
	status_flags_format(st.flags, ", ", flags, sizeof flags);
	fprintf(out, "%-15s %s\n", "flags", *flags ? flags : "none");
	if (st.flags & STATUS_FLAG_WARNING)
		fprintf(out, "%-15s %s\n", "warning_until",
		    date_format(st.warning_until, d1));
	if (st.flags & STATUS_FLAGS_ORDERS)
		fprintf(out, "%-15s %s (%d open)\n", "deadline",
		    date_format(st.rectification_deadline, d2), st.open_orders);
	print_window(out, "annual_check_1", &st.annual[0]);
	print_window(out, "annual_check_2", &st.annual[1]);
	print_window(out, "renewal", &st.renewal);
	if (print_history(db, out, events, count) != 0)
		goto done;
	rc = 0;
done:
	event_records_free(events, count);
	org_clear(&holder);
	cert_clear(&cert);
	return rc;
}

int
show_org(struct db *db, const char *ref, int day, FILE *out)
{
	struct org org = {0};
	struct event_record *events = NULL;
	long long *ids = NULL;
	size_t count = 0, n_ids = 0;
	char d1[DATE_BUFSIZE];
	int rc = -1;

	if (ops_find_org(db, ref, &org) != 0)
		return -1;
	if (db_org_events(db, org.id, &events, &count) != 0 ||
	    db_org_certs(db, org.id, &ids, &n_ids) != 0)
		goto done;
	fprintf(out, "%-15s %lld\n", "id", org.id);
	fprintf(out, "%-15s %s\n", "name", org.name);
	{
		char *name_en = NULL;
		if (db_org_name_en(db, org.id, &name_en) != 0)
			goto done;
		if (name_en)
			fprintf(out, "%-15s %s\n", "name_en", name_en);
		free(name_en);
	}
	fprintf(out, "%-15s %s\n", "credit_code",
	    org.credit_code ? org.credit_code : "none");
	fprintf(out, "%-15s %s\n", "address", *org.address ? org.address : "");
	for (size_t i = 0; i < count; i++)
		if (events[i].kind == EVENT_ORG_RENAME)
			fprintf(out, "%-15s %s (until %s)\n", "former_name",
			    events[i].old_value,
			    date_format(events[i].effective_on - 1, d1));
	fprintf(out, "certificates (as of %s)\n", date_format(day, d1));
	for (size_t i = 0; i < n_ids; i++) {
		struct cert cert = {0};
		struct status st;
		if (db_cert_get(db, ids[i], &cert) != 0 ||
		    show_status(db, &cert, day, &st) != 0) {
			cert_clear(&cert);
			goto done;
		}
		fprintf(out, "  %s  level %d  %s to %s  %s\n", cert.number,
		    cert.level, date_format(cert.issued_on, d1),
		    date_format(cert.valid_until, (char[DATE_BUFSIZE]){0}),
		    status_name(st.status));
		cert_clear(&cert);
	}
	if (print_history(db, out, events, count) != 0)
		goto done;
	rc = 0;
done:
	free(ids);
	event_records_free(events, count);
	org_clear(&org);
	return rc;
}

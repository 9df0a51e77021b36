/*
 * Certificate routes.  The list walks one index in number order (the most
 * selective the filters allow) and applies the other filters, and statuses
 * on dates other than the snapshot's, row by row; a page stops after
 * `limit` matches or when its scan budget is spent, and its cursor is the
 * last number looked at, so a sparse filter gives short pages rather than
 * slow ones, and every row is seen exactly once.  With q, the list is a
 * search (search.c).
 */
#include "registry/api/certs.h"

#include <stdlib.h>
#include <string.h>

#include "registry/api/doc.h"
#include "registry/api/event.h"
#include "registry/api/json.h"
#include "registry/api/numbers.h"
#include "registry/api/search.h"

#define DEFAULT_LIMIT 20

/* The parameters a list cursor is bound to. */
static const char *const LIST_FILTERS[] = {
    "q", "level", "category", "status", "as_of", NULL};

int
api_cert_filter_match(const struct api_cert_filter *f, const struct api_cert *c)
{
	if (f->level && c->row.level != f->level)
		return 0;
	if (f->category && strcmp(c->row.category, f->category) != 0)
		return 0;
	if (f->status >= 0 && (int)c->st.status != f->status)
		return 0;
	return 1;
}

int
api_cert_filter_read(struct api_call *c, struct api_cert_filter *f)
{
	const char *level = api_query_get(&c->query, "level");
	const char *category = api_query_get(&c->query, "category");
	const char *status = api_query_get(&c->query, "status");

	f->level = 0;
	f->category = NULL;
	f->status = -1;
	if (level) {
		if (strlen(level) != 1 || level[0] < '1' || level[0] > '5') {
			api_call_problem(c, 400, "level",
			    "level must be 1, 2, "
			    "3, 4 or 5");
			return -1;
		}
		f->level = level[0] - '0';
	}
	if (category) {
		const struct snapshot_category *known =
		    snapshot_category(c->snap, category);
		if (known == NULL) {
			api_call_problem(c, 400, "category",
			    "unknown category "
			    "'%s'; /v1/meta lists them",
			    category);
			return -1;
		}
		f->category = known->code;
	}
	if (status && (f->status = status_parse(status)) < 0) {
		api_call_problem(c, 400, "status",
		    "status must be one of "
		    "valid, suspended, revoked, expired, "
		    "superseded, not_issued");
		return -1;
	}
	return 0;
}

struct snapshot_rows *
api_cert_filter_rows(struct snapshot *snap, const struct api_cert_filter *f,
    int day, const char *after)
{
	if (f->status >= 0 && day == snapshot_meta(snap)->as_of)
		return snapshot_certs_by_status(
		    snap, (enum cert_status)f->status, after);
	if (f->category)
		return snapshot_certs_by_category(snap, f->category, after);
	if (f->level)
		return snapshot_certs_by_level(snap, f->level, after);
	return snapshot_certs(snap, after);
}

static void
list(struct api_call *c, const struct api_cert_filter *f, int limit,
    const struct api_cursor *cursor, uint32_t filters)
{
	struct snapshot_rows *rows =
	    api_cert_filter_rows(c->snap, f, c->day, cursor ? cursor->key : "");
	struct buf *b = &c->resp->body;
	struct api_cert cert;
	char last_seen[API_CURSOR_KEY_MAX + 1] = "";
	int count = 0, more = 0, stopped = 0, rc;

	buf_puts(b, "{\"as_of\":");
	api_json_put_date(b, c->day);
	buf_puts(b, ",\"limit\":");
	api_json_put_int(b, limit);
	buf_puts(b, ",\"items\":[");
	while ((rc = api_cert_next(c->snap, rows, c->day, &cert)) == 1) {
		if (api_cert_filter_match(f, &cert)) {
			/* One match beyond the page: there is a next one,
			 * and it starts after the last row looked at. */
			if (count == limit) {
				more = 1;
				break;
			}
			if (count++)
				buf_putc(b, ',');
			api_cert_write(c->snap, &cert, NULL, b);
		}
		snprintf(last_seen, sizeof last_seen, "%s", cert.row.number);
		if (api_call_spent(c)) {
			stopped = 1;
			break;
		}
	}
	snapshot_rows_done(rows);
	if (rc < 0) {
		api_call_failed(c);
		return;
	}
	buf_putc(b, ']');
	if (more || stopped) {
		struct api_cursor next = {.list = 'c', .filters = filters};
		snprintf(next.key, sizeof next.key, "%s", last_seen);
		api_call_page_end(c, &next, 1);
	} else {
		api_call_page_end(c, NULL, 0);
	}
	api_call_ok(c);
}

void
api_certs_list(struct api_call *c)
{
	struct api_cert_filter f;
	struct api_cursor cursor;
	uint32_t filters;
	const char *q = api_query_get(&c->query, "q");
	const char *numbers = api_query_get(&c->query, "number");
	int limit, has_cursor;

	if (numbers != NULL) {
		api_numbers(c, numbers);
		return;
	}
	if (api_query_get(&c->query, "format") != NULL) {
		api_call_problem(c, 400, "format",
		    "format is for the bulk check only (number=A,B,C); lists "
		    "and searches are JSON, the whole registry is at "
		    "/v1/export/certificates.csv");
		return;
	}
	if (api_cert_filter_read(c, &f) != 0 ||
	    api_call_limit(c, DEFAULT_LIMIT, &limit) != 0)
		return;
	filters = api_call_fingerprint(c, LIST_FILTERS);
	if (q != NULL && api_search_wanted(q)) {
		has_cursor = api_call_cursor(c, 's', filters, &cursor);
		if (has_cursor >= 0)
			api_search(c, q, &f, limit, has_cursor ? &cursor : NULL,
			    filters);
		return;
	}
	has_cursor = api_call_cursor(c, 'c', filters, &cursor);
	if (has_cursor >= 0)
		list(c, &f, limit, has_cursor ? &cursor : NULL, filters);
}

/*
 * A number the registry does not hold: a 404 that says so plainly, what
 * to check and whom to tell, with the number and the snapshot it was
 * looked up in.
 */
static void
not_in_registry(struct api_call *c, const char *number)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);
	json_t *members = json_object();

	json_object_set_new(members, "number", api_json_text(number));
	json_object_set_new(members, "in_registry", json_false());
	json_object_set_new(members, "as_of", api_json_date(c->day));
	json_object_set_new(
	    members, "published_at", api_json_text(meta->published_at));
	json_object_set_new(members, "check",
	    json_pack("[s, s]",
	        "the number as typed: "
	        "CNITSEC-<category><level>-<year>-<serial>, "
	        "e.g. CNITSEC-CS1-2024-0001 (CNITSEC- may be left out)",
	        "the issuer named on the certificate: this registry holds the "
	        "certificates of this scheme only"));
	json_object_set_new(members, "report",
	    json_string("tell the issuer about a certificate shown to you "
	                "that is not in the registry: the contact chapter of "
	                "the guide, /contact/ on the website"));
	api_call_problem_members(c, 404, members,
	    "%s is not in the registry (as of %s, snapshot published %s): "
	    "check the number as typed and the issuer named on the "
	    "certificate; if it was shown to you as a certificate, tell the "
	    "issuer (/contact/)",
	    number, json_string_value(json_object_get(members, "as_of")),
	    meta->published_at);
}

/* A number from a path in its canonical form ("cs1-2024-0001" is
 * CNITSEC-CS1-2024-0001), or as it is. */
static const char *
canonical(const char *number, char out[LOOKUP_MAX])
{
	return lookup_classify(number, out) == LOOKUP_NUMBER ? out : number;
}

void
api_certs_one(struct api_call *c, const char *given)
{
	char canon[LOOKUP_MAX];
	const char *number = canonical(given, canon);
	int rc = api_doc_certificate(c->snap, number, c->day, &c->resp->body);

	if (rc == 0) {
		not_in_registry(c, number);
		return;
	}
	if (rc < 0) {
		buf_reset(&c->resp->body);
		api_call_failed(c);
		return;
	}
	api_call_ok(c);
}

void
api_certs_history(struct api_call *c, const char *given)
{
	char canon[LOOKUP_MAX];
	const char *number = canonical(given, canon);
	struct snapshot_rows *rows = snapshot_cert(c->snap, number);
	struct snapshot_cert cert;
	struct snapshot_event event;
	json_t *events, *body;
	int rc = snapshot_next_cert(rows, &cert);

	snapshot_rows_done(rows);
	if (rc == 0) {
		not_in_registry(c, number);
		return;
	}
	if (rc < 0) {
		api_call_failed(c);
		return;
	}
	rows = snapshot_history(c->snap, number);
	events = json_array();
	while ((rc = snapshot_next_event(rows, &event)) == 1) {
		json_t *one =
		    api_event_json_named(c->snap, c->config->base_url, &event);
		if (one == NULL) {
			rc = -1;
			break;
		}
		json_array_append_new(events, one);
	}
	snapshot_rows_done(rows);
	if (rc < 0) {
		json_decref(events);
		api_call_failed(c);
		return;
	}
	body = json_object();
	json_object_set_new(body, "number", json_string(number));
	json_object_set_new(body, "events", events);
	api_call_json(c, body);
}

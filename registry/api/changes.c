/*
 * Change feed routes (see changes.h).  Both walk the events by seq and
 * filter kinds row by row under the page's scan budget.
 */
#include "registry/api/changes.h"

#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "registry/api/event.h"
#include "registry/api/export.h"
#include "registry/api/server.h"
#include "registry/base/mem.h"
#include "registry/api/hash.h"
#include "registry/api/json.h"
#include "registry/rules/event.h"
#include "registry/rules/label.h"

#define DEFAULT_LIMIT 100
#define ATOM_DEFAULT_LIMIT 50

/* The kinds asked for as bits (all when `kind` is absent); 0, or -1 with
 * a 400 set. */
static int
read_kinds(struct api_call *c, unsigned *mask)
{
	const char *text = api_query_get(&c->query, "kind");

	*mask = (1u << EVENT_KIND_COUNT) - 1;
	if (text == NULL)
		return 0;
	*mask = 0;
	while (*text) {
		char name[32];
		size_t len = strcspn(text, ",");
		int kind;
		snprintf(name, sizeof name, "%.*s", (int)(len < 31 ? len : 31),
		    text);
		kind = len < 31 ? event_kind_parse(name) : -1;
		if (kind < 0) {
			api_call_problem(c, 400, "kind",
			    "unknown event kind "
			    "'%s'; kinds are org-add, org-rename, "
			    "org-address, issue, annual-check, warn, "
			    "rectify, rectify-close, suspend, "
			    "reinstate, revoke, transfer, renew, "
			    "upgrade, void, org-name-en",
			    name);
			return -1;
		}
		*mask |= 1u << kind;
		text += len;
		if (*text == ',')
			text++;
	}
	return 0;
}

/* What a feed asks for: kinds, and effective dates from since to until
 * (both included; DATE_NONE for no bound). */
struct feed_filter {
	unsigned kinds;
	int since, until;
};

static int
read_date(struct api_call *c, const char *name, int *out)
{
	const char *text = api_query_get(&c->query, name);

	*out = DATE_NONE;
	if (text && date_parse(text, out) != 0) {
		api_call_problem(c, 400, name,
		    "%s must be a date YYYY-MM-DD that exists, from %d to %d",
		    name, DATE_MIN_YEAR, DATE_MAX_YEAR);
		return -1;
	}
	return 0;
}

/* kind, since and until; 0, or -1 with a 400 set. */
static int
read_feed_filter(struct api_call *c, struct feed_filter *f)
{
	if (read_kinds(c, &f->kinds) != 0 ||
	    read_date(c, "since", &f->since) != 0 ||
	    read_date(c, "until", &f->until) != 0)
		return -1;
	if (f->since != DATE_NONE && f->until != DATE_NONE &&
	    f->until < f->since) {
		api_call_problem(c, 400, "until",
		    "until (%s) is before since (%s)",
		    api_query_get(&c->query, "until"),
		    api_query_get(&c->query, "since"));
		return -1;
	}
	return 0;
}

static int
kind_wanted(const struct snapshot_event *e, const struct feed_filter *f)
{
	if (e->kind >= EVENT_KIND_COUNT || !(f->kinds & (1u << e->kind)))
		return 0;
	if (f->since != DATE_NONE && e->effective_on < f->since)
		return 0;
	if (f->until != DATE_NONE && e->effective_on > f->until)
		return 0;
	return 1;
}

void
api_changes_list(struct api_call *c)
{
	static const char *const filter_names[] = {
	    "kind", "since", "until", NULL};
	struct api_cursor cursor, next;
	struct buf *b = &c->resp->body;
	struct snapshot_rows *rows;
	struct snapshot_event e;
	struct feed_filter mask;
	long long after, last_seen;
	int limit, count = 0, more = 0, stopped = 0, rc, has_cursor;
	uint32_t filters = api_call_fingerprint(c, filter_names);

	if (read_feed_filter(c, &mask) != 0 ||
	    api_call_limit(c, DEFAULT_LIMIT, &limit) != 0 ||
	    (has_cursor = api_call_cursor(c, 'e', filters, &cursor)) < 0)
		return;
	after = has_cursor ? cursor.a : 0;
	last_seen = after;
	rows = snapshot_events_after(c->snap, after);
	buf_puts(b, "{\"limit\":");
	api_json_put_int(b, limit);
	buf_puts(b, ",\"items\":[");
	while ((rc = snapshot_next_event(rows, &e)) == 1) {
		if (kind_wanted(&e, &mask)) {
			json_t *event;
			if (count == limit) {
				more = 1;
				break;
			}
			if ((event = api_event_json_named(
			         c->snap, c->config->base_url, &e)) == NULL) {
				rc = -1;
				break;
			}
			if (count++)
				buf_putc(b, ',');
			api_json_dump(b, event);
			json_decref(event);
		}
		last_seen = e.seq;
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
	buf_puts(b, "],\"more\":");
	buf_puts(b, more || stopped ? "true" : "false");
	/* A feed always gives a cursor: at its end, the place to poll from
	 * for what is recorded later.  The Link header only while more is
	 * there now. */
	memset(&next, 0, sizeof next);
	next.list = 'e';
	next.filters = filters;
	next.a = last_seen;
	api_call_page_end(c, &next, more || stopped);
	api_call_ok(c);
}

static void
xml_text(struct buf *b, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)(text ? text : "");
	     *p; p++) {
		switch (*p) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		default:
			if (*p >= 0x20 || *p == '\t' || *p == '\n')
				buf_putc(b, (char)*p);
		}
	}
}

/* Text that is there, or NULL. */
static const char *
present(const char *text)
{
	return text && *text ? text : NULL;
}

/* A stable urn:uuid for an event (RFC 9562 version 8, from its seq). */
static void
event_uuid(long long seq, char out[48])
{
	uint64_t a =
	    api_hash_str(api_hash_str(API_HASH_INIT, "registry-event"), "");
	uint64_t b;

	a = api_hash_add(a, &seq, sizeof seq);
	b = api_hash_add(a, "2", 1);
	snprintf(out, 48, "urn:uuid:%08x-%04x-8%03x-%04x-%012llx",
	    (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
	    (unsigned)a & 0xfff, (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
	    (unsigned long long)(b & 0xffffffffffffULL));
}

static void
atom_entry(struct buf *b, const char *base, const struct snapshot_event *e,
    const char *holder)
{
	const char *kind = present(e->kind_name);
	const char *number = present(e->number);
	const char *label = kind ? label_event_zh(e->kind) : "";
	const char *reason = present(e->reason);
	const char *other = present(e->other_number);
	const char *new_value = present(e->new_value);
	char deadline[DATE_BUFSIZE], effective_on[DATE_BUFSIZE], uuid[48];
	struct buf url = {0};

	date_format(e->deadline, deadline);
	date_format(e->effective_on, effective_on);
	event_uuid(e->seq, uuid);
	buf_printf(b, "<entry>\n<id>%s</id>\n<title>", uuid);
	xml_text(b, label);
	buf_putc(b, ' ');
	if (number)
		xml_text(b, number);
	else
		xml_text(b, present(holder) ? holder : new_value);
	if (number && present(holder)) {
		buf_puts(b, "（");
		xml_text(b, holder);
		buf_puts(b, "）");
	}
	buf_puts(b, "</title>\n<updated>");
	xml_text(b, present(e->recorded_at));
	buf_puts(b, "</updated>\n<link rel=\"alternate\" type=\"text/html\" "
	            "href=\"");
	api_event_page(&url, base, e);
	xml_text(b, url.data);
	buf_free(&url);
	buf_puts(b, "\"/>\n<link rel=\"related\" type=\"application/json\" "
	            "href=\"");
	xml_text(b, base);
	if (number) {
		buf_puts(b, "v1/certificates/");
		xml_text(b, number);
		buf_puts(b, "/history");
	} else {
		buf_printf(b, "v1/organisations/%lld", e->organisation_id);
	}
	buf_puts(b, "\"/>\n<category term=\"");
	xml_text(b, kind);
	buf_puts(b, "\" label=\"");
	xml_text(b, label);
	buf_puts(b, "\"/>\n<content type=\"text\">");
	xml_text(b, label);
	buf_puts(b, "。生效日期 ");
	xml_text(b, present(effective_on));
	if (number) {
		buf_puts(b, "；证书 ");
		xml_text(b, number);
	}
	if (present(holder)) {
		buf_puts(b, "；组织 ");
		xml_text(b, holder);
	}
	if (new_value) {
		buf_puts(b, "；");
		xml_text(b, new_value);
	}
	if (other) {
		buf_puts(b, "；新证书 ");
		xml_text(b, other);
	}
	if (*deadline) {
		buf_puts(b, "；整改期限 ");
		xml_text(b, deadline);
	}
	if (reason) {
		buf_puts(b, "；理由：");
		xml_text(b, reason);
	}
	if (e->voided_by)
		buf_puts(b, "；此记录已被更正");
	buf_puts(b, "</content>\n</entry>\n");
}

void
api_changes_atom(struct api_call *c)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);
	const char *base = c->config->base_url;
	struct buf entries = {0};
	struct snapshot_rows *rows;
	struct snapshot_event e;
	struct feed_filter mask;
	int limit, count = 0, rc = 0;
	char updated[TIMESTAMP_BUFSIZE] = "", holder[1024];

	if (read_feed_filter(c, &mask) != 0 ||
	    api_call_limit(c, ATOM_DEFAULT_LIMIT, &limit) != 0)
		return;
	rows = snapshot_events_before(c->snap, INT64_MAX);
	while (count < limit && (rc = snapshot_next_event(rows, &e)) == 1) {
		if (kind_wanted(&e, &mask)) {
			const char *at = present(e.recorded_at);
			if (api_event_org_name(c->snap, e.organisation_id,
			        e.effective_on, holder, sizeof holder) != 0) {
				rc = -1;
				break;
			}
			if (at && strcmp(at, updated) > 0)
				snprintf(updated, sizeof updated, "%s", at);
			atom_entry(&entries, base, &e, holder);
			count++;
		}
		if (api_call_spent(c))
			break;
	}
	snapshot_rows_done(rows);
	if (rc < 0) {
		buf_free(&entries);
		api_call_failed(c);
		return;
	}
	c->resp->status = 200;
	buf_puts(&c->resp->headers,
	    "Content-Type: application/atom+xml; charset=utf-8\r\n");
	buf_puts(&c->resp->body,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\" "
	    "xml:base=\"");
	xml_text(&c->resp->body, base);
	buf_puts(&c->resp->body,
	    "\">\n"
	    "<title>获证组织名录变更</title>\n"
	    "<subtitle>证书颁发、年检、警告、整改、暂停、恢复、取消、转移、"
	    "换证与组织信息变更</subtitle>\n"
	    "<id>urn:uuid:5b0c2a4e-8d1f-8c3a-9e57-2f6b1d0a4c93</id>\n"
	    "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	xml_text(&c->resp->body, base);
	buf_puts(&c->resp->body, "v1/changes.atom");
	if (c->req->query && *c->req->query) {
		buf_putc(&c->resp->body, '?');
		xml_text(&c->resp->body, c->req->query);
	}
	buf_puts(&c->resp->body,
	    "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(&c->resp->body, base);
	buf_puts(&c->resp->body,
	    "registry/\"/>\n<link rel=\"related\" type=\"application/json\" "
	    "href=\"");
	xml_text(&c->resp->body, base);
	buf_printf(&c->resp->body,
	    "v1/changes\"/>\n"
	    "<updated>%s</updated>\n"
	    "<author><name>获证组织名录</name></author>\n"
	    "<generator>registryd</generator>\n",
	    updated[0] ? updated : meta->published_at);
	buf_put(&c->resp->body, entries.data, entries.len);
	buf_puts(&c->resp->body, "</feed>\n");
	buf_free(&entries);
}

/* ---- /v1/changes.csv: every event asked for, streamed ---- */

static const char CSV_HEADER[] =
    "seq,effective_on,recorded_at,kind,label,label_en,number,"
    "organisation_id,organisation_name,reason,reference,deadline,"
    "other_number,old_value,new_value,target_seq,voided_by,page\r\n";

struct csv_state {
	struct feed_filter filter;
	long long after;
	const char *base;
	struct api_server *server;
};

static void
csv_id(struct buf *b, long long id)
{
	if (id)
		buf_printf(b, "%lld", id);
	buf_putc(b, ',');
}

static int
csv_event(struct snapshot *s, struct buf *b, const char *base,
    const struct snapshot_event *e)
{
	char date[DATE_BUFSIZE], holder[1024];
	struct buf url = {0};

	if (api_event_org_name(s, e->organisation_id, e->effective_on, holder,
	        sizeof holder) != 0)
		return -1;
	buf_printf(b, "%lld,", e->seq);
	api_csv_field(b, date_format(e->effective_on, date), ',');
	api_csv_field(b, e->recorded_at, ',');
	api_csv_field(b, e->kind_name, ',');
	api_csv_field(b, label_event_zh(e->kind), ',');
	api_csv_field(b, label_event_en(e->kind), ',');
	api_csv_field(b, e->number, ',');
	csv_id(b, e->organisation_id);
	api_csv_field(b, holder, ',');
	api_csv_field(b, e->reason, ',');
	api_csv_field(b, e->reference, ',');
	api_csv_field(b, date_format(e->deadline, date), ',');
	api_csv_field(b, e->other_number, ',');
	api_csv_field(b, e->old_value, ',');
	api_csv_field(b, e->new_value, ',');
	csv_id(b, e->target_seq);
	csv_id(b, e->voided_by);
	api_event_page(&url, base, e);
	api_csv_field(b, url.data, '\n');
	buf_free(&url);
	return 0;
}

/* The events' statement and what the feed asked for. */
struct csv_rows {
	struct csv_state *state;
	struct snapshot *s;
	struct snapshot_rows *rows;
};

static int
csv_next(void *arg, struct buf *b)
{
	struct csv_rows *r = arg;
	struct snapshot_event e;
	int got = snapshot_next_event(r->rows, &e);

	if (got != 1)
		return got;
	if (kind_wanted(&e, &r->state->filter) &&
	    csv_event(r->s, b, r->state->base, &e) != 0)
		return -1;
	return 1;
}

static int
csv_stream(struct api_response *resp, struct api_sink *sink)
{
	struct csv_rows r = {
	    resp->stream_state, api_db_snapshot(resp->db), NULL};
	int rc;

	snapshot_limit(r.s, 0);
	r.rows = snapshot_events_after(r.s, r.state->after);
	rc = api_export_rows(sink, r.state->server, CSV_HEADER, csv_next, &r);
	snapshot_rows_done(r.rows);
	return rc;
}

static void
csv_release(void *arg)
{
	struct csv_state *state = arg;

	atomic_fetch_sub(&state->server->exports, 1);
	free(state);
}

void
api_changes_csv(struct api_call *c)
{
	static const char *const filter_names[] = {
	    "kind", "since", "until", NULL};
	struct feed_filter filter;
	struct api_cursor cursor;
	struct csv_state *state;
	int has_cursor;

	if (read_feed_filter(c, &filter) != 0 ||
	    (has_cursor = api_call_cursor(
	         c, 'e', api_call_fingerprint(c, filter_names), &cursor)) < 0)
		return;
	if (atomic_fetch_add(&c->server->exports, 1) >=
	    c->config->max_exports) {
		atomic_fetch_sub(&c->server->exports, 1);
		api_call_problem(c, 503, NULL,
		    "%d exports are already streaming; try again shortly",
		    c->config->max_exports);
		buf_puts(&c->resp->headers, "Retry-After: 10\r\n");
		return;
	}
	state = mem_calloc(1, sizeof *state);
	state->filter = filter;
	state->after = has_cursor ? cursor.a : 0;
	state->base = c->config->base_url;
	state->server = c->server;
	c->resp->status = 200;
	c->resp->stream = csv_stream;
	c->resp->stream_state = state;
	c->resp->stream_free = csv_release;
	c->resp->length = -1;
	buf_puts(&c->resp->headers,
	    "Content-Type: text/csv; charset=utf-8; header=present\r\n"
	    "Content-Disposition: attachment; filename=\"changes.csv\"\r\n");
}

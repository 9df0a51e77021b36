/*
 * Change feed routes (see changes.h).  Both walk the events by seq and
 * filter kinds row by row under the page's scan budget.
 */
#include "registry/api/changes.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "registry/api/event.h"
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
			    "upgrade, void",
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

static int
kind_wanted(const struct snapshot_event *e, unsigned mask)
{
	return e->kind < EVENT_KIND_COUNT && (mask & (1u << e->kind));
}

void
api_changes_list(struct api_call *c)
{
	static const char *const filter_names[] = {"kind", NULL};
	struct api_cursor cursor, next;
	struct buf *b = &c->resp->body;
	struct snapshot_rows *rows;
	struct snapshot_event e;
	unsigned mask;
	long long after, last_seen;
	int limit, count = 0, more = 0, stopped = 0, rc, has_cursor;
	uint32_t filters = api_call_fingerprint(c, filter_names);

	if (read_kinds(c, &mask) != 0 ||
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
		if (kind_wanted(&e, mask)) {
			json_t *event;
			if (count == limit) {
				more = 1;
				break;
			}
			if (count++)
				buf_putc(b, ',');
			event = api_event_json(&e);
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
atom_entry(struct buf *b, const struct snapshot_event *e)
{
	const char *kind = present(e->kind_name);
	const char *number = present(e->number);
	const char *label = kind ? label_event_zh(e->kind) : "";
	const char *reason = present(e->reason);
	const char *other = present(e->other_number);
	const char *new_value = present(e->new_value);
	char deadline[DATE_BUFSIZE], effective_on[DATE_BUFSIZE], uuid[48];
	long long org = e->organisation_id;

	date_format(e->deadline, deadline);
	date_format(e->effective_on, effective_on);
	event_uuid(e->seq, uuid);
	buf_printf(b, "<entry>\n<id>%s</id>\n<title>", uuid);
	xml_text(b, label);
	buf_putc(b, ' ');
	if (number)
		xml_text(b, number);
	else if (new_value)
		xml_text(b, new_value);
	else
		buf_printf(b, "organisation %lld", org);
	buf_puts(b, "</title>\n<updated>");
	xml_text(b, present(e->recorded_at));
	buf_puts(b, "</updated>\n");
	if (number) {
		buf_puts(b, "<link rel=\"alternate\" type=\"application/"
		            "json\" href=\"/v1/certificates/");
		xml_text(b, number);
		buf_puts(b, "/history\"/>\n");
	} else {
		buf_printf(b,
		    "<link rel=\"alternate\" type=\"application/"
		    "json\" href=\"/v1/organisations/%lld\"/>\n",
		    org);
	}
	buf_puts(b, "<category term=\"");
	xml_text(b, kind);
	buf_puts(b, "\"/>\n<content type=\"text\">生效日期 ");
	xml_text(b, present(effective_on));
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
		buf_puts(b, "；");
		xml_text(b, reason);
	}
	buf_puts(b, "</content>\n</entry>\n");
}

void
api_changes_atom(struct api_call *c)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);
	struct buf entries = {0};
	struct snapshot_rows *rows;
	struct snapshot_event e;
	unsigned mask;
	int limit, count = 0, rc = 0;
	char updated[TIMESTAMP_BUFSIZE] = "";

	if (read_kinds(c, &mask) != 0 ||
	    api_call_limit(c, ATOM_DEFAULT_LIMIT, &limit) != 0)
		return;
	rows = snapshot_events_before(c->snap, INT64_MAX);
	while (count < limit && (rc = snapshot_next_event(rows, &e)) == 1) {
		if (kind_wanted(&e, mask)) {
			const char *at = present(e.recorded_at);
			if (at && strcmp(at, updated) > 0)
				snprintf(updated, sizeof updated, "%s", at);
			atom_entry(&entries, &e);
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
	buf_printf(&c->resp->body,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n"
	    "<title>获证组织名录变更</title>\n"
	    "<subtitle>证书颁发、年检、警告、整改、暂停、恢复、取消、转移、"
	    "换证与组织信息变更</subtitle>\n"
	    "<id>urn:uuid:5b0c2a4e-8d1f-8c3a-9e57-2f6b1d0a4c93</id>\n"
	    "<link rel=\"self\" type=\"application/atom+xml\" "
	    "href=\"/v1/changes.atom\"/>\n"
	    "<link rel=\"alternate\" type=\"application/json\" "
	    "href=\"/v1/changes\"/>\n"
	    "<updated>%s</updated>\n"
	    "<author><name>获证组织名录</name></author>\n"
	    "<generator>registryd</generator>\n",
	    updated[0] ? updated : meta->published_at);
	buf_put(&c->resp->body, entries.data, entries.len);
	buf_puts(&c->resp->body, "</feed>\n");
	buf_free(&entries);
}

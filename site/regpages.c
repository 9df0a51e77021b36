/*
 * regpages: reads the snapshot through its typed reader
 * (registry/snapshot/snapshot.h) and renders it through the theme, with
 * the rules' labels (registry/rules/label.h).  Pages are rendered by the
 * build's worker threads, each with a snapshot of its own, since a
 * snapshot is read by one thread at a time.  A read error fails the
 * build: a page never shows part of a certificate.
 */
#include "site/regpages.h"

#include <pthread.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/api/doc.h"
#include "registry/base/mem.h"
#include "registry/rules/label.h"
#include "registry/snapshot/snapshot.h"
#include "site/lang.h"
#include "site/reglang.h"
#include "site/regfeed.h"
#include "site/reglog.h"

#define POOL_SIZE 16
#define NOTICES_MAX 32
#define FEED_ENTRIES_MAX 100

static json_t *
flags_json(unsigned flags)
{
	json_t *list = json_array();

	for (unsigned bit = 1; bit <= STATUS_FLAG_LAST; bit <<= 1)
		if (flags & bit)
			json_array_append_new(
			    list, json_pack("{s:s, s:s}", "name",
			              status_flag_name(bit), "label",
			              label_flag_zh(bit)));
	return list;
}

/* A status ends a certificate's life: revoked, expired, superseded. */
static int
is_ended(enum cert_status status)
{
	return status == STATUS_REVOKED || status == STATUS_EXPIRED ||
	       status == STATUS_SUPERSEDED;
}

int
regpages_qr_svg(const char *text, struct buf *svg)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return -1;
	int w = qr->width, quiet = 4, size = w + 2 * quiet;
	buf_printf(svg,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" "
	    "role=\"img\" "
	    "aria-label=\"二维码：",
	    size, size, size * 4, size * 4);
	buf_puts_html(svg, text);
	buf_printf(svg,
	    "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path "
	    "fill=\"#000\" d=\"",
	    size, size);
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w; x++) {
			if (!(qr->data[y * w + x] & 1))
				continue;
			int run = 1;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			buf_printf(svg, "M%d %dh%dv1h-%dz", x + quiet,
			    y + quiet, run, run);
			x += run - 1;
		}
	}
	buf_puts(svg, "\"/></svg>");
	QRcode_free(qr);
	return 0;
}

/* Sets `key` to the date, unless there is none. */
static void
set_date(json_t *object, const char *key, int date)
{
	char text[DATE_BUFSIZE];

	if (date != DATE_NONE)
		json_object_set_new(
		    object, key, json_string(date_format(date, text)));
}

/* Sets `key` to the date in words ("2026年1月1日"), unless there is none. */
static void
set_words(json_t *object, const char *key, int date)
{
	char text[LABEL_DATE_BUFSIZE];

	if (date != DATE_NONE)
		json_object_set_new(
		    object, key, json_string(label_date_zh(date, text)));
}

/* Sets `key` to the text, unless there is none. */
static void
set_text(json_t *object, const char *key, const char *text)
{
	if (text != NULL)
		json_object_set_new(object, key, json_string(text));
}

/* What a list row shows of a certificate (its status as published). */
static json_t *
row_json(const struct snapshot_cert *c, json_t *categories)
{
	json_t *cat = json_object_get(categories, c->category);
	char valid_until[DATE_BUFSIZE], validity[LABEL_VALIDITY_BUFSIZE];

	json_t *row = json_pack("{s:s, s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:s, "
	                        "s:s, s:o, s:b, s:s, s:b}",
	    "number", c->number, "organisation_id",
	    (json_int_t)c->organisation_id, "organisation_name",
	    c->organisation_name, "level", c->level, "level_name",
	    label_level_zh(c->level), "category", c->category, "category_name",
	    cat ? json_string_value(cat) : c->category, "status",
	    status_name(c->status.status), "status_label",
	    label_status_zh(c->status.status), "valid_until",
	    date_format(c->valid_until, valid_until), "flags",
	    flags_json(c->status.flags), "has_flags", c->status.flags != 0,
	    "validity_label", label_validity_zh(&c->status, validity), "ended",
	    is_ended(c->status.status));
	set_date(row, "status_since", c->status.since); /* for reglang.c */
	return row;
}

struct registry {
	struct build *build;
	const struct tree *tree;
	const char *path;
	json_t *meta; /* as_of, published_at, sha256, sample; in words */
	char published_at[TIMESTAMP_BUFSIZE]; /* for the feeds */
	char site_title[256];                 /* the feeds' author */
	json_t *categories;                   /* code -> Chinese name */
	json_t *categories_en;                /* code -> English name */
	json_t *numbers; /* every certificate number, for the workers */
	json_t *orgs;    /* every organisation id */
	pthread_mutex_t lock;
	struct snapshot *pool[POOL_SIZE];
	int npool;
	struct reglog *log; /* the signed log beside the snapshot, or NULL */
	json_t *log_json;   /* what the pages say of it */
};

static json_t *
base_context(const struct registry *r, const char *dir, const char *title)
{
	json_t *ctx = tree_base_context(r->tree, dir);
	json_object_set_new(ctx, "title", json_string(title));
	json_object_set_new(ctx, "nav", tree_nav(r->tree, NULL));
	json_object_set(ctx, "registry", r->meta);
	return ctx;
}

/* A read that failed: the build fails with what and why. */
static int
read_failed(struct build *b, const struct snapshot *s, const char *what)
{
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "registry snapshot: %s: %s", what, snapshot_error(s));
	build_error(b, msg.data);
	buf_free(&msg);
	return -1;
}

/* A list page of the certificates `rows` reads, by number. */
static int
write_list(struct registry *r, struct snapshot *s, struct snapshot_rows *rows,
    const char *dir, const char *title, int is_all, json_t *filters)
{
	json_t *list = json_array(), *ctx;
	struct snapshot_cert cert;
	struct buf path = BUF_INIT;
	int rc;

	while ((rc = snapshot_next_cert(rows, &cert)) == 1)
		json_array_append_new(list, row_json(&cert, r->categories));
	snapshot_rows_done(rows);
	if (rc < 0) {
		json_decref(list);
		return read_failed(r->build, s, "listing certificates");
	}
	ctx = base_context(r, dir, title);
	json_object_set_new(
	    ctx, "count", json_integer((json_int_t)json_array_size(list)));
	json_object_set_new(ctx, "rows", list);
	json_object_set(ctx, "filters", filters);
	json_object_set_new(ctx, "is_all", json_boolean(is_all));
	json_object_set_new(ctx, "scripts", json_pack("[s]", "registry.js"));
	buf_printf(&path, "%sindex.html", dir);
	rc = build_render_to(r->build, "registry", ctx, path.data);
	if (rc == 0)
		rc = reglang_render(
		    r->tree, "registry", ctx, dir, r->categories_en, NULL);
	buf_free(&path);
	json_decref(ctx);
	return rc;
}

/* The filters the list pages offer; also fills r->categories. */
static json_t *
filter_links(struct registry *r, const struct snapshot *s)
{
	json_t *statuses = json_array(), *levels = json_array(),
	       *cats = json_array();
	const struct snapshot_category *categories;
	size_t count;

	for (int st = STATUS_VALID; st <= STATUS_SUPERSEDED; st++)
		json_array_append_new(
		    statuses, json_pack("{s:s, s:s}", "value", status_name(st),
		                  "label", label_status_zh(st)));
	for (int l = 1; l <= LABEL_LEVEL_MAX; l++)
		json_array_append_new(
		    levels, json_pack("{s:i, s:s}", "value", l, "label",
		                label_level_zh(l)));
	categories = snapshot_categories(s, &count);
	for (size_t i = 0; i < count; i++) {
		json_array_append_new(
		    cats, json_pack("{s:s, s:s}", "value", categories[i].code,
		              "label", categories[i].name_zh));
		json_object_set_new(r->categories, categories[i].code,
		    json_string(categories[i].name_zh));
		json_object_set_new(r->categories_en, categories[i].code,
		    json_string(categories[i].name_en ? categories[i].name_en
		                                      : categories[i].name_zh));
	}
	return json_pack("{s:o, s:o, s:o}", "statuses", statuses, "levels",
	    levels, "categories", cats);
}

/* Ends a read that filled `list` (`rc` its last step): the list, or NULL
 * (and the list freed) when the read failed. */
static json_t *
read_list(struct snapshot_rows *rows, int rc, json_t *list)
{
	snapshot_rows_done(rows);
	if (rc >= 0)
		return list;
	json_decref(list);
	return NULL;
}

/* A certificate's history: its events for the page, and what the rules
 * need of each. */
struct cert_history {
	json_t *events;              /* for the page, oldest first */
	struct status_event *status; /* the same events for the rules */
	size_t count;
};

static void
cert_history_free(struct cert_history *h)
{
	json_decref(h->events);
	free(h->status);
	memset(h, 0, sizeof *h);
}

/* One event as the page and the feeds show it. */
static json_t *
event_json(struct snapshot *s, const struct snapshot_event *e, int *rc)
{
	char date[DATE_BUFSIZE], words[LABEL_DATE_BUFSIZE];
	json_t *item = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
	    (json_int_t)e->seq, "kind", e->kind_name, "label",
	    e->kind < EVENT_KIND_COUNT ? label_event_zh(e->kind) : e->kind_name,
	    "date", date_format(e->effective_on, date), "date_words",
	    label_date_zh(e->effective_on, words), "reason",
	    e->reason ? e->reason : "", "recorded_at",
	    e->recorded_at ? e->recorded_at : "");

	if (e->number)
		json_object_set_new(item, "number", json_string(e->number));
	if (e->reference && *e->reference)
		json_object_set_new(
		    item, "reference", json_string(e->reference));
	if (e->deadline != DATE_NONE)
		json_object_set_new(item, "deadline",
		    json_string(date_format(e->deadline, date)));
	if (e->voided_by)
		json_object_set_new(
		    item, "voided_by", json_integer(e->voided_by));
	if (e->target_seq)
		json_object_set_new(
		    item, "target", json_integer(e->target_seq));
	if (e->new_value && *e->new_value)
		json_object_set_new(
		    item, "new_value", json_string(e->new_value));
	if (e->other_organisation_id) {
		struct snapshot_rows *org =
		    snapshot_org(s, e->other_organisation_id);
		struct snapshot_org other;
		int found = snapshot_next_org(org, &other);
		if (found == 1)
			json_object_set_new(
			    item, "other", json_string(other.name));
		snapshot_rows_done(org);
		if (found < 0)
			*rc = -1;
	}
	return item;
}

/* A certificate's events, oldest first; 0, or -1 when unreadable. */
static int
read_history(struct snapshot *s, const char *number, struct cert_history *h)
{
	struct snapshot_rows *rows = snapshot_history(s, number);
	struct snapshot_event e;
	size_t cap = 0;
	int rc, failed = 0;

	memset(h, 0, sizeof *h);
	h->events = json_array();
	while ((rc = snapshot_next_event(rows, &e)) == 1) {
		json_array_append_new(h->events, event_json(s, &e, &failed));
		if (h->count == cap) {
			cap = cap ? 2 * cap : 16;
			h->status =
			    mem_realloc(h->status, cap * sizeof *h->status);
		}
		h->status[h->count++] = (struct status_event){.id = e.seq,
		    .kind = e.kind,
		    .effective_on = e.effective_on,
		    .deadline = e.deadline,
		    .target = e.target_seq};
		if (failed) {
			rc = -1;
			break;
		}
	}
	snapshot_rows_done(rows);
	if (rc < 0) {
		cert_history_free(h);
		return -1;
	}
	return 0;
}

/* An organisation's former names by date, or NULL when unreadable. */
static json_t *
former_names_json(struct snapshot *s, long long org)
{
	struct snapshot_rows *rows =
	    snapshot_former_names(s, org, SNAPSHOT_BY_DATE);
	struct snapshot_former_name name;
	json_t *list = json_array();
	char until[DATE_BUFSIZE];
	int rc;

	while ((rc = snapshot_next_former_name(rows, &name)) == 1)
		json_array_append_new(
		    list, json_pack("{s:s, s:s}", "name", name.name, "until",
		              date_format(name.until, until)));
	return read_list(rows, rc, list);
}

static json_t *
window_json(const struct status_window *w, const char *title)
{
	char start[DATE_BUFSIZE], end[DATE_BUFSIZE], done[DATE_BUFSIZE];
	json_t *window;

	if (w->start == DATE_NONE)
		return NULL;
	window = json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", title, "start",
	    date_format(w->start, start), "end", date_format(w->end, end),
	    "state", status_window_state_name(w->state), "state_label",
	    label_window_zh(w->state));
	if (w->done_on != DATE_NONE)
		json_object_set_new(window, "done_on",
		    json_string(date_format(w->done_on, done)));
	return window;
}

/* The event numbered `seq` of a history's page list, or NULL. */
static json_t *
event_by_seq(json_t *events, long long seq)
{
	json_t *e;
	size_t i;

	json_array_foreach (events, i, e) {
		if (json_integer_value(json_object_get(e, "seq")) == seq)
			return e;
	}
	return NULL;
}

/*
 * The notices of a certificate on `day`: each warning within its 12
 * months and each open order, a box of its own with its date, reason
 * and deadline, in words.
 */
static json_t *
notices_json(
    const struct snapshot_cert *c, const struct cert_history *h, int day)
{
	struct status_facts facts = {c->issued_on, c->valid_until};
	struct status_notice notes[NOTICES_MAX];
	size_t n = status_notices(
	    &facts, h->status, h->count, day, notes, NOTICES_MAX);
	char d1[LABEL_DATE_BUFSIZE], d2[LABEL_DATE_BUFSIZE],
	    d3[LABEL_DATE_BUFSIZE];
	json_t *list = json_array();

	for (size_t i = 0; i < n && i < NOTICES_MAX; i++) {
		const struct status_notice *note = &notes[i];
		json_t *e = event_by_seq(h->events, note->id), *item;
		struct buf text = BUF_INIT;
		const char *title;

		label_date_zh(note->effective_on, d1);
		label_date_zh(note->until, d2);
		label_date_zh(day, d3);
		if (note->kind == EVENT_WARN) {
			title = "警告";
			buf_printf(&text,
			    "%s 对本证书作出警告，警告在 12 个月内有效，至 "
			    "%s。",
			    d1, d2);
		} else if (note->overdue) {
			title = "整改逾期";
			buf_printf(&text,
			    "%s 责令限期整改，期限 %s 已过，至 %s "
			    "仍未完成整改。整改后仍不符合要求的，证书将被暂停或"
			    "取消。",
			    d1, d2, d3);
		} else {
			title = "限期整改";
			buf_printf(&text,
			    "%s 责令限期整改，期限至 %s，尚未完成整改。", d1,
			    d2);
		}
		item = json_pack("{s:s, s:s, s:I, s:s, s:b}", "kind",
		    event_kind_name(note->kind), "title", title, "seq",
		    (json_int_t)note->id, "text", text.data, "overdue",
		    note->overdue);
		set_date(item, "effective_on", note->effective_on);
		set_date(item, "until", note->until);
		if (e) {
			const char *reason =
			    json_string_value(json_object_get(e, "reason"));
			if (reason && *reason)
				set_text(item, "reason", reason);
			set_text(item, "reference",
			    json_string_value(json_object_get(e, "reference")));
		}
		json_array_append_new(list, item);
		buf_free(&text);
	}
	return list;
}

/* What a verification page shows of a certificate, beyond its row. */
static json_t *
cert_json(const struct snapshot_cert *c, json_t *categories)
{
	json_t *cert = row_json(c, categories), *windows = json_array(), *w;

	set_date(cert, "issued_on", c->issued_on);
	set_text(cert, "credit_code", c->credit_code);
	set_text(cert, "predecessor", c->predecessor);
	set_text(cert, "successor", c->successor);
	set_date(cert, "status_since", c->status.since);
	set_words(cert, "status_since_words", c->status.since);
	set_date(cert, "warning_until", c->status.warning_until);
	set_date(
	    cert, "rectification_deadline", c->status.rectification_deadline);
	if ((w = window_json(&c->status.annual[0], "第 1 年年检")) != NULL)
		json_array_append_new(windows, w);
	if ((w = window_json(&c->status.annual[1], "第 2 年年检")) != NULL)
		json_array_append_new(windows, w);
	if ((w = window_json(&c->status.renewal, "维持换证申请")) != NULL)
		json_array_append_new(windows, w);
	json_object_set_new(cert, "windows", windows);
	return cert;
}

/* Writes `dir`feed.xml: `entries` (newest first) for the page at `dir`. */
static int
write_feed(struct build *b, struct registry *r, const char *dir,
    const char *title, json_t *entries)
{
	struct buf url = BUF_INIT, path = BUF_INIT, xml = BUF_INIT;
	int rc;

	buf_printf(&url, "%s%s", b->opt->base_url, dir);
	buf_printf(&path, "%sfeed.xml", dir);
	regfeed_atom(&xml, "zh-CN", title, url.data, r->site_title,
	    r->published_at, entries);
	rc = build_write(b, path.data, xml.data, xml.len);
	buf_free(&url);
	buf_free(&path);
	buf_free(&xml);
	return rc;
}

/* The page's feed, for <link rel="alternate"> in its head. */
static void
set_page_feed(json_t *ctx, const char *title)
{
	json_object_set_new(ctx, "page_feed",
	    json_pack("{s:s, s:s}", "title", title, "href", "feed.xml"));
}

/*
 * The page's JSON twin, index.json in its folder `dir`: the API's
 * document of the same resource on the snapshot's date (the API's own
 * writer), announced in the page's head; 0, or -1 after telling the
 * build what failed.
 */
static int
add_twin(struct build *b, struct snapshot *s, const char *number, long long org,
    const char *dir, json_t *ctx)
{
	struct buf doc = BUF_INIT, rel = BUF_INIT;
	int day = snapshot_meta(s)->as_of, rc;

	rc = number ? api_doc_certificate(s, number, day, &doc)
	            : api_doc_organisation(s, org, day, &doc);
	if (rc != 1) {
		read_failed(b, s, number ? number : "organisation");
		rc = -1;
	} else {
		buf_printf(&rel, "%sindex.json", dir);
		rc = build_write(b, rel.data, doc.data, doc.len);
		json_object_set_new(
		    ctx, "json_twin", json_string("index.json"));
	}
	buf_free(&doc);
	buf_free(&rel);
	return rc;
}

/*
 * The holder's address, former names and the certificate's history
 * added to `cert`; 0, or -1 after telling the build what failed.
 */
static int
add_history(struct build *b, struct snapshot *s, json_t *cert, long long org,
    const char *number, struct cert_history *h)
{
	struct snapshot_rows *rows = snapshot_org(s, org);
	struct snapshot_org holder;
	json_t *names;
	int rc = snapshot_next_org(rows, &holder);

	json_object_set_new(cert, "address",
	    json_string(rc == 1 && holder.address ? holder.address : ""));
	if (rc == 1 && holder.name_en && *holder.name_en) /* for reglang.c */
		json_object_set_new(
		    cert, "holder_name_en", json_string(holder.name_en));
	snapshot_rows_done(rows);
	if (rc < 0)
		return read_failed(b, s, number);
	if ((names = former_names_json(s, org)) == NULL)
		return read_failed(b, s, number);
	json_object_set_new(cert, "former_names", names);
	if (read_history(s, number, h) != 0)
		return read_failed(b, s, number);
	json_object_set(cert, "events", h->events);
	return 0;
}

/* The certificate's receipt as receipt.json in its folder `dir`, and
 * what the page says of it. */
static int
add_receipt(struct build *b, struct registry *r, struct snapshot *s,
    const char *number, const char *dir, json_t *ctx)
{
	struct buf receipt = BUF_INIT, rel = BUF_INIT, url = BUF_INIT;
	json_t *info;
	char why[512];
	int rc = -1;

	if (reglog_receipt(r->log, s, number, &receipt, why, sizeof why) != 0) {
		buf_printf(&rel, "%s: its receipt: %s", number, why);
		build_error(b, rel.data);
		goto done;
	}
	buf_printf(&rel, "%sreceipt.json", dir);
	if (build_write(b, rel.data, receipt.data, receipt.len) != 0)
		goto done;
	buf_printf(&url, "%s%s", b->opt->base_url, rel.data);
	info = json_deep_copy(r->log_json);
	json_object_set_new(info, "url", json_string(url.data));
	json_object_set_new(ctx, "receipt", info);
	json_object_set_new(ctx, "qr_url", json_string(url.data));
	json_object_set_new(ctx, "scripts", json_pack("[s]", "receipt.js"));
	rc = 0;
done:
	buf_free(&receipt);
	buf_free(&rel);
	buf_free(&url);
	return rc;
}

static void
write_certificate(
    struct build *b, struct registry *r, struct snapshot *s, size_t i)
{
	const char *number = json_string_value(json_array_get(r->numbers, i));
	struct snapshot_rows *rows = snapshot_cert(s, number);
	struct snapshot_cert c;
	struct buf dir = BUF_INIT, title = BUF_INIT, url = BUF_INIT,
	           qr = BUF_INIT, feed_title = BUF_INIT, page = BUF_INIT;
	struct cert_history h = {0};
	json_t *ctx, *cert, *entries;
	struct reglang_feed feed = {NULL, r->site_title, r->published_at};
	long long org;
	int day = snapshot_meta(s)->as_of;

	if (snapshot_next_cert(rows, &c) != 1) {
		snapshot_rows_done(rows);
		read_failed(b, s, number);
		return;
	}
	cert = cert_json(&c, r->categories);
	org = c.organisation_id;
	if (add_history(b, s, cert, org, number, &h) != 0) {
		snapshot_rows_done(rows);
		json_decref(cert);
		return;
	}
	json_object_set_new(cert, "notices", notices_json(&c, &h, day));
	snapshot_rows_done(rows);
	buf_printf(&dir, "registry/certificates/%s/", number);
	buf_printf(&title, "证书 %s", number);
	buf_printf(&feed_title, "证书 %s 的记录", number);
	buf_printf(&url, "%s%s", b->opt->base_url, dir.data);
	ctx = base_context(r, dir.data, title.data);
	json_object_set_new(ctx, "cert", cert);
	json_object_set_new(ctx, "page_url", json_string(url.data));
	json_object_set_new(ctx, "qr_url", json_string(url.data));
	set_page_feed(ctx, feed_title.data);
	/* With a signed log, the receipt beside the page, its address in
	 * the QR code, and the script that verifies it. */
	if (r->log != NULL && add_receipt(b, r, s, number, dir.data, ctx) != 0)
		goto done;
	if (add_twin(b, s, number, 0, dir.data, ctx) != 0)
		goto done;
	if (regpages_qr_svg(
	        json_string_value(json_object_get(ctx, "qr_url")), &qr) == 0)
		json_object_set_new(ctx, "qr_svg", json_string(qr.data));
	/* The feed: the events, newest first. */
	entries = json_array();
	feed.events = json_array();
	for (size_t k = json_array_size(h.events);
	     k-- > 0 && json_array_size(entries) < FEED_ENTRIES_MAX;) {
		json_t *e = json_array_get(h.events, k);
		json_array_append_new(
		    entries, regfeed_entry(e, url.data, NULL, 0));
		json_array_append_new(feed.events,
		    json_pack("{s:O, s:s}", "event", e, "page", url.data));
	}
	if (write_feed(b, r, dir.data, feed_title.data, entries) == 0) {
		buf_printf(&page, "%sindex.html", dir.data);
		if (build_render_to(b, "certificate", ctx, page.data) == 0)
			reglang_render(r->tree, "certificate", ctx, dir.data,
			    r->categories_en, &feed);
	}
	json_decref(entries);
	json_decref(feed.events);
done:
	json_decref(ctx);
	cert_history_free(&h);
	buf_free(&dir);
	buf_free(&title);
	buf_free(&feed_title);
	buf_free(&url);
	buf_free(&qr);
	buf_free(&page);
}

/* The certificates an organisation holds, by date of issue, or NULL. */
static json_t *
holdings_json(struct snapshot *s, long long id, json_t *categories)
{
	struct snapshot_rows *rows =
	    snapshot_certs_of_org(s, id, SNAPSHOT_BY_DATE);
	struct snapshot_cert c;
	json_t *list = json_array();
	int rc;

	while ((rc = snapshot_next_cert(rows, &c)) == 1)
		json_array_append_new(list, row_json(&c, categories));
	return read_list(rows, rc, list);
}

/* How many of the certificates have each status, in the rules' order. */
static json_t *
summary_json(json_t *certs)
{
	json_t *summary = json_array(), *c;
	size_t i;

	for (int st = STATUS_VALID; st <= STATUS_SUPERSEDED; st++) {
		int count = 0;
		json_array_foreach (certs, i, c) {
			count += strcmp(json_string_value(
			                    json_object_get(c, "status")),
			             status_name(st)) == 0;
		}
		if (count)
			json_array_append_new(
			    summary, json_pack("{s:s, s:s, s:i}", "status",
			                 status_name(st), "label",
			                 label_status_zh(st), "count", count));
	}
	return summary;
}

/* The organisation's events, newest first, each {event, page, number}
 * (the page of its certificate, or the organisation's, absolute), or
 * NULL. */
static json_t *
org_entries(struct snapshot *s, long long id, const char *page_url)
{
	struct snapshot_rows *rows = snapshot_org_events(s, id);
	struct snapshot_event e;
	struct buf cert_page = BUF_INIT;
	json_t *entries = json_array();
	int rc, failed = 0;

	while (json_array_size(entries) < FEED_ENTRIES_MAX &&
	       (rc = snapshot_next_event(rows, &e)) == 1) {
		json_t *item = event_json(s, &e, &failed);
		const char *page = page_url;
		if (e.number) {
			/* A certificate's event: its page. */
			buf_reset(&cert_page);
			buf_printf(&cert_page, "%s", page_url);
			/* ".../registry/organisations/ID/" ->
			 * ".../registry/certificates/N/" */
			char *at = strstr(cert_page.data, "organisations/");
			if (at) {
				cert_page.len = (size_t)(at - cert_page.data);
				cert_page.data[cert_page.len] = '\0';
				buf_printf(
				    &cert_page, "certificates/%s/", e.number);
			}
			page = cert_page.data;
		}
		json_t *x =
		    json_pack("{s:o, s:s}", "event", item, "page", page);
		if (e.number)
			json_object_set_new(x, "number", json_string(e.number));
		json_array_append_new(entries, x);
		if (failed) {
			rc = -1;
			break;
		}
	}
	if (json_array_size(entries) >= FEED_ENTRIES_MAX)
		rc = 0;
	snapshot_rows_done(rows);
	buf_free(&cert_page);
	if (rc < 0) {
		json_decref(entries);
		return NULL;
	}
	return entries;
}

static void
write_organisation(
    struct build *b, struct registry *r, struct snapshot *s, size_t i)
{
	long long id = json_integer_value(json_array_get(r->orgs, i));
	struct snapshot_rows *rows = snapshot_org(s, id);
	struct snapshot_org o;
	struct buf dir = BUF_INIT, url = BUF_INIT, feed_title = BUF_INIT,
	           page = BUF_INIT;
	json_t *ctx, *org, *names, *certs, *entries;

	if (snapshot_next_org(rows, &o) != 1) {
		snapshot_rows_done(rows);
		read_failed(b, s, "organisation");
		return;
	}
	buf_printf(&dir, "registry/organisations/%lld/", id);
	buf_printf(&url, "%s%s", b->opt->base_url, dir.data);
	buf_printf(&feed_title, "%s 的证书记录", o.name);
	ctx = base_context(r, dir.data, o.name);
	org = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", o.name,
	    "address", o.address ? o.address : "");
	set_text(org, "credit_code", o.credit_code);
	if (o.name_en && *o.name_en)
		set_text(org, "name_en", o.name_en); /* for reglang.c */
	set_page_feed(ctx, feed_title.data);
	snapshot_rows_done(rows);
	json_object_set_new(ctx, "org", org);
	if (add_twin(b, s, NULL, id, dir.data, ctx) != 0) {
		json_decref(ctx);
		buf_free(&dir);
		buf_free(&url);
		buf_free(&feed_title);
		return;
	}
	names = former_names_json(s, id);
	certs = holdings_json(s, id, r->categories);
	entries = names && certs ? org_entries(s, id, url.data) : NULL;
	if (names == NULL || certs == NULL || entries == NULL) {
		read_failed(b, s, "organisation");
	} else {
		json_object_set_new(org, "former_names", names);
		json_object_set_new(org, "summary", summary_json(certs));
		json_object_set_new(org, "certificate_count",
		    json_integer((json_int_t)json_array_size(certs)));
		json_object_set_new(org, "has_certificates",
		    json_boolean(json_array_size(certs) > 0));
		json_object_set_new(org, "certificates", certs);
		names = certs = NULL;
		json_t *zh_entries = json_array(), *x;
		size_t k;
		struct reglang_feed feed = {
		    entries, r->site_title, r->published_at};
		json_array_foreach (entries, k, x)
			json_array_append_new(zh_entries,
			    regfeed_entry(json_object_get(x, "event"),
			        json_string_value(json_object_get(x, "page")),
			        json_string_value(json_object_get(x, "number")),
			        0));
		if (write_feed(b, r, dir.data, feed_title.data, zh_entries) ==
		    0) {
			buf_printf(&page, "%sindex.html", dir.data);
			if (build_render_to(
			        b, "organisation", ctx, page.data) == 0)
				reglang_render(r->tree, "organisation", ctx,
				    dir.data, r->categories_en, &feed);
		}
		json_decref(zh_entries);
	}
	json_decref(names);
	json_decref(certs);
	json_decref(entries);
	json_decref(ctx);
	buf_free(&dir);
	buf_free(&url);
	buf_free(&feed_title);
	buf_free(&page);
}

/*
 * Snapshots for the worker threads: an item takes one from the pool
 * (opening a new one when none is free) and gives it back after.
 */
static struct snapshot *
snapshot_take(struct registry *r, char *why, size_t why_size)
{
	struct snapshot *s = NULL;
	pthread_mutex_lock(&r->lock);
	if (r->npool > 0)
		s = r->pool[--r->npool];
	pthread_mutex_unlock(&r->lock);
	return s ? s : snapshot_open(r->path, why, why_size);
}

static void
snapshot_give(struct registry *r, struct snapshot *s)
{
	pthread_mutex_lock(&r->lock);
	if (r->npool < POOL_SIZE) {
		r->pool[r->npool++] = s;
		s = NULL;
	}
	pthread_mutex_unlock(&r->lock);
	snapshot_close(s);
}

/* A page per item on the worker threads, each with a pooled snapshot. */
struct page_job {
	struct registry *r;
	void (*fn)(
	    struct build *, struct registry *, struct snapshot *, size_t);
};

static void
with_snapshot(struct build *b, size_t i, void *arg)
{
	struct page_job *job = arg;
	char why[256];
	struct snapshot *s = snapshot_take(job->r, why, sizeof why);
	if (s == NULL) {
		build_error(b, why);
		return;
	}
	job->fn(b, job->r, s, i);
	snapshot_give(job->r, s);
}

/* The list of everything, and one per status, level and category. */
static int
write_lists(struct registry *r, struct snapshot *s, json_t *filters)
{
	const struct snapshot_category *categories;
	struct buf dir = BUF_INIT, title = BUF_INIT;
	size_t count;
	int rc = write_list(r, s, snapshot_certs(s, ""), "registry/",
	    "获证组织名录", 1, filters);

	for (int st = STATUS_VALID; rc == 0 && st <= STATUS_SUPERSEDED; st++) {
		buf_reset(&dir);
		buf_reset(&title);
		buf_printf(&dir, "registry/status/%s/", status_name(st));
		buf_printf(&title, "获证组织名录：%s", label_status_zh(st));
		rc = write_list(r, s, snapshot_certs_by_status(s, st, ""),
		    dir.data, title.data, 0, filters);
	}
	for (int l = 1; rc == 0 && l <= LABEL_LEVEL_MAX; l++) {
		buf_reset(&dir);
		buf_reset(&title);
		buf_printf(&dir, "registry/level/%d/", l);
		buf_printf(
		    &title, "获证组织名录：%s（%d级）", label_level_zh(l), l);
		rc = write_list(r, s, snapshot_certs_by_level(s, l, ""),
		    dir.data, title.data, 0, filters);
	}
	categories = snapshot_categories(s, &count);
	for (size_t i = 0; rc == 0 && i < count; i++) {
		buf_reset(&dir);
		buf_reset(&title);
		buf_printf(&dir, "registry/category/%s/", categories[i].code);
		buf_printf(&title, "获证组织名录：%s", categories[i].name_zh);
		rc = write_list(r, s,
		    snapshot_certs_by_category(s, categories[i].code, ""),
		    dir.data, title.data, 0, filters);
	}
	buf_free(&dir);
	buf_free(&title);
	return rc;
}

/*
 * The check pages: the one box (registry/check/), the bulk check
 * (registry/bulk/) and the page of a number not in the registry
 * (registry/not-found/, with absolute links: registryd serves it at the
 * missing certificate's own address).  registryd writes its answers into
 * their marked places (registry/api/check.h); without it, the scripts do.
 */
static int
write_check_pages(struct registry *r)
{
	struct build *b = r->build;
	json_t *ctx = base_context(r, "registry/check/", "核验服务提供方");
	int rc = build_render_to(
	    b, "registry-check-page", ctx, "registry/check/index.html");

	if (rc == 0)
		rc = reglang_render(r->tree, "registry-check-page", ctx,
		    "registry/check/", r->categories_en, NULL);
	json_decref(ctx);
	if (rc != 0)
		return rc;
	ctx = base_context(r, "registry/bulk/", "批量核验");
	json_object_set_new(
	    ctx, "scripts", json_pack("[s, s]", "check.js", "bulk.js"));
	rc = build_render_to(
	    b, "registry-bulk", ctx, "registry/bulk/index.html");
	if (rc == 0)
		rc = reglang_render(r->tree, "registry-bulk", ctx,
		    "registry/bulk/", r->categories_en, NULL);
	json_decref(ctx);
	if (rc != 0)
		return rc;
	ctx = base_context(r, "registry/not-found/", "证书不在名录中");
	json_object_set_new(ctx, "root", json_string(b->base_path));
	json_object_set_new(ctx, "site_root", json_string(b->base_path));
	json_object_set_new(ctx, "lang_root", json_string(b->base_path));
	json_object_set_new(ctx, "scripts", json_pack("[s]", "notfound.js"));
	/* Its counterpart is the same address in the other language:
	 * registryd and notfound.js write the number in. */
	json_object_del(ctx, "alternates");
	if (json_object_get(ctx, "switch"))
		json_object_set_new(json_object_get(ctx, "switch"), "url",
		    json_sprintf(
		        "%s%sregistry/not-found/", b->base_path, LANG_EN_DIR));
	rc = build_render_to(
	    b, "registry-notfound", ctx, "registry/not-found/index.html");
	if (rc == 0)
		rc = reglang_render(r->tree, "registry-notfound", ctx,
		    "registry/not-found/", r->categories_en, NULL);
	json_decref(ctx);
	return rc;
}

/* Every certificate number, for the certificate pages. */
static int
list_numbers(struct registry *r, struct snapshot *s)
{
	struct snapshot_rows *rows = snapshot_certs(s, "");
	struct snapshot_cert c;
	int rc;

	while ((rc = snapshot_next_cert(rows, &c)) == 1)
		json_array_append_new(r->numbers, json_string(c.number));
	snapshot_rows_done(rows);
	return rc < 0 ? read_failed(r->build, s, "listing certificates") : 0;
}

/*
 * What the search index holds of an organisation beside its name: its
 * former names and its certificates' numbers ("曾用名：甲 乙 证书：..."),
 * and (into *data) each certificate with its status for the results:
 * [number, status, status label, flags, flag labels, validity, category,
 * level].
 */
static int
index_text(struct registry *r, struct snapshot *s, long long id,
    struct buf *text, json_t **data)
{
	struct snapshot_rows *rows =
	    snapshot_former_names(s, id, SNAPSHOT_BY_ID);
	struct snapshot_former_name name;
	struct snapshot_cert c;
	int rc, n = 0;

	buf_reset(text);
	*data = json_array();
	while ((rc = snapshot_next_former_name(rows, &name)) == 1)
		buf_printf(text, "%s%s", n++ ? " " : "曾用名：", name.name);
	snapshot_rows_done(rows);
	if (rc < 0)
		return -1;
	if (n)
		buf_putc(text, ' ');
	rows = snapshot_certs_of_org(s, id, SNAPSHOT_BY_ID);
	for (n = 0; (rc = snapshot_next_cert(rows, &c)) == 1;) {
		char flags[128], labels[256] = "",
		                 validity[LABEL_VALIDITY_BUFSIZE];
		json_t *cat = json_object_get(r->categories, c.category);
		size_t used = 0;
		buf_printf(text, "%s%s", n++ ? " " : "证书：", c.number);
		for (unsigned bit = 1; bit <= STATUS_FLAG_LAST; bit <<= 1)
			if (c.status.flags & bit)
				used += (size_t)snprintf(labels + used,
				    sizeof labels - used, "%s%s",
				    used ? " " : "", label_flag_zh(bit));
		json_array_append_new(*data,
		    json_pack("[s, s, s, s, s, s, s, i]", c.number,
		        status_name(c.status.status),
		        label_status_zh(c.status.status),
		        status_flags_format(
		            c.status.flags, " ", flags, sizeof flags),
		        labels, label_validity_zh(&c.status, validity),
		        cat ? json_string_value(cat) : c.category, c.level));
	}
	snapshot_rows_done(rows);
	return rc < 0 ? -1 : 0;
}

/* Every organisation, for its page and into the search index with its
 * names old and new. */
static int
index_orgs(struct registry *r, struct snapshot *s, struct search_index *index)
{
	struct snapshot_rows *rows = snapshot_orgs(s, 0, -1);
	struct snapshot_org o;
	struct buf url = BUF_INIT, text = BUF_INIT;
	json_t *data = NULL;
	int rc;

	while ((rc = snapshot_next_org(rows, &o)) == 1) {
		json_array_append_new(r->orgs, json_integer(o.id));
		if (index_text(r, s, o.id, &text, &data) != 0) {
			json_decref(data);
			rc = -1;
			break;
		}
		buf_reset(&url);
		buf_printf(&url, "registry/organisations/%lld/", o.id);
		if (index) {
			search_index_add(index, url.data, o.name,
			    o.credit_code ? o.credit_code : "获证组织",
			    text.data ? text.data : "");
			search_index_set_data(index, data);
		} else {
			json_decref(data);
		}
	}
	snapshot_rows_done(rows);
	buf_free(&url);
	buf_free(&text);
	return rc < 0 ? read_failed(r->build, s, "organisations") : 0;
}

static json_t *
meta_json(const struct snapshot_meta *meta)
{
	char as_of[DATE_BUFSIZE], as_of_words[LABEL_DATE_BUFSIZE],
	    published[LABEL_TIME_BUFSIZE];

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "as_of",
	    date_format(meta->as_of, as_of), "as_of_words",
	    label_date_zh(meta->as_of, as_of_words), "published_at",
	    meta->published_at, "published_words",
	    label_time_zh(meta->published_epoch, published), "sha256",
	    meta->sha256, "sample", meta->sample);
}

int
regpages_write(struct build *b, const struct tree *tree, const char *path,
    struct search_index *index, struct regpages_stats *stats)
{
	char why[256], log_why[1024];
	struct snapshot *s = snapshot_open(path, why, sizeof why);
	struct registry r = {.build = b, .tree = tree, .path = path};
	json_t *filters;
	int rc;

	if (s == NULL) {
		build_error(b, why); /* it names the file */
		return -1;
	}
	pthread_mutex_init(&r.lock, NULL);
	r.meta = meta_json(snapshot_meta(s));
	snprintf(r.published_at, sizeof r.published_at, "%s",
	    snapshot_meta(s)->published_at);
	{
		json_t *ctx = tree_base_context(tree, "");
		const char *title =
		    json_string_value(json_object_get(ctx, "site_title"));
		snprintf(r.site_title, sizeof r.site_title, "%s",
		    title && *title ? title : "获证组织名录");
		json_decref(ctx);
	}
	r.categories = json_object();
	r.categories_en = json_object();
	r.numbers = json_array();
	r.orgs = json_array();
	rc = 0;
	r.log = reglog_open(path, s, log_why, sizeof log_why);
	if (r.log == NULL && log_why[0] != '\0') {
		build_error(b, log_why); /* it names the file */
		rc = -1;
	}
	if (r.log != NULL) {
		r.log_json = reglog_json(r.log);
		json_object_set(r.meta, "log", r.log_json);
	}
	filters = filter_links(&r, s);
	if (rc == 0)
		rc = write_lists(&r, s, filters);
	if (rc == 0 && r.log != NULL)
		rc = reglog_publish(r.log, b);
	if (rc == 0)
		rc = write_check_pages(&r);
	if (rc == 0)
		rc = list_numbers(&r, s);
	if (rc == 0)
		rc = index_orgs(&r, s, index);
	b->doing = "certificates";
	if (rc == 0)
		rc = build_each(b, json_array_size(r.numbers), with_snapshot,
		    &(struct page_job){&r, write_certificate});
	b->doing = "organisations";
	if (rc == 0)
		rc = build_each(b, json_array_size(r.orgs), with_snapshot,
		    &(struct page_job){&r, write_organisation});
	for (int k = 0; k < r.npool; k++)
		snapshot_close(r.pool[k]);
	pthread_mutex_destroy(&r.lock);
	stats->certificates = json_array_size(r.numbers);
	stats->organisations = json_array_size(r.orgs);
	json_decref(filters);
	reglog_free(r.log);
	json_decref(r.log_json);
	json_decref(r.meta);
	json_decref(r.categories);
	json_decref(r.categories_en);
	json_decref(r.numbers);
	json_decref(r.orgs);
	snapshot_close(s);
	return rc;
}

/*
 * Streamed exports (see export.h).  The response carries a stream
 * callback; the transport sends the headers, then runs it, which steps
 * one statement over the certificates and hands the sink 64 KB at a time.
 * The stream has no query time limit (it is long by nature); a client too
 * slow to read is cut off by the transport's write timeout.
 */
#include "registry/api/export.h"

#include <stdlib.h>
#include <string.h>

#include "registry/api/cert.h"
#include "registry/api/certs.h"
#include "registry/api/json.h"
#include "registry/api/search.h"
#include "registry/api/server.h"
#include "registry/base/mem.h"
#include "registry/rules/label.h"

#define FLUSH_AT 65536

static const char CSV_HEADER[] =
    "number,category,category_name,level,level_name,issued_on,"
    "valid_until,as_of,status,status_label,status_since,flags,"
    "warning_until,rectification_deadline,"
    "annual_check_1_start,annual_check_1_end,annual_check_1_state,"
    "annual_check_1_done_on,annual_check_2_start,annual_check_2_end,"
    "annual_check_2_state,annual_check_2_done_on,renewal_start,"
    "renewal_end,renewal_state,renewal_done_on,organisation_id,"
    "organisation_name,credit_code,predecessor,successor,validity_label\r\n";

struct export_state {
	enum api_export_format format;
	int day;
	struct api_server *server;
	struct api_cert_filter filter; /* category: the snapshot's code */
	int has_q;
	struct api_search_filter q;
	int changed_since; /* a date, or DATE_NONE */
};

void
api_csv_field(struct buf *b, const char *text, char after)
{
	if (text && strpbrk(text, ",\"\r\n")) {
		buf_putc(b, '"');
		for (const char *p = text; *p; p++) {
			if (*p == '"')
				buf_putc(b, '"');
			buf_putc(b, *p);
		}
		buf_putc(b, '"');
	} else if (text) {
		buf_puts(b, text);
	}
	if (after == '\n')
		buf_puts(b, "\r\n");
	else
		buf_putc(b, after);
}

static void
csv_date(struct buf *b, int date)
{
	char buf[DATE_BUFSIZE];
	api_csv_field(b, date == DATE_NONE ? "" : date_format(date, buf), ',');
}

static void
csv_window(struct buf *b, const struct status_window *w)
{
	csv_date(b, w->start);
	csv_date(b, w->end);
	api_csv_field(b, status_window_state_name(w->state), ',');
	csv_date(b, w->done_on);
}

static void
csv_row(const struct snapshot *s, struct buf *b, const struct api_cert *c)
{
	const struct snapshot_cert *row = &c->row;
	const struct snapshot_category *category =
	    snapshot_category(s, row->category);
	const struct snapshot_level *level = snapshot_level(s, row->level);
	const struct status *st = &c->st;
	char flags[128], validity[LABEL_VALIDITY_BUFSIZE];

	api_csv_field(b, row->number, ',');
	api_csv_field(b, row->category, ',');
	api_csv_field(b, category ? category->name_zh : "", ',');
	buf_printf(b, "%d,", row->level);
	api_csv_field(b, level ? level->name_zh : "", ',');
	csv_date(b, row->issued_on);
	csv_date(b, row->valid_until);
	csv_date(b, c->day);
	api_csv_field(b, status_name(st->status), ',');
	api_csv_field(b, label_status_zh(st->status), ',');
	csv_date(b, st->since);
	api_csv_field(
	    b, status_flags_format(st->flags, ";", flags, sizeof flags), ',');
	csv_date(b,
	    (st->flags & STATUS_FLAG_WARNING) ? st->warning_until : DATE_NONE);
	csv_date(b, (st->flags & STATUS_FLAGS_ORDERS)
	                ? st->rectification_deadline
	                : DATE_NONE);
	csv_window(b, &st->annual[0]);
	csv_window(b, &st->annual[1]);
	csv_window(b, &st->renewal);
	buf_printf(b, "%lld,", row->organisation_id);
	api_csv_field(b, row->organisation_name, ',');
	api_csv_field(b, row->credit_code, ',');
	api_csv_field(b, row->predecessor, ',');
	api_csv_field(b, row->successor, ',');
	api_csv_field(b, label_validity_zh(st, validity), '\n');
}

/* 1 when the certificate has an event of its own (voids included)
 * effective on or after `since`, 0 when not, -1 on a read error. */
static int
changed(struct snapshot *s, const struct snapshot_cert *row, int since)
{
	struct snapshot_rows *rows = snapshot_history(s, row->number);
	struct snapshot_event e;
	int rc, found = 0;

	while (!found && (rc = snapshot_next_event(rows, &e)) == 1)
		found = e.effective_on != DATE_NONE && e.effective_on >= since;
	snapshot_rows_done(rows);
	return found ? 1 : rc < 0 ? -1 : 0;
}

/* 1 when the certificate is one the export asked for, 0, or -1. */
static int
wanted(struct snapshot *s, const struct export_state *state,
    const struct api_cert *cert)
{
	int rc;

	if (!api_cert_filter_match(&state->filter, cert))
		return 0;
	if (state->changed_since != DATE_NONE &&
	    (rc = changed(s, &cert->row, state->changed_since)) != 1)
		return rc;
	if (state->has_q)
		return api_search_filter_match(s, &state->q, &cert->row);
	return 1;
}

static int
flush(struct api_sink *sink, struct buf *b)
{
	int rc = b->len ? sink->write(sink->arg, b->data, b->len) : 0;
	buf_reset(b);
	return rc;
}

int
api_export_rows(struct api_sink *sink, struct api_server *server,
    const char *header, int (*row)(void *arg, struct buf *b), void *arg)
{
	struct buf b = {0};
	long long count = 0;
	int rc = -1, got;

	if (header)
		buf_puts(&b, header);
	while ((got = row(arg, &b)) == 1) {
		if (b.len >= FLUSH_AT && flush(sink, &b) != 0)
			goto done;
		if ((++count & 1023) == 0 && atomic_load(&server->stopping))
			goto done;
	}
	if (got == 0 && flush(sink, &b) == 0)
		rc = 0;
done:
	buf_free(&b);
	return rc;
}

/* The certificates' statement and what the export asked for. */
struct export_rows {
	struct export_state *state;
	struct snapshot *s;
	struct snapshot_rows *rows;
};

static int
export_next(void *arg, struct buf *b)
{
	struct export_rows *r = arg;
	struct api_cert cert;
	int got = api_cert_next(r->s, r->rows, r->state->day, &cert), want;

	if (got != 1)
		return got;
	want = wanted(r->s, r->state, &cert);
	if (want < 0)
		return -1;
	if (want && r->state->format == API_EXPORT_CSV) {
		csv_row(r->s, b, &cert);
	} else if (want) {
		api_cert_write(r->s, &cert, NULL, b);
		buf_putc(b, '\n');
	}
	return 1;
}

static int
export_stream(struct api_response *resp, struct api_sink *sink)
{
	struct export_rows r = {
	    resp->stream_state, api_db_snapshot(resp->db), NULL};
	int rc;

	snapshot_limit(r.s, 0);
	r.rows = api_cert_filter_rows(r.s, &r.state->filter, r.state->day, "");
	rc = api_export_rows(sink, r.state->server,
	    r.state->format == API_EXPORT_CSV ? CSV_HEADER : NULL, export_next,
	    &r);
	snapshot_rows_done(r.rows);
	return rc;
}

static void
release(void *arg)
{
	struct export_state *state = arg;

	atomic_fetch_sub(&state->server->exports, 1);
	free(state);
}

void
api_export(struct api_call *c, enum api_export_format format)
{
	struct export_state *state, ask;
	const char *q = api_query_get(&c->query, "q");
	const char *since = api_query_get(&c->query, "changed_since");

	memset(&ask, 0, sizeof ask);
	ask.changed_since = DATE_NONE;
	if (api_cert_filter_read(c, &ask.filter) != 0)
		return;
	if (since && date_parse(since, &ask.changed_since) != 0) {
		api_call_problem(c, 400, "changed_since",
		    "changed_since must be a date YYYY-MM-DD that exists, "
		    "from %d to %d",
		    DATE_MIN_YEAR, DATE_MAX_YEAR);
		return;
	}
	if (q && api_search_wanted(q)) {
		if (api_search_filter_init(c, q, &ask.q) != 0)
			return;
		ask.has_q = 1;
	}
	if (atomic_fetch_add(&c->server->exports, 1) >=
	    c->config->max_exports) {
		atomic_fetch_sub(&c->server->exports, 1);
		api_call_problem(c, 503, NULL,
		    "%d exports are already "
		    "streaming; try again shortly",
		    c->config->max_exports);
		buf_puts(&c->resp->headers, "Retry-After: 10\r\n");
		return;
	}
	state = mem_calloc(1, sizeof *state);
	*state = ask;
	state->format = format;
	state->day = c->day;
	state->server = c->server;
	c->resp->status = 200;
	c->resp->stream = export_stream;
	c->resp->stream_state = state;
	c->resp->stream_free = release;
	c->resp->length = -1;
	if (format == API_EXPORT_CSV)
		buf_puts(&c->resp->headers,
		    "Content-Type: text/csv; charset=utf-8; "
		    "header=present\r\n"
		    "Content-Disposition: attachment; "
		    "filename=\"certificates.csv\"\r\n");
	else
		buf_puts(&c->resp->headers,
		    "Content-Type: application/x-ndjson; "
		    "charset=utf-8\r\n"
		    "Content-Disposition: attachment; "
		    "filename=\"certificates.ndjson\"\r\n");
}

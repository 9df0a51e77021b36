/*
 * Streamed exports (see api_export.h).  The response carries a stream
 * callback; the transport sends the headers, then runs it, which steps
 * one statement over the certificates and hands the sink 64 KB at a time.
 * The stream has no query time limit (it is long by nature); a client too
 * slow to read is cut off by the transport's write timeout.
 */
#include "registry/api/export.h"

#include <stdlib.h>
#include <string.h>

#include "registry/api/cert.h"
#include "registry/api/json.h"
#include "registry/api/server.h"
#include "registry/base/mem.h"

#define FLUSH_AT 65536

static const char CSV_HEADER[] =
    "number,category,category_name,level,level_name,issued_on,"
    "valid_until,as_of,status,status_label,status_since,flags,"
    "warning_until,rectification_deadline,"
    "annual_check_1_start,annual_check_1_end,annual_check_1_state,"
    "annual_check_1_done_on,annual_check_2_start,annual_check_2_end,"
    "annual_check_2_state,annual_check_2_done_on,renewal_start,"
    "renewal_end,renewal_state,renewal_done_on,organisation_id,"
    "organisation_name,credit_code,predecessor,successor\r\n";

struct export_state {
	enum api_export_format format;
	int day;
	struct api_server *server;
};

/* An RFC 4180 field and the separator after it. */
static void
csv_field(struct buf *b, const char *text, char after)
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
	csv_field(b, date == DATE_NONE ? "" : date_format(date, buf), ',');
}

static void
csv_window(struct buf *b, const struct status_window *w)
{
	csv_date(b, w->start);
	csv_date(b, w->end);
	csv_field(b, status_window_state_name(w->state), ',');
	csv_date(b, w->done_on);
}

static void
csv_row(struct api_db *d, struct buf *b, const struct api_cert *c)
{
	const struct api_category *category = api_db_category(d, c->category);
	const struct api_level *level = api_db_level(d, c->level);
	const struct status *st = &c->st;
	char flags[128];

	csv_field(b, c->number, ',');
	csv_field(b, c->category, ',');
	csv_field(b, category ? category->name_zh : "", ',');
	buf_printf(b, "%d,", c->level);
	csv_field(b, level ? level->name_zh : "", ',');
	csv_date(b, c->issued_on);
	csv_date(b, c->valid_until);
	csv_date(b, c->day);
	csv_field(b, status_name(st->status), ',');
	csv_field(b, status_label_zh(st->status), ',');
	csv_date(b, st->since);
	csv_field(
	    b, status_flags_format(st->flags, ";", flags, sizeof flags), ',');
	csv_date(b,
	    (st->flags & STATUS_FLAG_WARNING) ? st->warning_until : DATE_NONE);
	csv_date(b, (st->flags & STATUS_FLAG_RECTIFICATION)
	                ? st->rectification_deadline
	                : DATE_NONE);
	csv_window(b, &st->annual[0]);
	csv_window(b, &st->annual[1]);
	csv_window(b, &st->renewal);
	buf_printf(b, "%lld,", c->organisation_id);
	csv_field(b, c->organisation_name, ',');
	csv_field(b, c->credit_code, ',');
	csv_field(b, c->predecessor, ',');
	csv_field(b, c->successor, '\n');
}

static int
flush(struct api_sink *sink, struct buf *b)
{
	int rc = b->len ? sink->write(sink->arg, b->data, b->len) : 0;
	buf_reset(b);
	return rc;
}

static int
export_stream(struct api_response *resp, struct api_sink *sink)
{
	struct export_state *state = resp->stream_state;
	struct api_db *d = resp->db;
	sqlite3_stmt *stmt = api_db_stmt(d, API_SQL_EXPORT_CERTS);
	struct buf b = {0};
	long long rows = 0;
	int rc = -1, step;

	if (stmt == NULL)
		return -1;
	api_db_limit(d, 0);
	if (state->format == API_EXPORT_CSV)
		buf_puts(&b, CSV_HEADER);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct api_cert cert;
		if (api_cert_read(d, stmt, state->day, &cert) != 0)
			goto done;
		if (state->format == API_EXPORT_CSV) {
			csv_row(d, &b, &cert);
		} else {
			api_cert_write(d, &cert, NULL, &b);
			buf_putc(&b, '\n');
		}
		if (b.len >= FLUSH_AT && flush(sink, &b) != 0)
			goto done;
		if ((++rows & 1023) == 0 &&
		    atomic_load(&state->server->stopping))
			goto done;
	}
	if (step == SQLITE_DONE && flush(sink, &b) == 0)
		rc = 0;
done:
	sqlite3_reset(stmt);
	buf_free(&b);
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
	struct export_state *state;

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

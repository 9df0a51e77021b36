/*
 * Certificates on a date, and their JSON (see api_cert.h).
 */
#include "registry/api/cert.h"

#include <stdlib.h>
#include <string.h>

#include "registry/api/json.h"
#include "registry/rules/date.h"
#include "registry/rules/event.h"
#include "registry/base/mem.h"

static int
column_date(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	int date;

	if (text == NULL || date_parse((const char *)text, &date) != 0)
		return DATE_NONE;
	return date;
}

static const char *
column_text(sqlite3_stmt *stmt, int col)
{
	return (const char *)sqlite3_column_text(stmt, col);
}

static enum window_state
window_state_parse(const char *name)
{
	for (int s = WINDOW_UPCOMING; s <= WINDOW_CLOSED; s++)
		if (name && strcmp(name, status_window_state_name(s)) == 0)
			return (enum window_state)s;
	return WINDOW_UPCOMING;
}

static void
read_window(sqlite3_stmt *stmt, int col, struct status_window *w)
{
	w->start = column_date(stmt, col);
	w->end = column_date(stmt, col + 1);
	w->state = window_state_parse(column_text(stmt, col + 2));
	w->done_on = column_date(stmt, col + 3);
}

static unsigned
flags_parse(const char *text)
{
	unsigned flags = 0;

	while (text && *text) {
		size_t len = strcspn(text, ",");
		for (unsigned bit = 1; bit <= 4; bit <<= 1) {
			const char *name = status_flag_name(bit);
			if (strlen(name) == len &&
			    strncmp(text, name, len) == 0)
				flags |= bit;
		}
		text += len;
		if (*text == ',')
			text++;
	}
	return flags;
}

/* The status columns, computed by publish for the snapshot's as_of. */
static void
read_stored_status(sqlite3_stmt *stmt, struct status *st)
{
	int status = status_parse(column_text(stmt, API_CERT_STATUS)
	                              ? column_text(stmt, API_CERT_STATUS)
	                              : "");

	memset(st, 0, sizeof *st);
	st->status = status < 0 ? STATUS_VALID : (enum cert_status)status;
	st->since = column_date(stmt, API_CERT_STATUS_SINCE);
	st->flags = flags_parse(column_text(stmt, API_CERT_FLAGS));
	st->warning_until = column_date(stmt, API_CERT_WARNING_UNTIL);
	st->rectification_deadline =
	    column_date(stmt, API_CERT_RECTIFICATION_DEADLINE);
	read_window(stmt, API_CERT_ANNUAL1, &st->annual[0]);
	read_window(stmt, API_CERT_ANNUAL2, &st->annual[1]);
	read_window(stmt, API_CERT_RENEWAL, &st->renewal);
	st->valid_until = column_date(stmt, API_CERT_VALID_UNTIL);
}

/* The status on `day` from the certificate's events, as snapshot.c's
 * snapshot_cert_load() reads them. */
static int
compute_status(struct api_db *d, const char *number,
    const struct status_facts *facts, int day, struct status *st)
{
	struct status_event local[16], *events = local;
	size_t count = 0, cap = 16;
	sqlite3_stmt *stmt = api_db_stmt(d, API_SQL_CERT_EVENTS);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int kind = event_kind_parse(
		    column_text(stmt, 1) ? column_text(stmt, 1) : "");
		struct status_event *e;
		if (count == cap) {
			struct status_event *more =
			    mem_alloc(2 * cap * sizeof *more);
			memcpy(more, events, count * sizeof *more);
			if (events != local)
				free(events);
			events = more;
			cap *= 2;
		}
		e = &events[count++];
		e->id = sqlite3_column_int64(stmt, 0);
		e->kind = kind < 0 ? EVENT_KIND_COUNT : (enum event_kind)kind;
		e->effective_on = column_date(stmt, 2);
		e->deadline = column_date(stmt, 3);
		e->target = sqlite3_column_int64(stmt, 4);
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE)
		status_on(facts, events, count, day, st);
	if (events != local)
		free(events);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
api_cert_read(
    struct api_db *d, sqlite3_stmt *stmt, int day, struct api_cert *out)
{
	struct status_facts facts;

	out->number = column_text(stmt, API_CERT_NUMBER);
	out->category = column_text(stmt, API_CERT_CATEGORY);
	out->level = sqlite3_column_int(stmt, API_CERT_LEVEL);
	out->issued_on = column_date(stmt, API_CERT_ISSUED_ON);
	out->valid_until = column_date(stmt, API_CERT_VALID_UNTIL);
	out->organisation_id = sqlite3_column_int64(stmt, API_CERT_ORG_ID);
	out->organisation_name = column_text(stmt, API_CERT_ORG_NAME);
	out->credit_code = column_text(stmt, API_CERT_CREDIT_CODE);
	out->predecessor = column_text(stmt, API_CERT_PREDECESSOR);
	out->successor = column_text(stmt, API_CERT_SUCCESSOR);
	out->day = day;
	if (out->number == NULL || out->category == NULL)
		return -1;
	if (day == api_db_meta(d)->as_of) {
		read_stored_status(stmt, &out->st);
		return 0;
	}
	facts.issued_on = out->issued_on;
	facts.valid_until = out->valid_until;
	return compute_status(d, out->number, &facts, day, &out->st);
}

static void
put_window(struct buf *b, const char *name, const struct status_window *w)
{
	buf_putc(b, ',');
	buf_puts(b, name);
	buf_puts(b, ":{\"start\":");
	api_json_put_date(b, w->start);
	buf_puts(b, ",\"end\":");
	api_json_put_date(b, w->end);
	buf_puts(b, ",\"state\":\"");
	buf_puts(b, status_window_state_name(w->state));
	buf_puts(b, "\",\"done_on\":");
	api_json_put_date(b, w->done_on);
	buf_putc(b, '}');
}

void
api_cert_write(struct api_db *d, const struct api_cert *c, const char *match,
    struct buf *b)
{
	const struct api_category *category = api_db_category(d, c->category);
	const struct api_level *level = api_db_level(d, c->level);
	const struct status *st = &c->st;
	int first = 1;

	buf_puts(b, "{\"number\":");
	api_json_put_text(b, c->number);
	buf_puts(b, ",\"category\":");
	api_json_put_text(b, c->category);
	buf_puts(b, ",\"category_name\":");
	api_json_put_text(b, category ? category->name_zh : NULL);
	buf_puts(b, ",\"level\":");
	api_json_put_int(b, c->level);
	buf_puts(b, ",\"level_name\":");
	api_json_put_text(b, level ? level->name_zh : NULL);
	buf_puts(b, ",\"issued_on\":");
	api_json_put_date(b, c->issued_on);
	buf_puts(b, ",\"valid_until\":");
	api_json_put_date(b, c->valid_until);
	buf_puts(b, ",\"as_of\":");
	api_json_put_date(b, c->day);
	buf_puts(b, ",\"status\":\"");
	buf_puts(b, status_name(st->status));
	buf_puts(b, "\",\"status_label\":");
	api_json_put_text(b, status_label_zh(st->status));
	buf_puts(b, ",\"status_since\":");
	api_json_put_date(b, st->since);
	buf_puts(b, ",\"flags\":[");
	for (unsigned bit = 1; bit <= 4; bit <<= 1) {
		if (!(st->flags & bit))
			continue;
		buf_puts(b, first ? "\"" : ",\"");
		buf_puts(b, status_flag_name(bit));
		buf_putc(b, '"');
		first = 0;
	}
	buf_puts(b, "],\"warning_until\":");
	api_json_put_date(b,
	    (st->flags & STATUS_FLAG_WARNING) ? st->warning_until : DATE_NONE);
	buf_puts(b, ",\"rectification_deadline\":");
	api_json_put_date(b, (st->flags & STATUS_FLAG_RECTIFICATION)
	                         ? st->rectification_deadline
	                         : DATE_NONE);
	put_window(b, "\"annual_check_1\"", &st->annual[0]);
	put_window(b, "\"annual_check_2\"", &st->annual[1]);
	put_window(b, "\"renewal\"", &st->renewal);
	buf_puts(b, ",\"organisation\":{\"id\":");
	api_json_put_int(b, c->organisation_id);
	buf_puts(b, ",\"name\":");
	api_json_put_text(b, c->organisation_name);
	buf_puts(b, ",\"credit_code\":");
	api_json_put_text(b, c->credit_code);
	buf_puts(b, "},\"predecessor\":");
	api_json_put_text(b, c->predecessor);
	buf_puts(b, ",\"successor\":");
	api_json_put_text(b, c->successor);
	if (match) {
		buf_puts(b, ",\"match\":\"");
		buf_puts(b, match);
		buf_putc(b, '"');
	}
	buf_putc(b, '}');
}

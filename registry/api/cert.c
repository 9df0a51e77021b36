/*
 * Certificates on a date, and their JSON (see cert.h).
 */
#include "registry/api/cert.h"

#include <stdlib.h>
#include <string.h>

#include "registry/api/json.h"
#include "registry/rules/date.h"
#include "registry/rules/event.h"
#include "registry/base/mem.h"
#include "registry/rules/label.h"

int
api_cert_next(struct snapshot *s, struct snapshot_rows *rows, int day,
    struct api_cert *out)
{
	int rc = snapshot_next_cert(rows, &out->row);

	if (rc != 1)
		return rc;
	out->day = day;
	out->holder_name_en = NULL;
	return snapshot_cert_status(s, &out->row, day, &out->st) == 0 ? 1 : -1;
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
api_cert_write(const struct snapshot *s, const struct api_cert *c,
    const char *match, struct buf *b)
{
	const struct snapshot_cert *row = &c->row;
	const struct snapshot_category *category =
	    snapshot_category(s, row->category);
	const struct snapshot_level *level = snapshot_level(s, row->level);
	const struct status *st = &c->st;
	char validity[LABEL_VALIDITY_BUFSIZE];
	int first = 1;

	buf_puts(b, "{\"number\":");
	api_json_put_text(b, row->number);
	buf_puts(b, ",\"category\":");
	api_json_put_text(b, row->category);
	buf_puts(b, ",\"category_name\":");
	api_json_put_text(b, category ? category->name_zh : NULL);
	buf_puts(b, ",\"level\":");
	api_json_put_int(b, row->level);
	buf_puts(b, ",\"level_name\":");
	api_json_put_text(b, level ? level->name_zh : NULL);
	buf_puts(b, ",\"issued_on\":");
	api_json_put_date(b, row->issued_on);
	buf_puts(b, ",\"valid_until\":");
	api_json_put_date(b, row->valid_until);
	buf_puts(b, ",\"as_of\":");
	api_json_put_date(b, c->day);
	buf_puts(b, ",\"status\":\"");
	buf_puts(b, status_name(st->status));
	buf_puts(b, "\",\"status_label\":");
	api_json_put_text(b, label_status_zh(st->status));
	buf_puts(b, ",\"status_since\":");
	api_json_put_date(b, st->since);
	buf_puts(b, ",\"validity_label\":");
	api_json_put_text(b, label_validity_zh(st, validity));
	buf_puts(b, ",\"flags\":[");
	for (unsigned bit = 1; bit <= STATUS_FLAG_LAST; bit <<= 1) {
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
	api_json_put_date(b, (st->flags & STATUS_FLAGS_ORDERS)
	                         ? st->rectification_deadline
	                         : DATE_NONE);
	put_window(b, "\"annual_check_1\"", &st->annual[0]);
	put_window(b, "\"annual_check_2\"", &st->annual[1]);
	put_window(b, "\"renewal\"", &st->renewal);
	buf_puts(b, ",\"organisation\":{\"id\":");
	api_json_put_int(b, row->organisation_id);
	buf_puts(b, ",\"name\":");
	api_json_put_text(b, row->organisation_name);
	if (c->holder_name_en) {
		buf_puts(b, ",\"name_en\":");
		api_json_put_text(b, c->holder_name_en);
	}
	buf_puts(b, ",\"credit_code\":");
	api_json_put_text(b, row->credit_code);
	buf_puts(b, "},\"predecessor\":");
	api_json_put_text(b, row->predecessor);
	buf_puts(b, ",\"successor\":");
	api_json_put_text(b, row->successor);
	if (match) {
		buf_puts(b, ",\"match\":\"");
		buf_puts(b, match);
		buf_putc(b, '"');
	}
	buf_putc(b, '}');
}

/* One notice: its event's kind, dates, reason and reference. */
static void
put_notice(struct buf *b, const struct status_notice *n,
    const struct snapshot_event *e)
{
	buf_puts(b, "{\"kind\":\"");
	buf_puts(b, event_kind_name(n->kind));
	buf_puts(b, "\",\"label\":");
	api_json_put_text(
	    b, n->kind == EVENT_WARN ? label_event_zh(EVENT_WARN)
	       : n->overdue ? label_flag_zh(STATUS_FLAG_RECTIFICATION_OVERDUE)
	                    : label_event_zh(EVENT_RECTIFY));
	buf_puts(b, ",\"seq\":");
	api_json_put_int(b, n->id);
	buf_puts(b, ",\"effective_on\":");
	api_json_put_date(b, n->effective_on);
	buf_puts(b, n->kind == EVENT_WARN ? ",\"until\":" : ",\"deadline\":");
	api_json_put_date(b, n->until);
	buf_puts(b, ",\"overdue\":");
	buf_puts(b, n->overdue ? "true" : "false");
	buf_puts(b, ",\"reason\":");
	api_json_put_text(b, e && e->reason && *e->reason ? e->reason : NULL);
	buf_puts(b, ",\"reference\":");
	api_json_put_text(
	    b, e && e->reference && *e->reference ? e->reference : NULL);
	buf_putc(b, '}');
}

int
api_cert_write_notices(
    struct snapshot *s, const struct api_cert *c, struct buf *b)
{
	struct snapshot_rows *rows = snapshot_history(s, c->row.number);
	struct snapshot_event e;
	struct status_event *events = NULL;
	struct status_notice *notes;
	char **reasons = NULL, **references = NULL;
	struct status_facts facts = {c->row.issued_on, c->row.valid_until};
	size_t n = 0, cap = 0, count;
	int rc;

	while ((rc = snapshot_next_event(rows, &e)) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			events = mem_realloc(events, cap * sizeof *events);
			reasons = mem_realloc(reasons, cap * sizeof *reasons);
			references =
			    mem_realloc(references, cap * sizeof *references);
		}
		events[n] = (struct status_event){.id = e.seq,
		    .kind = e.kind,
		    .effective_on = e.effective_on,
		    .deadline = e.deadline,
		    .target = e.target_seq};
		reasons[n] = mem_strdup(e.reason ? e.reason : "");
		references[n] = mem_strdup(e.reference ? e.reference : "");
		n++;
	}
	snapshot_rows_done(rows);
	if (rc == 0) {
		notes = mem_alloc((n ? n : 1) * sizeof *notes);
		count = status_notices(&facts, events, n, c->day, notes, n);
		buf_puts(b, "[");
		for (size_t i = 0; i < count && i < n; i++) {
			struct snapshot_event shown = {0};
			for (size_t k = 0; k < n; k++)
				if (events[k].id == notes[i].id) {
					shown.reason = reasons[k];
					shown.reference = references[k];
				}
			if (i)
				buf_putc(b, ',');
			put_notice(b, &notes[i], &shown);
		}
		buf_puts(b, "]");
		free(notes);
	}
	for (size_t k = 0; k < n; k++) {
		free(reasons[k]);
		free(references[k]);
	}
	free(reasons);
	free(references);
	free(events);
	return rc == 0 ? 0 : -1;
}

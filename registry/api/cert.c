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
	api_json_put_int(b, row->organisation_id);
	buf_puts(b, ",\"name\":");
	api_json_put_text(b, row->organisation_name);
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

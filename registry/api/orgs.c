/*
 * Organisation routes (see orgs.h).
 */
#include "registry/api/orgs.h"

#include <string.h>

#include "registry/api/doc.h"
#include "registry/api/json.h"

#define DEFAULT_LIMIT 20

void
api_orgs_list(struct api_call *c)
{
	static const char *const no_filters[] = {NULL};
	struct api_cursor cursor = {0}, next;
	struct buf *b = &c->resp->body;
	struct snapshot_rows *rows;
	struct snapshot_org org;
	long long last = 0;
	int limit, count = 0, rc, has_cursor;
	uint32_t filters = api_call_fingerprint(c, no_filters);

	if (api_call_limit(c, DEFAULT_LIMIT, &limit) != 0 ||
	    (has_cursor = api_call_cursor(c, 'o', filters, &cursor)) < 0)
		return;
	rows = snapshot_orgs(c->snap, has_cursor ? cursor.a : 0, limit + 1);
	buf_puts(b, "{\"limit\":");
	api_json_put_int(b, limit);
	buf_puts(b, ",\"items\":[");
	while ((rc = snapshot_next_org(rows, &org)) == 1 && count < limit) {
		if (count++)
			buf_putc(b, ',');
		api_doc_put_org(b, &org);
		buf_putc(b, '}');
		last = org.id;
	}
	snapshot_rows_done(rows);
	if (rc < 0) {
		api_call_failed(c);
		return;
	}
	buf_putc(b, ']');
	memset(&next, 0, sizeof next);
	next.list = 'o';
	next.filters = filters;
	next.a = last;
	/* A row beyond the page means there is a next one. */
	api_call_page_end(c, rc == 1 ? &next : NULL, 1);
	api_call_ok(c);
}

void
api_orgs_one(struct api_call *c, long long id)
{
	int rc = api_doc_organisation(c->snap, id, c->day, &c->resp->body);

	if (rc == 0) {
		api_call_problem(
		    c, 404, NULL, "there is no organisation %lld", id);
		return;
	}
	if (rc < 0) {
		buf_reset(&c->resp->body);
		api_call_failed(c);
		return;
	}
	api_call_ok(c);
}

/*
 * Organisation routes (see orgs.h).
 */
#include "registry/api/orgs.h"

#include <string.h>

#include "registry/api/cert.h"
#include "registry/api/json.h"

#define DEFAULT_LIMIT 20
#define MAX_CERTIFICATES                                                       \
	1000 /* per organisation page; far above any real                      \
	        holder's count */

/* An organisation's members, without the closing brace. */
static void
put_org(struct buf *b, const struct snapshot_org *org)
{
	buf_puts(b, "{\"id\":");
	api_json_put_int(b, org->id);
	buf_puts(b, ",\"name\":");
	api_json_put_text(b, org->name);
	buf_puts(b, ",\"credit_code\":");
	api_json_put_text(b, org->credit_code);
	buf_puts(b, ",\"address\":");
	api_json_put_text(b, org->address);
	buf_puts(b, ",\"certificate_count\":");
	api_json_put_int(b, org->certificate_count);
}

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
		put_org(b, &org);
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

/* ,"former_names":[...]; 0, or -1 when they cannot be read. */
static int
put_former_names(struct api_call *c, long long id, struct buf *b)
{
	struct snapshot_rows *rows =
	    snapshot_former_names(c->snap, id, SNAPSHOT_BY_ID);
	struct snapshot_former_name name;
	int rc, count = 0;

	buf_puts(b, ",\"former_names\":[");
	while ((rc = snapshot_next_former_name(rows, &name)) == 1) {
		if (count++)
			buf_putc(b, ',');
		buf_puts(b, "{\"name\":");
		api_json_put_text(b, name.name);
		buf_puts(b, ",\"until\":");
		api_json_put_date(b, name.until);
		buf_putc(b, '}');
	}
	snapshot_rows_done(rows);
	buf_putc(b, ']');
	return rc < 0 ? -1 : 0;
}

/* ,"certificates":[...] on the request's date; 0, or -1. */
static int
put_certificates(struct api_call *c, long long id, struct buf *b)
{
	struct snapshot_rows *rows =
	    snapshot_certs_of_org(c->snap, id, SNAPSHOT_BY_NUMBER);
	struct api_cert cert;
	int rc = 0, count = 0;

	buf_puts(b, ",\"certificates\":[");
	while (count < MAX_CERTIFICATES &&
	       (rc = api_cert_next(c->snap, rows, c->day, &cert)) == 1) {
		if (count++)
			buf_putc(b, ',');
		api_cert_write(c->snap, &cert, NULL, b);
	}
	snapshot_rows_done(rows);
	buf_putc(b, ']');
	return rc < 0 ? -1 : 0;
}

void
api_orgs_one(struct api_call *c, long long id)
{
	struct snapshot_rows *rows = snapshot_org(c->snap, id);
	struct buf *b = &c->resp->body;
	struct snapshot_org org;
	int rc = snapshot_next_org(rows, &org);

	if (rc == 1)
		put_org(b, &org);
	snapshot_rows_done(rows);
	if (rc == 0) {
		api_call_problem(
		    c, 404, NULL, "there is no organisation %lld", id);
		return;
	}
	buf_puts(b, ",\"as_of\":");
	api_json_put_date(b, c->day);
	if (rc < 0 || put_former_names(c, id, b) != 0 ||
	    put_certificates(c, id, b) != 0) {
		api_call_failed(c);
		return;
	}
	buf_puts(b, "}\n");
	api_call_ok(c);
}

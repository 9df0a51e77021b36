/*
 * Organisation routes (see api_orgs.h).
 */
#include "registry/api/orgs.h"

#include <string.h>

#include "registry/api/cert.h"
#include "registry/api/json.h"

#define DEFAULT_LIMIT 20
#define MAX_CERTIFICATES                                                       \
	1000 /* per organisation page; far above any real                      \
	        holder's count */

/* The columns of API_SQL_ORG and API_SQL_ORGS, without the closing
 * brace. */
static void
put_org(struct buf *b, sqlite3_stmt *stmt)
{
	buf_puts(b, "{\"id\":");
	api_json_put_int(b, sqlite3_column_int64(stmt, 0));
	buf_puts(b, ",\"name\":");
	api_json_put_text(b, (const char *)sqlite3_column_text(stmt, 1));
	buf_puts(b, ",\"credit_code\":");
	api_json_put_text(b, (const char *)sqlite3_column_text(stmt, 2));
	buf_puts(b, ",\"address\":");
	api_json_put_text(b, (const char *)sqlite3_column_text(stmt, 3));
	buf_puts(b, ",\"certificate_count\":");
	api_json_put_int(b, sqlite3_column_int64(stmt, 4));
}

void
api_orgs_list(struct api_call *c)
{
	static const char *const no_filters[] = {NULL};
	struct api_cursor cursor = {0}, next;
	struct buf *b = &c->resp->body;
	sqlite3_stmt *stmt;
	long long last = 0;
	int limit, count = 0, rc, has_cursor;
	uint32_t filters = api_call_fingerprint(c, no_filters);

	if (api_call_limit(c, DEFAULT_LIMIT, &limit) != 0 ||
	    (has_cursor = api_call_cursor(c, 'o', filters, &cursor)) < 0)
		return;
	if ((stmt = api_db_stmt(c->db, API_SQL_ORGS)) == NULL) {
		api_call_failed(c);
		return;
	}
	sqlite3_bind_int64(stmt, 1, has_cursor ? cursor.a : 0);
	sqlite3_bind_int(stmt, 2, limit + 1);
	buf_puts(b, "{\"limit\":");
	api_json_put_int(b, limit);
	buf_puts(b, ",\"items\":[");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && count < limit) {
		if (count++)
			buf_putc(b, ',');
		put_org(b, stmt);
		buf_putc(b, '}');
		last = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		api_call_failed(c);
		return;
	}
	buf_putc(b, ']');
	memset(&next, 0, sizeof next);
	next.list = 'o';
	next.filters = filters;
	next.a = last;
	/* A row beyond the page means there is a next one. */
	api_call_page_end(c, rc == SQLITE_ROW ? &next : NULL, 1);
	api_call_ok(c);
}

void
api_orgs_one(struct api_call *c, long long id)
{
	sqlite3_stmt *stmt = api_db_stmt(c->db, API_SQL_ORG);
	struct buf *b = &c->resp->body;
	int rc, count = 0;

	if (stmt == NULL)
		goto failed;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(stmt);
		api_call_problem(
		    c, 404, NULL, "there is no organisation %lld", id);
		return;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(stmt);
		goto failed;
	}
	put_org(b, stmt);
	sqlite3_reset(stmt);
	buf_puts(b, ",\"as_of\":");
	api_json_put_date(b, c->day);

	if ((stmt = api_db_stmt(c->db, API_SQL_ORG_FORMER_NAMES)) == NULL)
		goto failed;
	sqlite3_bind_int64(stmt, 1, id);
	buf_puts(b, ",\"former_names\":[");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (count++)
			buf_putc(b, ',');
		buf_puts(b, "{\"name\":");
		api_json_put_text(
		    b, (const char *)sqlite3_column_text(stmt, 0));
		buf_puts(b, ",\"until\":");
		api_json_put_text(
		    b, (const char *)sqlite3_column_text(stmt, 1));
		buf_putc(b, '}');
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		goto failed;

	if ((stmt = api_db_stmt(c->db, API_SQL_CERTS_OF_ORG)) == NULL)
		goto failed;
	sqlite3_bind_int64(stmt, 1, id);
	buf_puts(b, "],\"certificates\":[");
	count = 0;
	while (count < MAX_CERTIFICATES &&
	       (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct api_cert cert;
		if (api_cert_read(c->db, stmt, c->day, &cert) != 0) {
			rc = SQLITE_ERROR;
			break;
		}
		if (count++)
			buf_putc(b, ',');
		api_cert_write(c->db, &cert, NULL, b);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		goto failed;
	buf_puts(b, "]}\n");
	api_call_ok(c);
	return;
failed:
	api_call_failed(c);
}

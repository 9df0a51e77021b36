/*
 * Certificate routes.  The list walks one index in number order (the most
 * selective the filters allow) and applies the other filters, and statuses
 * on dates other than the snapshot's, row by row; a page stops after
 * `limit` matches or when its scan budget is spent, and its cursor is the
 * last number looked at, so a sparse filter gives short pages rather than
 * slow ones, and every row is seen exactly once.  With q, the list is a
 * search (api_search.c).
 */
#include "registry/api/certs.h"

#include <stdlib.h>
#include <string.h>

#include "registry/api/event.h"
#include "registry/api/json.h"
#include "registry/api/search.h"

#define DEFAULT_LIMIT 20

/* The parameters a list cursor is bound to. */
static const char *const LIST_FILTERS[] = {
    "q", "level", "category", "status", "as_of", NULL};

int
api_cert_filter_match(const struct api_cert_filter *f, const struct api_cert *c)
{
	if (f->level && c->level != f->level)
		return 0;
	if (f->category && strcmp(c->category, f->category) != 0)
		return 0;
	if (f->status >= 0 && (int)c->st.status != f->status)
		return 0;
	return 1;
}

/* Reads level, category and status; 0, or -1 with a 400 set. */
static int
read_filter(struct api_call *c, struct api_cert_filter *f)
{
	const char *level = api_query_get(&c->query, "level");
	const char *category = api_query_get(&c->query, "category");
	const char *status = api_query_get(&c->query, "status");

	f->level = 0;
	f->category = NULL;
	f->status = -1;
	if (level) {
		if (strlen(level) != 1 || level[0] < '1' || level[0] > '5') {
			api_call_problem(c, 400, "level",
			    "level must be 1, 2, "
			    "3, 4 or 5");
			return -1;
		}
		f->level = level[0] - '0';
	}
	if (category) {
		const struct api_category *known =
		    api_db_category(c->db, category);
		if (known == NULL) {
			api_call_problem(c, 400, "category",
			    "unknown category "
			    "'%s'; /v1/meta lists them",
			    category);
			return -1;
		}
		f->category = known->code;
	}
	if (status && (f->status = status_parse(status)) < 0) {
		api_call_problem(c, 400, "status",
		    "status must be one of "
		    "valid, suspended, revoked, expired, "
		    "superseded, not_issued");
		return -1;
	}
	return 0;
}

static void
list(struct api_call *c, const struct api_cert_filter *f, int limit,
    const struct api_cursor *cursor, uint32_t filters)
{
	const char *after = cursor ? cursor->key : "";
	int on_snapshot_day = c->day == api_db_meta(c->db)->as_of;
	struct buf *b = &c->resp->body;
	sqlite3_stmt *stmt;
	char last_seen[API_CURSOR_KEY_MAX + 1] = "";
	int count = 0, more = 0, stopped = 0, rc;

	if (f->status >= 0 && on_snapshot_day) {
		stmt = api_db_stmt(c->db, API_SQL_CERTS_BY_STATUS);
		if (stmt)
			sqlite3_bind_text(
			    stmt, 1, status_name(f->status), -1, SQLITE_STATIC);
	} else if (f->category) {
		stmt = api_db_stmt(c->db, API_SQL_CERTS_BY_CATEGORY);
		if (stmt)
			sqlite3_bind_text(
			    stmt, 1, f->category, -1, SQLITE_STATIC);
	} else if (f->level) {
		stmt = api_db_stmt(c->db, API_SQL_CERTS_BY_LEVEL);
		if (stmt)
			sqlite3_bind_int(stmt, 1, f->level);
	} else {
		stmt = api_db_stmt(c->db, API_SQL_CERTS);
	}
	if (stmt == NULL)
		goto failed;
	sqlite3_bind_text(
	    stmt, sqlite3_bind_parameter_count(stmt), after, -1, SQLITE_STATIC);
	buf_puts(b, "{\"as_of\":");
	api_json_put_date(b, c->day);
	buf_puts(b, ",\"limit\":");
	api_json_put_int(b, limit);
	buf_puts(b, ",\"items\":[");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct api_cert cert;
		if (api_cert_read(c->db, stmt, c->day, &cert) != 0)
			goto failed;
		if (api_cert_filter_match(f, &cert)) {
			/* One match beyond the page: there is a next one,
			 * and it starts after the last row looked at. */
			if (count == limit) {
				more = 1;
				break;
			}
			if (count++)
				buf_putc(b, ',');
			api_cert_write(c->db, &cert, NULL, b);
		}
		snprintf(last_seen, sizeof last_seen, "%s", cert.number);
		if (api_call_spent(c)) {
			stopped = 1;
			break;
		}
	}
	if (!more && !stopped && rc != SQLITE_DONE)
		goto failed;
	sqlite3_reset(stmt);
	buf_putc(b, ']');
	if (more || stopped) {
		struct api_cursor next = {.list = 'c', .filters = filters};
		snprintf(next.key, sizeof next.key, "%s", last_seen);
		api_call_page_end(c, &next, 1);
	} else {
		api_call_page_end(c, NULL, 0);
	}
	api_call_ok(c);
	return;
failed:
	if (stmt)
		sqlite3_reset(stmt);
	api_call_failed(c);
}

void
api_certs_list(struct api_call *c)
{
	struct api_cert_filter f;
	struct api_cursor cursor;
	uint32_t filters;
	const char *q = api_query_get(&c->query, "q");
	int limit, has_cursor;

	if (read_filter(c, &f) != 0 ||
	    api_call_limit(c, DEFAULT_LIMIT, &limit) != 0)
		return;
	filters = api_call_fingerprint(c, LIST_FILTERS);
	if (q != NULL && api_search_wanted(q)) {
		has_cursor = api_call_cursor(c, 's', filters, &cursor);
		if (has_cursor >= 0)
			api_search(c, q, &f, limit, has_cursor ? &cursor : NULL,
			    filters);
		return;
	}
	has_cursor = api_call_cursor(c, 'c', filters, &cursor);
	if (has_cursor >= 0)
		list(c, &f, limit, has_cursor ? &cursor : NULL, filters);
}

void
api_certs_one(struct api_call *c, const char *number)
{
	sqlite3_stmt *stmt = api_db_stmt(c->db, API_SQL_CERT_BY_NUMBER);
	struct api_cert cert;
	int rc;

	if (stmt == NULL) {
		api_call_failed(c);
		return;
	}
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		api_call_problem(c, 404, NULL,
		    "there is no certificate "
		    "numbered %s",
		    number);
	} else if (rc != SQLITE_ROW ||
	           api_cert_read(c->db, stmt, c->day, &cert) != 0) {
		api_call_failed(c);
	} else {
		api_cert_write(c->db, &cert, NULL, &c->resp->body);
		buf_putc(&c->resp->body, '\n');
		api_call_ok(c);
	}
	sqlite3_reset(stmt);
}

void
api_certs_history(struct api_call *c, const char *number)
{
	sqlite3_stmt *stmt = api_db_stmt(c->db, API_SQL_CERT_BY_NUMBER);
	json_t *events, *body;
	int rc;

	if (stmt == NULL) {
		api_call_failed(c);
		return;
	}
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE) {
		api_call_problem(c, 404, NULL,
		    "there is no certificate "
		    "numbered %s",
		    number);
		return;
	}
	if (rc != SQLITE_ROW ||
	    (stmt = api_db_stmt(c->db, API_SQL_CERT_HISTORY)) == NULL) {
		api_call_failed(c);
		return;
	}
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_STATIC);
	events = json_array();
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		json_array_append_new(events, api_event_json(stmt));
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		json_decref(events);
		api_call_failed(c);
		return;
	}
	body = json_object();
	json_object_set_new(body, "number", json_string(number));
	json_object_set_new(body, "events", events);
	api_call_json(c, body);
}

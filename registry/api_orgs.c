/*
 * Organisation routes (see api_orgs.h).
 */
#include "registry/api_orgs.h"

#include <string.h>

#include "registry/api_cert.h"
#include "registry/api_json.h"

#define DEFAULT_LIMIT 20
#define MAX_CERTIFICATES                                                       \
	1000 /* per organisation page; far above any real                      \
	        holder's count */

static json_t *
org_json(sqlite3_stmt *stmt)
{
	json_t *o = json_object();

	json_object_set_new(
	    o, "id", json_integer(sqlite3_column_int64(stmt, 0)));
	json_object_set_new(o, "name",
	    api_json_text((const char *)sqlite3_column_text(stmt, 1)));
	json_object_set_new(o, "credit_code",
	    api_json_text((const char *)sqlite3_column_text(stmt, 2)));
	json_object_set_new(o, "address",
	    api_json_text((const char *)sqlite3_column_text(stmt, 3)));
	json_object_set_new(o, "certificate_count",
	    json_integer(sqlite3_column_int64(stmt, 4)));
	return o;
}

void
api_orgs_list(struct api_call *c)
{
	static const char *const no_filters[] = {NULL};
	struct api_cursor cursor = {0}, next;
	sqlite3_stmt *stmt;
	json_t *items, *body;
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
	items = json_array();
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && count < limit) {
		json_array_append_new(items, org_json(stmt));
		last = sqlite3_column_int64(stmt, 0);
		count++;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		json_decref(items);
		api_call_failed(c);
		return;
	}
	body = json_object();
	json_object_set_new(body, "limit", json_integer(limit));
	json_object_set_new(body, "items", items);
	memset(&next, 0, sizeof next);
	next.list = 'o';
	next.filters = filters;
	next.a = last;
	/* A row beyond the page means there is a next one. */
	api_call_next(c, body, rc == SQLITE_ROW ? &next : NULL, 1);
	api_call_json(c, body);
}

void
api_orgs_one(struct api_call *c, long long id)
{
	sqlite3_stmt *stmt = api_db_stmt(c->db, API_SQL_ORG);
	json_t *body = NULL, *names, *certs;
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
	body = org_json(stmt);
	sqlite3_reset(stmt);
	json_object_set_new(body, "as_of", api_json_date(c->day));

	if ((stmt = api_db_stmt(c->db, API_SQL_ORG_FORMER_NAMES)) == NULL)
		goto failed;
	sqlite3_bind_int64(stmt, 1, id);
	names = json_array();
	json_object_set_new(body, "former_names", names);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		json_array_append_new(names,
		    json_pack("{s:o, s:o}", "name",
		        api_json_text(
		            (const char *)sqlite3_column_text(stmt, 0)),
		        "until",
		        api_json_text(
		            (const char *)sqlite3_column_text(stmt, 1))));
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		goto failed;

	if ((stmt = api_db_stmt(c->db, API_SQL_CERTS_OF_ORG)) == NULL)
		goto failed;
	sqlite3_bind_int64(stmt, 1, id);
	certs = json_array();
	json_object_set_new(body, "certificates", certs);
	while (count < MAX_CERTIFICATES &&
	       (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct api_cert cert;
		if (api_cert_read(c->db, stmt, c->day, &cert) != 0) {
			rc = SQLITE_ERROR;
			break;
		}
		json_array_append_new(certs, api_cert_json(c->db, &cert));
		count++;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		goto failed;
	api_call_json(c, body);
	return;
failed:
	json_decref(body);
	api_call_failed(c);
}

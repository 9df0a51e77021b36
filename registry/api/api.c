/*
 * The API's entry point: method and route, query checks, the date answered
 * for, entity tags and conditional requests, and the headers every
 * response carries.  The routes themselves are in certs.c, search.c,
 * orgs.c, changes.c, export.c and site.c;
 * /healthz, /v1/meta and /v1/openapi.json are here.
 */
#include "registry/api/api.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "registry/api/call.h"
#include "registry/api/certs.h"
#include "registry/api/changes.h"
#include "registry/api/check.h"
#include "registry/api/encoding.h"
#include "registry/api/export.h"
#include "registry/api/hash.h"
#include "registry/api/json.h"
#include "registry/base/clock.h"
#include "registry/api/orgs.h"
#include "registry/api/proofs.h"
#include "registry/api/server.h"
#include "registry/api/site.h"
#include "registry/base/mem.h"
#include "registry/rules/label.h"
#include "registry/base/url.h"
#include "registry/rules/status.h"

#define API_CACHE_CONTROL "Cache-Control: public, max-age=60\r\n"
#define API_CSP "default-src 'none'; frame-ancestors 'none'"

enum route {
	ROUTE_NONE,
	ROUTE_HEALTHZ,
	ROUTE_META,
	ROUTE_OPENAPI,
	ROUTE_CERTIFICATES,
	ROUTE_CERTIFICATE,
	ROUTE_HISTORY,
	ROUTE_ORGANISATIONS,
	ROUTE_ORGANISATION,
	ROUTE_CHANGES,
	ROUTE_CHANGES_ATOM,
	ROUTE_CHANGES_CSV,
	ROUTE_EXPORT_CSV,
	ROUTE_EXPORT_NDJSON,
	ROUTE_CHECKPOINT, /* the signed log: proofs.c */
	ROUTE_RECEIPT,
	ROUTE_CONSISTENCY,
	ROUTE_SITE,  /* from here on, the site's (route >= ROUTE_SITE) */
	ROUTE_CHECK, /* the site's pages registryd answers: check.c */
	ROUTE_BULK,
};

/* The parameters each route accepts; anything else is a 400. */
static const char *const NO_PARAMS[] = {NULL};
static const char *const CERTIFICATES_PARAMS[] = {"q", "level", "category",
    "status", "as_of", "limit", "cursor", "number", "format", NULL};
static const char *const AS_OF_PARAMS[] = {"as_of", NULL};
static const char *const PAGE_PARAMS[] = {"limit", "cursor", NULL};
static const char *const CHANGES_PARAMS[] = {
    "kind", "since", "until", "limit", "cursor", NULL};
static const char *const CHANGES_CSV_PARAMS[] = {
    "kind", "since", "until", "cursor", NULL};
static const char *const ATOM_PARAMS[] = {
    "kind", "since", "until", "limit", NULL};
static const char *const EXPORT_PARAMS[] = {
    "q", "level", "category", "status", "as_of", "changed_since", NULL};
static const char *const CONSISTENCY_PARAMS[] = {"from", "to", NULL};

static const char *const *const ROUTE_PARAMS[] = {
    [ROUTE_HEALTHZ] = NO_PARAMS,
    [ROUTE_META] = NO_PARAMS,
    [ROUTE_OPENAPI] = NO_PARAMS,
    [ROUTE_CERTIFICATES] = CERTIFICATES_PARAMS,
    [ROUTE_CERTIFICATE] = AS_OF_PARAMS,
    [ROUTE_HISTORY] = NO_PARAMS,
    [ROUTE_ORGANISATIONS] = PAGE_PARAMS,
    [ROUTE_ORGANISATION] = AS_OF_PARAMS,
    [ROUTE_CHANGES] = CHANGES_PARAMS,
    [ROUTE_CHANGES_ATOM] = ATOM_PARAMS,
    [ROUTE_CHANGES_CSV] = CHANGES_CSV_PARAMS,
    [ROUTE_EXPORT_CSV] = EXPORT_PARAMS,
    [ROUTE_EXPORT_NDJSON] = EXPORT_PARAMS,
    [ROUTE_CHECKPOINT] = NO_PARAMS,
    [ROUTE_RECEIPT] = NO_PARAMS,
    [ROUTE_CONSISTENCY] = CONSISTENCY_PARAMS,
};

void
api_config_defaults(struct api_config *config)
{
	memset(config, 0, sizeof *config);
	config->today = DATE_NONE;
	config->scan_limit = 20000;
	config->scan_ms = 100;
	config->query_ms = 2000;
	config->max_exports = 2;
	config->search_window = 500;
	config->base_url = "http://127.0.0.1:8080/";
	api_cursor_secret_random(config->cursor_secret);
}

struct api_server *
api_server_new(const struct api_config *config)
{
	struct api_server *s = mem_calloc(1, sizeof *s);

	s->config = *config;
	s->proofs = api_proofs_new(config->log_dir);
	atomic_init(&s->exports, 0);
	atomic_init(&s->stopping, 0);
	return s;
}

void
api_server_free(struct api_server *server)
{
	if (server != NULL)
		api_proofs_free(server->proofs);
	free(server);
}

void
api_server_stopping(struct api_server *server)
{
	atomic_store(&server->stopping, 1);
}

const char *
api_status_text(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 204:
		return "No Content";
	case 301:
		return "Moved Permanently";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 411:
		return "Length Required";
	case 413:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return status < 500 ? "Bad Request" : "Internal Server Error";
	}
}

/* A certificate number as it may appear in a path: upper-cased. */
static int
number_segment(const char *text, size_t len, char *out, size_t out_size)
{
	if (len == 0 || len >= out_size)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		        c == '-'))
			return -1;
		out[i] = c;
	}
	out[len] = '\0';
	return 0;
}

/*
 * The route of `path`; the certificate number or organisation id it names
 * goes to `arg`.  Paths outside /v1/ and /healthz are the site's.
 */
static enum route
route_of(const char *path, char *arg, size_t arg_size)
{
	const char *rest, *slash;

	arg[0] = '\0';
	if (strcmp(path, "/healthz") == 0)
		return ROUTE_HEALTHZ;
	if (strcmp(path, "/registry/check/") == 0 ||
	    strcmp(path, "/en/registry/check/") == 0)
		return ROUTE_CHECK;
	if (strcmp(path, "/registry/bulk/") == 0 ||
	    strcmp(path, "/en/registry/bulk/") == 0)
		return ROUTE_BULK;
	if (strncmp(path, "/v1/", 4) != 0)
		return strcmp(path, "/v1") == 0 ? ROUTE_NONE : ROUTE_SITE;
	rest = path + 4;
	if (strcmp(rest, "meta") == 0)
		return ROUTE_META;
	if (strcmp(rest, "openapi.json") == 0)
		return ROUTE_OPENAPI;
	if (strcmp(rest, "certificates") == 0)
		return ROUTE_CERTIFICATES;
	if (strcmp(rest, "organisations") == 0)
		return ROUTE_ORGANISATIONS;
	if (strcmp(rest, "changes") == 0)
		return ROUTE_CHANGES;
	if (strcmp(rest, "changes.atom") == 0)
		return ROUTE_CHANGES_ATOM;
	if (strcmp(rest, "changes.csv") == 0)
		return ROUTE_CHANGES_CSV;
	if (strcmp(rest, "export/certificates.csv") == 0)
		return ROUTE_EXPORT_CSV;
	if (strcmp(rest, "export/certificates.ndjson") == 0)
		return ROUTE_EXPORT_NDJSON;
	if (strcmp(rest, "checkpoint") == 0)
		return ROUTE_CHECKPOINT;
	if (strcmp(rest, "log/consistency") == 0)
		return ROUTE_CONSISTENCY;
	if (strncmp(rest, "certificates/", 13) == 0) {
		rest += 13;
		slash = strchr(rest, '/');
		if (number_segment(rest,
		        slash ? (size_t)(slash - rest) : strlen(rest), arg,
		        arg_size) != 0)
			return ROUTE_NONE;
		if (slash == NULL)
			return ROUTE_CERTIFICATE;
		if (strcmp(slash, "/receipt") == 0)
			return ROUTE_RECEIPT;
		return strcmp(slash, "/history") == 0 ? ROUTE_HISTORY
		                                      : ROUTE_NONE;
	}
	if (strncmp(rest, "organisations/", 14) == 0) {
		rest += 14;
		size_t len = strlen(rest);
		if (len == 0 || len > 18 || strspn(rest, "0123456789") != len ||
		    rest[0] == '0')
			return ROUTE_NONE;
		memcpy(arg, rest, len + 1);
		return ROUTE_ORGANISATION;
	}
	return ROUTE_NONE;
}

static int
today(const struct api_call *c)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);

	if (c->config->today != DATE_NONE)
		return c->config->today;
	if (meta->sample)
		return meta->as_of;
	return date_from_epoch((long long)time(NULL));
}

/* Sorts parameters by name, for an order-blind entity tag. */
static int
param_order(const void *a, const void *b)
{
	const struct api_query_param *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

/* The entity tag of a 200 answer: snapshot, path, parameters, date. */
static void
entity_tag(const struct api_call *c, const char *path, char out[24])
{
	const struct snapshot_meta *meta = api_db_meta(c->db);
	const struct api_query_param *sorted[API_QUERY_MAX_PARAMS];
	uint64_t h = API_HASH_INIT;

	h = api_hash_str(h, meta->sha256);
	h = api_hash_str(h, meta->published_at);
	h = api_hash_str(h, path);
	h = api_hash_add(h, &c->day, sizeof c->day);
	for (int i = 0; i < c->query.count; i++)
		sorted[i] = &c->query.params[i];
	qsort(sorted, (size_t)c->query.count, sizeof sorted[0], param_order);
	for (int i = 0; i < c->query.count; i++)
		if (sorted[i]->value[0] != '\0')
			h = api_hash_str(
			    api_hash_str(h, sorted[i]->name), sorted[i]->value);
	snprintf(out, 24, "\"%016llx\"", (unsigned long long)h);
}

/* The value of header `name` ("Content-Type") among resp's lines, copied
 * into out; NULL when it is not there. */
static const char *
header_value(const struct buf *h, const char *name, char *out, size_t size)
{
	size_t n = strlen(name);

	for (const char *line = h->data; line && *line;) {
		const char *end = strstr(line, "\r\n");
		if (end == NULL)
			break;
		if ((size_t)(end - line) > n + 1 &&
		    strncasecmp(line, name, n) == 0 && line[n] == ':') {
			const char *v = line + n + 1;
			while (*v == ' ')
				v++;
			snprintf(out, size, "%.*s", (int)(end - v), v);
			return out;
		}
		line = end + 2;
	}
	return NULL;
}

/*
 * gzip for a text body in memory when the request allows it, and
 * Vary: Accept-Encoding on every answer that could have been coded
 * (and their 304s).  A coded body's ETag becomes weak: the same
 * resource, another representation.
 */
static void
encode(struct api_call *c)
{
	struct api_response *resp = c->resp;
	char type[128], *tag;

	if (resp->status == 304) {
		buf_puts(&resp->headers, "Vary: Accept-Encoding\r\n");
		return;
	}
	if (resp->status != 200 ||
	    !api_encoding_compressible(header_value(
	        &resp->headers, "Content-Type", type, sizeof type)))
		return;
	buf_puts(&resp->headers, "Vary: Accept-Encoding\r\n");
	if (header_value(&resp->headers, "Content-Encoding", type, sizeof type))
		return; /* a precompressed file (site.c) */
	if (resp->stream != NULL || resp->body.len < API_GZIP_MIN ||
	    !api_encoding_accepts_gzip(c->req->accept_encoding) ||
	    api_encoding_gzip(&resp->body) != 0)
		return;
	buf_puts(&resp->headers, "Content-Encoding: gzip\r\n");
	for (char *line = resp->headers.data; line && *line;) {
		char *end = strstr(line, "\r\n");
		if (end == NULL)
			break;
		if (strncmp(line, "ETag: \"", 7) == 0) {
			/* ETag: "x" -> ETag: W/"x" */
			size_t at = (size_t)(line + 6 - resp->headers.data);
			buf_grow(&resp->headers, 2);
			tag = resp->headers.data + at;
			memmove(tag + 2, tag, resp->headers.len - at + 1);
			memcpy(tag, "W/", 2);
			resp->headers.len += 2;
			break;
		}
		line = end + 2;
	}
}

/* The headers every response carries. */
static void
common_headers(struct api_response *resp, int site)
{
	struct buf *h = &resp->headers;

	buf_puts(h, "Access-Control-Allow-Origin: *\r\n"
	            "Access-Control-Expose-Headers: ETag, Link, "
	            "Last-Modified, Retry-After\r\n"
	            "X-Content-Type-Options: nosniff\r\n");
	if (site)
		buf_puts(h, "Content-Security-Policy: " API_SITE_CSP "\r\n"
		            "Referrer-Policy: same-origin\r\n");
	else
		buf_puts(h, "Content-Security-Policy: " API_CSP "\r\n"
		            "Referrer-Policy: no-referrer\r\n");
	if (resp->status >= 400)
		buf_puts(h, "Cache-Control: no-store\r\n");
}

static void
method_not_allowed(struct api_call *c)
{
	api_call_problem(c, 405, NULL,
	    "%s is not allowed: this API is read "
	    "only (GET, HEAD, OPTIONS)",
	    c->req->method);
	buf_puts(&c->resp->headers, "Allow: GET, HEAD, OPTIONS\r\n");
}

static void
preflight(struct api_call *c)
{
	c->resp->status = 204;
	buf_puts(&c->resp->headers,
	    "Allow: GET, HEAD, OPTIONS\r\n"
	    "Access-Control-Allow-Methods: GET, HEAD, OPTIONS\r\n"
	    "Access-Control-Allow-Headers: Accept, If-None-Match, "
	    "If-Modified-Since, Cache-Control\r\n"
	    "Access-Control-Max-Age: 86400\r\n");
}

static void
healthz(struct api_call *c)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);

	if (!snapshot_ping(c->snap)) {
		api_call_problem(c, 503, NULL, "the snapshot cannot be read");
		return;
	}
	api_call_json(
	    c, json_pack("{s:s, s:s, s:s}", "status", "ok", "published_at",
	           meta->published_at, "sha256", meta->sha256));
}

static void
meta_route(struct api_call *c)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);
	json_t *body = json_object(), *counts = json_object();
	json_t *levels = json_array(), *categories = json_array();
	json_t *statuses = json_array();
	const struct snapshot_category *cats;
	size_t count;

	json_object_set_new(
	    body, "schema_version", json_integer(meta->schema_version));
	json_object_set_new(
	    body, "published_at", api_json_text(meta->published_at));
	json_object_set_new(body, "as_of", api_json_date(meta->as_of));
	json_object_set_new(body, "today", api_json_date(today(c)));
	json_object_set_new(body, "sha256", api_json_text(meta->sha256));
	json_object_set_new(body, "sample", json_boolean(meta->sample));
	json_object_set_new(body, "generator", api_json_text(meta->generator));
	json_object_set_new(
	    counts, "certificates", json_integer(meta->certificates));
	json_object_set_new(
	    counts, "organisations", json_integer(meta->organisations));
	json_object_set_new(counts, "events", json_integer(meta->events));
	json_object_set_new(body, "counts", counts);
	for (int l = 1; l <= 5; l++) {
		const struct snapshot_level *level = snapshot_level(c->snap, l);
		if (level)
			json_array_append_new(levels,
			    json_pack("{s:i, s:o, s:o}", "level", l, "name_zh",
			        api_json_text(level->name_zh), "name_en",
			        api_json_text(level->name_en)));
	}
	json_object_set_new(body, "levels", levels);
	cats = snapshot_categories(c->snap, &count);
	for (size_t i = 0; i < count; i++)
		json_array_append_new(
		    categories, json_pack("{s:o, s:o, s:o}", "code",
		                    api_json_text(cats[i].code), "name_zh",
		                    api_json_text(cats[i].name_zh), "name_en",
		                    api_json_text(cats[i].name_en)));
	json_object_set_new(body, "categories", categories);
	for (int s = STATUS_NOT_ISSUED; s <= STATUS_SUPERSEDED; s++)
		json_array_append_new(
		    statuses, json_pack("{s:s, s:o}", "status", status_name(s),
		                  "label", api_json_text(label_status_zh(s))));
	json_object_set_new(body, "statuses", statuses);
	json_object_set_new(body, "log", api_proofs_meta(c));
	api_call_json(c, body);
}

static void
openapi(struct api_call *c)
{
	c->resp->status = 200;
	buf_put(&c->resp->body, c->config->openapi, c->config->openapi_size);
	buf_puts(&c->resp->headers,
	    "Content-Type: application/json; charset=utf-8\r\n");
}

/* The as_of parameter, or today. */
static int
answer_date(struct api_call *c)
{
	const char *text = api_query_get(&c->query, "as_of");

	c->day = today(c);
	if (text == NULL)
		return 0;
	if (date_parse(text, &c->day) != 0) {
		api_call_problem(c, 400, "as_of",
		    "as_of must be a date "
		    "YYYY-MM-DD that exists, from %d to %d",
		    DATE_MIN_YEAR, DATE_MAX_YEAR);
		return -1;
	}
	return 0;
}

static void
dispatch(struct api_call *c, enum route route, const char *arg)
{
	switch (route) {
	case ROUTE_HEALTHZ:
		healthz(c);
		break;
	case ROUTE_META:
		meta_route(c);
		break;
	case ROUTE_OPENAPI:
		openapi(c);
		break;
	case ROUTE_CERTIFICATES:
		api_certs_list(c);
		break;
	case ROUTE_CERTIFICATE:
		api_certs_one(c, arg);
		break;
	case ROUTE_HISTORY:
		api_certs_history(c, arg);
		break;
	case ROUTE_ORGANISATIONS:
		api_orgs_list(c);
		break;
	case ROUTE_ORGANISATION:
		api_orgs_one(c, atoll(arg));
		break;
	case ROUTE_CHANGES:
		api_changes_list(c);
		break;
	case ROUTE_CHANGES_ATOM:
		api_changes_atom(c);
		break;
	case ROUTE_CHANGES_CSV:
		api_changes_csv(c);
		break;
	case ROUTE_EXPORT_CSV:
		api_export(c, API_EXPORT_CSV);
		break;
	case ROUTE_EXPORT_NDJSON:
		api_export(c, API_EXPORT_NDJSON);
		break;
	case ROUTE_CHECKPOINT:
		api_proofs_checkpoint(c);
		break;
	case ROUTE_RECEIPT:
		api_proofs_receipt(c, arg);
		break;
	case ROUTE_CONSISTENCY:
		api_proofs_consistency(c);
		break;
	case ROUTE_NONE:
	case ROUTE_SITE:
	case ROUTE_CHECK:
	case ROUTE_BULK:
		break;
	}
}

/* The API routes, after method and route are known to be good. */
static void
api_route(struct api_call *c, enum route route, const char *arg)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);
	char why[200], param[API_QUERY_NAME_MAX + 8], etag[24];
	const char *unknown;

	if (meta->schema_version == 0 && route != ROUTE_OPENAPI) {
		api_call_problem(c, 503, NULL, "no snapshot is open");
		buf_puts(&c->resp->headers, "Retry-After: 5\r\n");
		return;
	}
	if (api_query_parse(c->req->query, &c->query, why, sizeof why, param,
	        sizeof param) != 0) {
		api_call_problem(c, 400, param, "%s: %s", param, why);
		return;
	}
	if ((unknown = api_query_unknown(&c->query, ROUTE_PARAMS[route]))) {
		api_call_problem(
		    c, 400, unknown, "unknown parameter '%s'", unknown);
		return;
	}
	if (answer_date(c) != 0)
		return;
	if (route == ROUTE_OPENAPI) {
		uint64_t h = api_hash_add(
		    API_HASH_INIT, c->config->openapi, c->config->openapi_size);
		snprintf(
		    etag, sizeof etag, "\"%016llx\"", (unsigned long long)h);
	} else {
		entity_tag(c, c->req->path, etag);
	}
	/* The checkpoint may change while the snapshot stays. */
	if (route == ROUTE_META || route == ROUTE_CHECKPOINT ||
	    route == ROUTE_RECEIPT || route == ROUTE_CONSISTENCY)
		api_proofs_etag(c, etag);
	if ((c->req->if_none_match &&
	        api_call_etag_matches(c->req->if_none_match, etag)) ||
	    (c->req->if_none_match == NULL && route != ROUTE_OPENAPI &&
	        api_call_http_date(c->req->if_modified_since) >=
	            meta->published_epoch)) {
		c->resp->status = 304;
	} else {
		snapshot_limit(c->snap, c->config->query_ms);
		dispatch(c, route, arg);
		snapshot_limit(c->snap, 0);
	}
	if (c->resp->status == 200 || c->resp->status == 304) {
		buf_puts(&c->resp->headers, "ETag: ");
		buf_puts(&c->resp->headers, etag);
		buf_puts(&c->resp->headers, "\r\n");
		if (route == ROUTE_HEALTHZ)
			buf_puts(
			    &c->resp->headers, "Cache-Control: no-store\r\n");
		else
			buf_puts(&c->resp->headers, API_CACHE_CONTROL);
		if (route != ROUTE_OPENAPI) {
			buf_puts(&c->resp->headers, "Last-Modified: ");
			buf_puts(
			    &c->resp->headers, api_db_last_modified(c->db));
			buf_puts(&c->resp->headers, "\r\n");
		}
	}
}

/* The check pages, on the API's default date; without a snapshot, the
 * site's own page. */
static void
check_route(struct api_call *c, enum route route)
{
	if (api_db_meta(c->db)->schema_version == 0) {
		api_site_serve(c);
		return;
	}
	c->day = today(c);
	snapshot_limit(c->snap, c->config->query_ms);
	if (route == ROUTE_CHECK)
		api_check_page(c);
	else
		api_check_bulk(c);
	snapshot_limit(c->snap, 0);
}

/*
 * Decodes a request path segment by segment into a new string.  NULL when
 * the path does not start with '/', has malformed escapes, or a segment
 * decodes to something holding '/' or NUL ("%2F", "%00"): such paths name
 * nothing here.
 */
static char *
decode_path(const char *raw)
{
	char *out;

	if (raw[0] != '/' ||
	    url_decode(raw, strlen(raw), URL_REFUSE_SLASH, &out) != 0)
		return NULL;
	return out;
}

void
api_handle(struct api_server *server, struct api_db *db,
    const struct api_request *req, struct api_response *resp)
{
	struct api_call call;
	enum route route;
	char arg[64], *path = decode_path(req->path);
	int get = strcmp(req->method, "GET") == 0;
	int head = strcmp(req->method, "HEAD") == 0;
	int options = strcmp(req->method, "OPTIONS") == 0;
	struct buf headers = resp->headers, body = resp->body;

	memset(resp, 0, sizeof *resp);
	resp->headers = headers;
	resp->body = body;
	buf_reset(&resp->headers);
	buf_reset(&resp->body);
	resp->length = -1;
	resp->server = server;
	resp->db = db;
	resp->head = head;
	memset(&call, 0, sizeof call);
	call.server = server;
	call.config = &server->config;
	call.db = db;
	call.snap = api_db_snapshot(db);
	call.req = req;
	call.resp = resp;
	call.path = path ? path : "";
	call.started = clock_ms();
	call.day = DATE_NONE;

	route = path ? route_of(path, arg, sizeof arg)
	        : route_of(req->path, arg, sizeof arg) == ROUTE_SITE
	            ? ROUTE_SITE
	            : ROUTE_NONE;
	if (route >= ROUTE_SITE && server->config.site_dir == NULL)
		route = ROUTE_NONE;
	if (!get && !head && !options) {
		method_not_allowed(&call);
	} else if (route == ROUTE_NONE) {
		api_call_problem(&call, 404, NULL,
		    "there is nothing at this "
		    "path; the API's routes are listed at "
		    "/v1/openapi.json");
	} else if (options) {
		preflight(&call);
	} else if (route == ROUTE_SITE && path == NULL) {
		api_site_missing(&call);
	} else if (route == ROUTE_SITE) {
		api_site_serve(&call);
	} else if (route == ROUTE_CHECK || route == ROUTE_BULK) {
		check_route(&call, route);
	} else {
		api_route(&call, route, arg);
	}
	if (get || head)
		encode(&call);
	common_headers(resp, route >= ROUTE_SITE);
	api_query_clear(&call.query);
	free(path);
}

int
api_response_stream(struct api_response *resp, struct api_sink *sink)
{
	if (resp->stream == NULL || resp->head)
		return 0;
	return resp->stream(resp, sink);
}

void
api_response_done(struct api_response *resp)
{
	if (resp->stream_free)
		resp->stream_free(resp->stream_state);
	resp->stream_free = NULL;
	resp->stream_state = NULL;
	resp->stream = NULL;
	buf_reset(&resp->headers);
	buf_reset(&resp->body);
}

void
api_response_clear(struct api_response *resp)
{
	api_response_done(resp);
	buf_free(&resp->headers);
	buf_free(&resp->body);
}

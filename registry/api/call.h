/*
 * One API request in progress, shared by the route handlers: the parsed
 * query, the date answered for, the scan budget, and the helpers that turn
 * a refusal into a problem document.  Internal to registry/api/.
 */
#ifndef REGISTRY_API_CALL_H
#define REGISTRY_API_CALL_H

#include <jansson.h>
#include <stdint.h>

#include "registry/api/api.h"
#include "registry/api/cursor.h"
#include "registry/api/query.h"

#define API_LIMIT_MAX 100

struct api_call {
	struct api_server *server;
	const struct api_config *config;
	struct api_db *db;
	struct snapshot *snap; /* db's snapshot, for the whole request */
	const struct api_request *req;
	struct api_response *resp;
	const char *path; /* req->path decoded; no segment holds a '/' or NUL */
	struct api_query query;
	int day;           /* the date answered for: as_of, or today */
	long long started; /* clock_ms() when the request began */
	long long scanned; /* rows this page has examined */
};

/*
 * Sets an RFC 9457 problem response: `status`, a detail made from
 * `format`, and (when not NULL) the offending parameter as the member
 * "parameter".  Text from the client may be included: it is valid UTF-8
 * once the query parser has accepted it.
 */
void api_call_problem(struct api_call *c, int status, const char *param,
    const char *format, ...) __attribute__((format(printf, 4, 5)));

/* The same with more members (an object whose reference it takes). */
void api_call_problem_members(struct api_call *c, int status, json_t *members,
    const char *format, ...) __attribute__((format(printf, 4, 5)));

/* A failed query: 503 when the time limit cut it short, else 500. */
void api_call_failed(struct api_call *c);

/* 200 with `body` as JSON; takes the reference. */
void api_call_json(struct api_call *c, json_t *body);

/*
 * The `limit` parameter: 1..API_LIMIT_MAX, `fallback` when absent.
 * 0, or -1 with a 400 set.
 */
int api_call_limit(struct api_call *c, int fallback, int *out);

/*
 * The `cursor` parameter, which must have been made by list `list` with
 * the same `filters`.  1 when present and valid, 0 when absent, -1 with a
 * 400 set.
 */
int api_call_cursor(
    struct api_call *c, char list, uint32_t filters, struct api_cursor *out);

/*
 * A fingerprint of the values of the parameters `names` (NULL-terminated)
 * as given, to bind cursors to their query.
 */
uint32_t api_call_fingerprint(
    const struct api_call *c, const char *const *names);

/* 200 with what the handler wrote to c->resp->body, as JSON. */
void api_call_ok(struct api_call *c);

/*
 * Ends a page written to c->resp->body: appends the member
 * "next_cursor" (null when `next` is NULL), closes the object and, when
 * `link` is set, adds a Link header to the same request with the cursor
 * replaced.
 */
void api_call_page_end(
    struct api_call *c, const struct api_cursor *next, int link);

/*
 * Counts one examined row; 1 when the page's budget (rows or time) is
 * spent and the scan should stop where it is.
 */
int api_call_spent(struct api_call *c);

/*
 * 1 when the If-None-Match header value `header` matches `etag` (weak
 * comparison; "*" matches anything), else 0.
 */
int api_call_etag_matches(const char *header, const char *etag);

/* An HTTP date (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT") as Unix
 * time, or -1 when `text` is NULL or not such a date. */
long long api_call_http_date(const char *text);

/* Appends text percent-encoded (RFC 3986 unreserved characters as they
 * are, and '/' too when keep_slash). */
void api_call_url_encode(struct buf *b, const char *text, int keep_slash);

#endif

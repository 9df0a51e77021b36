/*
 * The registry's public read-only API as a function: a request (method,
 * decoded path, raw query string, the few headers that matter) and one
 * worker's snapshot connection in, a response (status, header lines, a body
 * or a callback that streams one) out.  Nothing here touches a socket:
 * registry/http/http.c moves the bytes with Civetweb, and the unit tests call
 * api_handle() directly.  Routes, parameters and shapes: registry/openapi.json
 * and registryd(1).
 *
 * Every response carries the security headers and CORS; every 200 an
 * ETag derived from the snapshot and the request, so a matching
 * If-None-Match is answered 304 before any query runs.  A text body held
 * in memory goes gzipped when Accept-Encoding allows (its ETag then weak,
 * as nginx makes it), with Vary: Accept-Encoding either way.  Errors are RFC
 * 9457 problem documents naming the offending parameter; nothing a client sends
 * causes a 500.
 */
#ifndef REGISTRY_API_H
#define REGISTRY_API_H

#include <stddef.h>

#include "registry/base/buf.h"
#include "registry/api/cursor.h"
#include "registry/api/db.h"

struct api_config {
	const char *site_dir; /* serve this folder at / too; NULL: no site */
	const char *log_dir;  /* the signed log beside the snapshot
	                         (record/logpub.h); NULL: none */
	int today;            /* the default as_of; DATE_NONE: today in
	                         China Standard Time (a sample snapshot: its
	                         own as_of) */
	int scan_limit;       /* rows one page may examine (filters, search) */
	int scan_ms;          /* milliseconds one page's scan may take */
	int query_ms;         /* time limit of one request's queries */
	int max_exports;      /* bulk exports streaming at once */
	int search_window;    /* organisations ranked together in a search */
	const char *base_url; /* the public address of the site and the API,
	                         ending in '/': absolute links in feeds */
	const char *openapi;  /* the OpenAPI document served, and its size */
	size_t openapi_size;
	/* The key of the cursors' HMAC: cursors given out by one process
	 * are read by any process with the same secret. */
	unsigned char cursor_secret[API_CURSOR_SECRET_SIZE];
};

/* Fills in the defaults (no site, the clock, 20000 rows, 100 ms, 2000 ms,
 * 2 exports, 500 organisations, 20000 ids, no document, a random cursor
 * secret). */
void api_config_defaults(struct api_config *config);

struct api_server; /* the configuration and shared counters; thread-safe */

/* Copies `config`.  Free with api_server_free(). */
struct api_server *api_server_new(const struct api_config *config);
void api_server_free(struct api_server *server); /* accepts NULL */

/* Makes running streams end early (at shutdown). */
void api_server_stopping(struct api_server *server);

struct api_request {
	const char *method;        /* "GET", "HEAD", ... */
	const char *path;          /* as sent, percent-encoded: "/v1/meta" */
	const char *query;         /* raw, after '?'; or NULL */
	const char *if_none_match; /* header values, or NULL */
	const char *if_modified_since;
	const char *accept_encoding; /* or NULL: no content coding */
};

/* Where a streamed body goes: write() returns 0, or -1 to abort. */
struct api_sink {
	int (*write)(void *arg, const void *data, size_t len);
	void *arg;
};

struct api_response {
	int status;
	struct buf headers; /* "Name: value\r\n" lines; the transport
	                           adds Date, Content-Length or chunking */
	struct buf body;    /* the body, unless stream is set */
	int head;           /* HEAD: send the headers only */
	/* A body too large to hold: stream() writes it to the sink after
	 * the headers, `length` bytes or, when -1, an unknown amount. */
	int (*stream)(struct api_response *resp, struct api_sink *sink);
	long long length;
	void *stream_state;
	void (*stream_free)(void *state);
	struct api_server *server; /* for stream() */
	struct api_db *db;
};

/*
 * Answers `req` from the snapshot `db` is connected to.  The caller calls
 * api_db_refresh() before (not during) a request.  `resp` must be zeroed
 * before its first use; it is overwritten, but the memory of its buffers
 * is reused.  End it with api_response_done() (to reuse it) or
 * api_response_clear().
 */
void api_handle(struct api_server *server, struct api_db *db,
    const struct api_request *req, struct api_response *resp);

/* Runs resp->stream into sink (nothing when there is none or for HEAD).
 * 0, or -1 when the sink refused or the stream failed midway. */
int api_response_stream(struct api_response *resp, struct api_sink *sink);

/* Frees a stream's state and empties the buffers, keeping their memory
 * for the next api_handle(). */
void api_response_done(struct api_response *resp);

/* Frees everything resp holds. */
void api_response_clear(struct api_response *resp);

/* The reason phrase of an HTTP status ("Not Found"). */
const char *api_status_text(int status);

#endif

/*
 * Civetweb glue (see http.h).  A request takes a snapshot connection from
 * the pool once its head is read, and gives it back as soon as its answer
 * no longer needs it (a body in memory: before it is sent; a stream: at
 * its end), so a slow client never holds one for long.
 */
#define _GNU_SOURCE /* pthread_setattr_default_np() */
#include "registry/http/http.h"

#include <civetweb.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "registry/api/encoding.h"
#include "registry/base/clock.h"
#include "registry/base/mem.h"
#include "registry/http/accesslog.h"
#include "registry/http/cache.h"
#include "registry/http/framing.h"
#include "registry/rules/date.h"

#define LOG_FIELD_MAX 1000
/* A worker's stack: Civetweb's and the API's deepest calls (SQLite's
 * parser, Jansson) use a few tens of KB; a thousand workers then reserve
 * 512 MB of address space rather than 8 GB. */
#define WORKER_STACK (512 * 1024)

struct http_server {
	struct mg_context *ctx;
	atomic_int connections; /* held by workers now */
	struct api_server *api;
	struct http_options options;
	struct http_cache *cache;   /* answers kept; NULL: none */
	struct http_accesslog *log; /* the access log's writer, or NULL */
	pthread_mutex_t error_lock;
	char start_error[256]; /* what Civetweb said while starting */
	int started;           /* mg_start2() has returned */
};

/* A worker thread's connection and the memory it reuses request after
 * request. */
struct worker {
	struct api_response resp;
	struct buf head, line, frame;
	time_t second;         /* the second date and stamp are for */
	char date[40];         /* "Date: ...\r\n" */
	char stamp[32];        /* "25/Nov/2026:02:48:29 +0000" for the log */
	int answered_in_error; /* the connection's last request was */
};

static void
warn(struct http_server *s, const char *message)
{
	if (s->options.warn != NULL)
		s->options.warn(s->options.warn_arg, message);
}

static struct http_server *
server_of(const struct mg_connection *conn)
{
	return mg_get_user_data(mg_get_context(conn));
}

static void *
init_thread(const struct mg_context *ctx, int thread_type)
{
	(void)ctx;
	/* Workers only (type 1): the master thread answers nothing. */
	return thread_type == 1 ? mem_calloc(1, sizeof(struct worker)) : NULL;
}

static void
exit_thread(const struct mg_context *ctx, int thread_type, void *pointer)
{
	struct worker *w = pointer;

	(void)ctx;
	(void)thread_type;
	if (w == NULL)
		return;
	api_response_clear(&w->resp);
	buf_free(&w->head);
	buf_free(&w->line);
	buf_free(&w->frame);
	free(w);
}

/* Brings the worker's Date header and log stamp to the current second. */
static void
clock_tick(struct worker *w)
{
	time_t now = time(NULL);
	struct tm tm;

	if (now == w->second)
		return;
	gmtime_r(&now, &tm);
	strftime(w->date, sizeof w->date, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n",
	    &tm);
	strftime(w->stamp, sizeof w->stamp, "%d/%b/%Y:%H:%M:%S +0000", &tm);
	w->second = now;
}

static void
put_number(struct buf *b, long long value)
{
	char buf[24], *p = buf + sizeof buf;
	unsigned long long v = value < 0 ? 0 : (unsigned long long)value;

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	buf_put(b, p, (size_t)(buf + sizeof buf - p));
}

/* Appends text for a log line: quotes, backslashes and anything outside
 * visible ASCII escaped, at most LOG_FIELD_MAX bytes. */
static void
log_field(struct buf *b, const char *text)
{
	size_t n = 0;

	if (text == NULL || *text == '\0') {
		buf_putc(b, '-');
		return;
	}
	for (const unsigned char *p = (const unsigned char *)text;
	     *p && n < LOG_FIELD_MAX; p++, n++) {
		if (*p == '"' || *p == '\\' || *p < 0x20 || *p >= 0x7f)
			buf_printf(b, "\\x%02x", *p);
		else
			buf_putc(b, (char)*p);
	}
}

static void
access_log(struct http_server *s, struct worker *w,
    const struct mg_connection *conn, int status, long long bytes)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	struct buf *line = &w->line;

	if (s->log == NULL)
		return;
	clock_tick(w);
	buf_reset(line);
	buf_puts(line, ri->remote_addr);
	buf_puts(line, " - - [");
	buf_puts(line, w->stamp);
	buf_puts(line, "] \"");
	log_field(line, ri->request_method);
	buf_putc(line, ' ');
	log_field(line, ri->request_uri);
	if (ri->query_string && ri->query_string[0]) {
		buf_putc(line, '?');
		log_field(line, ri->query_string);
	}
	buf_puts(line, " HTTP/");
	buf_puts(line, ri->http_version ? ri->http_version : "1.1");
	buf_puts(line, "\" ");
	put_number(line, status);
	buf_putc(line, ' ');
	if (bytes > 0)
		put_number(line, bytes);
	else
		buf_putc(line, '-');
	buf_puts(line, " \"");
	log_field(line, mg_get_header(conn, "Referer"));
	buf_puts(line, "\" \"");
	log_field(line, mg_get_header(conn, "User-Agent"));
	buf_puts(line, "\"\n");
	http_accesslog_add(s->log, line->data, line->len);
}

struct chunk_sink {
	struct mg_connection *conn;
	int chunked;
	long long bytes;
	struct buf *frame;
	long long started, mark_time, mark_bytes; /* clock_ms(), bytes */
	int stall_ms; /* longest time allowed for a mebibyte; 0: none */
};

#define SINK_PIECE 8192         /* bytes per mg_write() of a stream */
#define SINK_MARK (1024 * 1024) /* the stall rule's unit */

/*
 * Writes a stream's bytes in pieces, so that a client reading slowly is
 * noticed between them: one that takes longer than stall_ms to read a
 * mebibyte is cut off, and the export slot it held is free again.
 */
static int
sink_send(struct chunk_sink *sink, const char *data, size_t len)
{
	while (len > 0) {
		size_t n = len < SINK_PIECE ? len : SINK_PIECE;
		long long now = clock_ms();
		if (sink->bytes - sink->mark_bytes >= SINK_MARK) {
			sink->mark_bytes = sink->bytes;
			sink->mark_time = now;
		} else if (sink->stall_ms > 0 &&
		           now - sink->mark_time > sink->stall_ms) {
			return -1;
		}
		if (mg_write(sink->conn, data, n) != (int)n)
			return -1;
		sink->bytes += (long long)n;
		data += n;
		len -= n;
	}
	return 0;
}

static int
sink_write(void *arg, const void *data, size_t len)
{
	static const char HEX[] = "0123456789abcdef";
	struct chunk_sink *sink = arg;

	if (len == 0)
		return 0;
	if (sink->chunked) {
		char size[20], *p = size + sizeof size;
		size_t n = len;
		do
			*--p = HEX[n & 15];
		while ((n >>= 4) != 0);
		buf_reset(sink->frame);
		buf_put(sink->frame, p, (size_t)(size + sizeof size - p));
		buf_put(sink->frame, "\r\n", 2);
		buf_put(sink->frame, data, len);
		buf_put(sink->frame, "\r\n", 2);
		data = sink->frame->data;
		len = sink->frame->len;
	}
	return sink_send(sink, data, len);
}

/* 1 when the client asked to keep the connection: HTTP/1.1 without
 * "Connection: close", or HTTP/1.0 with "Connection: keep-alive". */
static int
keeps_alive(struct mg_connection *conn)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *c = mg_get_header(conn, "Connection");
	int old = ri->http_version && strcmp(ri->http_version, "1.0") == 0;

	if (c == NULL)
		return !old;
	return old ? strcasestr(c, "keep-alive") != NULL
	           : strcasestr(c, "close") == NULL;
}

/*
 * The status line and headers of `resp` into w->head, with how the body's
 * end is told: its length, the end of the connection (HTTP/1.0), or
 * chunks (then sink->chunked).
 */
static void
write_head(struct worker *w, struct mg_connection *conn,
    const struct api_response *resp, struct chunk_sink *sink, int closing)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	struct buf *head = &w->head;
	int no_content = resp->status == 204 || resp->status == 304;

	clock_tick(w);
	buf_reset(head);
	buf_puts(head, "HTTP/1.1 ");
	put_number(head, resp->status);
	buf_putc(head, ' ');
	buf_puts(head, api_status_text(resp->status));
	buf_puts(head, "\r\n");
	buf_puts(head, w->date);
	buf_put(head, resp->headers.data, resp->headers.len);
	if (closing) {
		buf_puts(head, "Connection: close\r\n");
	} else if (server_of(conn)->options.keep_alive_ms >= 1000 &&
	           keeps_alive(conn)) {
		/* What the idle timeout is, so that a pooling client drops
		 * the connection before the server does, not as it does. */
		buf_puts(head, "Keep-Alive: timeout=");
		put_number(head, server_of(conn)->options.keep_alive_ms / 1000);
		buf_puts(head, "\r\n");
	}
	if (no_content) {
		/* no body, no length */
	} else if (resp->stream == NULL || resp->length >= 0) {
		buf_puts(head, "Content-Length: ");
		put_number(head,
		    resp->stream ? resp->length : (long long)resp->body.len);
		buf_puts(head, "\r\n");
	} else if (ri->http_version && strcmp(ri->http_version, "1.0") == 0) {
		/* HTTP/1.0 has no chunks: the end of the body is the end
		 * of the connection. */
		if (!closing)
			buf_puts(head, "Connection: close\r\n");
		mg_disable_connection_keep_alive(conn);
	} else {
		buf_puts(head, "Transfer-Encoding: chunked\r\n");
		sink->chunked = 1;
	}
	buf_puts(head, "\r\n");
	/* Headers and a body in memory go out in one write. */
	if (!no_content && !resp->head && resp->stream == NULL)
		buf_put(head, resp->body.data, resp->body.len);
}

/* framing_check() over Civetweb's parsed head. */
static int
framing_problem(const struct mg_request_info *ri, const char **detail)
{
	struct http_field fields[64];
	int count = ri->num_headers < 64 ? ri->num_headers : 64;

	for (int i = 0; i < count; i++) {
		fields[i].name = ri->http_headers[i].name;
		fields[i].value = ri->http_headers[i].value;
	}
	return http_framing_check(fields, count, ri->http_version, detail);
}

/* Counts the connections workers hold (init_connection and
 * connection_close), so that keep-alive can yield when others wait. */
static int
init_connection(const struct mg_connection *conn, void **conn_data)
{
	struct http_server *s = server_of(conn);
	struct worker *w = mg_get_thread_pointer(conn);

	(void)conn_data;
	atomic_fetch_add(&s->connections, 1);
	if (w != NULL)
		w->answered_in_error = 0;
	return 0;
}

/* 1 when every worker holds a connection: one more would wait, so a
 * keep-alive connection should close after its answer. */
static int
workers_all_taken(struct http_server *s)
{
	return atomic_load(&s->connections) >= s->options.threads;
}

/*
 * 1 when the answer to a request for the raw `path` may be kept in the
 * cache: the API's routes whose answers follow from the snapshot, the
 * request and the day alone.  Not /v1/meta, the checkpoint, receipts and
 * consistency proofs (they follow the signed log, which changes beside
 * the snapshot), nor /healthz, the site's files (they change on disk) or
 * the check pages; and only a path without escapes, so that what is
 * matched here is what api_handle() routes.
 */
static int
cacheable_path(const char *path)
{
	static const char *const ROUTES[] = {"/v1/certificates",
	    "/v1/organisations", "/v1/changes", "/v1/changes.atom",
	    "/v1/openapi.json", NULL};
	size_t len = strlen(path);

	if (strchr(path, '%') != NULL)
		return 0;
	for (int i = 0; ROUTES[i] != NULL; i++)
		if (strcmp(path, ROUTES[i]) == 0)
			return 1;
	if (strncmp(path, "/v1/certificates/", 17) == 0)
		return !(len >= 8 && strcmp(path + len - 8, "/receipt") == 0);
	return strncmp(path, "/v1/organisations/", 18) == 0;
}

/*
 * Looks the request up in the cache.  1 when `key` is a key the answer may
 * be kept under (filled in but for the generation, which is the answering
 * connection's); and then *hit when `resp` holds the kept answer.
 */
static int
cache_lookup(struct http_server *s, const struct api_request *req,
    struct http_cache_key *key, struct api_response *resp, int *hit)
{
	int head = strcmp(req->method, "HEAD") == 0;

	*hit = 0;
	/* A conditional request is answered by api_handle(), which
	 * compares the tags before any query runs. */
	if (s->cache == NULL || (!head && strcmp(req->method, "GET") != 0) ||
	    req->if_none_match != NULL || req->if_modified_since != NULL ||
	    !cacheable_path(req->path))
		return 0;
	key->path = req->path;
	key->query = req->query;
	key->gzip = api_encoding_accepts_gzip(req->accept_encoding);
	key->day = date_from_epoch((long long)time(NULL));
	key->generation = api_db_pool_generation(s->options.pool);
	api_response_done(resp);
	if (!http_cache_get(
	        s->cache, key, &resp->status, &resp->headers, &resp->body))
		return 1;
	resp->head = head;
	resp->stream = NULL;
	resp->length = -1;
	resp->server = s->api;
	resp->db = NULL;
	*hit = 1;
	return 1;
}

/*
 * Keeps the answer api_handle() made from `db` for a request that began
 * at `began` (clock_ms()): a 200 held in memory, answered on the day the
 * key says, and made within the time a page may scan, so that it cannot
 * have been cut short by the clock (a page that runs out of time ends
 * early, with a cursor, and another try might go further).
 */
static void
cache_keep(struct http_server *s, struct http_cache_key *key,
    const struct api_response *resp, const struct api_db *db, long long began)
{
	if (resp->status != 200 || resp->stream != NULL ||
	    clock_ms() - began >= s->options.cache_max_ms ||
	    date_from_epoch((long long)time(NULL)) != key->day)
		return;
	key->generation = api_db_generation(db);
	http_cache_put(s->cache, key, resp->status, resp->headers.data,
	    resp->headers.len, resp->body.data, resp->body.len);
}

/*
 * Answers one request: `path` (raw) and `query` as given, the headers
 * from the connection; from the cache when it holds the answer.  With
 * `closing`, the answer says Connection: close and the connection ends
 * after it.  The status.
 */
static int
answer(struct http_server *s, struct worker *w, struct mg_connection *conn,
    const char *path, const char *query, int closing)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	struct api_request req;
	struct api_response *resp = &w->resp;
	struct chunk_sink sink = {conn, 0, 0, &w->frame, 0, 0, 0, 0};
	struct http_cache_key key;
	struct api_db *db = NULL;
	int status, no_content, keep, hit;

	memset(&req, 0, sizeof req);
	req.method = ri->request_method;
	req.path = path;
	req.query = query;
	req.if_none_match = mg_get_header(conn, "If-None-Match");
	req.if_modified_since = mg_get_header(conn, "If-Modified-Since");
	req.accept_encoding = mg_get_header(conn, "Accept-Encoding");
	keep = cache_lookup(s, &req, &key, resp, &hit);
	if (!hit) {
		long long began = clock_ms();
		db = api_db_acquire(s->options.pool);
		api_handle(s->api, db, &req, resp);
		if (keep)
			cache_keep(s, &key, resp, db, began);
		if (resp->stream == NULL) {
			api_db_release(db); /* before a slow client reads */
			db = NULL;
		}
	}

	status = resp->status;
	no_content = status == 204 || status == 304;
	if (closing)
		mg_disable_connection_keep_alive(conn);
	write_head(w, conn, resp, &sink, closing);
	if (mg_write(conn, w->head.data, w->head.len) == (int)w->head.len &&
	    !no_content) {
		struct api_sink out = {sink_write, &sink};
		sink.started = sink.mark_time = clock_ms();
		sink.stall_ms = s->options.export_stall_ms;
		if (api_response_stream(resp, &out) != 0) {
			/* Cut midway: the client must not take a short body
			 * for a whole one, so no final chunk, and close. */
			mg_disable_connection_keep_alive(conn);
		} else if (sink.chunked && !resp->head) {
			mg_write(conn, "0\r\n\r\n", 5);
		}
	}
	access_log(s, w, conn, status,
	    resp->head || no_content
	        ? 0
	        : (resp->stream ? sink.bytes : (long long)resp->body.len));
	api_response_done(resp);
	api_db_release(db);
	/* A large export or file leaves big buffers: give them back. */
	if (w->frame.cap > 1 << 20)
		buf_free(&w->frame);
	if (resp->body.cap > 1 << 20 || w->head.cap > 1 << 20) {
		api_response_clear(resp);
		buf_free(&w->head);
	}
	return status;
}

static int send_problem(struct mg_connection *conn, int status,
    const char *detail, const char *extra_headers);

static int
begin_request(struct mg_connection *conn)
{
	struct http_server *s = server_of(conn);
	struct worker *w = mg_get_thread_pointer(conn);
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *detail = NULL;
	int status, closing;

	if (w == NULL)
		return 0; /* not a worker: let Civetweb refuse it */
	if ((status = framing_problem(ri, &detail)) != 0)
		return send_problem(conn, status, detail, "");
	/* A request with a body (this API takes none) is answered, then
	 * the connection closes rather than trust its framing; and a
	 * keep-alive connection yields its worker when others wait. */
	closing = mg_get_header(conn, "Transfer-Encoding") != NULL ||
	          ri->content_length > 0 || workers_all_taken(s);
	return answer(s, w, conn,
	    ri->local_uri_raw ? ri->local_uri_raw : ri->request_uri,
	    ri->query_string, closing);
}

/* "OPTIONS *": what the server as a whole allows (RFC 9110 9.3.7). */
static void
options_asterisk(
    struct http_server *s, struct worker *w, struct mg_connection *conn)
{
	struct buf *head = &w->head;

	clock_tick(w);
	buf_reset(head);
	buf_puts(head, "HTTP/1.1 204 No Content\r\n");
	buf_puts(head, w->date);
	buf_puts(head, "Allow: GET, HEAD, OPTIONS\r\n"
	               "Access-Control-Allow-Origin: *\r\n"
	               "X-Content-Type-Options: nosniff\r\n"
	               "Connection: close\r\n\r\n");
	mg_write(conn, head->data, head->len);
	access_log(s, w, conn, 204, 0);
}

/*
 * A connection ends.  Civetweb drops two kinds of request without
 * telling begin_request: a target in absolute form
 * ("GET http://host/v1/meta", which RFC 9112 says a server must accept)
 * and the asterisk form ("OPTIONS *").  Both are answered here, before
 * the socket closes; anything else was answered already.
 */
static void
connection_close(const struct mg_connection *const_conn)
{
	struct mg_connection *conn = (struct mg_connection *)const_conn;
	struct http_server *s = server_of(conn);
	struct worker *w = mg_get_thread_pointer(conn);
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *target, *detail = NULL, *scheme_end;
	int status;

	atomic_fetch_sub(&s->connections, 1);
	if (w == NULL || ri == NULL)
		return;
	if (w->answered_in_error || ri->request_method == NULL ||
	    ri->request_uri == NULL || ri->local_uri != NULL) {
		w->answered_in_error = 0;
		return;
	}
	target = ri->request_uri;
	if ((status = framing_problem(ri, &detail)) != 0) {
		send_problem(conn, status, detail, "");
	} else if (strcmp(target, "*") == 0) {
		if (strcmp(ri->request_method, "OPTIONS") == 0)
			options_asterisk(s, w, conn);
		else
			send_problem(conn, 400,
			    "the asterisk form is for OPTIONS only", "");
	} else if ((scheme_end = strstr(target, "://")) != NULL &&
	           (strncasecmp(target, "http://", 7) == 0 ||
	               strncasecmp(target, "https://", 8) == 0)) {
		/* The authority names the host: the path is served. */
		const char *path = strchr(scheme_end + 3, '/');
		char *copy = mem_strdup(path ? path : "/"),
		     *q = strchr(copy, '?');
		if (q != NULL)
			*q++ = '\0';
		answer(s, w, conn, copy, q, 1);
		free(copy);
	} else {
		send_problem(conn, 400, "the request target is not a path", "");
	}
	w->answered_in_error = 0;
}

/*
 * A problem document as the whole answer, and the connection closes.
 * The status.
 */
static int
send_problem(struct mg_connection *conn, int status, const char *detail,
    const char *extra_headers)
{
	struct http_server *s = server_of(conn);
	const struct mg_request_info *ri = mg_get_request_info(conn);
	struct worker *w = mg_get_thread_pointer(conn);
	struct buf body = {0}, head = {0};

	buf_printf(&body,
	    "{\"type\":\"about:blank\",\"title\":\"%s\","
	    "\"status\":%d,\"detail\":\"",
	    api_status_text(status), status);
	for (const char *p = detail ? detail : ""; *p; p++)
		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
			buf_putc(&body, *p);
	buf_puts(&body, "\"}\n");
	buf_printf(&head,
	    "HTTP/1.1 %d %s\r\n"
	    "Content-Type: application/problem+json\r\n"
	    "Content-Length: %zu\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Content-Security-Policy: default-src 'none'; "
	    "frame-ancestors 'none'\r\n"
	    "Referrer-Policy: no-referrer\r\n"
	    "Access-Control-Allow-Origin: *\r\n"
	    "%s"
	    "Connection: close\r\n\r\n",
	    status, api_status_text(status), body.len, extra_headers);
	if (!(ri && ri->request_method &&
	        strcmp(ri->request_method, "HEAD") == 0))
		buf_put(&head, body.data, body.len);
	mg_write(conn, head.data, head.len);
	mg_disable_connection_keep_alive(conn);
	if (w != NULL) {
		w->answered_in_error = 1;
		if (ri && ri->request_method)
			access_log(s, w, conn, status, (long long)body.len);
	}
	buf_free(&body);
	buf_free(&head);
	return status;
}

/*
 * Civetweb found the request itself malformed: answer with a problem
 * document too.  A method other than GET, HEAD and OPTIONS is a 405 like
 * any other (TRACE and CONNECT included), whatever else is wrong with it.
 */
static int
http_error(struct mg_connection *conn, int status, const char *message)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *method = ri ? ri->request_method : NULL;

	/* Civetweb says 411 for a Content-Length it cannot read, which
	 * RFC 9112 (6.3) makes a 400. */
	if (status == 411 && mg_get_header(conn, "Content-Length") != NULL) {
		status = 400;
		message = "Content-Length is not a number";
	}
	if (method && status == 400 && strcmp(method, "GET") != 0 &&
	    strcmp(method, "HEAD") != 0 && strcmp(method, "OPTIONS") != 0)
		send_problem(conn, 405,
		    "this API is read only (GET, HEAD, OPTIONS)",
		    "Allow: GET, HEAD, OPTIONS\r\n");
	else
		send_problem(conn, status, message, "");
	return 0;
}

/* The server being started: Civetweb reports why it cannot listen
 * before its context, and so our user data, is reachable. */
static struct http_server *starting;

static int
log_message(const struct mg_connection *conn, const char *message)
{
	struct http_server *s = conn ? server_of(conn) : NULL;

	if (s == NULL)
		s = starting;
	if (s == NULL)
		return 0;
	pthread_mutex_lock(&s->error_lock);
	if (!s->started) {
		/* The first message is the cause ("cannot bind to
		 * 127.0.0.1:8080: 98 (Address already in use)"). */
		if (!s->start_error[0])
			snprintf(s->start_error, sizeof s->start_error, "%s",
			    message);
	} else {
		warn(s, message);
	}
	pthread_mutex_unlock(&s->error_lock);
	return 1;
}

/* Why Civetweb could not start.  Its first log line says why: "cannot
 * bind to ...: 98 (Address already in use)"; what is in the parentheses
 * is kept. */
static const char *
start_failure(struct http_server *s, const char *error)
{
	char *cause = strrchr(s->start_error, '(');
	size_t len = cause ? strlen(cause) : 0;

	if (cause && len > 2 && cause[len - 1] == ')') {
		cause[len - 1] = '\0';
		return cause + 1;
	}
	return s->start_error[0] ? s->start_error
	                         : (error[0] ? error : "failed");
}

struct http_server *
http_start(struct api_server *api, const struct http_options *options,
    char *why, size_t why_size)
{
	struct http_server *s = mem_calloc(1, sizeof *s);
	struct mg_callbacks callbacks;
	char threads[16], timeout[16], keep_alive[16], backlog[16], queue[16];
	char error[256] = "";
	unsigned code = 0;
	struct mg_error_data error_data = {&code, error, sizeof error};
	const char *config[] = {
	    "listening_ports",
	    options->listen,
	    "num_threads",
	    threads,
	    "request_timeout_ms",
	    timeout,
	    "keep_alive_timeout_ms",
	    keep_alive,
	    "enable_keep_alive",
	    "yes",
	    /* A burst of connections waits in the kernel's queue and
	     * Civetweb's rather than being refused. */
	    "listen_backlog",
	    backlog,
	    "connection_queue",
	    queue,
	    /* The raw path: api_handle() decodes it, so "%2F" and
	     * "%00" can be told from '/' and refused. */
	    "decode_url",
	    "no",
	    /* Never reached (begin_request answers everything), and off
	     * besides: no CGI, no SSI, no listings, no dot-files. */
	    "cgi_pattern",
	    "",
	    "ssi_pattern",
	    "",
	    "enable_directory_listing",
	    "no",
	    "hide_files_patterns",
	    "**/.*",
	    NULL,
	};
	struct mg_init_data init;
	struct mg_context *ctx;

	s->api = api;
	s->options = *options;
	if (options->access_log_fd >= 0 &&
	    (s->log = http_accesslog_new(
	         options->access_log_fd, why, why_size)) == NULL) {
		free(s);
		return NULL;
	}
	if (options->cache_bytes > 0)
		s->cache = http_cache_new(options->cache_bytes);
	atomic_init(&s->connections, 0);
	pthread_mutex_init(&s->error_lock, NULL);
	snprintf(threads, sizeof threads, "%d", options->threads);
	snprintf(timeout, sizeof timeout, "%d", options->request_timeout_ms);
	snprintf(keep_alive, sizeof keep_alive, "%d", options->keep_alive_ms);
	snprintf(backlog, sizeof backlog, "%d", options->listen_backlog);
	snprintf(queue, sizeof queue, "%d", options->threads);
	memset(&callbacks, 0, sizeof callbacks);
	callbacks.begin_request = begin_request;
	callbacks.http_error = http_error;
	callbacks.log_message = log_message;
	callbacks.init_thread = init_thread;
	callbacks.exit_thread = exit_thread;
	callbacks.init_connection = init_connection;
	callbacks.connection_close = connection_close;
	init.callbacks = &callbacks;
	init.user_data = s;
	init.configuration_options = config;
	/* Civetweb makes its threads with the default attributes: give
	 * them small stacks, so that many workers are cheap. */
	{
		pthread_attr_t attr;
		pthread_getattr_default_np(&attr);
		pthread_attr_setstacksize(&attr, WORKER_STACK);
		pthread_setattr_default_np(&attr);
		pthread_attr_destroy(&attr);
	}
	mg_init_library(0);
	starting = s;
	ctx = mg_start2(&init, &error_data);
	starting = NULL;
	if (ctx == NULL) {
		snprintf(why, why_size, "cannot listen on %s: %s",
		    options->listen, start_failure(s, error));
		pthread_mutex_destroy(&s->error_lock);
		http_accesslog_free(s->log);
		http_cache_free(s->cache);
		free(s);
		mg_exit_library();
		return NULL;
	}
	pthread_mutex_lock(&s->error_lock);
	s->ctx = ctx;
	s->started = 1;
	pthread_mutex_unlock(&s->error_lock);
	return s;
}

void
http_stop(struct http_server *server)
{
	if (server == NULL)
		return;
	mg_stop(server->ctx);
	mg_exit_library();
	/* Every worker has stopped: what they logged is written now. */
	http_accesslog_free(server->log);
	http_cache_free(server->cache);
	pthread_mutex_destroy(&server->error_lock);
	free(server);
}

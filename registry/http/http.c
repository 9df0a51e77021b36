/*
 * Civetweb glue (see http.h).  A request takes a snapshot connection from
 * the pool once its head is read, and gives it back as soon as its answer
 * no longer needs it (a body in memory: before it is sent; a stream: at
 * its end), so a slow client never holds one for long.
 */
#include "registry/http/http.h"

#include <civetweb.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "registry/base/mem.h"

#define LOG_FIELD_MAX 1000

struct http_server {
	struct mg_context *ctx;
	struct api_server *api;
	struct http_options options;
	pthread_mutex_t error_lock;
	char start_error[256]; /* what Civetweb said while starting */
	int started;           /* mg_start2() has returned */
};

/* A worker thread's connection and the memory it reuses request after
 * request. */
struct worker {
	struct api_response resp;
	struct buf head, line, frame;
	time_t second;  /* the second date and stamp are for */
	char date[40];  /* "Date: ...\r\n" */
	char stamp[32]; /* "25/Nov/2026:02:48:29 +0000" for the log */
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
	struct http_server *s = mg_get_user_data(ctx);
	struct worker *w;

	if (thread_type != 1)
		return NULL;
	(void)s;
	w = mem_calloc(1, sizeof *w);
	return w;
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

	if (s->options.access_log_fd < 0)
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
	/* One write per line, so lines from workers never interleave. */
	if (write(s->options.access_log_fd, line->data, line->len) < 0) {
		/* nothing better to do than drop the line */
	}
}

struct chunk_sink {
	struct mg_connection *conn;
	int chunked;
	long long bytes;
	struct buf *frame;
};

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
	if (mg_write(sink->conn, data, len) != (int)len)
		return -1;
	sink->bytes += (long long)len;
	return 0;
}

/*
 * The status line and headers of `resp` into w->head, with how the body's
 * end is told: its length, the end of the connection (HTTP/1.0), or
 * chunks (then sink->chunked).
 */
static void
write_head(struct worker *w, struct mg_connection *conn,
    const struct api_response *resp, struct chunk_sink *sink)
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

static int
begin_request(struct mg_connection *conn)
{
	struct http_server *s = server_of(conn);
	struct worker *w = mg_get_thread_pointer(conn);
	const struct mg_request_info *ri = mg_get_request_info(conn);
	struct api_request req;
	struct api_response *resp;
	struct chunk_sink sink = {conn, 0, 0, NULL};
	struct api_db *db;
	int status, no_content;

	if (w == NULL)
		return 0; /* not a worker: let Civetweb refuse it */
	resp = &w->resp;
	sink.frame = &w->frame;
	memset(&req, 0, sizeof req);
	req.method = ri->request_method;
	req.path = ri->local_uri_raw ? ri->local_uri_raw : ri->request_uri;
	req.query = ri->query_string;
	req.if_none_match = mg_get_header(conn, "If-None-Match");
	req.if_modified_since = mg_get_header(conn, "If-Modified-Since");
	db = api_db_acquire(s->options.pool);
	api_handle(s->api, db, &req, resp);
	if (resp->stream == NULL) {
		api_db_release(db); /* before a slow client reads the body */
		db = NULL;
	}

	status = resp->status;
	no_content = status == 204 || status == 304;
	write_head(w, conn, resp, &sink);
	if (mg_write(conn, w->head.data, w->head.len) == (int)w->head.len &&
	    !no_content) {
		struct api_sink out = {sink_write, &sink};
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

/*
 * Civetweb found the request itself malformed: answer with a problem
 * document too.  An unknown method is a 405 like any other.
 */
static int
http_error(struct mg_connection *conn, int status, const char *message)
{
	struct http_server *s = server_of(conn);
	const struct mg_request_info *ri = mg_get_request_info(conn);
	static const char *const KNOWN[] = {"GET", "HEAD", "OPTIONS", "POST",
	    "PUT", "DELETE", "PATCH", "CONNECT", "TRACE", NULL};
	struct buf body = {0}, head = {0};
	const char *detail = message ? message : "";
	int known = 0;

	if (ri && ri->request_method && status == 400) {
		for (const char *const *m = KNOWN; *m && !known; m++)
			known = strcmp(*m, ri->request_method) == 0;
		if (!known) {
			status = 405;
			detail = "this API is read only (GET, HEAD, OPTIONS)";
		}
	}
	buf_printf(&body,
	    "{\"type\":\"about:blank\",\"title\":\"%s\","
	    "\"status\":%d,\"detail\":\"",
	    api_status_text(status), status);
	for (const char *p = detail; *p; p++)
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
	    status, api_status_text(status), body.len,
	    status == 405 ? "Allow: GET, HEAD, OPTIONS\r\n" : "");
	buf_put(&head, body.data, body.len);
	mg_write(conn, head.data, head.len);
	mg_disable_connection_keep_alive(conn);
	if (ri && ri->request_method && mg_get_thread_pointer(conn))
		access_log(s, mg_get_thread_pointer(conn), conn, status,
		    (long long)body.len);
	buf_free(&body);
	buf_free(&head);
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
	char threads[16], timeout[16], keep_alive[16], error[256] = "";
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
	pthread_mutex_init(&s->error_lock, NULL);
	snprintf(threads, sizeof threads, "%d", options->threads);
	snprintf(timeout, sizeof timeout, "%d", options->request_timeout_ms);
	snprintf(keep_alive, sizeof keep_alive, "%d", options->keep_alive_ms);
	memset(&callbacks, 0, sizeof callbacks);
	callbacks.begin_request = begin_request;
	callbacks.http_error = http_error;
	callbacks.log_message = log_message;
	callbacks.init_thread = init_thread;
	callbacks.exit_thread = exit_thread;
	init.callbacks = &callbacks;
	init.user_data = s;
	init.configuration_options = config;
	mg_init_library(0);
	starting = s;
	ctx = mg_start2(&init, &error_data);
	starting = NULL;
	if (ctx == NULL) {
		snprintf(why, why_size, "cannot listen on %s: %s",
		    options->listen, start_failure(s, error));
		pthread_mutex_destroy(&s->error_lock);
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
	pthread_mutex_destroy(&server->error_lock);
	free(server);
}

/*
 * The HTTP transport of registryd: Civetweb accepts connections and parses
 * requests; every request goes to api_handle() on a connection taken from
 * the snapshot pool, and the response is written back as api_handle()
 * made it.  This is the only module that includes civetweb.h.
 *
 * Civetweb's own file serving, CGI, SSI and directory listings are never
 * reached: every request is answered by the begin_request callback (or,
 * for the request forms Civetweb drops, the connection_close one), and
 * they are switched off besides.  What RFC 9112 makes ambiguous and
 * Civetweb lets through (Content-Length with Transfer-Encoding, lengths
 * that disagree, Host missing or repeated) is refused here with a 400 that
 * closes the connection.  Workers are many and cheap (small stacks); when
 * every one holds a connection, keep-alive yields after each answer; a
 * streamed answer whose client reads too slowly is cut off.  Answers of
 * the API that depend only on the snapshot, the request and the day are
 * kept in a cache (cache.h) and sent from it while the snapshot lasts.
 * Each response is logged in the combined log format (accesslog.h).
 * Nothing here prints: warnings go to http_options.warn.
 */
#ifndef REGISTRY_HTTP_H
#define REGISTRY_HTTP_H

#include <stddef.h>

#include "registry/api/api.h"

struct http_options {
	const char *listen;       /* "127.0.0.1:8080" */
	struct api_db_pool *pool; /* the snapshot's connections */
	int threads; /* worker threads = connections served at once */
	int request_timeout_ms; /* to read a request's head; a write that
	                           makes no progress for this long fails */
	int keep_alive_ms;      /* an idle connection is closed after this */
	int listen_backlog;     /* connections the kernel queues */
	int export_stall_ms;    /* a stream whose client takes longer than
	                           this to read a mebibyte is cut; 0: none */
	int access_log_fd;      /* combined log lines go here, written by a
	                           thread of their own; -1: none */
	size_t cache_bytes;     /* the answer cache's bound; 0: no cache */
	int cache_max_ms;       /* an answer that took this long to make is
	                           not kept: the page's scan budget
	                           (api_config.scan_ms) may have cut it */
	/* Told what goes wrong while serving (a new snapshot that cannot be
	 * read, Civetweb's own complaints); NULL: nobody.  Called from any
	 * worker thread. */
	void (*warn)(void *arg, const char *message);
	void *warn_arg;
};

struct http_server;

/*
 * Starts listening and serving with `api` (which must outlive the
 * server).  NULL with the reason in `why` when it cannot, e.g. "cannot
 * listen on 127.0.0.1:8080: Address already in use".
 */
struct http_server *http_start(struct api_server *api,
    const struct http_options *options, char *why, size_t why_size);

/* Stops accepting, lets requests in progress finish, frees everything. */
void http_stop(struct http_server *server); /* accepts NULL */

#endif

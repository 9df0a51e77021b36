/*
 * serve: one build at a time, on the main thread, which also waits on
 * inotify; Civetweb's workers only read the output folder and the state
 * (generation, errors) under a lock.  The output folder is swapped whole by
 * site_build (an atomic exchange where the kernel has one), so a worker
 * reads either the old site or the new one.  Files are read and sent by
 * the handler here, never by Civetweb's document root: no directory
 * listing, no CGI or SSI, no name that starts with a dot.
 */
#define _GNU_SOURCE /* memmem */
#include "site/serve.h"

#include <civetweb.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "site/site.h"

/* The site's policy, as registryd serves it: nothing inline or foreign. */
#define PREVIEW_CSP                                                            \
	"default-src 'self'; img-src 'self' data:; style-src 'self'; "         \
	"script-src 'self'; object-src 'none'; base-uri 'none'; "              \
	"form-action 'self'; frame-ancestors 'none'"

/* Largest file the preview sends (the built site's files are small). */
#define PREVIEW_MAX_FILE ((size_t)64 << 20)

/* Quiet time after the last change before a build starts, and how often
 * the page's script asks for the generation. */
#define SETTLE_MS 20

static const char LIVE_JS[] =
    "/* sitegen serve: reloads the page when the site is built again. */\n"
    "(function () {\n"
    "\t\"use strict\";\n"
    "\tvar meta = "
    "document.querySelector('meta[name=\"sitegen-generation\"]');\n"
    "\tif (!meta || !window.fetch) return;\n"
    "\tvar seen = meta.getAttribute(\"content\");\n"
    "\tfunction ask() {\n"
    "\t\tfetch(\"/__sitegen/state\", {cache: \"no-store\"})\n"
    "\t\t\t.then(function (r) { return r.json(); })\n"
    "\t\t\t.then(function (s) {\n"
    "\t\t\t\tif (String(s.generation) !== seen) {\n"
    "\t\t\t\t\tlocation.reload();\n"
    "\t\t\t\t\treturn;\n"
    "\t\t\t\t}\n"
    "\t\t\t\tsetTimeout(ask, 250);\n"
    "\t\t\t}, function () { setTimeout(ask, 1000); });\n"
    "\t}\n"
    "\tsetTimeout(ask, 250);\n"
    "})();\n";

static const char LIVE_CSS[] =
    "/* sitegen serve: the failed build's messages above the page. */\n"
    ".sitegen-build-error { margin: 0; padding: 0.75em 1em; "
    "background: #fdecea; color: #611a15; border-bottom: 3px solid #b3261e; "
    "font-size: 0.9375rem; }\n"
    ".sitegen-build-error pre { margin: 0.5em 0 0; white-space: pre-wrap; "
    "overflow-wrap: anywhere; font-size: 0.875rem; }\n";

struct preview {
	const struct build_options *opt;
	pthread_mutex_t lock;
	unsigned long generation;  /* builds finished, good or not */
	char *error;               /* the last build's errors, or NULL */
	char *warnings;            /* the last build's warnings (main thread) */
	struct site_preview *kept; /* the last good build (main thread) */
};

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static double
now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- serving ---- */

static const char *
content_type(const char *name)
{
	static const char *const types[][2] = {
	    {".html", "text/html; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".json", "application/json"},
	    {".xml", "application/xml; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".jpg", "image/jpeg"},
	    {".jpeg", "image/jpeg"},
	    {".gif", "image/gif"},
	    {".webp", "image/webp"},
	    {".txt", "text/plain; charset=utf-8"},
	    {".csv", "text/csv; charset=utf-8"},
	    {".pdf", "application/pdf"},
	};
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		size_t k = strlen(types[i][0]);
		if (n >= k && strcmp(name + n - k, types[i][0]) == 0)
			return types[i][1];
	}
	return "application/octet-stream";
}

static int
send_body(struct mg_connection *conn, int status, const char *reason,
    const char *type, const char *extra, const char *body, size_t len)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	mg_printf(conn,
	    "HTTP/1.1 %d %s\r\n"
	    "Content-Type: %s\r\n"
	    "Content-Length: %zu\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Content-Security-Policy: " PREVIEW_CSP "\r\n"
	    "Referrer-Policy: no-referrer\r\n"
	    "%s"
	    "Connection: close\r\n\r\n",
	    status, reason, type, len, extra ? extra : "");
	if (strcmp(ri->request_method, "HEAD") != 0)
		mg_write(conn, body, len);
	return status;
}

/* Reads out/rel into b; 0, or -1 when it is not a regular file. */
static int
read_file(const char *out, const char *rel, struct buf *b)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", out, rel);
	FILE *f = fopen(path.data, "rb");
	buf_free(&path);
	if (f == NULL)
		return -1;
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > PREVIEW_MAX_FILE) {
		fclose(f);
		return -1;
	}
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(b, chunk, n);
	fclose(f);
	return 0;
}

/* Whether a decoded path may name a file of the site: absolute, no '\',
 * no NUL, no segment that starts with a dot. */
static int
path_ok(const char *uri)
{
	if (uri == NULL || uri[0] != '/' || strchr(uri, '\\'))
		return 0;
	for (const char *p = uri; *p; p++)
		if (p[0] == '/' && p[1] == '.')
			return 0;
	return 1;
}

static void
put_html_text(struct buf *out, const char *s)
{
	buf_puts_html(out, s);
}

/*
 * The page as served: html with the generation, the live script and its
 * style sheet before </head>, and, after a failed build, the errors at the
 * top of <body>.
 */
static void
live_page(struct preview *pv, const char *html, size_t len, struct buf *out)
{
	pthread_mutex_lock(&pv->lock);
	unsigned long generation = pv->generation;
	char *error = pv->error ? mem_strdup(pv->error) : NULL;
	pthread_mutex_unlock(&pv->lock);
	const char *head_end = memmem(html, len, "</head>", 7);
	if (head_end == NULL) {
		buf_put(out, html, len);
		free(error);
		return;
	}
	buf_put(out, html, (size_t)(head_end - html));
	buf_printf(out,
	    "<meta name=\"sitegen-generation\" content=\"%lu\">\n"
	    "<link rel=\"stylesheet\" href=\"/__sitegen/live.css\">\n"
	    "<script src=\"/__sitegen/live.js\" defer></script>\n",
	    generation);
	const char *rest = head_end;
	size_t left = len - (size_t)(head_end - html);
	const char *body = memmem(rest, left, "<body", 5);
	const char *body_end =
	    body ? memchr(body, '>', left - (size_t)(body - rest)) : NULL;
	if (error && body_end) {
		buf_put(out, rest, (size_t)(body_end + 1 - rest));
		buf_puts(out, "\n<div class=\"sitegen-build-error\" "
		              "role=\"alert\"><strong>构建失败</strong>："
		              "下面是上一次成功构建的页面。<pre>");
		put_html_text(out, error);
		buf_puts(out, "</pre></div>");
		left -= (size_t)(body_end + 1 - rest);
		rest = body_end + 1;
	}
	buf_put(out, rest, left);
	free(error);
}

static int
send_state(struct mg_connection *conn, struct preview *pv)
{
	pthread_mutex_lock(&pv->lock);
	json_t *j = json_pack("{s:I, s:s?}", "generation",
	    (json_int_t)pv->generation, "error", pv->error);
	pthread_mutex_unlock(&pv->lock);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	int rc = send_body(
	    conn, 200, "OK", "application/json", NULL, text, strlen(text));
	free(text);
	return rc;
}

static int
handle(struct mg_connection *conn, void *arg)
{
	struct preview *pv = arg;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *uri = ri->local_uri;
	if (strcmp(ri->request_method, "GET") != 0 &&
	    strcmp(ri->request_method, "HEAD") != 0)
		return send_body(conn, 405, "Method Not Allowed",
		    "text/plain; charset=utf-8", "Allow: GET, HEAD\r\n",
		    "GET or HEAD\n", 12);
	if (uri && strcmp(uri, "/__sitegen/state") == 0)
		return send_state(conn, pv);
	if (uri && strcmp(uri, "/__sitegen/live.js") == 0)
		return send_body(conn, 200, "OK", content_type(".js"), NULL,
		    LIVE_JS, sizeof LIVE_JS - 1);
	if (uri && strcmp(uri, "/__sitegen/live.css") == 0)
		return send_body(conn, 200, "OK", content_type(".css"), NULL,
		    LIVE_CSS, sizeof LIVE_CSS - 1);
	struct buf rel = BUF_INIT, data = BUF_INIT, page = BUF_INIT;
	int status = 404;
	if (path_ok(uri)) {
		buf_puts(&rel, uri + 1);
		if (rel.len == 0 || rel.data[rel.len - 1] == '/')
			buf_puts(&rel, "index.html");
		struct buf path = BUF_INIT;
		struct stat st;
		buf_printf(&path, "%s/%s", pv->opt->out, rel.data);
		int is_dir = stat(path.data, &st) == 0 && S_ISDIR(st.st_mode);
		buf_free(&path);
		if (is_dir) {
			struct buf loc = BUF_INIT;
			buf_printf(&loc, "Location: %s/\r\n", uri);
			int rc = send_body(conn, 301, "Moved Permanently",
			    "text/plain; charset=utf-8", loc.data, "", 0);
			buf_free(&loc);
			buf_free(&rel);
			return rc;
		}
		if (read_file(pv->opt->out, rel.data, &data) == 0)
			status = 200;
	}
	if (status == 404) {
		buf_reset(&data);
		buf_reset(&rel);
		buf_puts(&rel, "404.html");
		if (read_file(pv->opt->out, rel.data, &data) != 0)
			/* no good build yet: a page for the errors */
			buf_puts(&data,
			    "<!DOCTYPE html>\n<html lang=\"zh-CN\">"
			    "<head><meta charset=\"utf-8\"><title>"
			    "预览</title></head>\n<body>\n<main><h1>"
			    "尚无可预览的页面</h1></main>\n</body>"
			    "</html>\n");
	}
	const char *type = content_type(rel.data);
	int rc;
	if (strncmp(type, "text/html", 9) == 0) {
		live_page(pv, data.data ? data.data : "", data.len, &page);
		rc = send_body(conn, status, status == 200 ? "OK" : "Not Found",
		    type, NULL, buf_str(&page), page.len);
	} else {
		rc = send_body(conn, status, status == 200 ? "OK" : "Not Found",
		    type, NULL, buf_str(&data), data.len);
	}
	buf_free(&rel);
	buf_free(&data);
	buf_free(&page);
	return rc;
}

/* ---- building ---- */

static void
report(const char *kind, const char *text)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n > 0)
			fprintf(stderr, "sitegen: %s%.*s\n", kind, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* One build of the working tree; its result becomes the state served. */
static void
rebuild(struct preview *pv, int quiet)
{
	struct site_stats stats;
	struct buf warnings = BUF_INIT, err = BUF_INIT;
	double started = now_seconds();
	int rc = site_preview_build(pv->opt, pv->kept, &stats, &warnings, &err);
	double took = now_seconds() - started;
	/* a warning is said once, not at every save */
	if (strcmp(buf_str(&warnings), pv->warnings ? pv->warnings : "") != 0)
		report("warning: ", buf_str(&warnings));
	free(pv->warnings);
	pv->warnings = mem_strdup(buf_str(&warnings));
	if (rc != 0) {
		report("", buf_str(&err));
		fprintf(stderr, "sitegen: build failed; serving the last good "
		                "site, with the errors on every page\n");
	} else if (!quiet) {
		fprintf(stderr,
		    "sitegen: built %zu pages in %.3f s (%zu files written, "
		    "%zu unchanged)\n",
		    stats.pages, took, stats.rewritten, stats.kept);
	}
	pthread_mutex_lock(&pv->lock);
	pv->generation++;
	free(pv->error);
	pv->error = NULL;
	if (rc != 0) {
		/* the messages as the command line shows them */
		struct buf shown = BUF_INIT;
		const char *p = buf_str(&err);
		while (*p) {
			size_t n = strcspn(p, "\n");
			if (n > 0)
				buf_printf(
				    &shown, "sitegen: %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
		pv->error = shown.len ? buf_detach(&shown)
		                      : mem_strdup("sitegen: build failed\n");
	}
	pthread_mutex_unlock(&pv->lock);
	free(stats.origin);
	buf_free(&warnings);
	buf_free(&err);
}

/* Watches dir and every folder below it (names starting with a dot
 * left out); a folder already watched keeps its watch. */
static void
watch_tree(int fd, const char *dir)
{
	inotify_add_watch(fd, dir,
	    IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
	        IN_MOVED_TO | IN_ATTRIB);
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		struct buf sub = BUF_INIT;
		buf_printf(&sub, "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(sub.data, &st) == 0 && S_ISDIR(st.st_mode))
			watch_tree(fd, sub.data);
		buf_free(&sub);
	}
	closedir(d);
}

/* Reads the pending events; 1 if any, 0 if none.  *new_dir is set when
 * a folder appeared (it needs a watch). */
static int
drain(int fd, int *new_dir)
{
	char events[8192]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	int any = 0;
	for (;;) {
		ssize_t n = read(fd, events, sizeof events);
		if (n <= 0)
			return any;
		any = 1;
		for (char *p = events; p < events + n;) {
			const struct inotify_event *ev = (const void *)p;
			if ((ev->mask & IN_ISDIR) &&
			    (ev->mask & (IN_CREATE | IN_MOVED_TO)))
				*new_dir = 1;
			p += sizeof *ev + ev->len;
		}
	}
}

static int
is_loopback(const char *listen)
{
	return strncmp(listen, "127.", 4) == 0 ||
	       strncmp(listen, "localhost:", 10) == 0 ||
	       strncmp(listen, "[::1]:", 6) == 0;
}

static void
watch_all(int fd, const struct build_options *opt)
{
	struct buf dir = BUF_INIT;
	site_content_dir(opt, &dir);
	watch_tree(fd, dir.data);
	if (opt->theme)
		watch_tree(fd, opt->theme);
	buf_free(&dir);
}

int
serve_run(struct build_options *opt, const char *listen, int quiet)
{
	if (!is_loopback(listen)) {
		fprintf(stderr,
		    "sitegen: --listen '%s': the preview serves on a loopback "
		    "address only (127.0.0.1:PORT, [::1]:PORT)\n",
		    listen);
		return 2;
	}
	struct preview pv = {.opt = opt};
	pthread_mutex_init(&pv.lock, NULL);
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "sitegen: inotify: %s\n", strerror(errno));
		return 1;
	}
	mg_init_library(0);
	const char *options[] = {"listening_ports", listen, "num_threads", "8",
	    "enable_keep_alive", "no", NULL};
	struct mg_callbacks callbacks;
	memset(&callbacks, 0, sizeof callbacks);
	struct mg_context *ctx = mg_start(&callbacks, NULL, options);
	if (ctx == NULL) {
		fprintf(stderr, "sitegen: cannot listen on %s\n", listen);
		close(fd);
		mg_exit_library();
		return 1;
	}
	struct mg_server_port port;
	int port_no = 0;
	if (mg_get_server_ports(ctx, 1, &port) == 1)
		port_no = port.port;
	struct buf address = BUF_INIT, base = BUF_INIT;
	size_t host_len = strlen(listen);
	const char *colon = strrchr(listen, ':');
	if (colon)
		host_len = (size_t)(colon - listen);
	buf_printf(&address, "http://%.*s:%d/", (int)host_len, listen, port_no);
	if (opt->base_url == NULL)
		opt->base_url = address.data;
	watch_all(fd, opt);
	opt->memo = memo_new();
	pv.kept = site_preview_new();
	rebuild(&pv, quiet);
	mg_set_request_handler(ctx, "/", handle, &pv);
	printf("sitegen: serving %s (Ctrl-C stops)\n", address.data);
	fflush(stdout);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stopping) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, 500) <= 0)
			continue;
		int new_dir = 0;
		drain(fd, &new_dir);
		/* a save is often several events: wait for them to settle */
		while (!stopping && poll(&p, 1, SETTLE_MS) > 0)
			drain(fd, &new_dir);
		if (new_dir)
			watch_all(fd, opt);
		if (!stopping)
			rebuild(&pv, quiet);
	}
	mg_stop(ctx);
	mg_exit_library();
	close(fd);
	site_preview_free(pv.kept);
	memo_free(opt->memo);
	opt->memo = NULL;
	free(pv.error);
	free(pv.warnings);
	pthread_mutex_destroy(&pv.lock);
	buf_free(&address);
	buf_free(&base);
	if (!quiet)
		fprintf(stderr, "sitegen: stopped\n");
	return 0;
}

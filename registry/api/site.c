/*
 * Static files (see site.h).  The path is walked one name at a time
 * with openat(O_NOFOLLOW) from the site folder, opened afresh for every
 * request because sitegen replaces the whole folder when it rebuilds.
 */
#include "registry/api/site.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "registry/api/check.h"
#include "registry/api/encoding.h"
#include "registry/api/hash.h"
#include "registry/api/server.h"

#define SITE_CACHE_CONTROL "Cache-Control: public, max-age=300\r\n"
#define SITE_IMMUTABLE "Cache-Control: public, max-age=31536000, immutable\r\n"
#define IN_MEMORY_MAX (1 << 20)
#define NAME_MAX_BYTES 255

static const struct {
	const char *suffix;
	const char *type;
} TYPES[] = {
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
    {"feed.xml", "application/atom+xml; charset=utf-8"},
    {".atom", "application/atom+xml; charset=utf-8"},
    {".xml", "application/xml; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".txt", "text/plain; charset=utf-8"},
    {".csv", "text/csv; charset=utf-8"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".avif", "image/avif"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".pdf", "application/pdf"},
};

const char *
api_site_content_type(const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++) {
		size_t n = strlen(TYPES[i].suffix);
		if (len >= n && strcmp(name + len - n, TYPES[i].suffix) == 0)
			return TYPES[i].type;
	}
	return "application/octet-stream";
}

/* A name the site may serve: not empty, no dot first, nothing odd. */
static int
name_ok(const char *name, size_t len)
{
	if (len == 0 || len > NAME_MAX_BYTES || name[0] == '.')
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f ||
		    name[i] == '\\')
			return 0;
	return 1;
}

/* 1 when text is visible ASCII only, so safe to copy into a header. */
static int
printable(const char *text)
{
	for (; *text; text++)
		if (*text < 0x21 || *text > 0x7e)
			return 0;
	return 1;
}

struct file_state {
	int fd;
};

static int
file_stream(struct api_response *resp, struct api_sink *sink)
{
	struct file_state *state = resp->stream_state;
	char buf[65536];
	long long left = resp->length;

	while (left > 0) {
		ssize_t n = read(state->fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if (sink->write(sink->arg, buf, (size_t)n) != 0)
			return -1;
		left -= n;
	}
	return 0;
}

static void
file_free(void *arg)
{
	struct file_state *state = arg;

	close(state->fd);
	free(state);
}

static void
http_date(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* 1 for a fingerprinted name sitegen writes ("style.0123456789.css",
 * site/assets.h): its content never changes. */
static int
fingerprinted(const char *path)
{
	const char *name = strrchr(path, '/'), *ext, *hash;

	name = name ? name + 1 : path;
	ext = strrchr(name, '.');
	if (ext == NULL ||
	    (strcmp(ext, ".css") != 0 && strcmp(ext, ".js") != 0))
		return 0;
	hash = ext - 10;
	if (hash - 1 <= name || hash[-1] != '.')
		return 0;
	for (const char *p = hash; p < ext; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

/* Sends the open regular file fd (named `name`) with status `status`;
 * takes fd. */
static void
send_file(struct api_call *c, int fd, const struct stat *st, const char *name,
    int status)
{
	struct api_response *resp = c->resp;
	uint64_t h = API_HASH_INIT;
	char etag[24], modified[32];

	resp->status = status;
	buf_printf(&resp->headers, "Content-Type: %s\r\n",
	    api_site_content_type(name));
	if (status == 200) {
		long long mtime_ns =
		    (long long)st->st_mtim.tv_sec * 1000000000LL +
		    st->st_mtim.tv_nsec;
		long long ims = api_call_http_date(c->req->if_modified_since);
		h = api_hash_str(h, c->path);
		h = api_hash_add(h, &st->st_ino, sizeof st->st_ino);
		h = api_hash_add(h, &st->st_size, sizeof st->st_size);
		h = api_hash_add(h, &mtime_ns, sizeof mtime_ns);
		snprintf(
		    etag, sizeof etag, "\"%016llx\"", (unsigned long long)h);
		http_date(st->st_mtim.tv_sec, modified);
		buf_printf(&resp->headers,
		    "ETag: %s\r\nLast-Modified: %s\r\n%s", etag, modified,
		    fingerprinted(c->path) ? SITE_IMMUTABLE
		                           : SITE_CACHE_CONTROL);
		if (c->req->if_none_match
		        ? api_call_etag_matches(c->req->if_none_match, etag)
		        : ims >= (long long)st->st_mtim.tv_sec) {
			resp->status = 304;
			close(fd);
			return;
		}
	}
	if (st->st_size <= IN_MEMORY_MAX) {
		char buf[65536];
		ssize_t n;
		while ((n = read(fd, buf, sizeof buf)) > 0 ||
		       (n < 0 && errno == EINTR))
			if (n > 0)
				buf_put(&resp->body, buf, (size_t)n);
		close(fd);
		return;
	}
	struct file_state *state = malloc(sizeof *state);
	if (state == NULL)
		abort();
	state->fd = fd;
	resp->stream = file_stream;
	resp->stream_state = state;
	resp->stream_free = file_free;
	resp->length = (long long)st->st_size;
}

/*
 * Sends `name` of folder `dir` (open as fd, stat st) or, when the client
 * accepts gzip, its precompressed copy NAME.gz beside it (sitegen writes
 * them), as nginx's gzip_static does; takes fd.
 */
static void
send_file_coded(struct api_call *c, int dir, int fd, const struct stat *st,
    const char *name)
{
	char gz_name[NAME_MAX_BYTES + 4];
	struct stat gz_st;
	int gz = -1;

	if (api_encoding_accepts_gzip(c->req->accept_encoding) &&
	    api_encoding_compressible(api_site_content_type(name)) &&
	    snprintf(gz_name, sizeof gz_name, "%s.gz", name) <
	        (int)sizeof gz_name)
		gz = openat(dir, gz_name,
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (gz >= 0 && fstat(gz, &gz_st) == 0 && S_ISREG(gz_st.st_mode) &&
	    gz_st.st_mtim.tv_sec >= st->st_mtim.tv_sec - 1) {
		close(fd);
		fcntl(gz, F_SETFL, 0);
		buf_puts(&c->resp->headers, "Content-Encoding: gzip\r\n");
		send_file(c, gz, &gz_st, name, 200);
		return;
	}
	if (gz >= 0)
		close(gz);
	send_file(c, fd, st, name, 200);
}

/* The regular file at `rel` ("a/b/c.html") under folder `root`, each
 * name opened without following links; -1 when there is none. */
static int
open_under(int root, const char *rel, struct stat *st)
{
	char name[NAME_MAX_BYTES + 1];
	int dir = dup(root), fd;

	for (;;) {
		const char *slash = strchr(rel, '/');
		size_t len = slash ? (size_t)(slash - rel) : strlen(rel);
		if (dir < 0 || !name_ok(rel, len)) {
			if (dir >= 0)
				close(dir);
			return -1;
		}
		memcpy(name, rel, len);
		name[len] = '\0';
		fd = openat(dir, name,
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		        (slash ? O_DIRECTORY : O_NONBLOCK));
		close(dir);
		if (fd < 0)
			return -1;
		if (slash == NULL)
			break;
		dir = fd;
		rel = slash + 1;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) ||
	    st->st_size > IN_MEMORY_MAX) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, 0);
	return fd;
}

int
api_site_read(const struct api_call *c, const char *rel, struct buf *out)
{
	struct stat st;
	int root =
	    open(c->config->site_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd = root >= 0 ? open_under(root, rel, &st) : -1;
	char buf[65536];
	ssize_t n;

	if (root >= 0)
		close(root);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			buf_put(out, buf, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

int
api_site_has(const struct api_call *c, const char *rel)
{
	struct stat st;
	int root =
	    open(c->config->site_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd = root >= 0 ? open_under(root, rel, &st) : -1;

	if (root >= 0)
		close(root);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static void
not_found(struct api_call *c, int root)
{
	struct stat st;
	int fd;

	/* A certificate page that is not there: the registry says so, in
	 * the language of the address. */
	if ((strncmp(c->path, "/registry/certificates/", 23) == 0 ||
	        strncmp(c->path, "/en/registry/certificates/", 26) == 0) &&
	    api_check_missing(c) == 0)
		return;
	/* An English address gets the English edition's 404, when the site
	 * has one. */
	fd = -1;
	if (root >= 0 && strncmp(c->path, "/en/", 4) == 0)
		fd = openat(
		    root, "en/404.html", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && root >= 0)
		fd =
		    openat(root, "404.html", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		send_file(c, fd, &st, "404.html", 404);
		return;
	}
	if (fd >= 0)
		close(fd);
	api_call_problem(c, 404, NULL, "there is no page at this path");
}

void
api_site_missing(struct api_call *c)
{
	int root =
	    open(c->config->site_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	not_found(c, root);
	if (root >= 0)
		close(root);
}

/* "/x" names a folder: 301 to "/x/", with the query when it is
 * printable. */
static void
redirect_to_folder(struct api_call *c)
{
	struct buf *h = &c->resp->headers;

	c->resp->status = 301;
	buf_puts(h, "Location: ");
	api_call_url_encode(h, c->path, 1);
	buf_putc(h, '/');
	if (c->req->query && c->req->query[0] && printable(c->req->query)) {
		buf_putc(h, '?');
		buf_puts(h, c->req->query);
	}
	buf_puts(h, "\r\n" SITE_CACHE_CONTROL);
}

void
api_site_serve(struct api_call *c)
{
	const char *path = c->path, *p;
	int root, dir, fd = -1;
	struct stat st;

	root = open(c->config->site_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		api_call_problem(c, 503, NULL, "the website is not available");
		return;
	}
	if (path[0] != '/')
		goto missing;
	/* Walk the names between slashes; the last may be empty ("/x/"). */
	dir = dup(root);
	p = path + 1;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		char name[NAME_MAX_BYTES + 1];

		if (len == 0 && slash == NULL) {
			/* A path ending in '/': the folder's index. */
			fd = openat(dir, "index.html",
			    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0 || fstat(fd, &st) != 0 ||
			    !S_ISREG(st.st_mode)) {
				close(dir);
				goto missing;
			}
			send_file_coded(c, dir, fd, &st, "index.html");
			close(dir);
			close(root);
			return;
		}
		if (!name_ok(p, len)) {
			close(dir);
			goto missing;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		fd = openat(
		    dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd >= 0 && slash == NULL && fstat(fd, &st) == 0 &&
		    S_ISREG(st.st_mode)) {
			fcntl(fd, F_SETFL, 0);
			send_file_coded(c, dir, fd, &st, name);
			close(dir);
			close(root);
			return;
		}
		close(dir);
		if (fd < 0 || fstat(fd, &st) != 0)
			goto missing;
		if (slash == NULL) {
			if (S_ISDIR(st.st_mode)) {
				close(fd);
				redirect_to_folder(c);
				close(root);
				return;
			}
			goto missing;
		}
		if (!S_ISDIR(st.st_mode))
			goto missing;
		dir = fd;
		fd = -1;
		p = slash + 1;
	}
missing:
	if (fd >= 0)
		close(fd);
	not_found(c, root);
	close(root);
}

/*
 * links: a set of "path" and "path#id" keys and a
 * list of links to check against it after the whole site is rendered, so a
 * broken link or anchor anywhere fails the build with its file and line.
 */
#include "site/links.h"

#include <stdlib.h>
#include <string.h>

#include "site/strmap.h"

struct expectation {
	char *from;
	int line;
	char *url;
	char *target;
	char *anchor; /* NULL: a file link */
};

struct links {
	struct strmap *known; /* "path" and "path#id" keys; values unused */
	struct expectation *expect;
	size_t nexpect, cap;
};

static void
set_add(struct links *links, const char *key)
{
	strmap_put(links->known, key, links);
}

static int
set_has(const struct links *links, const char *key)
{
	return strmap_has(links->known, key);
}

struct links *
links_new(void)
{
	struct links *links = mem_calloc(1, sizeof(struct links));
	links->known = strmap_new();
	return links;
}

void
links_free(struct links *links)
{
	if (links == NULL)
		return;
	strmap_free(links->known);
	for (size_t i = 0; i < links->nexpect; i++) {
		free(links->expect[i].from);
		free(links->expect[i].url);
		free(links->expect[i].target);
		free(links->expect[i].anchor);
	}
	free(links->expect);
	free(links);
}

void
links_add_file(struct links *links, const char *path)
{
	set_add(links, path);
}

void
links_add_id(struct links *links, const char *path, const char *id)
{
	struct buf key = BUF_INIT;
	buf_printf(&key, "%s#%s", path, id);
	set_add(links, key.data);
	buf_free(&key);
}

static int
has_scheme(const char *url)
{
	const char *p = url;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

static int
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

enum link_kind
links_resolve(
    const char *from, const char *url, struct buf *target, struct buf *anchor)
{
	buf_reset(target);
	buf_reset(anchor);
	if (has_scheme(url) || url[0] == '/')
		return LINK_EXTERNAL;
	size_t path_len = strcspn(url, "?#");
	const char *hash_mark = strchr(url, '#');
	if (hash_mark)
		buf_puts(anchor, hash_mark + 1);
	if (path_len == 0)
		return LINK_ANCHOR;

	/* Join the source file's folder and the path, folding . and .. */
	const char *slash = strrchr(from, '/');
	struct buf joined = BUF_INIT;
	if (slash)
		buf_put(&joined, from, (size_t)(slash - from + 1));
	buf_put(&joined, url, path_len);
	enum link_kind kind = LINK_FILE;
	char *save = NULL;
	for (char *seg = strtok_r(joined.data, "/", &save); seg;
	     seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			char *last =
			    target->len ? strrchr(target->data, '/') : NULL;
			if (target->len == 0) {
				kind = LINK_OUTSIDE;
				break;
			}
			target->len = last ? (size_t)(last - target->data) : 0;
			target->data[target->len] = '\0';
			continue;
		}
		if (target->len)
			buf_putc(target, '/');
		buf_puts(target, seg);
	}
	buf_free(&joined);
	if (kind == LINK_OUTSIDE)
		return kind;
	if (ends_with(target->data ? target->data : "", target->len, ".md"))
		return LINK_PAGE;
	return LINK_FILE;
}

void
links_expect(struct links *links, const char *from, int line, const char *url,
    const char *target, const char *anchor)
{
	if (links->nexpect == links->cap) {
		links->cap = links->cap ? links->cap * 2 : 256;
		links->expect = mem_realloc(
		    links->expect, links->cap * sizeof *links->expect);
	}
	struct expectation *e = &links->expect[links->nexpect++];
	e->from = mem_strdup(from);
	e->line = line;
	e->url = mem_strdup(url);
	e->target = mem_strdup(target);
	e->anchor = anchor ? mem_strdup(anchor) : NULL;
}

static int
check_range(struct links *links, size_t from, struct buf *err)
{
	int broken = 0;
	for (size_t i = from; i < links->nexpect; i++) {
		const struct expectation *e = &links->expect[i];
		if (!set_has(links, e->target)) {
			buf_printf(err,
			    "%s:%d: broken link '%s': %s does not exist\n",
			    e->from, e->line, e->url, e->target);
			broken++;
			continue;
		}
		if (e->anchor == NULL || e->anchor[0] == '\0')
			continue;
		struct buf key = BUF_INIT;
		buf_printf(&key, "%s#%s", e->target, e->anchor);
		if (!set_has(links, key.data)) {
			buf_printf(err,
			    "%s:%d: broken link '%s': %s has no "
			    "heading or element with id '%s'\n",
			    e->from, e->line, e->url, e->target, e->anchor);
			broken++;
		}
		buf_free(&key);
	}
	return broken;
}

int
links_check(struct links *links, struct buf *err)
{
	return check_range(links, 0, err);
}

size_t
links_mark(const struct links *links)
{
	return links->nexpect;
}

int
links_check_since(struct links *links, size_t mark, struct buf *err)
{
	int broken = check_range(links, mark, err);
	for (size_t i = mark; i < links->nexpect; i++) {
		free(links->expect[i].from);
		free(links->expect[i].url);
		free(links->expect[i].target);
		free(links->expect[i].anchor);
	}
	links->nexpect = mark;
	return broken;
}

void
links_page_dir(const char *path, struct buf *out)
{
	size_t len = strlen(path);
	if (ends_with(path, len, ".md"))
		len -= 3;
	const char *base = path;
	const char *slash = strrchr(path, '/');
	if (slash)
		base = slash + 1;
	size_t base_len = (size_t)(path + len - base);
	if (base_len == 5 && memcmp(base, "index", 5) == 0) {
		buf_put(
		    out, path, (size_t)(base - path)); /* "a/index" -> "a/" */
		return;
	}
	buf_put(out, path, len);
	buf_putc(out, '/');
}

void
links_root_prefix(const char *dir, struct buf *out)
{
	int depth = 0;
	for (const char *p = dir; *p; p++)
		if (*p == '/')
			depth++;
	if (depth == 0)
		buf_puts(out, "./");
	for (int i = 0; i < depth; i++)
		buf_puts(out, "../");
}

/*
 * build: the site build's phases, in order: load content and theme; parse
 * every page's front matter; order pages and link them into a tree by their
 * `parent`; render every page's Markdown, collecting ids and links; check
 * links and fee tables; only then write pages, 404.html, sitemap.xml,
 * robots.txt and files into a staging folder, and swap it into place.
 * Errors of one phase are all reported before the build stops.
 */
#include "build.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content.h"
#include "fees.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "links.h"
#include "markdown.h"
#include "mustache.h"
#include "theme.h"

struct page {
	const struct content_file *file;
	char *source;       /* the file's path for messages: "content/fees.md" */
	char *dir;          /* address folder: "" for the home page, "fees/" */
	char *key;          /* path without ".md": what `parent` names */
	json_t *meta;
	const char *title;
	const char *linktitle;  /* shorter title for the sidebar and breadcrumbs */
	const char *description;
	long long weight;
	struct page *parent;
	struct page **children;
	size_t nchildren;
	size_t order;       /* position in reading order */
	struct md_result md;
	size_t body_offset;
	int body_line;
};

struct site {
	const struct build_options *opt;
	struct content_tree content;
	struct theme theme;
	struct mustache_set *templates;
	struct page *pages;      /* sorted by weight, then path */
	size_t npages;
	struct page **reading;   /* depth-first reading order */
	size_t nreading;
	struct page **by_key;    /* sorted by key, for looking parents up */
	struct page *home;
	struct links *links;
	const char *base_path;   /* the base URL's path, for 404.html */
	struct buf errors;
	size_t nfiles;
};

static int
is_page(const char *path)
{
	size_t n = strlen(path);
	return n > 3 && strcmp(path + n - 3, ".md") == 0;
}

static int
compare_pages(const void *a, const void *b)
{
	const struct page *pa = a, *pb = b;
	if (pa->weight != pb->weight)
		return pa->weight < pb->weight ? -1 : 1;
	return strcmp(pa->file->path, pb->file->path);
}

static const char *
meta_string(struct site *site, struct page *p, const char *key, int required)
{
	json_t *v = json_object_get(p->meta, key);
	if (v == NULL || json_is_null(v)) {
		if (required)
			buf_printf(&site->errors, "%s:1: front matter has no "
			    "'%s'\n", p->source, key);
		return NULL;
	}
	if (!json_is_string(v)) {
		buf_printf(&site->errors, "%s:1: front matter '%s' must be text\n",
		    p->source, key);
		return NULL;
	}
	return json_string_value(v);
}

/* Phase 1: front matter of every page. */
static void
read_pages(struct site *site)
{
	struct content_tree *c = &site->content;
	site->pages = xcalloc(c->count + 1, sizeof *site->pages);
	for (size_t i = 0; i < c->count; i++) {
		const struct content_file *f = &c->files[i];
		links_add_file(site->links, f->path);
		if (!is_page(f->path)) {
			site->nfiles++;
			continue;
		}
		struct page *p = &site->pages[site->npages];
		struct buf source = BUF_INIT;
		buf_printf(&source, "%s/%s", site->opt->content, f->path);
		struct frontmatter fm;
		if (frontmatter_parse(source.data, f->data, f->len, &fm,
		    &site->errors) != 0) {
			buf_putc(&site->errors, '\n');
			buf_free(&source);
			continue;
		}
		site->npages++;
		p->file = f;
		p->source = buf_detach(&source);
		p->meta = fm.meta;
		p->body_offset = fm.body_offset;
		p->body_line = fm.body_line;
		struct buf b = BUF_INIT;
		links_page_dir(f->path, &b);
		p->dir = buf_detach(&b);
		p->key = xstrndup(f->path, strlen(f->path) - 3);
		p->title = meta_string(site, p, "title", 1);
		p->description = meta_string(site, p, "description", 0);
		p->linktitle = meta_string(site, p, "linktitle", 0);
		if (p->linktitle == NULL)
			p->linktitle = p->title;
		json_t *w = json_object_get(p->meta, "weight");
		if (w != NULL && !json_is_integer(w))
			buf_printf(&site->errors, "%s:1: front matter 'weight' "
			    "must be a whole number\n", p->source);
		p->weight = json_integer_value(w);
	}
	qsort(site->pages, site->npages, sizeof *site->pages, compare_pages);
}

static int
compare_keys(const void *a, const void *b)
{
	const struct page *const *pa = a, *const *pb = b;
	return strcmp((*pa)->key, (*pb)->key);
}

static struct page *
find_page(struct site *site, const char *key)
{
	struct page probe = {.key = (char *)key}, *pp = &probe;
	struct page **found = bsearch(&pp, site->by_key, site->npages,
	    sizeof *site->by_key, compare_keys);
	return found ? *found : NULL;
}

static void
add_child(struct page *parent, struct page *child)
{
	parent->children = xrealloc(parent->children,
	    (parent->nchildren + 1) * sizeof *parent->children);
	parent->children[parent->nchildren++] = child;
	child->parent = parent;
}

static void
visit(struct site *site, struct page *p)
{
	p->order = site->nreading;
	site->reading[site->nreading++] = p;
	for (size_t i = 0; i < p->nchildren; i++)
		visit(site, p->children[i]);
}

/* Phase 2: the page tree (by `parent`) and the reading order. */
static void
link_pages(struct site *site)
{
	site->by_key = xcalloc(site->npages + 1, sizeof *site->by_key);
	for (size_t i = 0; i < site->npages; i++)
		site->by_key[i] = &site->pages[i];
	qsort(site->by_key, site->npages, sizeof *site->by_key, compare_keys);
	site->home = find_page(site, "index");
	if (site->home == NULL && site->npages > 0)
		buf_printf(&site->errors, "%s: no home page (index.md)\n",
		    site->content.origin);
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = &site->pages[i];
		if (p == site->home)
			continue;
		const char *parent = meta_string(site, p, "parent", 0);
		if (parent == NULL)
			continue;
		struct page *q = find_page(site, parent);
		if (q == NULL || q == p) {
			buf_printf(&site->errors, "%s:1: parent '%s' is not a "
			    "page (expected a file %s.md)\n", p->source,
			    parent, parent);
			continue;
		}
		for (struct page *a = q; a; a = a->parent) {
			if (a == p) {
				buf_printf(&site->errors, "%s:1: parent '%s' "
				    "makes a loop\n", p->source, parent);
				q = NULL;
				break;
			}
		}
		if (q)
			add_child(q, p);
	}
	site->reading = xcalloc(site->npages + 1, sizeof *site->reading);
	if (site->home)
		site->reading[site->nreading++] = site->home;
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = &site->pages[i];
		if (p != site->home && p->parent == NULL)
			visit(site, p);
	}
}

struct link_ctx {
	struct site *site;
	struct page *page;
};

/* Rewrites a content link to the address it has in the built site. */
static char *
rewrite_link(void *ctx, const char *url, int line, int is_image)
{
	struct link_ctx *lc = ctx;
	struct site *site = lc->site;
	struct buf target = BUF_INIT, anchor = BUF_INIT, out = BUF_INIT;
	enum link_kind kind = links_resolve(lc->page->file->path, url, &target,
	    &anchor);
	(void)is_image;
	switch (kind) {
	case LINK_EXTERNAL:
		break;
	case LINK_OUTSIDE:
		buf_printf(&site->errors, "%s:%d: broken link '%s': it leads "
		    "outside the content folder\n", lc->page->source, line, url);
		break;
	case LINK_ANCHOR:
		links_expect(site->links, lc->page->source, line, url,
		    lc->page->file->path, anchor.data ? anchor.data : "");
		break;
	case LINK_PAGE:
	case LINK_FILE:
		links_expect(site->links, lc->page->source, line, url,
		    target.data, kind == LINK_PAGE ? buf_str(&anchor) : NULL);
		links_root_prefix(lc->page->dir, &out);
		if (kind == LINK_PAGE)
			links_page_dir(target.data, &out);
		else
			buf_puts(&out, target.data);
		if (anchor.len)
			buf_printf(&out, "#%s", anchor.data);
		break;
	}
	buf_free(&target);
	buf_free(&anchor);
	return out.len ? buf_detach(&out) : NULL;
}

/* Phase 3: Markdown of every page, ids and links recorded, fees checked. */
static void
render_pages(struct site *site)
{
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = &site->pages[i];
		struct link_ctx lc = {site, p};
		struct md_options mo = {
			.path = p->source,
			.first_line = p->body_line,
			.link = rewrite_link,
			.link_ctx = &lc,
		};
		markdown_render(p->file->data + p->body_offset,
		    p->file->len - p->body_offset, &mo, &p->md, &site->errors);
		for (size_t h = 0; h < p->md.nheadings; h++)
			links_add_id(site->links, p->file->path, p->md.headings[h].id);
		fees_check(p->md.tables, p->md.ntables, p->source,
		    &site->errors);
		if (site->opt->progress && (i % 100 == 99 || i + 1 == site->npages))
			fprintf(stderr, "\rsitegen: rendering %zu/%zu pages",
			    i + 1, site->npages);
	}
	if (site->opt->progress && site->npages >= 100)
		fputc('\n', stderr);
	links_check(site->links, &site->errors);
}

/* A link to page p for the sidebar, breadcrumbs and pager. */
static json_t *
nav_item(const struct page *p, const struct page *current, int short_title)
{
	const char *title = short_title ? p->linktitle : p->title;
	/* Every key is set, so a Mustache section inside a child never
	 * falls back to the parent's value of the same name. */
	return json_pack("{s:s, s:s, s:b, s:b}", "title", title ? title : "",
	    "url", p->dir, "current", p == current, "open", 0);
}

static int
is_ancestor_or_self(const struct page *a, const struct page *p)
{
	for (; p; p = p->parent)
		if (p == a)
			return 1;
	return 0;
}

/*
 * The sidebar: every top-level page, and the children of the current page
 * and of its ancestors (so a section opens where the reader is).
 */
static json_t *
nav_tree(struct site *site, struct page *const *pages, size_t n,
    const struct page *current)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct page *p = pages[i];
		json_t *item = nav_item(p, current, 1);
		if (p->nchildren && is_ancestor_or_self(p, current)) {
			json_object_set_new(item, "children",
			    nav_tree(site, p->children, p->nchildren, current));
			json_object_set_new(item, "open", json_true());
		}
		json_array_append_new(list, item);
	}
	return list;
}

static json_t *
top_level(struct site *site, const struct page *current)
{
	struct page **top = xcalloc(site->nreading + 1, sizeof *top);
	size_t n = 0;
	for (size_t i = 0; i < site->nreading; i++)
		if (site->reading[i]->parent == NULL)
			top[n++] = site->reading[i];
	json_t *nav = nav_tree(site, top, n, current);
	free(top);
	return nav;
}

static json_t *
page_context(struct site *site, struct page *p)
{
	struct buf root = BUF_INIT;
	links_root_prefix(p->dir, &root);
	json_t *toc = json_array();
	for (size_t i = 0; i < p->md.nheadings; i++) {
		const struct md_heading *h = &p->md.headings[i];
		if (h->level < 2 || h->level > 3)
			continue;
		json_array_append_new(toc, json_pack("{s:s, s:s, s:b}", "id",
		    h->id, "text", h->text, "sub", h->level == 3));
	}
	json_t *crumbs = json_array();
	for (struct page *a = p->parent; a; a = a->parent)
		json_array_insert_new(crumbs, 0, nav_item(a, NULL, 1));
	if (site->home && p != site->home)
		json_array_insert_new(crumbs, 0, nav_item(site->home, NULL, 1));

	json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:b}",
	    "root", root.data,
	    "title", p->title ? p->title : "",
	    "description", p->description ? p->description : "",
	    "url", p->dir,
	    "content", p->md.html ? p->md.html : "",
	    "toc", toc,
	    "breadcrumbs", crumbs,
	    "nav", top_level(site, p),
	    "has_toc", json_array_size(toc) >= 2,
	    "is_home", p == site->home);
	json_object_set_new(ctx, "site_title", json_string(site->home &&
	    site->home->title ? site->home->title : ""));
	json_object_set_new(ctx, "base_url", json_string(site->opt->base_url));
	json_object_set_new(ctx, "canonical", json_sprintf("%s%s",
	    site->opt->base_url, p->dir));
	if (p->order > 0)
		json_object_set_new(ctx, "prev",
		    nav_item(site->reading[p->order - 1], NULL, 0));
	if (p->order + 1 < site->nreading)
		json_object_set_new(ctx, "next",
		    nav_item(site->reading[p->order + 1], NULL, 0));
	if (p == site->home) {
		json_t *chapters = json_array();
		for (size_t i = 1; i < site->nreading; i++) {
			struct page *c = site->reading[i];
			if (c->parent != NULL)
				continue;
			json_t *item = nav_item(c, NULL, 0);
			json_object_set_new(item, "description",
			    json_string(c->description ? c->description : ""));
			json_array_append_new(chapters, item);
		}
		json_object_set_new(ctx, "chapters", chapters);
	}
	buf_free(&root);
	return ctx;
}

static int
write_output(struct site *site, const char *staging, const char *rel,
    const void *data, size_t len)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", staging, rel);
	int rc = fs_write_file(path.data, data, len, &site->errors);
	if (rc != 0)
		buf_putc(&site->errors, '\n');
	buf_free(&path);
	return rc;
}

static int
render_template(struct site *site, const char *name, json_t *ctx,
    struct buf *out)
{
	buf_reset(out);
	if (mustache_render(site->templates, name, ctx, out, &site->errors) != 0) {
		buf_putc(&site->errors, '\n');
		return -1;
	}
	return 0;
}

/* Phase 4: every output file, into the staging folder. */
static int
write_site(struct site *site, const char *staging)
{
	struct buf html = BUF_INIT, path = BUF_INIT, sitemap = BUF_INIT;
	int rc = 0;
	buf_puts(&sitemap, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (size_t i = 0; rc == 0 && i < site->nreading; i++) {
		struct page *p = site->reading[i];
		json_t *ctx = page_context(site, p);
		rc = render_template(site, "page", ctx, &html);
		json_decref(ctx);
		buf_reset(&path);
		buf_printf(&path, "%sindex.html", p->dir);
		if (rc == 0)
			rc = write_output(site, staging, path.data, html.data, html.len);
		buf_puts(&sitemap, "  <url><loc>");
		buf_puts_html(&sitemap, site->opt->base_url);
		buf_puts_html(&sitemap, p->dir);
		buf_puts(&sitemap, "</loc></url>\n");
	}
	buf_puts(&sitemap, "</urlset>\n");
	if (rc == 0)
		rc = write_output(site, staging, "sitemap.xml", sitemap.data,
		    sitemap.len);

	if (rc == 0) {
		json_t *ctx = json_pack("{s:s, s:s, s:s, s:s}", "title", "页面不存在",
		    "root", site->base_path,
		    "site_title", site->home && site->home->title ?
		    site->home->title : "", "base_url", site->opt->base_url);
		json_object_set_new(ctx, "nav", top_level(site, NULL));
		rc = render_template(site, "404", ctx, &html);
		json_decref(ctx);
		if (rc == 0)
			rc = write_output(site, staging, "404.html", html.data,
			    html.len);
	}
	if (rc == 0) {
		buf_reset(&html);
		buf_printf(&html, "User-agent: *\nAllow: /\n\nSitemap: %ssitemap.xml\n",
		    site->opt->base_url);
		rc = write_output(site, staging, "robots.txt", html.data, html.len);
	}
	for (size_t i = 0; rc == 0 && i < site->theme.count; i++) {
		const struct theme_file *f = &site->theme.files[i];
		if (strncmp(f->name, "static/", 7) != 0)
			continue;
		buf_reset(&path);
		buf_printf(&path, "assets/%s", f->name + 7);
		rc = write_output(site, staging, path.data, f->data, f->len);
	}
	for (size_t i = 0; rc == 0 && i < site->content.count; i++) {
		const struct content_file *f = &site->content.files[i];
		if (!is_page(f->path))
			rc = write_output(site, staging, f->path, f->data, f->len);
	}
	buf_free(&html);
	buf_free(&path);
	buf_free(&sitemap);
	return rc;
}

static int
load_templates(struct site *site)
{
	site->templates = mustache_set_new();
	int rc = 0;
	for (size_t i = 0; i < site->theme.count; i++) {
		const struct theme_file *f = &site->theme.files[i];
		const char *name = f->name;
		if (strncmp(name, "templates/", 10) != 0)
			continue;
		const char *base = strrchr(name, '/') + 1;
		const char *dot = strrchr(base, '.');
		if (dot == NULL || strcmp(dot, ".mustache") != 0)
			continue;
		char *short_name = xstrndup(base, (size_t)(dot - base));
		if (mustache_set_add(site->templates, short_name, f->data, f->len,
		    &site->errors) != 0) {
			buf_putc(&site->errors, '\n');
			rc = -1;
		}
		free(short_name);
	}
	return rc;
}

static void
site_free(struct site *site)
{
	for (size_t i = 0; i < site->npages; i++) {
		struct page *p = &site->pages[i];
		free(p->dir);
		free(p->source);
		free(p->key);
		free(p->children);
		json_decref(p->meta);
		md_result_free(&p->md);
	}
	free(site->pages);
	free(site->reading);
	free(site->by_key);
	links_free(site->links);
	mustache_set_free(site->templates);
	theme_free(&site->theme);
	content_tree_free(&site->content);
	buf_free(&site->errors);
}

int
build_site(const struct build_options *opt, struct build_stats *stats,
    struct buf *err)
{
	struct site site = {.opt = opt, .links = links_new()};
	char *staging = NULL;
	int rc = -1;
	memset(stats, 0, sizeof *stats);

	const char *scheme_end = strstr(opt->base_url, "://");
	site.base_path = scheme_end ? strchr(scheme_end + 3, '/') : opt->base_url;
	if (site.base_path == NULL)
		site.base_path = "/";

	if (opt->worktree) {
		struct buf dir = BUF_INIT;
		buf_printf(&dir, "%s/%s", opt->repo, opt->content);
		int loaded = content_load_worktree(dir.data, &site.content, err);
		buf_free(&dir);
		if (loaded != 0)
			goto done;
	} else if (content_load_git(opt->repo, opt->content, opt->rev,
	    &site.content, err) != 0) {
		goto done;
	}
	if (theme_load(opt->theme, &site.theme, err) != 0)
		goto done;
	load_templates(&site);
	read_pages(&site);
	if (site.errors.len == 0)
		link_pages(&site);
	if (site.errors.len == 0)
		render_pages(&site);
	if (site.errors.len != 0)
		goto done;

	staging = fs_make_staging_dir(opt->out, err);
	if (staging == NULL)
		goto done;
	if (write_site(&site, staging) != 0)
		goto done;
	if (fs_swap_into_place(staging, opt->out, err) != 0)
		goto done;
	free(staging);
	staging = NULL;
	stats->pages = site.npages;
	stats->files = site.nfiles;
	stats->origin = xstrdup(site.content.origin);
	rc = 0;
done:
	if (site.errors.len)
		buf_put(err, site.errors.data, site.errors.len);
	if (staging != NULL) {
		struct buf ignored = BUF_INIT;
		fs_remove_tree(staging, &ignored);
		buf_free(&ignored);
		free(staging);
	}
	site_free(&site);
	return rc;
}

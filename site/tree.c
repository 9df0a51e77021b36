/*
 * tree: the pages of one content tree, from front matter to written HTML.
 * Phases, in order: front matter of every page; the page tree by `parent`
 * and the reading order; Markdown of every page with its ids and links
 * recorded; the link check.  Errors of a phase are all reported before the
 * build stops.
 */
#include "site/tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site/fees.h"
#include "site/frontmatter.h"
#include "site/fs.h"
#include "site/lang.h"
#include "site/links.h"
#include "site/strmap.h"

/* Names the build itself writes at the root, which content may not take. */
static const char *const RESERVED[] = {
    "api",
    "assets",
    "changes",
    "checklist",
    "editions",
    "en",
    "history",
    "registry",
    "search",
    "timeline",
    "404.html",
    "feed.xml",
    "robots.txt",
    "sitemap.xml",
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

static int
compare_keys(const void *a, const void *b)
{
	const struct page *const *pa = a, *const *pb = b;
	return strcmp((*pa)->key, (*pb)->key);
}

struct page *
tree_find(const struct tree *tree, const char *key)
{
	if (tree->npages == 0)
		return NULL;
	struct page probe = {.key = (char *)key}, *pp = &probe;
	struct page **found = bsearch(&pp, tree->by_key, tree->npages,
	    sizeof *tree->by_key, compare_keys);
	return found ? *found : NULL;
}

static const char *
meta_string(struct tree *tree, struct page *p, const char *key, int required)
{
	struct buf *errors = &tree->build->errors;
	json_t *v = json_object_get(p->meta, key);
	if (v == NULL || json_is_null(v)) {
		if (required)
			buf_printf(errors, "%s:1: front matter has no '%s'\n",
			    p->source, key);
		return NULL;
	}
	if (!json_is_string(v)) {
		buf_printf(errors, "%s:1: front matter '%s' must be text\n",
		    p->source, key);
		return NULL;
	}
	return json_string_value(v);
}

/* How a content file is named in messages: "content/fees.md", or with the
 * edition's tag in front, as git names a file at a revision. */
static char *
source_name(const struct tree *tree, const char *path)
{
	struct buf b = BUF_INIT;
	if (tree->edition)
		buf_printf(&b, "edition/%s:", tree->edition->name);
	buf_printf(&b, "%s/%s%s", tree->build->opt->content,
	    tree->lang ? tree->lang->dir : "", path);
	return buf_detach(&b);
}

static void
check_reserved(struct tree *tree, const char *path)
{
	size_t first = strcspn(path, "/");
	size_t stem = path[first] == '\0' && is_page(path) ? first - 3 : first;
	for (size_t i = 0; i < sizeof RESERVED / sizeof *RESERVED; i++) {
		const char *r = RESERVED[i];
		int is_folder = strchr(r, '.') == NULL;
		/* a folder name is taken by a folder or a page of that name;
		 * a file name by that file */
		size_t n = is_folder ? stem : first;
		if (strlen(r) != n || strncmp(path, r, n) != 0)
			continue;
		if (!is_folder && path[first] != '\0')
			continue;
		char *source = source_name(tree, path);
		buf_printf(&tree->build->errors,
		    "%s:1: the name '%s' is reserved "
		    "for what the build writes itself\n",
		    source, r);
		free(source);
		return;
	}
}

/* Phase 1: front matter of every page. */
static void
read_pages(struct tree *tree, struct links *links)
{
	struct content_tree *c = &tree->content;
	struct buf *errors = &tree->build->errors;
	tree->pages = mem_calloc(c->count + 1, sizeof *tree->pages);
	for (size_t i = 0; i < c->count; i++) {
		const struct content_file *f = &c->files[i];
		if (content_is_data(f->path))
			continue; /* read by the build, not published */
		links_add_file(links, f->path);
		check_reserved(tree, f->path);
		if (!is_page(f->path)) {
			tree->nfiles++;
			continue;
		}
		struct page *p = &tree->pages[tree->npages];
		char *source = source_name(tree, f->path);
		struct frontmatter fm;
		if (frontmatter_parse(source, f->data, f->len, &fm, errors) !=
		    0) {
			buf_putc(errors, '\n');
			free(source);
			continue;
		}
		tree->npages++;
		p->file = f;
		p->source = source;
		p->meta = fm.meta;
		p->body_offset = fm.body_offset;
		p->body_line = fm.body_line;
		struct buf b = BUF_INIT;
		links_page_dir(f->path, &b);
		p->dir = buf_detach(&b);
		p->key = mem_strndup(f->path, strlen(f->path) - 3);
		p->title = meta_string(tree, p, "title", 1);
		p->description = meta_string(tree, p, "description", 0);
		p->linktitle = meta_string(tree, p, "linktitle", 0);
		if (p->linktitle == NULL)
			p->linktitle = p->title;
		json_t *w = json_object_get(p->meta, "weight");
		if (w != NULL && !json_is_integer(w))
			buf_printf(errors,
			    "%s:1: front matter 'weight' must be a "
			    "whole number\n",
			    p->source);
		p->weight = json_integer_value(w);
	}
	if (tree->npages > 1)
		qsort(tree->pages, tree->npages, sizeof *tree->pages,
		    compare_pages);
	tree->by_key = mem_calloc(tree->npages + 1, sizeof *tree->by_key);
	for (size_t i = 0; i < tree->npages; i++)
		tree->by_key[i] = &tree->pages[i];
	if (tree->npages > 1)
		qsort(tree->by_key, tree->npages, sizeof *tree->by_key,
		    compare_keys);
}

static void
add_child(struct page *parent, struct page *child)
{
	if ((parent->nchildren & (parent->nchildren - 1)) == 0)
		parent->children = mem_realloc(parent->children,
		    (parent->nchildren ? parent->nchildren * 2 : 1) *
		        sizeof *parent->children);
	child->slot = parent->nchildren;
	parent->children[parent->nchildren++] = child;
	child->parent = parent;
}

static void
visit(struct tree *tree, struct page *p)
{
	p->order = tree->nreading;
	tree->reading[tree->nreading++] = p;
	for (size_t i = 0; i < p->nchildren; i++)
		visit(tree, p->children[i]);
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

/*
 * The section page of the folder p is in (tree.h): the nearest folder
 * above p, p's own for a page and the one above for a folder's index.md,
 * that has DIR/index.md or DIR.md; NULL at the top.
 */
static struct page *
folder_parent(const struct tree *tree, const struct page *p)
{
	struct buf key = BUF_INIT;
	buf_puts(&key, p->key);
	size_t end = key.len;
	const char *base = strrchr(p->key, '/');
	struct page *found = NULL;
	if (base && strcmp(base, "/index") == 0)
		end = (size_t)(base - p->key); /* the folder's own index.md */
	for (;;) {
		/* cut the last component: key.data[0..end) is the folder */
		while (end > 0 && key.data[end - 1] != '/')
			end--;
		if (end == 0)
			break;
		end--;
		key.len = end;
		buf_puts(&key, "/index");
		found = tree_find(tree, key.data);
		if (found == NULL) {
			key.len = end;
			key.data[end] = '\0';
			found = tree_find(tree, key.data);
		}
		if (found && found != p)
			break;
		found = NULL;
	}
	buf_free(&key);
	return found;
}

static void keep_plain_nav(struct tree *tree);

/* Phase 2: the page tree (by folder, or `parent`) and the reading order. */
static void
link_pages(struct tree *tree)
{
	struct buf *errors = &tree->build->errors;
	struct strmap *dirs = strmap_new(); /* address -> its page */
	for (size_t i = 0; i < tree->npages; i++) {
		struct page *p = &tree->pages[i];
		const struct page *other = strmap_get(dirs, p->dir);
		if (other)
			buf_printf(errors,
			    "%s:1: this page and %s would both be /%s\n",
			    p->source, other->source, p->dir);
		else
			strmap_put(dirs, p->dir, p);
	}
	strmap_free(dirs);
	tree->home = tree_find(tree, "index");
	if (tree->home == NULL && tree->npages > 0)
		buf_printf(errors, "%s: no home page (index.md)\n",
		    tree->content.origin);
	for (size_t i = 0; i < tree->npages; i++) {
		struct page *p = &tree->pages[i];
		if (p == tree->home)
			continue;
		const char *parent = meta_string(tree, p, "parent", 0);
		if (parent == NULL) {
			struct page *q = folder_parent(tree, p);
			if (q)
				add_child(q, p);
			continue;
		}
		struct page *q = tree_find(tree, parent);
		if (q == NULL || q == p) {
			buf_printf(errors,
			    "%s:1: parent '%s' is not a page "
			    "(expected a file %s.md)\n",
			    p->source, parent, parent);
			continue;
		}
		for (struct page *a = q; a; a = a->parent) {
			if (a == p) {
				buf_printf(errors,
				    "%s:1: parent '%s' makes a "
				    "loop\n",
				    p->source, parent);
				q = NULL;
				break;
			}
		}
		if (q)
			add_child(q, p);
	}
	tree->reading = mem_calloc(tree->npages + 1, sizeof *tree->reading);
	if (tree->home)
		visit(tree, tree->home);
	for (size_t i = 0; i < tree->npages; i++) {
		struct page *p = &tree->pages[i];
		if (p != tree->home && p->parent == NULL)
			visit(tree, p);
	}
	tree->top = mem_calloc(tree->nreading + 1, sizeof *tree->top);
	for (size_t i = 0; i < tree->nreading; i++)
		if (tree->reading[i]->parent == NULL) {
			tree->reading[i]->slot = tree->ntop;
			tree->top[tree->ntop++] = tree->reading[i];
		}
	tree->nav_cache = mem_calloc(tree->npages + 1, sizeof *tree->nav_cache);
	for (size_t i = 0; i < tree->npages; i++)
		tree->nav_cache[i] = nav_item(&tree->pages[i], NULL, 1);
	keep_plain_nav(tree);
}

/* A link met while rendering a page, checked once every page is known. */
struct link_note {
	int line;
	char *url, *target, *anchor; /* anchor NULL: a link to a file */
};

/* What rendering one page leaves for the sequential part to record. */
struct page_work {
	struct buf errors;
	struct link_note *notes;
	size_t nnotes;
};

struct render_job {
	struct tree *tree;
	struct page_work *work; /* one per page */
	int want_blocks;
};

struct link_ctx {
	const struct tree *tree;
	struct page *page;
	struct page_work *work;
};

static void
note_link(struct page_work *w, int line, const char *url, const char *target,
    const char *anchor)
{
	w->notes = mem_realloc(w->notes, (w->nnotes + 1) * sizeof *w->notes);
	w->notes[w->nnotes++] = (struct link_note){line, mem_strdup(url),
	    mem_strdup(target), anchor ? mem_strdup(anchor) : NULL};
}

/* Whether path (a site address without its leading '/') is the build's
 * own: below a reserved name, or one of registryd's routes. */
static int
is_build_address(const char *path)
{
	size_t first = strcspn(path, "/");
	if (strncmp(path, "v1/", 3) == 0 || strcmp(path, "healthz") == 0)
		return 1;
	for (size_t i = 0; i < sizeof RESERVED / sizeof *RESERVED; i++)
		if (strlen(RESERVED[i]) == first &&
		    strncmp(path, RESERVED[i], first) == 0)
			return 1;
	return 0;
}

/*
 * A site-absolute link ("/fees/#fees-table", "/images/a.svg"): to a page
 * (its folder), a content file, or what the build writes itself.  All of
 * them get relative addresses, as every other content link does, so the
 * site works below any base path (registryd's routes, /v1/, are left as
 * they are); anything else is a broken link.
 */
static char *
rewrite_site_link(struct link_ctx *lc, const char *url, int line)
{
	struct page *page = lc->page;
	const struct tree *tree = lc->tree;
	size_t path_len = strcspn(url + 1, "?#");
	char *path = mem_strndup(url + 1, path_len);
	const char *hash = strchr(url, '#');
	struct buf key = BUF_INIT, out = BUF_INIT;
	const struct page *target = NULL;
	size_t n = path_len;
	int is_dir = n == 0 || path[n - 1] == '/';
	if (n >= 10 && strcmp(path + n - 10, "index.html") == 0 &&
	    (n == 10 || path[n - 11] == '/')) {
		n -= 10; /* "a/index.html" is the page "a/" */
		is_dir = 1;
	}
	if (is_dir) {
		buf_put(&key, path, n);
		buf_puts(&key, "index"); /* "a/" -> "a/index", "" -> "index" */
		target = tree_find(tree, key.data);
		if (target == NULL && n > 0) {
			key.len = n - 1;
			key.data[key.len] = '\0'; /* "a/" -> "a" (a.md) */
			target = tree_find(tree, key.data);
		}
	}
	if (target) {
		note_link(lc->work, line, url, target->file->path,
		    hash ? hash + 1 : "");
		links_root_prefix(page->dir, &out);
		buf_puts(&out, target->dir);
		if (hash)
			buf_puts(&out, hash);
	} else if (!is_dir && content_find(&tree->content, path) &&
	           !content_is_data(path) && !is_page(path)) {
		links_root_prefix(page->dir, &out);
		buf_puts(&out, url + 1);
	} else if (is_build_address(path)) {
		/* the site's own page in the page's language; registryd's
		 * routes are left as they are */
		if (strncmp(path, "v1/", 3) == 0 ||
		    strcmp(path, "healthz") == 0)
			goto done;
		struct buf full = BUF_INIT;
		buf_printf(&full, "%s%s", tree->prefix, page->dir);
		links_root_prefix(full.data, &out);
		buf_puts(&out, lang_own_page(tree, path));
		buf_puts(&out, url + 1);
		buf_free(&full);
	} else {
		buf_printf(&lc->work->errors,
		    "%s:%d: broken link '%s': the site has no page or file at "
		    "that address\n",
		    page->source, line, url);
	}
done:
	free(path);
	buf_free(&key);
	return out.len ? buf_detach(&out) : NULL;
}

/* Rewrites a content link to the address it has in the built site. */
static char *
rewrite_link(void *ctx, const char *url, int line, int is_image)
{
	struct link_ctx *lc = ctx;
	struct page *page = lc->page;
	struct buf target = BUF_INIT, anchor = BUF_INIT, out = BUF_INIT;
	enum link_kind kind =
	    links_resolve(page->file->path, url, &target, &anchor);
	(void)is_image;
	switch (kind) {
	case LINK_EXTERNAL:
		if (url[0] == '/' && url[1] != '/') {
			buf_free(&target);
			buf_free(&anchor);
			return rewrite_site_link(lc, url, line);
		}
		break;
	case LINK_OUTSIDE:
		buf_printf(&lc->work->errors,
		    "%s:%d: broken link '%s': it "
		    "leads outside the content folder\n",
		    page->source, line, url);
		break;
	case LINK_ANCHOR:
		note_link(
		    lc->work, line, url, page->file->path, buf_str(&anchor));
		break;
	case LINK_PAGE:
	case LINK_FILE:
		note_link(lc->work, line, url, target.data,
		    kind == LINK_PAGE ? buf_str(&anchor) : NULL);
		links_root_prefix(page->dir, &out);
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

/* One page's Markdown, on a worker thread: touches only that page. */
static void
render_page(struct build *b, size_t i, void *arg)
{
	struct render_job *job = arg;
	struct page *p = &job->tree->pages[i];
	struct page_work *w = &job->work[i];
	struct link_ctx lc = {job->tree, p, w};
	struct md_options mo = {
	    .path = p->source,
	    .first_line = p->body_line,
	    .link = rewrite_link,
	    .link_ctx = &lc,
	    .want_blocks = job->want_blocks,
	};
	(void)b;
	markdown_render(p->file->data + p->body_offset,
	    p->file->len - p->body_offset, &mo, &p->md, &w->errors);
	fees_check(p->md.tables, p->md.ntables, p->source, &w->errors);
}

/*
 * Phase 3: Markdown of every page (on the worker threads), then, in page
 * order, the ids and links recorded and checked.
 */
static void
render_pages(struct tree *tree, struct links *links, int want_blocks)
{
	struct build *b = tree->build;
	struct render_job job = {
	    tree, mem_calloc(tree->npages + 1, sizeof *job.work), want_blocks};
	b->doing = "pages read";
	build_each(b, tree->npages, render_page, &job);
	struct strmap *item_ids = strmap_new(); /* item id -> its page */
	for (size_t i = 0; i < tree->npages; i++) {
		struct page *p = &tree->pages[i];
		struct page_work *w = &job.work[i];
		buf_puts(&b->errors, buf_str(&w->errors));
		buf_free(&w->errors);
		for (size_t k = 0; k < w->nnotes; k++) {
			struct link_note *n = &w->notes[k];
			links_expect(links, p->source, n->line, n->url,
			    n->target, n->anchor);
			free(n->url);
			free(n->target);
			free(n->anchor);
		}
		free(w->notes);
		for (size_t h = 0; h < p->md.nheadings; h++)
			links_add_id(
			    links, p->file->path, p->md.headings[h].id);
		for (size_t k = 0; k < p->md.nanchors; k++) {
			const struct md_anchor *a = &p->md.anchors[k];
			links_add_id(links, p->file->path, a->id);
			const struct page *other = strmap_get(item_ids, a->id);
			if (other != NULL && other != p)
				buf_printf(&b->errors,
				    "%s:%d: item id '%s' is already "
				    "used in %s\n",
				    p->source, a->line, a->id, other->source);
			strmap_put(item_ids, a->id, p);
		}
	}
	free(job.work);
	strmap_free(item_ids);
	links_check(links, &b->errors);
}

int
tree_load(struct tree *tree, struct build *build, struct content_tree *content,
    int want_blocks)
{
	size_t errors_before = build->errors.len;
	struct links *links = links_new();
	tree->build = build;
	tree->content = *content;
	memset(content, 0, sizeof *content);
	read_pages(tree, links);
	if (build->errors.len == errors_before)
		link_pages(tree);
	if (build->errors.len == errors_before)
		render_pages(tree, links, want_blocks);
	if (build->opt->memo && tree->edition == NULL)
		tree->links = links; /* for tree_patch_page */
	else
		links_free(links);
	return build->errors.len == errors_before ? 0 : -1;
}

/* The sidebar entry of page p with nothing marked, made once per tree
 * (before any worker thread reads it). */
static json_t *
plain_nav_item(const struct tree *tree, const struct page *p)
{
	return tree->nav_cache[p - tree->pages];
}

/* The longest list of siblings a sidebar shows whole; a longer one shows
 * this many around the reader's place and a link to the rest. */
#define NAV_WINDOW 100

/* The ancestor (or self) of current among the children of parent (the top
 * pages for NULL), or NULL. */
static const struct page *
open_in(const struct page *parent, const struct page *current)
{
	for (const struct page *a = current; a; a = a->parent)
		if (a->parent == parent)
			return a;
	return NULL;
}

/*
 * The sidebar (tree.h): the top-level pages, and the children of each
 * ancestor of the current page and of the page itself, so a section opens
 * where the reader is and the rest of the site stays closed.  A list of
 * more than NAV_WINDOW siblings shows NAV_WINDOW of them around the
 * reader's place and a link to the section page, which lists them all:
 * a sidebar's size does not grow with the site.  Entries the current page
 * does not change are shared between all pages' sidebars.
 */
static json_t *
nav_list(const struct tree *tree, const struct page *parent,
    struct page *const *pages, size_t n, const struct page *current)
{
	json_t *list = json_array();
	const struct page *open = open_in(parent, current);
	size_t from = 0, to = n;
	if (n > NAV_WINDOW) {
		size_t at = open ? open->slot : 0;
		from = at > NAV_WINDOW / 2 ? at - NAV_WINDOW / 2 : 0;
		if (from + NAV_WINDOW > n)
			from = n - NAV_WINDOW;
		to = from + NAV_WINDOW;
	}
	for (size_t i = from; i < to; i++) {
		const struct page *p = pages[i];
		int opens = p == open && p->nchildren;
		if (p != current && !opens) {
			json_array_append(list, plain_nav_item(tree, p));
			continue;
		}
		json_t *item = nav_item(p, current, 1);
		if (opens) {
			json_object_set_new(item, "children",
			    nav_list(
			        tree, p, p->children, p->nchildren, current));
			json_object_set_new(item, "open", json_true());
		}
		json_array_append_new(list, item);
	}
	if (to - from < n) {
		const struct page *section = parent ? parent : tree->home;
		json_t *more =
		    json_pack("{s:s%, s:s, s:b, s:b}", "title", "", 0, "url",
		        section ? section->dir : "", "current", 0, "open", 0);
		json_object_set_new(more, "more", json_integer((json_int_t)n));
		json_array_append_new(list, more);
	}
	return list;
}

json_t *
tree_nav(const struct tree *tree, const struct page *current)
{
	if (current == NULL && tree->plain_nav)
		return json_incref(tree->plain_nav);
	return nav_list(tree, NULL, tree->top, tree->ntop, current);
}

/*
 * The entries every sidebar shares, and the sidebar of the pages that are
 * not the tree's (histories, the checklist), made once and kept
 * unchanging for the templates' memo (mustache.h): each page renders them
 * as a copy of the bytes an earlier page rendered.  Before any worker
 * thread renders; again after a page is retitled.
 */
static void
keep_plain_nav(struct tree *tree)
{
	struct mustache_set *templates = tree->build->templates;
	json_decref(tree->plain_nav);
	tree->plain_nav = NULL;
	tree->plain_nav = nav_list(tree, NULL, tree->top, tree->ntop, NULL);
	if (templates == NULL)
		return;
	for (size_t i = 0; i < tree->npages; i++)
		mustache_set_keep(templates, tree->nav_cache[i]);
	mustache_set_keep(templates, tree->plain_nav);
}

json_t *
tree_base_context(const struct tree *tree, const char *dir)
{
	const struct build *b = tree->build;
	struct buf root = BUF_INIT, site_root = BUF_INIT, full = BUF_INIT;
	buf_printf(&full, "%s%s", tree->prefix, dir);
	links_root_prefix(dir, &root);
	links_root_prefix(full.data, &site_root);
	const struct page *home = tree->home;
	json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "root",
	    root.data, "site_root", site_root.data, "site_title",
	    home && home->title ? home->title : "", "base_url",
	    b->opt->base_url, "has_registry", b->opt->registry != NULL,
	    "has_api", b->opt->api_doc != NULL);
	lang_context(tree, full.data, site_root.data, ctx);
	buf_free(&root);
	buf_free(&site_root);
	buf_free(&full);
	return ctx;
}

int
tree_render(
    const struct tree *tree, const char *name, json_t *ctx, const char *rel)
{
	json_object_set_new(ctx, "nav", tree_nav(tree, NULL));
	int rc = build_render_to(tree->build, name, ctx, rel);
	json_decref(ctx);
	return rc;
}

/* "last amended" for a page of the current site, from the git history. */
static void
add_updated(const struct tree *tree, const struct page *p, json_t *ctx)
{
	const struct build *b = tree->build;
	if (tree->edition != NULL)
		return;
	if (b->history_state != HISTORY_OK) {
		json_object_set_new(ctx, "history_unavailable",
		    json_string(lang_history_reason(tree)));
		return;
	}
	struct buf source = BUF_INIT;
	lang_source_path(tree, p, &source);
	const struct history_file *f = history_file(&b->history, source.data);
	buf_free(&source);
	if (f == NULL) {
		json_object_set_new(ctx, "uncommitted", json_true());
		return;
	}
	const struct history_commit *c = &b->history.commits[f->commits[0]];
	struct buf date = BUF_INIT, url = BUF_INIT;
	history_format_date(c->time, c->offset, &date);
	buf_printf(&url, "%shistory/%s",
	    json_string_value(json_object_get(ctx, "lang_root")), p->dir);
	json_object_set_new(ctx, "updated",
	    json_pack("{s:s, s:s%, s:s, s:s}", "date", date.data, "short",
	        c->id, (size_t)7, "note", c->note ? c->note : "", "history_url",
	        url.data));
	buf_free(&date);
	buf_free(&url);
}

/* The banner of an edition's page: which edition, and the way back. */
static void
add_edition(const struct tree *tree, const struct page *p, json_t *ctx)
{
	if (tree->edition == NULL)
		return;
	const char *site_root =
	    json_string_value(json_object_get(ctx, "lang_root"));
	struct buf date = BUF_INIT, current = BUF_INIT, all = BUF_INIT;
	history_format_date(tree->edition->time, tree->edition->offset, &date);
	buf_puts(&current, site_root);
	if (tree->current && tree_find(tree->current, p->key))
		buf_puts(&current, p->dir);
	buf_printf(&all, "%seditions/", site_root);
	json_object_set_new(ctx, "edition",
	    json_pack("{s:s, s:s, s:s, s:s}", "name", tree->edition->name,
	        "date", date.data, "current_url", current.data, "editions_url",
	        all.data));
	buf_free(&date);
	buf_free(&current);
	buf_free(&all);
}

static int
is_folder_index(const struct page *p)
{
	const char *base = strrchr(p->key, '/');
	return base && strcmp(base, "/index") == 0;
}

/* A folder's section page, or one whose pages the sidebar cannot show
 * whole, lists its pages. */
static void
add_section_pages(const struct page *p, json_t *ctx)
{
	json_t *list = json_array();
	for (size_t i = 0; i < p->nchildren; i++) {
		const struct page *c = p->children[i];
		json_t *item = nav_item(c, NULL, 0);
		json_object_set_new(item, "description",
		    json_string(c->description ? c->description : ""));
		json_array_append_new(list, item);
	}
	json_object_set_new(ctx, "section_pages", list);
	json_object_set_new(ctx, "has_section_pages", json_true());
}

/* A page's description when its front matter has none: the start of its
 * first paragraph, cut at a character boundary. */
static char *
first_paragraph(const struct page *p)
{
	for (size_t i = 0; i < p->md.nblocks; i++) {
		const char *t = p->md.blocks[i].text;
		if (p->md.blocks[i].kind != MD_PARAGRAPH || t[0] == '\0')
			continue;
		size_t n = strlen(t), cut = 0, chars = 0;
		while (cut < n && chars < 100) {
			cut++;
			while (
			    cut < n && ((unsigned char)t[cut] & 0xC0) == 0x80)
				cut++;
			chars++;
		}
		struct buf b = BUF_INIT;
		buf_put(&b, t, cut);
		if (cut < n)
			buf_puts(&b, "…");
		return buf_detach(&b);
	}
	return NULL;
}

static json_t *
page_context(const struct tree *tree, const struct page *p)
{
	json_t *ctx = tree_base_context(tree, p->dir);
	json_t *toc = json_array();
	for (size_t i = 0; i < p->md.nheadings; i++) {
		const struct md_heading *h = &p->md.headings[i];
		if (h->level < 2 || h->level > 3)
			continue;
		json_array_append_new(
		    toc, json_pack("{s:s, s:s, s:b}", "id", h->id, "text",
		             h->text, "sub", h->level == 3));
	}
	json_t *crumbs = json_array();
	for (struct page *a = p->parent; a; a = a->parent)
		json_array_insert_new(crumbs, 0, nav_item(a, NULL, 1));
	if (tree->home && p != tree->home)
		json_array_insert_new(crumbs, 0, nav_item(tree->home, NULL, 1));
	/* the HTML is cmark-gfm's of input it read as UTF-8 (invalid bytes
	 * replaced): valid UTF-8, not checked again */
	const char *html = p->md.html ? p->md.html : "";
	json_object_update_new(ctx,
	    json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:b, s:b}", "title",
	        p->title ? p->title : "", "description",
	        p->description ? p->description : "", "url", p->dir, "content",
	        json_stringn_nocheck(html, strlen(html)), "toc", toc,
	        "breadcrumbs", crumbs, "nav", tree_nav(tree, p), "has_toc",
	        json_array_size(toc) >= 2, "is_home", p == tree->home));
	if (p->description == NULL) {
		char *d = first_paragraph(p);
		if (d)
			json_object_set_new(ctx, "description", json_string(d));
		free(d);
	}
	if (tree->edition == NULL)
		json_object_set_new(ctx, "canonical",
		    json_sprintf("%s%s%s", tree->build->opt->base_url,
		        tree->prefix, p->dir));
	if (p->order > 0)
		json_object_set_new(ctx, "prev",
		    nav_item(tree->reading[p->order - 1], NULL, 0));
	if (p->order + 1 < tree->nreading)
		json_object_set_new(ctx, "next",
		    nav_item(tree->reading[p->order + 1], NULL, 0));
	if (p == tree->home) {
		json_t *chapters = json_array();
		for (size_t i = 1; i < tree->nreading; i++) {
			struct page *c = tree->reading[i];
			if (c->parent != NULL)
				continue;
			json_t *item = nav_item(c, NULL, 0);
			json_object_set_new(item, "description",
			    json_string(c->description ? c->description : ""));
			json_array_append_new(chapters, item);
		}
		json_object_set_new(ctx, "has_chapters",
		    json_boolean(json_array_size(chapters) > 0));
		json_object_set_new(ctx, "chapters", chapters);
	}
	if (p != tree->home && p->nchildren &&
	    (p->nchildren > NAV_WINDOW || is_folder_index(p)))
		add_section_pages(p, ctx);
	add_updated(tree, p, ctx);
	add_edition(tree, p, ctx);
	return ctx;
}

static void
write_page(struct build *b, size_t i, void *ctx)
{
	struct tree *tree = ctx;
	struct page *p = tree->reading[i];
	json_t *page = page_context(tree, p);
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s%sindex.html", tree->prefix, p->dir);
	build_render_to(b, "page", page, path.data);
	buf_free(&path);
	json_decref(page);
	if (b->opt->memo == NULL) {
		/* written once: its HTML is not needed again (the preview
		 * keeps it, for a page whose sidebar changes later) */
		free(p->md.html);
		p->md.html = NULL;
	}
}

int
tree_write(struct tree *tree)
{
	struct build *b = tree->build;
	b->doing = "pages written";
	int rc = build_each(b, tree->nreading, write_page, tree);
	for (size_t i = 0; rc == 0 && i < tree->content.count; i++) {
		const struct content_file *f = &tree->content.files[i];
		if (is_page(f->path) || content_is_data(f->path))
			continue;
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s%s", tree->prefix, f->path);
		rc = build_write(b, path.data, f->data, f->len);
		buf_free(&path);
	}
	return rc;
}

/* Whether the front matter fm may replace p's without the site's shape
 * changing: only the title, short title and description differ, they are
 * text, and p is not a top-level page (which every sidebar shows). */
static int
meta_patchable(const struct tree *tree, const struct page *p, json_t *meta)
{
	static const char *const shown[] = {
	    "title", "linktitle", "description"};
	const char *key;
	json_t *v;
	if (json_equal(meta, p->meta))
		return 1;
	if (p->parent == NULL || p == tree->home)
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		json_t *from = pass ? p->meta : meta,
		       *to = pass ? meta : p->meta;
		json_object_foreach (from, key, v) {
			int is_shown = 0;
			for (size_t i = 0; i < 3; i++)
				is_shown |= strcmp(key, shown[i]) == 0;
			if (is_shown) {
				if (!json_is_string(v) && !json_is_null(v))
					return 0;
			} else if (!json_equal(v, json_object_get(to, key))) {
				return 0;
			}
		}
	}
	return json_is_string(json_object_get(meta, "title"));
}

/* Whether two renderings of a page have the same ids, in order. */
static int
same_ids(const struct md_result *a, const struct md_result *b)
{
	if (a->nheadings != b->nheadings || a->nanchors != b->nanchors)
		return 0;
	for (size_t i = 0; i < a->nheadings; i++)
		if (strcmp(a->headings[i].id, b->headings[i].id) != 0)
			return 0;
	for (size_t i = 0; i < a->nanchors; i++)
		if (strcmp(a->anchors[i].id, b->anchors[i].id) != 0)
			return 0;
	return 1;
}

/* p and every page below it. */
static void
mark_below(struct tree *tree, const struct page *p)
{
	tree->dirty[p - tree->pages] |= TREE_DIRTY_CONTEXT;
	for (size_t i = 0; i < p->nchildren; i++)
		mark_below(tree, p->children[i]);
}

int
tree_patch_page(struct tree *tree, struct page *p, char *data, size_t len)
{
	struct frontmatter fm = {0};
	struct page_work w = {BUF_INIT, NULL, 0};
	struct content_file file = {p->file->path, data, len};
	struct page np = *p;
	int rc = 1;
	memset(&np.md, 0, sizeof np.md); /* p's own until the end */
	if (tree->links == NULL || tree->edition != NULL)
		return 1;
	if (frontmatter_parse(p->source, data, len, &fm, &w.errors) != 0) {
		fm.meta = NULL; /* the parser's, and freed */
		goto done;
	}
	if (!meta_patchable(tree, p, fm.meta))
		goto done;
	np.file = &file;
	np.body_offset = fm.body_offset;
	np.body_line = fm.body_line;
	struct link_ctx lc = {tree, &np, &w};
	struct md_options mo = {
	    .path = p->source,
	    .first_line = np.body_line,
	    .link = rewrite_link,
	    .link_ctx = &lc,
	    .want_blocks = 1,
	};
	markdown_render(data + np.body_offset, len - np.body_offset, &mo,
	    &np.md, &w.errors);
	fees_check(np.md.tables, np.md.ntables, p->source, &w.errors);
	if (w.errors.len || !same_ids(&np.md, &p->md))
		goto done;
	size_t mark = links_mark(tree->links);
	for (size_t k = 0; k < w.nnotes; k++) {
		struct link_note *n = &w.notes[k];
		links_expect(tree->links, p->source, n->line, n->url, n->target,
		    n->anchor);
	}
	if (links_check_since(tree->links, mark, &w.errors) != 0)
		goto done;

	/* the page as read now */
	if (tree->dirty == NULL)
		tree->dirty = mem_calloc(tree->npages + 1, 1);
	size_t at = (size_t)(p - tree->pages);
	int retitled = !json_equal(fm.meta, p->meta);
	struct content_file *f = (struct content_file *)p->file;
	free(f->data);
	f->data = data;
	f->len = len;
	md_result_free(&p->md);
	p->md = np.md;
	memset(&np.md, 0, sizeof np.md);
	p->body_offset = np.body_offset;
	p->body_line = np.body_line;
	json_decref(p->meta);
	p->meta = fm.meta;
	fm.meta = NULL;
	p->title = meta_string(tree, p, "title", 1);
	p->description = meta_string(tree, p, "description", 0);
	p->linktitle = meta_string(tree, p, "linktitle", 0);
	if (p->linktitle == NULL)
		p->linktitle = p->title;
	tree->dirty[at] |= TREE_DIRTY_OWN | TREE_DIRTY_CONTEXT;
	if (retitled) {
		/* everything that shows its titles or description: the
		 * sidebars below its section, its section's list, its
		 * neighbours' links to it, its own breadcrumbs below it */
		json_decref(tree->nav_cache[at]);
		tree->nav_cache[at] = nav_item(p, NULL, 1);
		keep_plain_nav(tree);
		mark_below(tree, p->parent);
		if (p->order > 0)
			tree->dirty[tree->reading[p->order - 1] -
			            tree->pages] |= TREE_DIRTY_CONTEXT;
		if (p->order + 1 < tree->nreading)
			tree->dirty[tree->reading[p->order + 1] -
			            tree->pages] |= TREE_DIRTY_CONTEXT;
	}
	rc = 0;
done:
	json_decref(fm.meta);
	md_result_free(&np.md);
	buf_free(&w.errors);
	for (size_t k = 0; k < w.nnotes; k++) {
		free(w.notes[k].url);
		free(w.notes[k].target);
		free(w.notes[k].anchor);
	}
	free(w.notes);
	return rc;
}

void
tree_drop_sources(struct tree *tree)
{
	for (size_t i = 0; i < tree->npages; i++) {
		struct content_file *f =
		    (struct content_file *)tree->pages[i].file;
		free(f->data);
		f->data = NULL;
		f->len = 0;
	}
}

struct dirty_job {
	struct tree *tree;
	struct page **pages;
};

static void
write_dirty_page(struct build *b, size_t i, void *ctx)
{
	struct dirty_job *job = ctx;
	struct tree *tree = job->tree;
	struct page *p = job->pages[i];
	json_t *page = page_context(tree, p);
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s%sindex.html", tree->prefix, p->dir);
	build_render_to(b, "page", page, path.data);
	buf_free(&path);
	json_decref(page);
}

int
tree_write_dirty(struct tree *tree)
{
	if (tree->dirty == NULL)
		return 0;
	struct dirty_job job = {
	    tree, mem_calloc(tree->npages + 1, sizeof *job.pages)};
	size_t n = 0;
	for (size_t i = 0; i < tree->npages; i++)
		if (tree->dirty[i])
			job.pages[n++] = &tree->pages[i];
	tree->build->doing = "pages written";
	int rc = build_each(tree->build, n, write_dirty_page, &job);
	free(job.pages);
	return rc;
}

void
tree_free(struct tree *tree)
{
	if (tree == NULL)
		return;
	for (size_t i = 0; i < tree->npages; i++) {
		struct page *p = &tree->pages[i];
		free(p->dir);
		free(p->source);
		free(p->key);
		free(p->children);
		json_decref(p->meta);
		md_result_free(&p->md);
	}
	for (size_t i = 0; tree->nav_cache && i < tree->npages; i++)
		json_decref(tree->nav_cache[i]);
	json_decref(tree->plain_nav);
	links_free(tree->links);
	free(tree->dirty);
	free(tree->nav_cache);
	free(tree->top);
	free(tree->pages);
	free(tree->reading);
	free(tree->by_key);
	content_tree_free(&tree->content);
	memset(tree, 0, sizeof *tree);
}

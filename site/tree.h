/*
 * tree: one tree of pages, as the build sees it: the current site, or one
 * published edition.  Loading a tree parses every page's front matter,
 * links pages into a tree by `parent`, renders their Markdown and checks
 * their links; writing it renders every page through the theme into the
 * staging folder, below the tree's prefix.  The build (build.c) owns what
 * trees share: options, templates, git history, the staging folder and the
 * list of errors.
 */
#ifndef TREE_H
#define TREE_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>

#include "site/build.h"
#include "site/content.h"
#include "site/history.h"
#include "site/markdown.h"
#include "site/mustache.h"
#include "site/theme.h"

struct build {
	const struct build_options *opt;
	struct theme theme;
	struct mustache_set *templates;
	struct history history;
	enum { HISTORY_OK, HISTORY_SHALLOW, HISTORY_NONE } history_state;
	const char *base_path; /* the base URL's path, for 404.html */
	char *staging;         /* the folder being filled */
	struct buf errors;     /* "file:line: what" lines */
	size_t written;        /* output files, for the summary */
	int threads;           /* workers for writing pages */
	const char *doing;     /* what the workers do, for the progress line */
	int failed;            /* a write failed: workers stop */
	pthread_mutex_t lock;  /* guards errors, written and failed */
};

struct page {
	const struct content_file *file;
	char *source; /* the file's name in messages: "content/fees.md" */
	char *dir;    /* address folder: "" for the home page, "fees/" */
	char *key;    /* path without ".md": what `parent` names */
	json_t *meta;
	const char *title;
	const char *linktitle;
	const char *description;
	long long weight;
	struct page *parent;
	struct page **children;
	size_t nchildren;
	size_t order; /* position in reading order */
	struct md_result md;
	size_t body_offset;
	int body_line;
};

struct tree {
	struct build *build;
	const char *prefix; /* output folder: "" or "editions/2017-10/" */
	const struct edition *edition; /* NULL for the current site */
	const struct tree *current;    /* editions: the current site's tree */
	struct content_tree content;
	struct page *pages; /* sorted by weight, then path */
	size_t npages;
	struct page **reading; /* depth-first reading order */
	size_t nreading;
	struct page **by_key; /* sorted by key */
	struct page *home;
	struct page **top; /* top-level pages in reading order */
	size_t ntop;
	json_t **nav_cache; /* per page: its plain sidebar entry */
	size_t nfiles;      /* other content files */
};

/*
 * Parses, links and renders the pages of content (whose ownership passes
 * to the tree).  Problems go to build->errors; returns -1 if there were any.
 */
int tree_load(struct tree *tree, struct build *build,
    struct content_tree *content, int want_blocks);
/* Writes every page and content file into the staging folder. */
int tree_write(struct tree *tree);
struct page *tree_find(const struct tree *tree, const char *key);
void tree_free(struct tree *tree);

/* The sidebar for a page of tree (current may be NULL). */
json_t *tree_nav(const struct tree *tree, const struct page *current);
/* The context every template shares: site title, roots, base URL. */
json_t *tree_base_context(const struct tree *tree, const char *dir);

/*
 * Calls fn(build, i, ctx) for every i below n, spread over the build's
 * worker threads.  fn may only read shared state and write through
 * build_write and build_render_to.  Returns -1 if any write failed.
 */
int build_each(struct build *build, size_t n,
    void (*fn)(struct build *build, size_t i, void *ctx), void *ctx);
/* Why pages have no history (shallow clone, no repository), for readers. */
const char *build_history_reason(const struct build *build);
/* Appends a message to the build's errors (thread-safe). */
void build_error(struct build *build, const char *message);

/* Renders template name with ctx into the staging folder at rel.  Both
 * are thread-safe. */
int build_render_to(
    struct build *build, const char *name, json_t *ctx, const char *rel);
/* Writes bytes into the staging folder at rel. */
int build_write(
    struct build *build, const char *rel, const void *data, size_t len);

#endif

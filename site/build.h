/*
 * build: what the phases of one site build share.  site.c runs the phases
 * in order; this module holds their common state: the options, the theme
 * and its templates, the git history, the staging folder being filled, the
 * errors and warnings so far, and the worker threads pages are written on.
 * The page writers (tree.c, changes.c, feed.c, pages.c, edpages.c,
 * regpages.c) write only through build_write and build_render_to and
 * report only through build_error, from any worker thread.
 */
#ifndef BUILD_H
#define BUILD_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>

#include "registry/base/buf.h"
#include "site/assets.h"
#include "site/history.h"
#include "site/memo.h"
#include "site/mustache.h"
#include "site/theme.h"

struct build_options {
	const char *repo;     /* repository folder (default ".") */
	const char *content;  /* content folder inside it (default "content") */
	const char *rev;      /* revision to read (default "HEAD") */
	int worktree;         /* read files on disk instead of a revision */
	const char *out;      /* where the site goes (default "build/public") */
	const char *base_url; /* absolute URL of the site root, ending in '/' */
	const char *theme;    /* theme folder, or NULL for the built-in one */
	const char *registry; /* a published registry snapshot, or NULL */
	const char *api_doc;  /* the API's OpenAPI document, or NULL */
	/* Progress of a long step (1,000 items or more), for a terminal:
	 * `done` of `total` items of `doing` ("pages written"); done == total
	 * ends the step.  Called on the thread that runs the build; NULL for
	 * none. */
	void (*progress)(const char *doing, size_t done, size_t total);
	/* Threads to write pages on, 1 to POOL_MAX_THREADS; 0: one a
	 * processor.  The site is the same bytes whatever it is. */
	int jobs;
	/* The previous build's files (sitegen serve), or NULL: a file whose
	 * inputs are the same is left as it is in out (memo.h). */
	struct memo *memo;
};

struct build {
	const struct build_options *opt;
	struct theme theme;
	struct assets assets; /* the theme's fingerprinted names */
	struct mustache_set *templates;
	struct history history;
	enum { HISTORY_OK, HISTORY_SHALLOW, HISTORY_NONE } history_state;
	const char *base_path; /* the base URL's path, for 404.html */
	char *staging;         /* the folder being filled, or NULL */
	struct buf errors;     /* "file:line: what" lines */
	struct buf warnings;   /* "what" lines, for the program to print */
	size_t written;        /* output files, for the summary */
	int threads;           /* workers for writing pages */
	const char *doing;     /* what the workers do, for the progress line */
	int failed;            /* a write failed: workers stop */
	pthread_mutex_t lock;  /* guards errors, warnings, written and failed,
	                          and the pages list */
	char **pages; /* every public page written ("fees/index.html"), for
	                 the sitemap (sitemap.c), in no particular order */
	size_t npages, pages_cap;
};

/* Starts a build with the options opt, which must outlive it; build_free
 * ends it. */
void build_init(struct build *build, const struct build_options *opt);

/*
 * Reads the theme (opt->theme, or the built-in one) and parses its
 * templates.  A template's errors go to build->errors and the build goes
 * on, so that they are reported with the pages' own.  Returns 0, or -1
 * with a message in err when the theme cannot be read.
 */
int build_load_theme(struct build *build, struct buf *err);

/*
 * Walks the content's git history from the revision built (HEAD for a
 * --worktree build).  Without a history (no repository) or with a cut one
 * (a shallow clone) the build goes on; a warning says so and pages say why
 * they have no dates (build_history_reason).
 */
void build_load_history(struct build *build);

/* Why pages have no history (shallow clone, no repository), for readers. */
const char *build_history_reason(const struct build *build);

/*
 * Calls fn(build, i, ctx) for every i below n, spread over the build's
 * worker threads, reporting progress as build->doing.  fn may only read
 * shared state and write through build_write and build_render_to.  Stops
 * early once a write failed; returns -1 if any did.
 */
int build_each(struct build *build, size_t n,
    void (*fn)(struct build *build, size_t i, void *ctx), void *ctx);

/* Appends a message to the build's errors (thread-safe). */
void build_error(struct build *build, const char *message);
/* Appends one line to the build's warnings (thread-safe); a newline in the
 * message becomes a space, so each warning is one line. */
void build_warn(struct build *build, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Renders template name with ctx into the staging folder at rel.  Both
 * are thread-safe.  A page (rel ".../index.html") goes into the sitemap,
 * except the templates registryd fills in; a page whose ctx has no
 * "description" gets one made of its title and the site's. */
int build_render_to(
    struct build *build, const char *name, json_t *ctx, const char *rel);
/* Writes bytes into the staging folder at rel. */
int build_write(
    struct build *build, const char *rel, const void *data, size_t len);

/* Frees what the build holds and removes a staging folder still left
 * (a build that failed). */
void build_free(struct build *build);

#endif

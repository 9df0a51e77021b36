/*
 * build: one whole site build, from content source to the published folder.
 * Reads the pages (from git or the working tree) and every published
 * edition, checks them (front matter, links and anchors, fee tables),
 * renders them with their history through the theme's templates into a
 * staging folder, and swaps that folder into place.  Any error leaves the
 * previous site untouched.
 */
#ifndef BUILD_H
#define BUILD_H

#include <stddef.h>

#include "registry/base/buf.h"

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
	int progress;         /* show progress on standard error */
};

/* Where a build's time went, in seconds (sitegen build --timings). */
struct timings {
	double content;         /* reading the content and the theme */
	double history_walk;    /* the walk of the git history */
	double pages_read;      /* front matter, Markdown, link checks */
	double pages_write;     /* templates and files of the pages */
	double history_pages;   /* page histories, changes page, feed */
	double search_registry; /* search index and registry pages */
	double editions;        /* editions and redlines */
	double swap;            /* putting the site in place */
	double total;           /* the whole build */
};

struct build_stats {
	struct timings timings;
	size_t pages;
	size_t files; /* other content files (images) */
	size_t editions;
	size_t commits;          /* commits in the content's history */
	size_t written;          /* files written in all */
	size_t search_documents; /* sections in the search index */
	size_t search_bytes;     /* size of the search index's files */
	size_t certificates;     /* registry pages */
	size_t organisations;
	char *origin; /* what was built, for the summary; caller frees */
};

/*
 * Builds the site.  Returns 0, or -1 with one or more lines
 * "file:line: what is wrong" appended to err.
 */
int build_site(const struct build_options *opt, struct build_stats *stats,
    struct buf *err);

#endif

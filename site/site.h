/*
 * site: one whole site build, from content source to the published folder,
 * run as phases in a fixed order (site.c lists them).  Reads the pages
 * (from git or the working tree) and every published edition, checks them
 * (front matter, links and anchors, fee tables), renders them with their
 * history through the theme's templates into a staging folder, and swaps
 * that folder into place.  Any error leaves the previous site untouched.
 */
#ifndef SITE_H
#define SITE_H

#include <stddef.h>

#include "registry/base/buf.h"
#include "site/build.h"

/* Where a build's time went, in seconds (sitegen build --timings). */
struct site_timings {
	double content;         /* reading the content and the theme */
	double history_walk;    /* the walk of the git history */
	double pages_read;      /* front matter, Markdown, link checks */
	double pages_write;     /* the pages, the site's own pages and files */
	double history_pages;   /* page histories, changes page, feed */
	double search_registry; /* search index and registry pages */
	double editions;        /* editions and redlines, read and written */
	double swap;            /* putting the site in place */
	double total;           /* the whole build */
};

struct site_stats {
	struct site_timings timings;
	size_t pages;
	size_t files; /* other content files (images) */
	size_t editions;
	size_t commits;          /* commits in the content's history */
	size_t written;          /* files written in all */
	size_t search_documents; /* sections in the search index */
	size_t search_bytes;     /* size of the search index's files */
	size_t certificates;     /* registry pages */
	size_t organisations;
	size_t kept, rewritten; /* with a memo: files left, files written */
	char *origin; /* what was built, for the summary; caller frees */
};

/*
 * Appends the working tree's content folder to out: opt->content as it is
 * when absolute, else joined to opt->repo ("repo/content").
 */
void site_content_dir(const struct build_options *opt, struct buf *out);

/*
 * Builds the site.  Returns 0, or -1 with one or more lines
 * "file:line: what is wrong" appended to err.  Either way, appends to
 * warnings one line per thing the reader of the site should know was
 * left out ("no page history: ...", a shallow clone), for the program
 * to print.
 */
int site_build(const struct build_options *opt, struct site_stats *stats,
    struct buf *warnings, struct buf *err);

/*
 * The preview's builds (sitegen serve): the first is a whole build, as
 * site_build's, whose trees, search indexes and file stamps are kept in
 * preview; after it, a save whose files are pages read again and
 * checked on their own (their ids and place in the site unchanged) is
 * built by rendering only the pages that show what changed and writing
 * only the files whose bytes differ (opt->memo); anything else (a page
 * added, removed or moved, an id renamed, an error, the history moved) is
 * a whole build again.  Either way the output folder ends byte for byte
 * as site_build would write it.  opt must be the same at every call.
 */
struct site_preview;
struct site_preview *site_preview_new(void);
void site_preview_free(struct site_preview *preview); /* accepts NULL */
int site_preview_build(const struct build_options *opt,
    struct site_preview *preview, struct site_stats *stats,
    struct buf *warnings, struct buf *err);

#endif

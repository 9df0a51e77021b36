/*
 * markdown: turns a page's Markdown body into HTML with cmark-gfm and the GFM
 * extensions (tables, strikethrough, autolinks, task lists), and reports
 * what the rest of the build needs to know about it: its headings (with
 * ids, for the table of contents and anchor checks), its links (rewritten
 * by the caller), and its tables as plain text (for content checks such as
 * the fee table's total).  This is the only module that includes cmark-gfm.
 *
 * Raw HTML in the source is escaped and shown as text, never passed
 * through.  A heading may end with an explicit id, "## 费用 {#fees}";
 * other headings get an id made from their text.  A list item may start
 * with one, "1. {#R-3.2.2-5} 具有…": it becomes a visible, linkable label
 * (requirement ids, which stay the same when the wording changes).
 */
#ifndef MARKDOWN_H
#define MARKDOWN_H

#include <stddef.h>

#include "registry/base/buf.h"

struct md_heading {
	int level; /* 1..6 */
	char *id;
	char *text; /* plain text */
	int line;   /* line in the source file */
};

/* A list item with an explicit id, "1. {#R-3.2.2-5} 具有…": requirements. */
struct md_anchor {
	char *id;
	char *text; /* the item's plain text, without the marker */
	int line;
};

struct md_table {
	int line;    /* line of the header row */
	size_t rows; /* including the header row */
	size_t cols;
	char *
	    *cells; /* rows * cols plain-text cells, row-major; "" if absent */
	int *row_lines;
};

/* A rendered block, for comparing two versions of a page. */
enum md_block_kind { MD_HEADING, MD_PARAGRAPH, MD_ITEM, MD_ROW, MD_CODE };

struct md_block {
	enum md_block_kind kind;
	int level;  /* headings: 1..6 */
	char *text; /* plain text, never markup; table rows are their cells
	               joined by " | " */
	char *id;   /* list items: the requirement id ({#R-3.2.2-5}), or NULL */
	int number; /* items of ordered lists: their number; else 0 */
};

struct md_result {
	char *html;
	struct md_block *blocks; /* only when md_options.want_blocks */
	size_t nblocks;
	struct md_heading *headings;
	size_t nheadings;
	struct md_table *tables;
	size_t ntables;
	struct md_anchor *anchors;
	size_t nanchors;
};

/*
 * Called for each link and image destination.  Returns a new URL (which
 * markdown frees) to replace it, or NULL to keep it.  The callback records
 * its own complaints; rendering goes on.
 */
typedef char *(*md_link_fn)(void *ctx, const char *url, int line, int is_image);

struct md_options {
	const char *path; /* for messages */
	int first_line;   /* line of the body's first line in the file */
	md_link_fn link;  /* may be NULL */
	void *link_ctx;
	int want_blocks; /* fill md_result.blocks */
};

/*
 * Renders src (len bytes).  Returns 0, or -1 with "path:line: ..." messages
 * (one per line) appended to err, for a malformed or duplicate heading id.
 * The caller frees out with md_result_free.
 */
int markdown_render(const char *src, size_t len, const struct md_options *opt,
    struct md_result *out, struct buf *err);
void md_result_free(struct md_result *result);

/*
 * Writes an id for heading text into out: ASCII letters and digits
 * lowercased, other ASCII runs become one '-', other characters kept.
 */
void markdown_slug(const char *text, struct buf *out);

#endif

/*
 * search: the site's search index, built at build time and read by a small
 * script in the browser (site/static/search.js) that uses the very same
 * tokenizer.  Text is cut into tokens: runs of ASCII letters and digits
 * become lower-case words; Chinese text gives every single character and
 * every pair of neighbouring characters (overlapping bigrams), so any
 * substring of two or more characters is found through its bigrams, and a
 * single character through itself.
 *
 * Output, under search/: meta.json (counts), index-NN.json (64 shards of
 * token -> ascending document numbers, a token's shard chosen by FNV-1a of
 * its UTF-8 bytes), docs-NNN.json (documents in shards of DOCS_PER_SHARD:
 * [url, page title, heading, text], and for a registry organisation a
 * fifth member: its certificates with their statuses).  The browser fetches
 * only the shards a query needs.
 */
#ifndef SEARCH_H
#define SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "registry/base/buf.h"
#include "site/markdown.h"

#define SEARCH_INDEX_SHARDS 64
#define SEARCH_DOCS_PER_SHARD 200

struct search_index;

/* Calls emit for every token of text (see above), in order, with repeats. */
void search_tokens(const char *text,
    void (*emit)(void *ctx, const char *token, size_t len), void *ctx);
/* FNV-1a (32 bits) of the token's bytes: its shard is this % shards. */
uint32_t search_hash(const char *token, size_t len);

struct search_index *search_index_new(void);
void search_index_free(struct search_index *index); /* accepts NULL */
/* Adds a document; url is relative to the site root ("fees/#fees-table"). */
void search_index_add(struct search_index *index, const char *url,
    const char *title, const char *heading, const char *text);
size_t search_index_count(const struct search_index *index);
/* Attaches `data` (its reference taken) to the document added last, as
 * the document's fifth member (see regpages.c). */
void search_index_set_data(struct search_index *index, json_t *data);

/*
 * Adds a page (at url, "fees/", with its title) as one document per
 * section: the text up to the next heading of level 2 or 3 (or 1), so a
 * result can name its heading and link to its id.  The text before the
 * first heading, and a page without headings, is a document of its own.
 * md must hold the page's blocks (md_options.want_blocks).
 */
void search_index_add_page(struct search_index *index, const char *url,
    const char *title, const struct md_result *md);

/*
 * Writes the index's files: write(ctx, "search/index-07.json", data, len)
 * for each, on up to `threads` threads at once (write must allow that when
 * threads > 1).  Every file is written; returns 0, or the first non-zero
 * value write returned, in the order of the files' names.  The output
 * depends only on the documents and their order.
 */
int search_index_write(struct search_index *index,
    int (*write)(void *ctx, const char *name, const char *data, size_t len),
    void *ctx, size_t *bytes, int threads);

/*
 * The preview's incremental build: the sections of the page at url, the
 * documents first .. first + count - 1 of the index, are made again from
 * md with this title.  Returns 0, or -1 when the page has another number
 * of sections now (the numbers of every document after it would move:
 * the caller builds the index afresh).  The tokens and documents changed
 * are remembered for search_index_write_changed.
 */
int search_index_replace_page(struct search_index *index, size_t first,
    size_t count, const char *url, const char *title,
    const struct md_result *md);
/* Writes, as search_index_write does, only the files of the index that
 * search_index_replace_page changed since the last write. */
int search_index_write_changed(struct search_index *index,
    int (*write)(void *ctx, const char *name, const char *data, size_t len),
    void *ctx);

#endif

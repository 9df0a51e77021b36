/*
 * memo: what the previous build wrote, kept between the builds of one
 * `sitegen serve`.  Each file written is remembered by its output path
 * and a SHA-256 of everything its bytes depend on: for a page rendered,
 * the theme (every template and file), the base URL, the template's name
 * and the page's whole context as JSON; for a file written as it is, its
 * bytes.  A file whose digest is the one remembered has the bytes the
 * output folder already holds, so it is neither rendered nor written
 * again.  A page whose sidebar, breadcrumbs, neighbours, history or links
 * changed has another context, so it is rendered again; a theme change
 * renders every page.  The files that did change go from the staging
 * folder into the output folder one by one (each rename is atomic), and
 * the files the build no longer writes are removed, so the folder ends as
 * a full build would leave it.  Thread-safe: lookups read the previous
 * build's map only, records go to the next one under a lock.
 */
#ifndef MEMO_H
#define MEMO_H

#include <jansson.h>
#include <stddef.h>

#include "registry/base/buf.h"
#include "site/theme.h"

#define MEMO_DIGEST 32

struct memo;

struct memo *memo_new(void);
void memo_free(struct memo *memo); /* accepts NULL */

/* Starts a build whose output goes to out, with this theme and base URL. */
void memo_begin(struct memo *memo, const char *out, const struct theme *theme,
    const char *base_url);
/* The digest of a page to render (template name and context), or of
 * bytes to write. */
void memo_digest_page(const struct memo *memo, const char *name, json_t *ctx,
    unsigned char digest[MEMO_DIGEST]);
void memo_digest_bytes(
    const void *data, size_t len, unsigned char digest[MEMO_DIGEST]);
/* Whether the output folder holds rel as the previous build wrote it from
 * the same digest; if so, rel is recorded as kept. */
int memo_unchanged(struct memo *memo, const char *rel,
    const unsigned char digest[MEMO_DIGEST]);
/* Records rel, written into the staging folder from digest. */
void memo_record(struct memo *memo, const char *rel,
    const unsigned char digest[MEMO_DIGEST]);
/* Records as kept every file of the previous build that this one has not
 * recorded: for a build that wrote only what it knew had changed (the
 * preview's incremental build, site.c), the rest stays as it is. */
void memo_keep_rest(struct memo *memo);
/* Whether the build's staging folder holds only what changed (the output
 * folder is the previous build's), so memo_finish puts it in place rather
 * than a swap of the whole folder. */
int memo_in_place(const struct memo *memo);
/* Moves the files written from staging into the output folder, removes
 * those the build did not write, then the staging folder.  Returns 0, or
 * -1 with a message in err (the next build is then a full one). */
int memo_finish(struct memo *memo, const char *staging, struct buf *err);
/* The build ended: with ok, what it recorded is the previous build from
 * now on; without (it failed before the output changed), its records are
 * dropped. */
void memo_end(struct memo *memo, int ok);
/* Files rendered or written, and kept as they were, by the build. */
void memo_counts(const struct memo *memo, size_t *kept, size_t *written);

#endif

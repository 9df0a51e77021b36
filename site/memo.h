/*
 * memo: what the previous build rendered, kept between the builds of one
 * `sitegen serve`.  Each page rendered is remembered by its output path
 * and a SHA-256 of everything its bytes depend on: the theme (every
 * template and file), the base URL, the template's name and the page's
 * whole context as JSON.  A page whose digest is the one remembered has
 * the bytes it had, so the next build links the previous output's file
 * into its staging folder instead of rendering it again.  A page whose
 * sidebar, breadcrumbs, neighbours, history or links changed has a
 * different context, so it is rendered again; a theme change renders
 * every page.  Thread-safe: lookups read the previous build's map only,
 * records go to the next one under a lock.
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
/* The digest of a page to render: template name and context. */
void memo_digest(const struct memo *memo, const char *name, json_t *ctx,
    unsigned char digest[MEMO_DIGEST]);
/* Whether the previous build wrote rel from the same digest; if so, the
 * previous output's file path goes into path. */
int memo_same(const struct memo *memo, const char *rel,
    const unsigned char digest[MEMO_DIGEST], struct buf *path);
/* Remembers rel's digest for the build going on. */
void memo_record(
    struct memo *memo, const char *rel, const unsigned char digest[MEMO_DIGEST]);
/* The build is in place: what it recorded is the previous build from now
 * on.  With ok 0 (the build failed, the old output stays) the records are
 * dropped. */
void memo_end(struct memo *memo, int ok);
/* Pages linked and rendered by the build going on. */
void memo_count(struct memo *memo, int reused);
void memo_counts(const struct memo *memo, size_t *reused, size_t *rendered);

#endif

/*
 * Fingerprinted names of the theme's style sheets and scripts:
 * "style.css" is also written as "style.<10 hex digits of its SHA-256>.css",
 * and every page refers to that name, so the file can be cached for a
 * year as immutable (registryd says so for such names): a new version is
 * a new name.  The plain names stay for links from elsewhere.
 */
#ifndef SITE_ASSETS_H
#define SITE_ASSETS_H

#include <stddef.h>

#include "registry/base/buf.h"
#include "site/theme.h"

#define ASSETS_HASH_HEX 10

struct asset_name {
	char *plain;       /* "style.css" */
	char *fingerprint; /* "style.0123456789.css" */
};

struct assets {
	struct asset_name *names;
	size_t count;
};

/* The names of the theme's static/ .css and .js files. */
void assets_load(struct assets *a, const struct theme *theme);
void assets_free(struct assets *a);

/* The fingerprinted name of `plain`, or NULL when it has none. */
const char *assets_fingerprint(const struct assets *a, const char *plain);

/* In a rendered page, every reference "assets/NAME" followed by a quote
 * becomes "assets/FINGERPRINTED-NAME".  spare is a buffer to write into:
 * when anything changed, it and html swap (so a caller that keeps both
 * allocates nothing once they are large enough). */
void assets_rewrite(
    const struct assets *a, struct buf *html, struct buf *spare);

#endif

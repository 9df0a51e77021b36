/*
 * regpages: the registry on the website, rendered from a published
 * snapshot (`sitegen build --registry SNAPSHOT`): the list of certificates
 * at /registry/ (with pre-rendered filters by status, level and category),
 * a verification page per certificate at /registry/certificates/<number>/
 * with its QR code, and a page per organisation.  Statuses are the ones the
 * snapshot was published with, stated as of its date.
 */
#ifndef REGPAGES_H
#define REGPAGES_H

#include "site/search.h"
#include "site/tree.h"

struct regpages_stats {
	size_t certificates;
	size_t organisations;
};

/*
 * Writes the registry pages for the snapshot at path into the build's
 * staging folder, with the current tree's sidebar, and adds each
 * organisation to the search index.  Returns 0, or -1 with a message in the
 * build's errors.
 */
int regpages_write(struct build *build, const struct tree *tree,
    const char *path, struct search_index *index, struct regpages_stats *stats);

/*
 * Appends an SVG drawing of a QR code (error correction level M) holding
 * text.  Returns 0, or -1 when the text cannot be encoded.
 */
int regpages_qr_svg(const char *text, struct buf *svg);

#endif

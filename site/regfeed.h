/*
 * regfeed: the Atom feeds of the registry's pages, one per certificate
 * and per organisation (feed.xml beside the page), so that a purchaser
 * can watch a supplier: each entry is an event of the record, linked to
 * the human page (the event's anchor), newest first.
 */
#ifndef REGFEED_H
#define REGFEED_H

#include <jansson.h>

#include "registry/base/buf.h"

/*
 * Appends an Atom feed to out: `title`, the page at `page_url` (absolute)
 * as its id and alternate link, `page_url`feed.xml as self, updated at
 * the newest entry's time or else `fallback_updated` (an RFC 3339 UTC
 * time), with `entries`: objects {title, href (absolute), id, updated,
 * summary}, newest first.
 */
void regfeed_atom(struct buf *out, const char *title, const char *page_url,
    const char *author, const char *fallback_updated, json_t *entries);

#endif

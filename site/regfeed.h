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
 * Appends an Atom feed in language `lang` ("zh-CN", "en") to out: `title`, the
 * page at `page_url` (absolute) as its id and alternate link,
 * `page_url`feed.xml as self, updated at the newest entry's time or else
 * `fallback_updated` (an RFC 3339 UTC time), with `entries`: objects {title,
 * href (absolute), id, updated, summary}, newest first.
 */
void regfeed_atom(struct buf *out, const char *lang, const char *title,
    const char *page_url, const char *author, const char *fallback_updated,
    json_t *entries);

/*
 * An event of a page (site/regpages.c's object: label, date_words, seq,
 * recorded_at and, when it has them, reason, deadline, new_value, other,
 * voided_by; label and date_words already in the feed's language) as a
 * new feed entry linked to `page`'s anchor for it, its title and summary
 * in English when `en`, else in Chinese; `number`, when not NULL, names
 * the certificate (an organisation's feed).
 */
json_t *regfeed_entry(json_t *e, const char *page, const char *number, int en);

#endif

/*
 * The registry's check pages as registryd answers them, so that the one
 * box to check works without JavaScript: the pages sitegen built
 * (registry/check/, registry/bulk/, registry/not-found/) with the answer
 * written into them.
 *
 *   /registry/check/?q=...     one certificate found: 303 to its page;
 *                              a whole number not in the registry: 303
 *                              to its page, which says so (below); else
 *                              the check page with a short list, each
 *                              row with its status and flags
 *   /registry/bulk/?numbers=.. the bulk check page with the table of
 *                              answers (numbers.c) filled in
 *   /registry/certificates/X/  when there is no such page: a number in
 *                              another form (lower case, without
 *                              CNITSEC-, full-width) 301 to its page;
 *                              else 404 with the not-found page, the
 *                              number written in
 *
 * The same below /en/ (/en/registry/check/ and so on) answers in English
 * on the English edition's pages (en/registry/check/ ...).
 *
 * Without a query, or when the site lacks the page, the site's own files
 * answer as usual.  Statuses are on the API's default date (today, or a
 * sample's own), stated on the page.  The markers the pages carry
 * (data-fill="q" value="", <!--check:begin-->...<!--check:end--> and the
 * like) are written by site/regpages.c; the static site's scripts fill
 * the same places from the search index when no registryd is there.
 */
#ifndef REGISTRY_API_CHECK_H
#define REGISTRY_API_CHECK_H

#include "registry/api/call.h"

/* The longest query and list of numbers the pages take, in bytes. */
#define API_CHECK_Q_MAX 400
#define API_CHECK_LIST_MAX 8000

/* How many certificates the check list shows. */
#define API_CHECK_ROWS 20

void api_check_page(struct api_call *c);
void api_check_bulk(struct api_call *c);

/* The answer for a missing certificate page at c->path; 0 when it was
 * given, -1 when the site's 404 page should answer. */
int api_check_missing(struct api_call *c);

#endif

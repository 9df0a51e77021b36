/*
 * pages: the site's own pages, beside the content's: the requirement
 * checklist (/checklist/), the certificate timeline (/timeline/), the
 * search page (/search/), the API page (/api/, with --api-doc) and
 * 404.html.  Each is one template of the theme with one context made from
 * the current tree.  A new page type is a function here, a template in
 * site/templates/, its folder in tree.c's list of reserved names, and a
 * call in site.c's phase that writes the site's own pages.
 */
#ifndef PAGES_H
#define PAGES_H

#include "site/tree.h"

/*
 * Each writes its page for the current tree into the staging folder and
 * returns 0, or -1 with a message in the build's errors.
 */

/* Every list item with an id, page by page, to tick off. */
int pages_write_checklist(const struct tree *tree);

/*
 * The certificate's dates by the registry's rules (status.h), computed in
 * the browser by timeline.js, with an example for readers without
 * JavaScript: a certificate issued on the day of the revision built (its
 * author date, as the changes page shows dates), so the same commit always
 * shows the same example and the example moves on with the guide.  Without
 * a git history the day is 1970-01-01, as feed.xml's date.
 */
int pages_write_timeline(const struct tree *tree);

/* The search box; the index itself is search.h's. */
int pages_write_search(const struct tree *tree);

/* The API's documentation, from its OpenAPI document (opt->api_doc). */
int pages_write_api(const struct tree *tree);

/* The page served for any missing address: its links start at the root. */
int pages_write_404(const struct tree *tree);

#endif

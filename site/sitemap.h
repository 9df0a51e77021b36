/*
 * sitemap: /sitemap.xml (the sitemaps.org protocol, 0.9), every public
 * page the build wrote (the guide's pages in reading order first, then
 * every other page — histories, editions, redlines, the site's tools, the
 * registry — sorted by address) at its absolute address, and /robots.txt,
 * which allows everything and names the sitemap.  Above SITEMAP_MAX_URLS
 * addresses (the protocol's limit) sitemap.xml is an index of
 * sitemap-1.xml, sitemap-2.xml, ...
 */
#ifndef SITEMAP_H
#define SITEMAP_H

#include "site/tree.h"

#define SITEMAP_MAX_URLS 50000

/* Writes sitemap.xml and robots.txt once every page of the build is
 * written.  Returns 0, or -1 with a message in the build's errors. */
int sitemap_write(const struct tree *tree);

#endif

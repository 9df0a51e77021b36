/*
 * sitemap: /sitemap.xml (the sitemaps.org protocol, 0.9), every page of the
 * current site at its absolute address in reading order, and /robots.txt,
 * which allows everything and names the sitemap.
 */
#ifndef SITEMAP_H
#define SITEMAP_H

#include "site/tree.h"

/* Writes sitemap.xml and robots.txt for the current tree.  Returns 0, or
 * -1 with a message in the build's errors. */
int sitemap_write(const struct tree *tree);

#endif

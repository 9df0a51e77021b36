/*
 * feed: /feed.xml, the site's latest changes as an Atom 1.0 feed (RFC
 * 4287): one entry per commit that changed the content, newest first, each
 * linking to its place on the changes page.  Without a history the feed has
 * no entries and is dated 1970-01-01.
 */
#ifndef FEED_H
#define FEED_H

#include "site/tree.h"

/* Entries in the feed. */
#define FEED_ENTRIES 50

/* Writes feed.xml for the current tree.  Returns 0, or -1 with a message
 * in the build's errors. */
int feed_write(const struct tree *tree);

#endif

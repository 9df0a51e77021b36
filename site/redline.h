/*
 * redline: what changed between two versions of a page, block by block
 * (headings, paragraphs, list items, table rows), as HTML marked with
 * <ins> and <del>.  Blocks are matched by a longest common subsequence; a
 * removed block and an added one at the same place that are mostly alike
 * count as one changed block, and get a word- and character-level diff.
 */
#ifndef REDLINE_H
#define REDLINE_H

#include <stddef.h>

#include "registry/base/buf.h"
#include "site/markdown.h"

struct redline_counts {
	size_t added, removed, changed;
};

/*
 * Appends the whole new page to html with every difference from the old
 * one marked, and counts the differences.  Either side may be empty (a
 * page added or removed).  Returns the number of differences.
 */
size_t redline_page(const struct md_block *old_blocks, size_t nold,
    const struct md_block *new_blocks, size_t nnew, struct buf *html,
    struct redline_counts *counts);

/*
 * Appends a word/character diff of two texts: common parts as text,
 * removed ones in <del>, added ones in <ins>.  Returns how alike they are,
 * from 0 (nothing in common) to 1 (the same).
 */
double redline_text(
    const char *old_text, const char *new_text, struct buf *html);

#endif

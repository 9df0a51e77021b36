/*
 * changes: what changed in the content, from the git history, for
 * readers: each page's history at /history/<page>/ (every commit that
 * changed it) and the site's latest changes at /changes/ (the newest
 * commits with the pages each touched).  Where the build has no history
 * (a shallow clone, no repository) the pages say why instead.
 */
#ifndef CHANGES_H
#define CHANGES_H

#include "site/history.h"
#include "site/tree.h"

/* Commits listed on the changes page. */
#define CHANGES_LISTED 100

/*
 * Writes the history page of every page of the current tree, then the
 * changes page.  Returns 0, or -1 with a message in the build's errors.
 */
int changes_write(const struct tree *tree);

/* How a commit changed a file, in words: "新增", "修改", "删除", "移动". */
const char *changes_word(enum change_kind kind);

#endif

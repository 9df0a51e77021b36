/*
 * changes: what changed in the content, from the git history, for
 * readers: each page's history at /history/<page>/ (every commit that
 * changed it) and the site's latest changes at /changes/ (the newest
 * commits with the pages each touched).  Readers see each commit's note
 * for them and the pages by their titles, never commit subjects, authors'
 * names or file names.  Where the build has no history
 * (a shallow clone, no repository) the pages say why instead.
 */
#ifndef CHANGES_H
#define CHANGES_H

#include "site/history.h"
#include "site/tree.h"

/* Commits listed on the changes page, and pages listed under each (the
 * rest are counted: a commit that adds 10,000 pages is not a page of
 * 10,000 links). */
#define CHANGES_LISTED 100
#define CHANGES_PAGES_LISTED 20

/*
 * Writes the history page of every page of the current tree, then the
 * changes page.  Returns 0, or -1 with a message in the build's errors.
 */
int changes_write(const struct tree *tree);
/* The same for the preview's incremental build: the history pages of the
 * pages marked TREE_DIRTY_OWN (tree.h) only, then the changes page. */
int changes_write_dirty(const struct tree *tree);

/*
 * Gives the history's commits the notes of the content's notes.yaml
 * (history_apply_notes), when the build has a history.  Errors go to the
 * build's; returns -1 if there were any.
 */
int changes_load_notes(const struct tree *current);

/*
 * What readers are told of commit c: its note (history_note), or, for a
 * commit without one, CHANGES_NEW_PAGES when it only added pages and
 * CHANGES_EDITORIAL otherwise.
 */
#define CHANGES_EDITORIAL "文字修订"
#define CHANGES_NEW_PAGES "新增页面"
const char *changes_note(const struct history_commit *c);

/* A changed page's name for readers: its title, or CHANGES_GONE for a
 * page that no longer exists; *url is its address (NULL when gone). */
#define CHANGES_GONE "已删除的页面"
const char *changes_page_title(
    const struct tree *tree, const struct history_change *ch, const char **url);

/* How a commit changed a file, in words: "新增", "修改", "删除", "移动". */
const char *changes_word(enum change_kind kind);

#endif

/*
 * gitutil: what the two modules that read git (content.c and history.c)
 * share: libgit2's process-wide settings, opening a revision and the
 * content folder inside it, and libgit2's error messages.  This header
 * names libgit2's types without including libgit2, so a program can set
 * libgit2 up (gitutil_init) without seeing the library.
 */
#ifndef GITUTIL_H
#define GITUTIL_H

#include "registry/base/buf.h"

struct git_commit;
struct git_repository;
struct git_tree;

/*
 * Starts libgit2 for the whole process and sets the options sitegen reads
 * git with: no second check of each object's hash on reading (objects come
 * from the repository's own store), and a cache of trees big enough that
 * the history walk reads each tree once.  These settings are process-wide,
 * so a program calls this once where it starts, before it starts threads,
 * and gitutil_shutdown before it exits.  Reading works without it, slower.
 * Returns 0, or -1 when libgit2 cannot start.
 */
int gitutil_init(void);
void gitutil_shutdown(void);

/*
 * The path inside the repository of folder `content` given relative to
 * `dir` (the --repo folder, which may be below the repository's top), with
 * no leading or trailing '/': "content", "docs/content", or "" for the top.
 */
int gitutil_tree_path(struct git_repository *repo, const char *dir,
    const char *content, struct buf *out, struct buf *err);

/*
 * The commit revision rev (any git-rev-parse expression) names, in *out
 * (the caller frees it with git_commit_free).  Returns 0, or -1 with
 * "repo_path: revision 'rev' not found" (or "is not a commit") in err.
 */
int gitutil_revision(struct git_commit **out, struct git_repository *repo,
    const char *repo_path, const char *rev, struct buf *err);

/*
 * The tree of folder path (as gitutil_tree_path gives it; "" is the top) in
 * commit c, or NULL when the commit has no such folder or it cannot be
 * read.  The caller frees it with git_tree_free.
 */
struct git_tree *gitutil_folder(
    struct git_repository *repo, struct git_commit *c, const char *path);

/*
 * What the history of the repository at or above repo_path is read from:
 * HEAD's commit id and every tag with its target, one "name id" line
 * each, into out (empty outside a repository).  Two builds with the same
 * text walk the same history.
 */
void gitutil_refs_state(const char *repo_path, struct buf *out);
/* Appends libgit2's last error message to err, after what. */
void gitutil_fail(struct buf *err, const char *what);

#endif

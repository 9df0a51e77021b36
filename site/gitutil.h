/*
 * gitutil: helpers shared by the two modules that read git (content.c and
 * history.c).
 */
#ifndef GITUTIL_H
#define GITUTIL_H

#include <git2.h>

#include "registry/base/buf.h"

/*
 * The path inside the repository of folder `content` given relative to
 * `dir` (the --repo folder, which may be below the repository's top), with
 * no leading or trailing '/': "content", "docs/content", or "" for the top.
 */
int gitutil_tree_path(git_repository *repo, const char *dir,
    const char *content, struct buf *out, struct buf *err);
/* Appends libgit2's last error message to err, after what. */
void gitutil_fail(struct buf *err, const char *what);

#endif

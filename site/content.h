/*
 * content: the source files of a site, read either from a git revision
 * (through libgit2, so a commit always builds the same bytes) or from the
 * working tree (for previews of uncommitted work).  With history.c and
 * gitutil.c, the only modules that include libgit2.
 */
#ifndef CONTENT_H
#define CONTENT_H

#include <stddef.h>

#include "registry/base/buf.h"

struct content_file {
	char *path; /* relative to the content folder, '/'-separated */
	char *data; /* the bytes, NUL-terminated for convenience */
	size_t len;
};

struct content_tree {
	struct content_file *files; /* sorted by path (byte order) */
	size_t count;
	char *origin;    /* for messages: "content/" or "content/ at HEAD
	                    (1a2b3c4)" */
	char *commit_id; /* full hex id of the commit read, NULL for the
	                    worktree */
	char *tree_id;   /* hex id of the content folder's tree, likewise */
};

/*
 * Reads every file below `subdir` of the tree of revision `rev` (any
 * git-rev-parse expression) in the repository at or above `repo`, the
 * files' contents on up to `threads` threads.  Hidden files (a path
 * component starting with '.') are left out.
 */
int content_load_git(const char *repo, const char *subdir, const char *rev,
    int threads, struct content_tree *out, struct buf *err);
/* Reads every file below the folder dir on disk, likewise. */
int content_load_worktree(
    const char *dir, struct content_tree *out, struct buf *err);
void content_tree_free(struct content_tree *tree);
/* Whether a file or folder name is left out of the content (dot-files);
 * the history walk uses the same rule, so pages and history agree. */
int content_is_hidden(const char *name);

/* Whether a path of the content folder is data for the build (the list of
 * editions, the readers' notes on past changes) rather than a page or a
 * file of the site. */
int content_is_data(const char *path);
/* A file of the working tree as stat(2) saw it: what a preview compares
 * to know which files a save touched without reading them all. */
struct content_stamp {
	char *path; /* relative to the content folder, as content_file's */
	long long mtime_ns;
	long long size;
};

/* The stamps of every file content_load_worktree(dir) would read, sorted
 * by path, into *out (*n of them); content_stamps_free frees them.
 * Returns 0, or -1 with a message in err. */
int content_stamp_worktree(
    const char *dir, struct content_stamp **out, size_t *n, struct buf *err);
void content_stamps_free(struct content_stamp *stamps, size_t n);

/* The file at path in the tree, or NULL. */
const struct content_file *content_find(
    const struct content_tree *tree, const char *path);
/* Whether two trees hold the same pages and files, byte for byte (data
 * files aside): an edition is current when its text is the site's. */
int content_same(const struct content_tree *a, const struct content_tree *b);

#endif

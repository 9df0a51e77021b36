/*
 * fs: the few file-system operations a site build needs: making folders,
 * writing whole files, removing a tree, and swapping a freshly built folder
 * into place so readers see either the old site or the new one, never a mix.
 * Functions return 0 on success or -1 with a message appended to err.
 */
#ifndef FS_H
#define FS_H

#include <stddef.h>

#include "registry/base/buf.h"

/* Creates path and its missing parents (mode 0755). */
int fs_mkdir_p(const char *path, struct buf *err);
/* Writes data to path (mode 0644), creating parent folders. */
int fs_write_file(
    const char *path, const void *data, size_t len, struct buf *err);
/* The same, for a path whose folder exists (one just written to): no
 * folder is made or looked at first. */
int fs_write_file_in_place(
    const char *path, const void *data, size_t len, struct buf *err);
/* Reads a whole file; *data is NUL-terminated and the caller frees it. */
int fs_read_file(const char *path, char **data, size_t *len, struct buf *err);
/* Removes path and everything below it; a missing path is not an error. */
int fs_remove_tree(const char *path, struct buf *err);
/*
 * Makes a new empty folder beside target (same file system) for a build to
 * fill: "<target>.tmp-XXXXXX".  Returns a path the caller frees, or NULL.
 */
char *fs_make_staging_dir(const char *target, struct buf *err);
/*
 * Puts the folder staged in place of target: atomically exchanged with the
 * old target when there is one (which is then removed), renamed otherwise.
 * On failure the old target is left as it was.
 */
int fs_swap_into_place(const char *staged, const char *target, struct buf *err);

#endif

/*
 * fs: folder creation, whole-file reads and writes, tree removal and the
 * atomic swap of a built site into place (renameat2 RENAME_EXCHANGE, with a
 * two-rename fallback on file systems that lack it).
 */
#define _GNU_SOURCE
#include "site/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
fs_mkdir_p(const char *path, struct buf *err)
{
	/* Deepest first: usually only the last folder is missing. */
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	const char *slash = strrchr(path, '/');
	if (errno != ENOENT || slash == NULL || slash == path) {
		buf_printf(
		    err, "%s: cannot create folder: %s", path, strerror(errno));
		return -1;
	}
	char *parent = mem_strndup(path, (size_t)(slash - path));
	int rc = fs_mkdir_p(parent, err);
	free(parent);
	if (rc != 0)
		return -1;
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		buf_printf(
		    err, "%s: cannot create folder: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
fs_write_file(const char *path, const void *data, size_t len, struct buf *err)
{
	const char *slash = strrchr(path, '/');
	if (slash != NULL && slash != path) {
		/* One mkdir when only the page's own folder is new (the usual
		 * case), a quick EEXIST when it is there. */
		char *dir = mem_strndup(path, (size_t)(slash - path));
		int rc = fs_mkdir_p(dir, err);
		free(dir);
		if (rc != 0)
			return -1;
	}
	return fs_write_file_in_place(path, data, len, err);
}

int
fs_write_file_in_place(
    const char *path, const void *data, size_t len, struct buf *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		buf_printf(err, "%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			buf_printf(
			    err, "%s: write failed: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0) {
		buf_printf(err, "%s: write failed: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
fs_read_file(const char *path, char **data, size_t *len, struct buf *err)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		buf_printf(err, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		buf_printf(err, "%s: read failed", path);
		buf_free(&b);
		return -1;
	}
	*len = b.len;
	*data = buf_detach(&b);
	return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
fs_remove_tree(const char *path, struct buf *err)
{
	struct stat st;
	if (lstat(path, &st) != 0 && errno == ENOENT)
		return 0;
	if (nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS) != 0) {
		buf_printf(err, "%s: cannot remove: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

char *
fs_make_staging_dir(const char *target, struct buf *err)
{
	const char *slash = strrchr(target, '/');
	if (slash != NULL && slash != target) {
		char *parent = mem_strndup(target, (size_t)(slash - target));
		int rc = fs_mkdir_p(parent, err);
		free(parent);
		if (rc != 0)
			return NULL;
	}
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s.tmp-XXXXXX", target);
	if (mkdtemp(path.data) == NULL) {
		buf_printf(err, "%s: cannot create a staging folder: %s",
		    path.data, strerror(errno));
		buf_free(&path);
		return NULL;
	}
	chmod(path.data, 0755);
	return buf_detach(&path);
}

int
fs_swap_into_place(const char *staged, const char *target, struct buf *err)
{
	struct stat st;
	if (lstat(target, &st) != 0) {
		if (rename(staged, target) != 0) {
			buf_printf(err, "%s: cannot move into place: %s",
			    target, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (renameat2(AT_FDCWD, staged, AT_FDCWD, target, RENAME_EXCHANGE) == 0)
		return fs_remove_tree(staged, err); /* now holds the old site */

	/* No atomic exchange here: move the old one aside, then the new in. */
	struct buf old = BUF_INIT;
	buf_printf(&old, "%s.old-%ld", target, (long)getpid());
	int rc = -1;
	if (rename(target, old.data) != 0) {
		buf_printf(err, "%s: cannot move the old site aside: %s",
		    target, strerror(errno));
		goto done;
	}
	if (rename(staged, target) != 0) {
		buf_printf(err, "%s: cannot move into place: %s", target,
		    strerror(errno));
		rename(old.data, target);
		goto done;
	}
	rc = fs_remove_tree(old.data, err);
done:
	buf_free(&old);
	return rc;
}

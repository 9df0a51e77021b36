/*
 * gitutil: where a --repo folder sits inside its repository, and libgit2's
 * error messages.
 */
#include "site/gitutil.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

void
gitutil_fail(struct buf *err, const char *what)
{
	const git_error *e = git_error_last();
	buf_printf(
	    err, "%s: %s", what, e && e->message ? e->message : "git error");
}

/* Appends path to out folding "." and ".." and doubled slashes. */
static void
append_clean(struct buf *out, const char *path)
{
	char *copy = mem_strdup(path), *save = NULL;
	for (char *seg = strtok_r(copy, "/", &save); seg;
	     seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			char *slash = out->len ? strrchr(out->data, '/') : NULL;
			out->len = slash ? (size_t)(slash - out->data) : 0;
			if (out->data)
				out->data[out->len] = '\0';
			continue;
		}
		if (out->len)
			buf_putc(out, '/');
		buf_puts(out, seg);
	}
	free(copy);
}

int
gitutil_tree_path(git_repository *repo, const char *dir, const char *content,
    struct buf *out, struct buf *err)
{
	buf_reset(out);
	const char *workdir = git_repository_workdir(repo);
	if (workdir != NULL) {
		char real_dir[PATH_MAX], real_top[PATH_MAX];
		if (realpath(dir, real_dir) == NULL ||
		    realpath(workdir, real_top) == NULL) {
			buf_printf(err, "%s: %s", dir, strerror(errno));
			return -1;
		}
		size_t n = strlen(real_top);
		if (strncmp(real_dir, real_top, n) == 0 && real_dir[n] == '/')
			append_clean(out, real_dir + n + 1);
	}
	append_clean(out, content);
	return 0;
}

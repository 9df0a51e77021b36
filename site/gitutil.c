/*
 * gitutil: libgit2's settings for the process, where a --repo folder sits
 * inside its repository, a revision and its content folder, and libgit2's
 * error messages.
 */
#include "site/gitutil.h"

#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Trees the history walk may keep: each commit's trees are its parent's
 * next time round.  And the whole cache's size. */
#define TREE_CACHE_OBJECTS ((size_t)1 << 20)
#define CACHE_BYTES ((ssize_t)512 << 20)

int
gitutil_init(void)
{
	if (git_libgit2_init() < 0)
		return -1;
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
	    TREE_CACHE_OBJECTS);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, CACHE_BYTES);
	return 0;
}

void
gitutil_shutdown(void)
{
	git_libgit2_shutdown();
}

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

int
gitutil_revision(git_commit **out, git_repository *repo, const char *repo_path,
    const char *rev, struct buf *err)
{
	git_object *obj = NULL;
	*out = NULL;
	if (git_revparse_single(&obj, repo, rev) != 0) {
		buf_printf(err, "%s: revision '%s' not found", repo_path, rev);
		return -1;
	}
	int rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc != 0) {
		*out = NULL;
		buf_printf(
		    err, "%s: revision '%s' is not a commit", repo_path, rev);
		return -1;
	}
	return 0;
}

git_tree *
gitutil_folder(git_repository *repo, git_commit *c, const char *path)
{
	git_tree *root = NULL, *tree = NULL;
	git_tree_entry *entry = NULL;
	if (git_commit_tree(&root, c) != 0)
		return NULL;
	if (path[0] == '\0')
		return root;
	if (git_tree_entry_bypath(&entry, root, path) == 0 &&
	    git_tree_entry_type(entry) == GIT_OBJECT_TREE)
		git_tree_lookup(&tree, repo, git_tree_entry_id(entry));
	git_tree_entry_free(entry);
	git_tree_free(root);
	return tree;
}

void
gitutil_refs_state(const char *repo_path, struct buf *out)
{
	git_repository *repo = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_oid head;
	char hex[GIT_OID_HEXSZ + 1];
	buf_reset(out);
	git_libgit2_init();
	if (git_repository_open_ext(&repo, repo_path, 0, NULL) != 0) {
		git_libgit2_shutdown();
		return;
	}
	if (git_reference_name_to_id(&head, repo, "HEAD") == 0)
		buf_printf(
		    out, "HEAD %s\n", git_oid_tostr(hex, sizeof hex, &head));
	if (git_reference_iterator_glob_new(&it, repo, "refs/tags/*") == 0) {
		while (git_reference_next(&ref, it) == 0) {
			const git_oid *id = git_reference_target(ref);
			buf_printf(out, "%s %s\n", git_reference_name(ref),
			    id ? git_oid_tostr(hex, sizeof hex, id) : "");
			git_reference_free(ref);
		}
		git_reference_iterator_free(it);
	}
	git_repository_free(repo);
	git_libgit2_shutdown();
}

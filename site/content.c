/*
 * content: loads a site's source files from a git tree (libgit2) or from a
 * folder on disk into one sorted list, so the rest of the build never knows
 * where they came from.
 */
#include "site/content.h"
#include "site/history.h"
#include "site/editions.h"

#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "site/fs.h"
#include "site/gitutil.h"
#include "site/pool.h"

static void
tree_add(struct content_tree *tree, size_t *cap, const char *path,
    const void *data, size_t len)
{
	if (tree->count == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		tree->files =
		    mem_realloc(tree->files, *cap * sizeof *tree->files);
	}
	struct content_file *f = &tree->files[tree->count++];
	f->path = mem_strdup(path);
	f->data = mem_alloc(len + 1);
	if (len)
		memcpy(f->data, data, len);
	f->data[len] = '\0';
	f->len = len;
}

static int
compare_files(const void *a, const void *b)
{
	const struct content_file *fa = a, *fb = b;
	return strcmp(fa->path, fb->path);
}

/* A file of the tree walk, its blob read later (read_blobs). */
struct walk_file {
	char *path;
	git_oid id;
};

struct walk_state {
	struct walk_file *files;
	size_t count, cap;
};

int
content_is_hidden(const char *name)
{
	return name[0] == '.';
}

int
content_is_data(const char *path)
{
	return strcmp(path, EDITIONS_FILE) == 0 ||
	       strcmp(path, CHANGES_NOTES_FILE) == 0;
}

static int
compare_file_path(const void *key, const void *element)
{
	return strcmp(key, ((const struct content_file *)element)->path);
}

const struct content_file *
content_find(const struct content_tree *tree, const char *path)
{
	if (tree->count == 0)
		return NULL;
	return bsearch(path, tree->files, tree->count, sizeof *tree->files,
	    compare_file_path);
}

int
content_same(const struct content_tree *a, const struct content_tree *b)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < a->count && content_is_data(a->files[i].path))
			i++;
		while (j < b->count && content_is_data(b->files[j].path))
			j++;
		if (i == a->count || j == b->count)
			return i == a->count && j == b->count;
		const struct content_file *fa = &a->files[i++],
		                          *fb = &b->files[j++];
		if (strcmp(fa->path, fb->path) != 0 || fa->len != fb->len ||
		    memcmp(fa->data, fb->data, fa->len) != 0)
			return 0;
	}
}

static int
walk_entry(const char *root, const git_tree_entry *entry, void *payload)
{
	struct walk_state *st = payload;
	const char *name = git_tree_entry_name(entry);
	if (content_is_hidden(name))
		return 1; /* skip this entry (and a folder's contents) */
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		return 0;
	if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK)
		return 0; /* a symbolic link could point outside the content */
	if (st->count == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 64;
		st->files = mem_realloc(st->files, st->cap * sizeof *st->files);
	}
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s%s", root, name);
	st->files[st->count].path = buf_detach(&path);
	git_oid_cpy(&st->files[st->count].id, git_tree_entry_id(entry));
	st->count++;
	return 0;
}

/*
 * The blobs of the files walked, read on up to `threads` threads: each
 * reads one run of files through a repository of its own (a libgit2
 * repository is not for two threads at once), so 10,000 pages inflate on
 * all cores.  The files keep the order of the walk.
 */
struct blob_job {
	const char *repo_path;
	const struct walk_state *walk;
	struct content_file *out; /* one per walked file */
	size_t runs;
	struct buf *errors; /* one per run */
};

static void
read_run(void *arg, size_t run)
{
	struct blob_job *job = arg;
	size_t n = job->walk->count;
	size_t from = n * run / job->runs, to = n * (run + 1) / job->runs;
	git_repository *repo = NULL;
	if (git_repository_open_ext(&repo, job->repo_path, 0, NULL) != 0) {
		gitutil_fail(&job->errors[run], job->repo_path);
		return;
	}
	for (size_t i = from; i < to; i++) {
		const struct walk_file *wf = &job->walk->files[i];
		git_blob *blob = NULL;
		if (git_blob_lookup(&blob, repo, &wf->id) != 0) {
			gitutil_fail(&job->errors[run], wf->path);
			break;
		}
		size_t len = (size_t)git_blob_rawsize(blob);
		struct content_file *f = &job->out[i];
		f->path = wf->path;
		f->data = mem_alloc(len + 1);
		if (len)
			memcpy(f->data, git_blob_rawcontent(blob), len);
		f->data[len] = '\0';
		f->len = len;
		git_blob_free(blob);
	}
	git_repository_free(repo);
}

/* Reads every file of the folder tree (subdir, in messages) into out. */
static int
read_folder(const char *repo_path, git_tree *tree, const char *subdir,
    int threads, struct content_tree *out, struct buf *err)
{
	struct walk_state st = {0};
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, walk_entry, &st) != 0) {
		if (err->len == 0)
			gitutil_fail(err, subdir);
		for (size_t i = 0; i < st.count; i++)
			free(st.files[i].path);
		free(st.files);
		return -1;
	}
	size_t runs = threads < 1 ? 1 : (size_t)threads;
	if (runs > st.count)
		runs = st.count ? st.count : 1;
	struct blob_job job = {repo_path, &st,
	    mem_calloc(st.count + 1, sizeof *job.out), runs,
	    mem_calloc(runs, sizeof *job.errors)};
	struct pool_run run = {runs, read_run, &job, NULL, NULL};
	pool_each(&run, (int)runs);
	int rc = 0;
	for (size_t r = 0; r < runs; r++) {
		if (rc == 0 && job.errors[r].len) {
			buf_puts(err, job.errors[r].data);
			rc = -1;
		}
		buf_free(&job.errors[r]);
	}
	free(job.errors);
	/* the paths now belong to out's files; one not read is freed */
	for (size_t i = 0; i < st.count; i++)
		if (job.out[i].path == NULL)
			free(st.files[i].path);
	free(st.files);
	out->files = job.out;
	out->count = st.count;
	if (rc != 0) {
		size_t kept = 0;
		for (size_t i = 0; i < out->count; i++)
			if (out->files[i].path != NULL)
				out->files[kept++] = out->files[i];
		out->count = kept;
		return -1;
	}
	if (out->count > 1)
		qsort(
		    out->files, out->count, sizeof *out->files, compare_files);
	return 0;
}

/* Records which commit and tree out was read from, and its origin. */
static void
name_origin(struct content_tree *out, const git_commit *commit,
    const git_tree *tree, const char *subdir, const char *rev)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof hex, git_commit_id(commit));
	out->commit_id = mem_strdup(hex);
	git_oid_tostr(hex, sizeof hex, git_tree_id(tree));
	out->tree_id = mem_strdup(hex);
	struct buf origin = BUF_INIT;
	buf_printf(&origin, "%s at %s (%.7s)", subdir, rev, hex);
	out->origin = buf_detach(&origin);
}

int
content_load_git(const char *repo_path, const char *subdir, const char *rev,
    int threads, struct content_tree *out, struct buf *err)
{
	git_repository *repo = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	struct buf sub = BUF_INIT;
	int rc = -1;

	memset(out, 0, sizeof *out);
	git_libgit2_init();
	if (git_repository_open_ext(&repo, repo_path, 0, NULL) != 0) {
		gitutil_fail(err, repo_path);
		goto done;
	}
	if (gitutil_revision(&commit, repo, repo_path, rev, err) != 0 ||
	    gitutil_tree_path(repo, repo_path, subdir, &sub, err) != 0)
		goto done;
	tree = gitutil_folder(repo, commit, buf_str(&sub));
	if (tree == NULL) {
		buf_printf(err, "%s: no folder '%s' in revision '%s'",
		    repo_path, buf_str(&sub), rev);
		goto done;
	}
	if (read_folder(repo_path, tree, subdir, threads, out, err) != 0)
		goto done;
	name_origin(out, commit, tree, subdir, rev);
	rc = 0;
done:
	buf_free(&sub);
	git_tree_free(tree);
	git_commit_free(commit);
	git_repository_free(repo);
	if (rc != 0)
		content_tree_free(out);
	git_libgit2_shutdown();
	return rc;
}

/* Calls file(ctx, rel, full, st, err) for each regular file under
 * base/rel, hidden names left out, folders in the order readdir gives;
 * stops at the first non-zero return.  rel is "" or ends in '/'. */
static int
walk_dir(const char *base, const char *rel,
    int (*file)(void *ctx, struct buf *relpath, const char *full,
        const struct stat *st, struct buf *err),
    void *ctx, struct buf *err)
{
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "%s/%s", base, rel);
	DIR *d = opendir(dir.data);
	if (d == NULL) {
		buf_printf(err, "%s: cannot open folder: %s", dir.data,
		    strerror(errno));
		buf_free(&dir);
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (content_is_hidden(de->d_name))
			continue;
		struct buf relpath = BUF_INIT, full = BUF_INIT;
		buf_printf(&relpath, "%s%s", rel, de->d_name);
		buf_printf(&full, "%s/%s", base, relpath.data);
		struct stat st;
		if (lstat(full.data, &st) != 0) {
			buf_printf(err, "%s: %s", full.data, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			buf_putc(&relpath, '/');
			rc = walk_dir(base, relpath.data, file, ctx, err);
		} else if (S_ISREG(st.st_mode)) {
			rc = file(ctx, &relpath, full.data, &st, err);
		}
		buf_free(&relpath);
		buf_free(&full);
	}
	closedir(d);
	buf_free(&dir);
	return rc;
}

struct load_ctx {
	struct content_tree *tree;
	size_t cap;
};

/* walk_dir's file callback for content_load_worktree: the file read. */
static int
load_file(void *ctx, struct buf *relpath, const char *full,
    const struct stat *st, struct buf *err)
{
	struct load_ctx *l = ctx;
	(void)st;
	char *data;
	size_t len;
	if (fs_read_file(full, &data, &len, err) != 0)
		return -1;
	tree_add(l->tree, &l->cap, relpath->data, data, len);
	free(data);
	return 0;
}

int
content_load_worktree(
    const char *dir, struct content_tree *out, struct buf *err)
{
	memset(out, 0, sizeof *out);
	struct load_ctx l = {out, 0};
	if (walk_dir(dir, "", load_file, &l, err) != 0) {
		content_tree_free(out);
		return -1;
	}
	if (out->count > 1)
		qsort(
		    out->files, out->count, sizeof *out->files, compare_files);
	struct buf origin = BUF_INIT;
	buf_printf(&origin, "%s (working tree)", dir);
	out->origin = buf_detach(&origin);
	return 0;
}

struct stamps {
	struct content_stamp *list;
	size_t n, cap;
};

/* walk_dir's file callback for content_stamp_worktree: the file's time
 * and size. */
static int
stamp_file(void *ctx, struct buf *relpath, const char *full,
    const struct stat *st, struct buf *err)
{
	struct stamps *s = ctx;
	(void)full;
	(void)err;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->list = mem_realloc(s->list, s->cap * sizeof *s->list);
	}
	s->list[s->n++] = (struct content_stamp){buf_detach(relpath),
	    (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec,
	    (long long)st->st_size};
	return 0;
}

static int
compare_stamps(const void *a, const void *b)
{
	const struct content_stamp *sa = a, *sb = b;
	return strcmp(sa->path, sb->path);
}

int
content_stamp_worktree(
    const char *dir, struct content_stamp **out, size_t *n, struct buf *err)
{
	struct stamps s = {0};
	if (walk_dir(dir, "", stamp_file, &s, err) != 0) {
		content_stamps_free(s.list, s.n);
		return -1;
	}
	if (s.n > 1)
		qsort(s.list, s.n, sizeof *s.list, compare_stamps);
	*out = s.list;
	*n = s.n;
	return 0;
}

void
content_stamps_free(struct content_stamp *stamps, size_t n)
{
	for (size_t i = 0; stamps && i < n; i++)
		free(stamps[i].path);
	free(stamps);
}

void
content_tree_free(struct content_tree *tree)
{
	if (tree == NULL)
		return;
	for (size_t i = 0; i < tree->count; i++) {
		free(tree->files[i].path);
		free(tree->files[i].data);
	}
	free(tree->files);
	free(tree->origin);
	free(tree->commit_id);
	free(tree->tree_id);
	memset(tree, 0, sizeof *tree);
}

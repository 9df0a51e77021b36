/*
 * history: one first-parent walk from the built revision back to the root.
 * Each commit's content tree is compared with its parent's by a recursive
 * tree comparison that skips identical subtrees (so a 10,000-commit history
 * costs little more than the files each commit touched).  Renames are found
 * by identical content first and libgit2's similarity detection after.
 * While walking back, a map from "name at this point in history" to the
 * current file carries each rename over to the older name.
 */
#include "site/history.h"

#include <git2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "site/content.h"
#include "site/frontmatter.h"
#include "site/gitutil.h"
#include "site/strmap.h"

struct change_list {
	struct history_change *items;
	size_t count, cap;
	git_oid
	    *oids; /* blob id of each change: new for added, old for deleted */
};

static void
change_add(struct change_list *list, enum change_kind kind, const char *path,
    const git_oid *oid)
{
	if (content_is_data(path))
		return; /* the editions list: not a page's history */
	if (list->count == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 16;
		list->items =
		    mem_realloc(list->items, list->cap * sizeof *list->items);
		list->oids =
		    mem_realloc(list->oids, list->cap * sizeof *list->oids);
	}
	struct history_change *c = &list->items[list->count];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->path = mem_strdup(path);
	git_oid_cpy(&list->oids[list->count], oid);
	list->count++;
}

static int compare_trees(git_repository *repo, git_tree *old_tree,
    git_tree *new_tree, const char *prefix, struct change_list *out);

/* Every file below tree, as added (or deleted) under prefix. */
static int
whole_tree(git_repository *repo, git_tree *tree, const char *prefix,
    enum change_kind kind, struct change_list *out)
{
	int rc = 0;
	size_t n = git_tree_entrycount(tree);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		if (content_is_hidden(name))
			continue;
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s%s", prefix, name);
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			git_tree *sub = NULL;
			rc = git_tree_lookup(&sub, repo, git_tree_entry_id(e));
			buf_putc(&path, '/');
			if (rc == 0)
				rc =
				    whole_tree(repo, sub, path.data, kind, out);
			git_tree_free(sub);
		} else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			change_add(out, kind, path.data, git_tree_entry_id(e));
		}
		buf_free(&path);
	}
	return rc;
}

static int
entry_differs(const git_tree_entry *a, const git_tree_entry *b)
{
	return git_tree_entry_type(a) != git_tree_entry_type(b) ||
	       !git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b));
}

/* One side of an entry that is a folder on one side only, or a file. */
static int
one_side(git_repository *repo, const git_tree_entry *e, const char *path,
    enum change_kind kind, struct change_list *out)
{
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		change_add(out, kind, path, git_tree_entry_id(e));
		return 0;
	}
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return 0;
	git_tree *sub = NULL;
	int rc = git_tree_lookup(&sub, repo, git_tree_entry_id(e));
	struct buf prefix = BUF_INIT;
	buf_printf(&prefix, "%s/", path);
	if (rc == 0)
		rc = whole_tree(repo, sub, prefix.data, kind, out);
	buf_free(&prefix);
	git_tree_free(sub);
	return rc;
}

static int
compare_entries(git_repository *repo, const git_tree_entry *old_e,
    const git_tree_entry *new_e, const char *path, struct change_list *out)
{
	if (old_e == NULL)
		return one_side(repo, new_e, path, CHANGE_ADDED, out);
	if (new_e == NULL)
		return one_side(repo, old_e, path, CHANGE_DELETED, out);
	if (!entry_differs(old_e, new_e))
		return 0;
	git_object_t ot = git_tree_entry_type(old_e),
	             nt = git_tree_entry_type(new_e);
	if (ot == GIT_OBJECT_BLOB && nt == GIT_OBJECT_BLOB) {
		change_add(
		    out, CHANGE_MODIFIED, path, git_tree_entry_id(new_e));
		return 0;
	}
	if (ot == GIT_OBJECT_TREE && nt == GIT_OBJECT_TREE) {
		git_tree *a = NULL, *b = NULL;
		int rc = git_tree_lookup(&a, repo, git_tree_entry_id(old_e));
		if (rc == 0)
			rc =
			    git_tree_lookup(&b, repo, git_tree_entry_id(new_e));
		struct buf prefix = BUF_INIT;
		buf_printf(&prefix, "%s/", path);
		if (rc == 0)
			rc = compare_trees(repo, a, b, prefix.data, out);
		buf_free(&prefix);
		git_tree_free(a);
		git_tree_free(b);
		return rc;
	}
	int rc = one_side(repo, old_e, path, CHANGE_DELETED, out);
	if (rc == 0)
		rc = one_side(repo, new_e, path, CHANGE_ADDED, out);
	return rc;
}

/* Files changed between two trees (either may be NULL: empty). */
static int
compare_trees(git_repository *repo, git_tree *old_tree, git_tree *new_tree,
    const char *prefix, struct change_list *out)
{
	if (old_tree == NULL && new_tree == NULL)
		return 0;
	if (old_tree == NULL)
		return whole_tree(repo, new_tree, prefix, CHANGE_ADDED, out);
	if (new_tree == NULL)
		return whole_tree(repo, old_tree, prefix, CHANGE_DELETED, out);
	if (git_oid_equal(git_tree_id(old_tree), git_tree_id(new_tree)))
		return 0;
	int rc = 0;
	size_t n = git_tree_entrycount(new_tree);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(new_tree, i);
		const char *name = git_tree_entry_name(e);
		if (content_is_hidden(name))
			continue;
		const git_tree_entry *old_e =
		    git_tree_entry_byname(old_tree, name);
		if (old_e != NULL && !entry_differs(old_e, e))
			continue; /* most entries: no path to build */
		struct buf path = BUF_INIT;
		buf_puts(&path, prefix);
		buf_puts(&path, name);
		rc = compare_entries(repo, old_e, e, path.data, out);
		buf_free(&path);
	}
	n = git_tree_entrycount(old_tree);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(old_tree, i);
		const char *name = git_tree_entry_name(e);
		if (content_is_hidden(name) ||
		    git_tree_entry_byname(new_tree, name) != NULL)
			continue;
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s%s", prefix, name);
		rc = compare_entries(repo, e, NULL, path.data, out);
		buf_free(&path);
	}
	return rc;
}

static void similar_renames(git_repository *repo, git_tree *old_tree,
    git_tree *new_tree, struct change_list *list);

/* Pairs a deletion with an addition as a rename from old_i to new_i. */
static void
make_rename(struct change_list *list, size_t old_i, size_t new_i)
{
	struct history_change *added = &list->items[new_i];
	struct history_change *deleted = &list->items[old_i];
	added->kind = CHANGE_RENAMED;
	added->old_path = deleted->path;
	deleted->path = NULL; /* dropped below */
}

/*
 * Turns deletion + addition pairs into renames: identical content first,
 * then libgit2's similarity detection for what is left.
 */
static void
find_renames(git_repository *repo, git_tree *old_tree, git_tree *new_tree,
    struct change_list *list)
{
	size_t adds = 0, dels = 0;
	for (size_t i = 0; i < list->count; i++) {
		adds += list->items[i].kind == CHANGE_ADDED;
		dels += list->items[i].kind == CHANGE_DELETED;
	}
	if (adds == 0 || dels == 0)
		return;
	for (size_t d = 0; d < list->count; d++) {
		if (list->items[d].kind != CHANGE_DELETED ||
		    !list->items[d].path)
			continue;
		for (size_t a = 0; a < list->count; a++) {
			if (list->items[a].kind == CHANGE_ADDED &&
			    git_oid_equal(&list->oids[a], &list->oids[d])) {
				make_rename(list, d, a);
				break;
			}
		}
	}
	/* What identical content did not pair goes to libgit2's similarity
	 * detection, limited to those paths (a whole-tree diff is costly). */
	size_t left_adds = 0, left_dels = 0;
	for (size_t i = 0; i < list->count; i++) {
		const struct history_change *c = &list->items[i];
		if (c->path == NULL ||
		    (c->kind != CHANGE_ADDED && c->kind != CHANGE_DELETED))
			continue;
		left_adds += c->kind == CHANGE_ADDED;
		left_dels += c->kind == CHANGE_DELETED;
	}
	if (left_adds > 0 && left_dels > 0)
		similar_renames(repo, old_tree, new_tree, list);
	size_t kept = 0;
	for (size_t i = 0; i < list->count; i++) {
		if (list->items[i].path == NULL)
			continue;
		list->oids[kept] = list->oids[i];
		list->items[kept++] = list->items[i];
	}
	list->count = kept;
}

/* Renames libgit2's similarity detection finds among the unpaired paths. */
static void
similar_renames(git_repository *repo, git_tree *old_tree, git_tree *new_tree,
    struct change_list *list)
{
	size_t nspec = 0;
	char **paths = mem_calloc(list->count + 1, sizeof *paths);
	for (size_t i = 0; i < list->count; i++) {
		const struct history_change *c = &list->items[i];
		if (c->path &&
		    (c->kind == CHANGE_ADDED || c->kind == CHANGE_DELETED))
			paths[nspec++] = c->path;
	}
	git_diff *diff = NULL;
	git_diff_options opts;
	git_diff_find_options find;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
	opts.pathspec.strings = paths;
	opts.pathspec.count = nspec;
	opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	find.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_tree_to_tree(&diff, repo, old_tree, new_tree, &opts) ==
	        0 &&
	    git_diff_find_similar(diff, &find) == 0) {
		size_t n = git_diff_num_deltas(diff);
		for (size_t k = 0; k < n; k++) {
			const git_diff_delta *delta =
			    git_diff_get_delta(diff, k);
			if (delta->status != GIT_DELTA_RENAMED)
				continue;
			size_t d = SIZE_MAX, a = SIZE_MAX;
			for (size_t i = 0; i < list->count; i++) {
				struct history_change *c = &list->items[i];
				if (c->kind == CHANGE_DELETED && c->path &&
				    strcmp(c->path, delta->old_file.path) == 0)
					d = i;
				if (c->kind == CHANGE_ADDED &&
				    strcmp(c->path, delta->new_file.path) == 0)
					a = i;
			}
			if (d != SIZE_MAX && a != SIZE_MAX)
				make_rename(list, d, a);
		}
	}
	git_diff_free(diff);
	free(paths);
}

static void
file_add_commit(struct history_file *f, size_t commit)
{
	if (f->ncommits && f->commits[f->ncommits - 1] == commit)
		return;
	f->commits =
	    mem_realloc(f->commits, (f->ncommits + 1) * sizeof *f->commits);
	f->commits[f->ncommits++] = commit;
}

/*
 * Attributes one commit's changes to the current files and moves names
 * back across renames.  `names` maps a file's name at this point in
 * history to its struct history_file.
 */
static void
attribute(struct strmap *names, size_t index, struct history_commit *commit)
{
	for (size_t i = 0; i < commit->nchanges; i++) {
		struct history_change *c = &commit->changes[i];
		struct history_file *f = strmap_get(names, c->path);
		if (f == NULL)
			continue;
		c->current = mem_strdup(f->path);
		file_add_commit(f, index);
	}
	for (size_t i = 0; i < commit->nchanges; i++) {
		struct history_change *c = &commit->changes[i];
		if (c->kind != CHANGE_RENAMED || c->current == NULL)
			continue;
		/* Older commits know this file by its old name. */
		struct history_file *f = strmap_get(names, c->path);
		strmap_remove(names, c->path);
		strmap_put(names, c->old_path, f);
	}
}

static void
collect_names(git_repository *repo, git_tree *tree, struct history *h,
    struct strmap *names)
{
	struct change_list all = {0};
	whole_tree(repo, tree, "", CHANGE_ADDED, &all);
	for (size_t i = 0; i < all.count; i++) {
		struct history_file *f = mem_calloc(1, sizeof *f);
		f->path = all.items[i].path;
		strmap_put(h->files, f->path, f);
		strmap_put(names, f->path, f);
	}
	free(all.items);
	free(all.oids);
}

static void
change_list_free(struct change_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].path);
		free(list->items[i].old_path);
	}
	free(list->items);
	free(list->oids);
}

/*
 * One walk of the history.  Walking first parents, each commit is the last
 * one's parent, so the content tree read as "the parent's" is kept for the
 * next round (next_id, next_tree) instead of being read twice.
 */
struct walk {
	git_repository *repo;
	const char *sub;      /* the content folder inside the repository */
	struct strmap *names; /* a file's name at this point in history ->
	                         its struct history_file */
	git_oid next_id;      /* the commit whose tree next_tree is */
	git_tree *next_tree;  /* its content tree (NULL: none) */
	int next_valid;       /* next_id and next_tree are set */
	size_t cap;           /* room in history->commits */
};

/* The content changes of commit c against its first parent, with renames
 * found, into *changes. */
static int
commit_changes(struct walk *w, git_commit *c, struct change_list *changes)
{
	git_commit *parent = NULL;
	if (git_commit_parentcount(c) > 0 &&
	    git_commit_parent(&parent, c, 0) != 0)
		return -1;
	git_tree *new_tree;
	if (w->next_valid && git_oid_equal(&w->next_id, git_commit_id(c))) {
		new_tree = w->next_tree;
	} else {
		git_tree_free(w->next_tree);
		new_tree = gitutil_folder(w->repo, c, w->sub);
	}
	w->next_tree = NULL;
	w->next_valid = 0;
	git_tree *old_tree =
	    parent ? gitutil_folder(w->repo, parent, w->sub) : NULL;
	int rc = compare_trees(w->repo, old_tree, new_tree, "", changes);
	if (rc == 0)
		find_renames(w->repo, old_tree, new_tree, changes);
	git_tree_free(new_tree);
	if (parent) {
		git_oid_cpy(&w->next_id, git_commit_id(parent));
		w->next_tree = old_tree;
		w->next_valid = 1;
	}
	git_commit_free(parent);
	return rc;
}

char *
history_note(const char *message)
{
	struct buf note = BUF_INIT;
	size_t keylen = strlen(HISTORY_NOTE_KEY);
	for (const char *line = message; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *text = NULL;
		if (len > keylen &&
		    strncmp(line, HISTORY_NOTE_KEY, keylen) == 0) {
			const char *after = line + keylen;
			if (*after == ':')
				text = after + 1;
			else if (strncmp(after, "：", 3) == 0)
				text = after + 3;
		}
		if (text) {
			const char *stop = line + len;
			while (text < stop && (*text == ' ' || *text == '\t'))
				text++;
			while (stop > text &&
			       (stop[-1] == ' ' || stop[-1] == '\t' ||
			           stop[-1] == '\r'))
				stop--;
			if (stop > text) {
				if (note.len)
					buf_puts(&note, "；");
				buf_put(&note, text, (size_t)(stop - text));
			}
		}
		line = end ? end + 1 : NULL;
	}
	return note.len ? buf_detach(&note) : NULL;
}

static int
hex_id(const char *s)
{
	if (strlen(s) != 40)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

int
history_apply_notes(struct history *h, const char *path, const char *data,
    size_t len, struct buf *err)
{
	json_t *doc = NULL;
	size_t errors_before = err->len;
	if (frontmatter_yaml(path, 1, data, len, "notes", &doc, err) != 0)
		return -1;
	int rc = -1;
	const char *key;
	json_t *value, *list = json_object_get(doc, "notes"), *entry;
	json_object_foreach (doc, key, value) {
		if (strcmp(key, "notes") != 0) {
			buf_printf(err,
			    "%s: unknown key '%s' (the file holds one list, "
			    "'notes')\n",
			    path, key);
			goto done;
		}
	}
	if (list != NULL && !json_is_array(list)) {
		buf_printf(err, "%s: 'notes' must be a list\n", path);
		goto done;
	}
	size_t i;
	char **seen = mem_calloc(json_array_size(list) + 1, sizeof *seen);
	json_array_foreach (list, i, entry) {
		const char *commit =
		    json_string_value(json_object_get(entry, "commit"));
		const char *note =
		    json_string_value(json_object_get(entry, "note"));
		if (!json_is_object(entry) || json_object_size(entry) != 2 ||
		    commit == NULL || note == NULL) {
			buf_printf(err,
			    "%s: notes[%zu]: an entry is 'commit' (the full "
			    "id) and 'note' (the text for readers)\n",
			    path, i);
			goto next;
		}
		if (!hex_id(commit)) {
			buf_printf(err,
			    "%s: notes[%zu]: commit '%s' must be a full "
			    "commit id (git rev-parse)\n",
			    path, i, commit);
			goto next;
		}
		if (note[strspn(note, " \t\n")] == '\0') {
			buf_printf(err, "%s: notes[%zu]: the note is empty\n",
			    path, i);
			goto next;
		}
		for (size_t j = 0; j < i; j++)
			if (seen[j] && strcmp(seen[j], commit) == 0) {
				buf_printf(err,
				    "%s: notes[%zu]: commit %.12s is also "
				    "notes[%zu]\n",
				    path, i, commit, j);
				goto next;
			}
		seen[i] = (char *)commit;
		size_t k = 0;
		while (k < h->ncommits && strcmp(h->commits[k].id, commit) != 0)
			k++;
		if (k == h->ncommits) {
			buf_printf(err,
			    "%s: notes[%zu]: commit %.12s did not change the "
			    "content (or is not in its history)\n",
			    path, i, commit);
			goto next;
		}
		free(h->commits[k].note);
		h->commits[k].note = mem_strdup(note);
	next:;
	}
	free(seen);
	rc = err->len == errors_before ? 0 : -1;
done:
	json_decref(doc);
	return rc;
}

/* Appends commit c to out with its changes (taken over), and attributes
 * them to the current files. */
static void
add_commit(struct walk *w, struct history *out, git_commit *c,
    struct change_list *changes)
{
	if (out->ncommits == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		out->commits =
		    mem_realloc(out->commits, w->cap * sizeof *out->commits);
	}
	struct history_commit *hc = &out->commits[out->ncommits];
	memset(hc, 0, sizeof *hc);
	git_oid_tostr(hc->id, sizeof hc->id, git_commit_id(c));
	const char *summary = git_commit_summary(c);
	hc->subject = mem_strdup(summary ? summary : "");
	hc->note = history_note(git_commit_message(c));
	const git_signature *author = git_commit_author(c);
	hc->author = mem_strdup(author->name ? author->name : "");
	hc->time = (long long)author->when.time;
	hc->offset = author->when.offset;
	hc->changes = changes->items;
	hc->nchanges = changes->count;
	free(changes->oids);
	memset(changes, 0, sizeof *changes);
	attribute(w->names, out->ncommits, hc);
	out->ncommits++;
}

/* Walks the first parents from head, newest first, adding to out every
 * commit that changed the content. */
static int
walk_commits(struct walk *w, git_commit *head, const char *rev,
    struct history *out, struct buf *err)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	struct change_list changes = {0};
	git_oid oid;
	int rc = -1, walked;

	if (git_revwalk_new(&walk, w->repo) != 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME) !=
	        0 ||
	    git_revwalk_push(walk, git_commit_id(head)) != 0)
		goto fail;
	git_revwalk_simplify_first_parent(walk);
	while ((walked = git_revwalk_next(&oid, walk)) == 0) {
		if (git_commit_lookup(&c, w->repo, &oid) != 0 ||
		    commit_changes(w, c, &changes) != 0)
			goto fail;
		if (changes.count > 0)
			add_commit(w, out, c, &changes);
		change_list_free(&changes);
		memset(&changes, 0, sizeof changes);
		git_commit_free(c);
		c = NULL;
	}
	if (walked != GIT_ITEROVER)
		goto fail;
	rc = 0;
	goto done;
fail:
	gitutil_fail(err, rev);
done:
	change_list_free(&changes);
	git_commit_free(c);
	git_revwalk_free(walk);
	return rc;
}

int
history_load(const char *repo_path, const char *subdir, const char *rev,
    struct history *out, struct buf *err)
{
	struct walk w = {0};
	git_commit *head = NULL;
	git_tree *head_tree = NULL;
	struct buf sub = BUF_INIT;
	int rc = -1;

	memset(out, 0, sizeof *out);
	out->files = strmap_new();
	w.names = strmap_new();
	git_libgit2_init();
	if (git_repository_open_ext(&w.repo, repo_path, 0, NULL) != 0) {
		gitutil_fail(err, repo_path);
		goto done;
	}
	if (gitutil_tree_path(w.repo, repo_path, subdir, &sub, err) != 0 ||
	    gitutil_revision(&head, w.repo, repo_path, rev, err) != 0)
		goto done;
	w.sub = buf_str(&sub);
	const git_signature *author = git_commit_author(head);
	out->revision_time = (long long)author->when.time;
	out->revision_offset = author->when.offset;
	if (git_repository_is_shallow(w.repo)) {
		out->shallow = 1; /* dates from a cut history would be wrong */
		rc = 0;
		goto done;
	}
	head_tree = gitutil_folder(w.repo, head, w.sub);
	if (head_tree)
		collect_names(w.repo, head_tree, out, w.names);
	rc = walk_commits(&w, head, rev, out, err);
done:
	git_tree_free(w.next_tree);
	strmap_free(w.names);
	git_tree_free(head_tree);
	git_commit_free(head);
	git_repository_free(w.repo);
	git_libgit2_shutdown();
	buf_free(&sub);
	if (rc != 0)
		history_free(out);
	return rc;
}

const struct history_file *
history_file(const struct history *h, const char *path)
{
	if (h->files == NULL)
		return NULL;
	const struct history_file *f = strmap_get(h->files, path);
	return f && f->ncommits ? f : NULL;
}

static void
free_file(void *ctx, const char *key, void *value)
{
	struct history_file *f = value;
	(void)ctx;
	(void)key;
	free(f->path);
	free(f->commits);
	free(f);
}

void
history_free(struct history *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->ncommits; i++) {
		struct history_commit *c = &h->commits[i];
		for (size_t j = 0; j < c->nchanges; j++) {
			struct history_change *ch = &c->changes[j];
			free(ch->path);
			free(ch->old_path);
			free(ch->current);
		}
		free(c->changes);
		free(c->subject);
		free(c->note);
		free(c->author);
	}
	free(h->commits);
	if (h->files)
		strmap_each(h->files, free_file, NULL);
	strmap_free(h->files);
	memset(h, 0, sizeof *h);
}

struct edition_list {
	git_repository *repo;
	struct edition *items;
	size_t count;
};

static int
add_edition(const char *refname, void *payload)
{
	struct edition_list *list = payload;
	git_object *obj = NULL, *target = NULL;
	if (git_revparse_single(&obj, list->repo, refname) != 0)
		return 0;
	if (git_object_peel(&target, obj, GIT_OBJECT_COMMIT) != 0) {
		git_object_free(obj);
		return 0; /* a tag of something other than a commit */
	}
	const char *name = refname + strlen("refs/tags/edition/");
	if (!editions_name_ok(name)) {
		git_object_free(target);
		git_object_free(obj);
		return 0; /* not a name an address can carry */
	}
	list->items =
	    mem_realloc(list->items, (list->count + 1) * sizeof *list->items);
	struct edition *e = &list->items[list->count++];
	memset(e, 0, sizeof *e);
	e->name = mem_strdup(name);
	git_oid_tostr(e->commit_id, sizeof e->commit_id, git_object_id(target));
	const git_signature *sig = NULL;
	if (git_object_type(obj) == GIT_OBJECT_TAG)
		sig = git_tag_tagger((git_tag *)obj);
	if (sig == NULL)
		sig = git_commit_author((git_commit *)target);
	e->time = (long long)sig->when.time;
	e->offset = sig->when.offset;
	git_object_free(target);
	git_object_free(obj);
	return 0;
}

int
history_editions(
    const char *repo_path, struct edition **out, size_t *count, struct buf *err)
{
	struct edition_list list = {0};
	*out = NULL;
	*count = 0;
	git_libgit2_init();
	if (git_repository_open_ext(&list.repo, repo_path, 0, NULL) != 0) {
		gitutil_fail(err, repo_path);
		git_libgit2_shutdown();
		return -1;
	}
	git_reference_foreach_glob(
	    list.repo, "refs/tags/edition/*", add_edition, &list);
	git_repository_free(list.repo);
	git_libgit2_shutdown();
	*out = list.items;
	*count = list.count;
	return 0;
}

int
history_has_commit(const char *repo_path, const char *commit_id)
{
	git_repository *repo = NULL;
	git_commit *commit = NULL;
	git_oid oid;
	int found = 0;
	git_libgit2_init();
	if (git_oid_fromstr(&oid, commit_id) == 0 &&
	    git_repository_open_ext(&repo, repo_path, 0, NULL) == 0 &&
	    git_commit_lookup(&commit, repo, &oid) == 0)
		found = 1;
	git_commit_free(commit);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return found;
}

static void
local_time(long long time, int offset, struct tm *tm)
{
	time_t t = (time_t)(time + (long long)offset * 60);
	gmtime_r(&t, tm);
}

void
history_format_date(long long time, int offset, struct buf *out)
{
	struct tm tm;
	local_time(time, offset, &tm);
	buf_printf(out, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
}

void
history_format_rfc3339(long long time, int offset, struct buf *out)
{
	struct tm tm;
	local_time(time, offset, &tm);
	int off = offset < 0 ? -offset : offset;
	buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, offset < 0 ? '-' : '+', off / 60, off % 60);
}

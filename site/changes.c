/*
 * changes: a commit is shown the same way on both pages (id, date, its note
 * for readers); the changes page adds the pages it touched, by title,
 * linked where they still exist under their current names.
 */
#include "site/changes.h"
#include "site/lang.h"

#include <stdlib.h>
#include <string.h>

const char *
changes_word(enum change_kind kind)
{
	switch (kind) {
	case CHANGE_ADDED:
		return "新增";
	case CHANGE_DELETED:
		return "删除";
	case CHANGE_RENAMED:
		return "移动";
	default:
		return "修改";
	}
}

static const char *
changes_word_en(enum change_kind kind)
{
	switch (kind) {
	case CHANGE_ADDED:
		return "added";
	case CHANGE_DELETED:
		return "removed";
	case CHANGE_RENAMED:
		return "moved";
	default:
		return "revised";
	}
}

int
changes_load_notes(const struct tree *current)
{
	struct build *b = current->build;
	const struct content_file *f =
	    content_find(&current->content, CHANGES_NOTES_FILE);
	if (f == NULL || b->history_state != HISTORY_OK)
		return 0;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", b->opt->content, CHANGES_NOTES_FILE);
	int rc = history_apply_notes(
	    &b->history, path.data, f->data, f->len, &b->errors);
	buf_free(&path);
	return rc;
}

const char *
changes_note(const struct history_commit *c)
{
	if (c->note)
		return c->note;
	for (size_t i = 0; i < c->nchanges; i++)
		if (c->changes[i].kind != CHANGE_ADDED)
			return CHANGES_EDITORIAL;
	return c->nchanges ? CHANGES_NEW_PAGES : CHANGES_EDITORIAL;
}

const char *
changes_page_title(
    const struct tree *tree, const struct history_change *ch, const char **url)
{
	*url = NULL;
	if (ch->current == NULL)
		return CHANGES_GONE;
	char *key = mem_strndup(ch->current, strlen(ch->current) - 3);
	const struct page *p = tree_find(tree, key);
	free(key);
	if (p == NULL)
		return CHANGES_GONE;
	*url = p->dir;
	return p->title ? p->title : "";
}

/* A commit's note in the tree's language: the notes for readers are
 * written in Chinese (an English page marks them so); the words for
 * commits without one are translated. */
static json_t *
commit_json(const struct tree *tree, const struct history_commit *c)
{
	struct buf date = BUF_INIT;
	history_format_date(c->time, c->offset, &date);
	const char *note = changes_note(c);
	if (note == c->note)
		;
	else if (strcmp(note, CHANGES_NEW_PAGES) == 0)
		note = lang_pick(tree, note, "New pages");
	else
		note = lang_pick(tree, note, "Editorial revision");
	json_t *j = json_pack("{s:s, s:s, s:s%, s:s, s:b}", "id", c->id, "date",
	    date.data, "short", c->id, (size_t)7, "note", note,
	    "note_in_chinese", note == c->note);
	buf_free(&date);
	return j;
}

/* The pages a commit changed, linked where they still exist: the first
 * CHANGES_PAGES_LISTED of them, and how many more into *more. */
static json_t *
commit_pages(
    const struct tree *tree, const struct history_commit *c, size_t *more)
{
	json_t *list = json_array();
	*more = 0;
	for (size_t i = 0; i < c->nchanges; i++) {
		const struct history_change *ch = &c->changes[i];
		size_t n = strlen(ch->path);
		if (n < 3 || strcmp(ch->path + n - 3, ".md") != 0)
			continue;
		const char *own = lang_own_path(tree, ch->path);
		const char *current =
		    ch->current ? lang_own_path(tree, ch->current) : NULL;
		if (own == NULL && current == NULL)
			continue; /* a page of the other language */
		if (json_array_size(list) == CHANGES_PAGES_LISTED) {
			(*more)++;
			continue;
		}
		struct history_change mine = *ch;
		mine.current = (char *)current;
		const char *url;
		const char *title = changes_page_title(tree, &mine, &url);
		if (url == NULL)
			title = lang_pick(tree, title, "a page since removed");
		json_t *item = json_pack("{s:s, s:s, s:s, s:b}", "kind",
		    lang_pick(tree, changes_word(ch->kind),
		        changes_word_en(ch->kind)),
		    "title", title, "url", url ? url : "", "linked",
		    url != NULL);
		json_array_append_new(list, item);
	}
	return list;
}

static void
write_page_history(struct build *b, size_t i, void *ctx)
{
	const struct tree *tree = ctx;
	const struct page *p = tree->reading[i];
	struct buf path = BUF_INIT;
	buf_printf(&path, "history/%s", p->dir);
	json_t *page = tree_base_context(tree, path.data);
	json_t *commits = json_array();
	struct buf source = BUF_INIT;
	lang_source_path(tree, p, &source);
	const struct history_file *f =
	    b->history_state == HISTORY_OK
	        ? history_file(&b->history, source.data)
	        : NULL;
	buf_free(&source);
	for (size_t k = 0; f && k < f->ncommits; k++)
		json_array_append_new(commits,
		    commit_json(tree, &b->history.commits[f->commits[k]]));
	json_object_update_new(page,
	    json_pack("{s:s, s:s, s:s, s:o, s:s?, s:b}", "title",
	        lang_pick(tree, "修订历史", "Revision history"), "page_title",
	        p->title ? p->title : "", "page_url", p->dir, "commits",
	        commits, "history_unavailable",
	        b->history_state != HISTORY_OK ? lang_history_reason(tree)
	                                       : NULL,
	        "uncommitted", b->history_state == HISTORY_OK && f == NULL));
	buf_puts(&path, "index.html");
	char *out = lang_out(tree, path.data);
	tree_render(tree, "history", page, out);
	free(out);
	buf_free(&path);
}

static int
write_changes_page(const struct tree *tree)
{
	const struct build *b = tree->build;
	json_t *ctx = tree_base_context(tree, "changes/");
	json_t *commits = json_array();
	size_t n = b->history_state == HISTORY_OK ? b->history.ncommits : 0;
	for (size_t i = 0; i < n && i < CHANGES_LISTED; i++) {
		const struct history_commit *c = &b->history.commits[i];
		json_t *j = commit_json(tree, c);
		size_t more;
		json_object_set_new(j, "pages", commit_pages(tree, c, &more));
		json_object_set_new(j, "more_pages",
		    more ? json_integer((json_int_t)more) : json_false());
		json_array_append_new(commits, j);
	}
	json_object_update_new(
	    ctx, json_pack("{s:s, s:o, s:s?, s:b, s:I}", "title",
	             lang_pick(tree, "最近修订", "Recent revisions"), "commits",
	             commits, "history_unavailable",
	             b->history_state != HISTORY_OK ? lang_history_reason(tree)
	                                            : NULL,
	             "older_commits", n > CHANGES_LISTED, "listed",
	             (json_int_t)(n < CHANGES_LISTED ? n : CHANGES_LISTED)));
	char *out = lang_out(tree, "changes/index.html");
	int rc = tree_render(tree, "changes", ctx, out);
	free(out);
	return rc;
}

int
changes_write(const struct tree *tree)
{
	struct build *b = tree->build;
	b->doing = "page histories";
	if (build_each(b, tree->nreading, write_page_history, (void *)tree) !=
	    0)
		return -1;
	return write_changes_page(tree);
}

struct dirty_histories {
	const struct tree *tree;
	const struct page **pages; /* as reading[] holds them */
};

static void
write_dirty_history(struct build *b, size_t i, void *ctx)
{
	const struct dirty_histories *d = ctx;
	/* write_page_history takes reading order: one fake list of one */
	struct tree one = *d->tree;
	struct page *list[1] = {(struct page *)d->pages[i]};
	one.reading = list;
	write_page_history(b, 0, &one);
}

int
changes_write_dirty(const struct tree *tree)
{
	struct build *b = tree->build;
	const struct page **pages = mem_calloc(tree->npages + 1, sizeof *pages);
	size_t n = 0;
	for (size_t i = 0; tree->dirty && i < tree->npages; i++)
		if (tree->dirty[i] & TREE_DIRTY_OWN)
			pages[n++] = &tree->pages[i];
	struct dirty_histories d = {tree, pages};
	b->doing = "page histories";
	int rc = build_each(b, n, write_dirty_history, &d);
	free(pages);
	return rc != 0 ? -1 : write_changes_page(tree);
}

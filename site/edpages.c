/*
 * edpages: editions are loaded in the list's order (oldest first), so a
 * redline compares each edition that has text with the last one before it
 * that had text, page by page by key: the newer edition's pages in reading
 * order, then the pages it removed.
 */
#include "site/edpages.h"

#include <stdlib.h>
#include <string.h>

#include "site/lang.h"
#include "site/redline.h"

/* The published editions: the content's list, with any tags beside it.
 * Errors go to b->errors; returns -1 on error. */
static int
list_editions(struct edpages *ed, struct build *b, const struct tree *current)
{
	struct edition *tagged = NULL;
	size_t ntagged = 0;
	const struct content_file *f =
	    content_find(&current->content, EDITIONS_FILE);
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", b->opt->content, EDITIONS_FILE);
	if (f != NULL && editions_parse(path.data, f->data, f->len,
	                     &ed->editions, &ed->count, &b->errors) != 0)
		goto fail;
	if (history_editions(b->opt->repo, &tagged, &ntagged, &b->errors) !=
	        0 ||
	    editions_merge(&ed->editions, &ed->count, tagged, ntagged,
	        path.data, &b->errors) != 0)
		goto fail;
	buf_free(&path);
	return 0;
fail:
	buf_putc(&b->errors, '\n');
	buf_free(&path);
	return -1;
}

/* The tree of edition es, when this clone has its commit. */
static void
load_edition(
    struct edition_site *es, struct build *b, const struct tree *current)
{
	struct edition *e = es->edition;
	e->available = history_has_commit(b->opt->repo, e->commit_id);
	if (!e->available && b->history_state != HISTORY_SHALLOW) {
		buf_printf(&b->errors,
		    "%s/%s: edition %s: commit %.12s is not in the "
		    "repository\n",
		    b->opt->content, EDITIONS_FILE, e->name, e->commit_id);
		return;
	}
	if (!e->available) {
		build_warn(b,
		    "edition %s: commit %.12s is not in this clone (a shallow "
		    "clone?), so its text is not built; 'git fetch "
		    "--unshallow' gives it",
		    e->name, e->commit_id);
		return;
	}
	struct content_tree all, content, english;
	if (content_load_git(b->opt->repo, b->opt->content, e->commit_id, &all,
	        &b->errors) != 0) {
		buf_printf(&b->errors, " (edition %s)\n", e->name);
		return;
	}
	if (lang_split(&all, &content, &english)) {
		/* an English edition exists from the first edition published
		 * with the translation */
		struct buf prefix = BUF_INIT;
		buf_printf(&prefix, "%seditions/%s/", LANG_EN_DIR, e->name);
		es->english.prefix = buf_detach(&prefix);
		es->english.edition = e;
		es->english.current = current->other ? current->other : current;
		es->english.lang = &LANG_EN;
		es->english.other = &es->tree;
		es->tree.lang = &LANG_ZH;
		es->tree.other = &es->english;
		tree_load(&es->english, b, &english, 1);
	}
	struct buf prefix = BUF_INIT;
	buf_printf(&prefix, "editions/%s/", e->name);
	es->tree.prefix = buf_detach(&prefix);
	es->tree.edition = e;
	es->tree.current = current;
	tree_load(&es->tree, b, &content, 1);
	es->is_current = content_same(&es->tree.content, &current->content);
}

int
edpages_load(struct edpages *ed, struct build *b, const struct tree *current)
{
	size_t errors_before = b->errors.len;
	memset(ed, 0, sizeof *ed);
	if (b->history_state == HISTORY_NONE)
		return 0;
	if (list_editions(ed, b, current) != 0)
		return -1;
	ed->sites = mem_calloc(ed->count + 1, sizeof *ed->sites);
	for (size_t i = 0; i < ed->count; i++) {
		ed->sites[i].edition = &ed->editions[i];
		load_edition(&ed->sites[i], b, current);
	}
	return b->errors.len == errors_before ? 0 : -1;
}

/* One page of a redline: the changes from op to np (either may be NULL:
 * added, removed), as an item of the list, or NULL when nothing changed. */
static json_t *
redline_item(
    const struct page *op, const struct page *np, struct redline_counts *total)
{
	struct buf html = BUF_INIT;
	struct redline_counts c = {0};
	size_t changes =
	    redline_page(op ? op->md.blocks : NULL, op ? op->md.nblocks : 0,
	        np ? np->md.blocks : NULL, np ? np->md.nblocks : 0, &html, &c);
	int renamed = np && op && strcmp(np->title, op->title) != 0;
	json_t *item = NULL;
	if (changes > 0 || renamed) {
		const struct page *shown = np ? np : op;
		item = json_pack("{s:s, s:s, s:s, s:b, s:b, s:I, s:I, s:I}",
		    "title", shown->title, "url", shown->dir, "html",
		    html.data ? html.data : "", "added", op == NULL, "removed",
		    np == NULL, "n_added", (json_int_t)c.added, "n_removed",
		    (json_int_t)c.removed, "n_changed", (json_int_t)c.changed);
		total->added += c.added;
		total->removed += c.removed;
		total->changed += c.changed;
	}
	buf_free(&html);
	return item;
}

/* The redline of an edition's tree nt against an older one ot, in the
 * same language, page by page. */
static int
write_redline(const struct tree *nt, const struct tree *ot)
{
	const struct edition *newer = nt->edition, *older = ot->edition;
	struct buf rel = BUF_INIT, od = BUF_INIT, nd = BUF_INIT;
	buf_printf(&rel, "%seditions/%s/changes-from/%s/",
	    nt->lang ? nt->lang->dir : "", newer->name, older->name);
	json_t *ctx = tree_base_context(nt, rel.data + strlen(nt->prefix));
	json_t *pages = json_array();
	struct redline_counts total = {0};
	/* pages of the newer edition in reading order, then removed ones */
	for (size_t i = 0; i < nt->nreading + ot->nreading; i++) {
		const struct page *np =
		    i < nt->nreading ? nt->reading[i] : NULL;
		const struct page *op =
		    np ? tree_find(ot, np->key) : ot->reading[i - nt->nreading];
		if (np == NULL && tree_find(nt, op->key) != NULL)
			continue;
		json_t *item = redline_item(op, np, &total);
		if (item != NULL)
			json_array_append_new(pages, item);
	}
	history_format_date(older->time, older->offset, &od);
	history_format_date(newer->time, newer->offset, &nd);
	json_object_update_new(ctx,
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:I, s:I, s:I}",
	        "title",
	        lang_pick(nt, "版本差异", "Differences between editions"),
	        "new_name", newer->name, "new_date", nd.data, "old_name",
	        older->name, "old_date", od.data, "pages", pages, "identical",
	        json_array_size(pages) == 0, "n_added", (json_int_t)total.added,
	        "n_removed", (json_int_t)total.removed, "n_changed",
	        (json_int_t)total.changed));
	buf_puts(&rel, "index.html");
	int rc = tree_render(nt, "redline", ctx, rel.data);
	buf_free(&rel);
	buf_free(&od);
	buf_free(&nd);
	return rc;
}

static int
write_index(const struct edpages *ed, const struct tree *tree)
{
	json_t *ctx = tree_base_context(tree, "editions/");
	json_t *list = json_array();
	const char *previous = NULL; /* the next older edition with its text */
	for (size_t i = 0; i < ed->count; i++) {
		const struct edition *e = ed->sites[i].edition;
		struct buf date = BUF_INIT;
		history_format_date(e->time, e->offset, &date);
		int english = ed->sites[i].english.npages > 0;
		int shown = tree->lang == &LANG_EN ? english : e->available;
		json_t *item = json_pack("{s:s, s:s, s:b, s:b, s:b}", "name",
		    e->name, "date", date.data, "is_current",
		    ed->sites[i].is_current, "available", e->available,
		    "in_english", english);
		if (shown && previous != NULL)
			json_object_set_new(
			    item, "previous", json_string(previous));
		if (shown)
			previous = e->name;
		json_array_insert_new(list, 0, item); /* newest first */
		buf_free(&date);
	}
	json_object_update_new(
	    ctx, json_pack("{s:s, s:o, s:b}", "title",
	             lang_pick(tree, "历次版本", "Editions"), "editions", list,
	             "none", ed->count == 0));
	char *out = lang_out(tree, "editions/index.html");
	int rc = tree_render(tree, "editions", ctx, out);
	free(out);
	return rc;
}

int
edpages_write(const struct edpages *ed, const struct tree *current)
{
	int rc = 0;
	const struct edition_site *older = NULL; /* with its text */
	const struct tree *older_english = NULL;
	for (size_t i = 0; rc == 0 && i < ed->count; i++) {
		struct edition_site *es = &ed->sites[i];
		if (!es->edition->available)
			continue;
		rc = tree_write(&es->tree);
		if (rc == 0 && older != NULL)
			rc = write_redline(&es->tree, &older->tree);
		older = es;
		if (rc != 0 || es->english.npages == 0)
			continue;
		rc = tree_write(&es->english);
		if (rc == 0 && older_english != NULL)
			rc = write_redline(&es->english, older_english);
		older_english = &es->english;
	}
	if (rc == 0)
		rc = write_index(ed, current);
	if (rc == 0 && current->other != NULL)
		rc = write_index(ed, current->other);
	return rc;
}

void
edpages_free(struct edpages *ed)
{
	for (size_t i = 0; ed->sites && i < ed->count; i++) {
		free((char *)ed->sites[i].tree.prefix);
		free((char *)ed->sites[i].english.prefix);
		tree_free(&ed->sites[i].english);
		tree_free(&ed->sites[i].tree);
	}
	free(ed->sites);
	editions_free(ed->editions, ed->count);
	memset(ed, 0, sizeof *ed);
}

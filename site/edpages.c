/*
 * edpages: editions are loaded in the list's order (oldest first).  A
 * redline compares two trees page by page by key: the newer one's pages in
 * reading order, then the pages it removed; every edition with text is
 * compared with every older one and with the current text.  Requirements
 * are compared by id: added, removed, or their item's text changed.
 */
#include "site/edpages.h"

#include <stdlib.h>
#include <string.h>

#include "site/lang.h"
#include "site/redline.h"
#include "site/strmap.h"

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
	if (content_load_git(b->opt->repo, b->opt->content, e->commit_id,
	        b->threads, &all, &b->errors) != 0) {
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

/* One side of a comparison: an edition with its text, or the current
 * site (edition NULL). */
struct side {
	const struct tree *tree;
	const struct edition *edition;
};

static void
side_label(const struct side *s, struct buf *name, struct buf *date)
{
	if (s->edition == NULL) {
		buf_puts(
		    name, lang_pick(s->tree, "现行版本", "the current text"));
		return;
	}
	buf_printf(name, lang_pick(s->tree, "%s 版", "the %s edition"),
	    s->edition->name);
	history_format_date(s->edition->time, s->edition->offset, date);
}

/*
 * The requirement ids (list items written {#R-...}) that differ between
 * two trees: added, removed, or whose item's text changed; newer's in its
 * reading order, then the removed ones.  Each with its kind in words and,
 * unless removed, its address in newer (from root).
 */
static json_t *
requirement_changes(const struct tree *nt, const struct tree *ot)
{
	struct strmap *old_ids = strmap_new(), *new_ids = strmap_new();
	json_t *list = json_array();
	for (size_t i = 0; i < ot->nreading; i++) {
		const struct page *p = ot->reading[i];
		for (size_t k = 0; k < p->md.nanchors; k++)
			strmap_put(old_ids, p->md.anchors[k].id,
			    (void *)&p->md.anchors[k]);
	}
	for (size_t i = 0; i < nt->nreading; i++) {
		const struct page *p = nt->reading[i];
		for (size_t k = 0; k < p->md.nanchors; k++) {
			const struct md_anchor *a = &p->md.anchors[k];
			const struct md_anchor *o = strmap_get(old_ids, a->id);
			strmap_put(new_ids, a->id, (void *)a);
			if (o && strcmp(o->text, a->text) == 0)
				continue;
			json_array_append_new(
			    list, json_pack("{s:s, s:s, s:s, s:b}", "id", a->id,
			              "kind",
			              o ? lang_pick(nt, "修改", "reworded")
			                : lang_pick(nt, "新增", "added"),
			              "url", p->dir, "linked", 1));
		}
	}
	for (size_t i = 0; i < ot->nreading; i++) {
		const struct page *p = ot->reading[i];
		for (size_t k = 0; k < p->md.nanchors; k++) {
			const char *id = p->md.anchors[k].id;
			if (strmap_get(new_ids, id) == NULL)
				json_array_append_new(
				    list, json_pack("{s:s, s:s, s:s, s:b}",
				              "id", id, "kind",
				              lang_pick(nt, "删除", "removed"),
				              "url", "", "linked", 0));
		}
	}
	strmap_free(old_ids);
	strmap_free(new_ids);
	return list;
}

/* The redline of newer against older, page by page, at rel (a folder). */
static int
write_redline(
    const struct side *newer, const struct side *older, const char *rel_dir)
{
	const struct tree *nt = newer->tree, *ot = older->tree;
	struct buf rel = BUF_INIT, on = BUF_INIT, od = BUF_INIT, nn = BUF_INIT,
	           nd = BUF_INIT;
	buf_printf(&rel, "%s%s", nt->lang ? nt->lang->dir : "", rel_dir);
	json_t *ctx = tree_base_context(nt, rel.data + strlen(nt->prefix));
	/* the same comparison in the other language, when both have one */
	if (nt->other == NULL || ot->other == NULL)
		lang_drop_switch(ctx);
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
	side_label(older, &on, &od);
	side_label(newer, &nn, &nd);
	json_t *reqs = requirement_changes(nt, ot);
	json_object_update_new(ctx,
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:I, s:I, s:I, "
	              "s:o, s:b, s:b}",
	        "title", lang_pick(nt, "版本差异", "Differences"), "new_label",
	        buf_str(&nn), "new_date", buf_str(&nd), "old_label",
	        buf_str(&on), "old_date", buf_str(&od), "pages", pages,
	        "identical", json_array_size(pages) == 0, "n_added",
	        (json_int_t)total.added, "n_removed", (json_int_t)total.removed,
	        "n_changed", (json_int_t)total.changed, "requirements", reqs,
	        "has_requirements", json_array_size(reqs) > 0, "new_is_current",
	        newer->edition == NULL));
	buf_puts(&rel, "index.html");
	int rc = tree_render(nt, "redline", ctx, rel.data);
	buf_free(&rel);
	buf_free(&on);
	buf_free(&od);
	buf_free(&nn);
	buf_free(&nd);
	return rc;
}

/* An edition's tree in the language of current (Chinese or English), or
 * NULL when it has no text in that language. */
static const struct tree *
edition_tree(const struct edition_site *es, const struct tree *current)
{
	if (!es->edition->available)
		return NULL;
	if (current->lang != &LANG_EN)
		return &es->tree;
	return es->english.npages > 0 ? &es->english : NULL;
}

/* Every edition with its text against every older one, and against the
 * current site, in the language of current. */
static int
write_redlines(const struct edpages *ed, const struct tree *current)
{
	int rc = 0;
	struct buf rel = BUF_INIT;
	for (size_t i = 0; rc == 0 && i < ed->count; i++) {
		const struct edition_site *es = &ed->sites[i];
		if (edition_tree(es, current) == NULL)
			continue;
		struct side older = {edition_tree(es, current), es->edition};
		for (size_t j = i + 1; rc == 0 && j < ed->count; j++) {
			const struct edition_site *ns = &ed->sites[j];
			if (edition_tree(ns, current) == NULL)
				continue;
			struct side newer = {
			    edition_tree(ns, current), ns->edition};
			buf_reset(&rel);
			buf_printf(&rel, "editions/%s/changes-from/%s/",
			    ns->edition->name, es->edition->name);
			rc = write_redline(&newer, &older, rel.data);
		}
		struct side now = {current, NULL};
		buf_reset(&rel);
		buf_printf(&rel, "changes/since/%s/", es->edition->name);
		if (rc == 0)
			rc = write_redline(&now, &older, rel.data);
	}
	buf_free(&rel);
	return rc;
}

/* One requirement's changes, for the requirements' page. */
struct req_row {
	json_t *row; /* {id, url, linked, changes: [...]} */
};

/*
 * /changes/requirements/: for each requirement id, the editions in which
 * it changed (was added, reworded or removed) against the edition before,
 * and the current text against the last edition; ids unchanged since the
 * first edition (or the current text, without editions) are left out.
 */
static int
write_requirements(const struct edpages *ed, const struct tree *current)
{
	struct side *sides = mem_calloc(ed->count + 2, sizeof *sides);
	size_t nsides = 0;
	int last_is_current = 0;
	for (size_t i = 0; i < ed->count; i++) {
		if (edition_tree(&ed->sites[i], current) == NULL)
			continue;
		sides[nsides++] = (struct side){
		    edition_tree(&ed->sites[i], current), ed->sites[i].edition};
		last_is_current = ed->sites[i].is_current;
	}
	if (!last_is_current || nsides == 0)
		sides[nsides++] = (struct side){current, NULL};
	struct strmap *rows = strmap_new(); /* id -> struct req_row */
	json_t *order = json_array();       /* ids, first seen first */
	for (size_t i = 1; i < nsides; i++) {
		json_t *changes =
		    requirement_changes(sides[i].tree, sides[i - 1].tree);
		struct buf name = BUF_INIT, date = BUF_INIT;
		side_label(&sides[i], &name, &date);
		size_t k;
		json_t *c;
		json_array_foreach (changes, k, c) {
			const char *id =
			    json_string_value(json_object_get(c, "id"));
			struct req_row *r = strmap_get(rows, id);
			if (r == NULL) {
				r = mem_calloc(1, sizeof *r);
				r->row =
				    json_pack("{s:s, s:s, s:b, s:[]}", "id", id,
				        "url", "", "linked", 0, "changes");
				strmap_put(rows, id, r);
				json_array_append_new(order, json_string(id));
			}
			json_array_append_new(
			    json_object_get(r->row, "changes"),
			    json_pack("{s:s, s:s, s:s}", "edition", name.data,
			        "date", buf_str(&date), "kind",
			        json_string_value(json_object_get(c, "kind"))));
		}
		buf_free(&name);
		buf_free(&date);
		json_decref(changes);
	}
	/* where each id is now */
	for (size_t i = 0; i < current->nreading; i++) {
		const struct page *p = current->reading[i];
		for (size_t k = 0; k < p->md.nanchors; k++) {
			struct req_row *r =
			    strmap_get(rows, p->md.anchors[k].id);
			if (r == NULL)
				continue;
			json_object_set_new(r->row, "url", json_string(p->dir));
			json_object_set_new(r->row, "linked", json_true());
		}
	}
	json_t *list = json_array();
	size_t k;
	json_t *id;
	json_array_foreach (order, k, id) {
		struct req_row *r = strmap_get(rows, json_string_value(id));
		json_array_append_new(list, r->row);
		free(r);
	}
	json_decref(order);
	strmap_free(rows);
	free(sides);
	json_t *ctx = tree_base_context(current, "changes/requirements/");
	json_object_update_new(ctx,
	    json_pack("{s:s, s:s, s:o, s:b, s:b}", "title",
	        lang_pick(
	            current, "要求条款的修订", "Changes to the requirements"),
	        "description",
	        lang_pick(current,
	            "各项要求（按编号）在哪个版本新增、修改或删除。",
	            "In which edition each requirement (by its id) was added, "
	            "reworded or removed."),
	        "rows", list, "none", json_array_size(list) == 0,
	        "has_editions", ed->count > 0));
	char *out = lang_out(current, "changes/requirements/index.html");
	int rc = tree_render(current, "requirements-changes", ctx, out);
	free(out);
	return rc;
}

static int
write_index(const struct edpages *ed, const struct tree *current)
{
	json_t *ctx = tree_base_context(current, "editions/");
	json_t *list = json_array();
	for (size_t i = 0; i < ed->count; i++) {
		const struct edition *e = ed->sites[i].edition;
		struct buf date = BUF_INIT;
		history_format_date(e->time, e->offset, &date);
		json_t *older = json_array(); /* newest first */
		int shown = edition_tree(&ed->sites[i], current) != NULL;
		for (size_t j = 0; shown && j < i; j++)
			if (edition_tree(&ed->sites[j], current) != NULL)
				json_array_insert_new(older, 0,
				    json_pack("{s:s}", "old",
				        ed->sites[j].edition->name));
		json_t *item = json_pack("{s:s, s:s, s:b, s:b, s:o, s:b, s:b}",
		    "name", e->name, "date", date.data, "is_current",
		    ed->sites[i].is_current, "available", e->available, "older",
		    older, "has_older", json_array_size(older) > 0,
		    "in_english", ed->sites[i].english.npages > 0);
		json_array_insert_new(list, 0, item); /* newest first */
		buf_free(&date);
	}
	json_object_update_new(
	    ctx, json_pack("{s:s, s:o, s:b}", "title",
	             lang_pick(current, "历次版本", "Editions"), "editions",
	             list, "none", ed->count == 0));
	char *out = lang_out(current, "editions/index.html");
	int rc = tree_render(current, "editions", ctx, out);
	free(out);
	return rc;
}

int
edpages_write(const struct edpages *ed, const struct tree *current)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < ed->count; i++) {
		struct edition_site *es = &ed->sites[i];
		if (es->edition->available)
			rc = tree_write(&es->tree);
		if (rc == 0 && es->english.npages > 0)
			rc = tree_write(&es->english);
	}
	return rc == 0 ? edpages_write_current(ed, current) : rc;
}

int
edpages_write_current(const struct edpages *ed, const struct tree *current)
{
	int rc = 0;
	/* each language: its redlines, requirements and editions page */
	for (int l = 0; l < 2 && rc == 0; l++) {
		const struct tree *t = l == 0 ? current : current->other;
		if (t == NULL)
			break;
		rc = write_redlines(ed, t);
		if (rc == 0)
			rc = write_requirements(ed, t);
		if (rc == 0)
			rc = write_index(ed, t);
	}
	return rc;
}

void
edpages_free(struct edpages *ed)
{
	for (size_t i = 0; ed->sites && i < ed->count; i++) {
		free((char *)ed->sites[i].tree.prefix);
		tree_free(&ed->sites[i].tree);
		free((char *)ed->sites[i].english.prefix);
		tree_free(&ed->sites[i].english);
	}
	free(ed->sites);
	editions_free(ed->editions, ed->count);
	memset(ed, 0, sizeof *ed);
}

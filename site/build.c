/*
 * build: one whole site build.  Loads the theme and the git history, loads
 * the current tree of pages and every published edition's, and only when
 * all of them are free of errors writes the site into a staging folder:
 * pages, page histories, the changes page and its Atom feed, the editions
 * and their redlines, 404.html, sitemap.xml and robots.txt.  The staging
 * folder is then swapped into place whole.
 */
#include "site/build.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "site/apidoc.h"
#include "site/fsutil.h"
#include "site/redline.h"
#include "site/regpages.h"
#include "site/search.h"
#include "registry/date.h"
#include "registry/status.h"
#include "site/tree.h"

/* Entries of the changes page and of the Atom feed. */
#define CHANGES_LISTED 100
#define FEED_ENTRIES 50
/* Most worker threads for writing pages. */
#define MAX_THREADS 8

const char *
build_history_reason(const struct build *b)
{
	if (b->history_state == HISTORY_SHALLOW)
		return "修订历史不可用：本站构建时 git 历史不完整（浅克隆）。";
	return "修订历史不可用：本站不是从 git 仓库的提交构建的。";
}

void
build_error(struct build *b, const char *message)
{
	pthread_mutex_lock(&b->lock);
	buf_puts(&b->errors, message);
	buf_putc(&b->errors, '\n');
	b->failed = 1;
	pthread_mutex_unlock(&b->lock);
}

int
build_write(struct build *b, const char *rel, const void *data, size_t len)
{
	struct buf path = BUF_INIT, err = BUF_INIT;
	buf_printf(&path, "%s/%s", b->staging, rel);
	int rc = fs_write_file(path.data, data, len, &err);
	if (rc != 0)
		build_error(b, err.data);
	else
		__atomic_fetch_add(&b->written, 1, __ATOMIC_RELAXED);
	buf_free(&path);
	buf_free(&err);
	return rc;
}

int
build_render_to(struct build *b, const char *name, json_t *ctx, const char *rel)
{
	struct buf html = BUF_INIT, err = BUF_INIT;
	int rc = mustache_render(b->templates, name, ctx, &html, &err);
	if (rc != 0)
		build_error(b, err.data);
	else
		rc = build_write(b, rel, html.data, html.len);
	buf_free(&html);
	buf_free(&err);
	return rc;
}

struct work_queue {
	struct build *build;
	size_t next, n; /* the next item to take, and how many there are */
	size_t done;    /* items finished, for the progress line */
	pthread_t main; /* the thread that prints progress */
	void (*fn)(struct build *, size_t, void *);
	void *ctx;
};

/* Each worker takes the next item until none is left or a write failed. */
static void *
work(void *arg)
{
	struct work_queue *q = arg;
	for (;;) {
		size_t i = __atomic_fetch_add(&q->next, 1, __ATOMIC_RELAXED);
		if (i >= q->n ||
		    __atomic_load_n(&q->build->failed, __ATOMIC_RELAXED))
			break;
		q->fn(q->build, i, q->ctx);
		size_t done = __atomic_add_fetch(&q->done, 1, __ATOMIC_RELAXED);
		if (q->build->opt->progress && q->n >= 1000 &&
		    pthread_equal(pthread_self(), q->main) &&
		    (done % 250 == 0 || done == q->n))
			fprintf(stderr, "\rsitegen: %zu/%zu %-20s", done, q->n,
			    q->build->doing);
	}
	return NULL;
}

int
build_each(struct build *b, size_t n,
    void (*fn)(struct build *, size_t, void *), void *ctx)
{
	struct work_queue q = {b, 0, n, 0, pthread_self(), fn, ctx};
	pthread_t tid[MAX_THREADS];
	int started = 0;
	/* A thread that cannot be started only leaves more for the others. */
	for (int t = 1; t < b->threads && t < MAX_THREADS && (size_t)t < n; t++)
		if (pthread_create(&tid[started], NULL, work, &q) == 0)
			started++;
	work(&q);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	if (b->opt->progress && n >= 1000)
		fprintf(stderr, "\rsitegen: %zu/%zu %-20s\n", n, n, b->doing);
	return b->failed ? -1 : 0;
}

static int
load_templates(struct build *b)
{
	b->templates = mustache_set_new();
	int rc = 0;
	for (size_t i = 0; i < b->theme.count; i++) {
		const struct theme_file *f = &b->theme.files[i];
		if (strncmp(f->name, "templates/", 10) != 0)
			continue;
		const char *base = strrchr(f->name, '/') + 1;
		const char *dot = strrchr(base, '.');
		if (dot == NULL || strcmp(dot, ".mustache") != 0)
			continue;
		char *short_name = mem_strndup(base, (size_t)(dot - base));
		if (mustache_set_add(b->templates, short_name, f->data, f->len,
		        &b->errors) != 0) {
			buf_putc(&b->errors, '\n');
			rc = -1;
		}
		free(short_name);
	}
	return rc;
}

static double
now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds since *mark, which moves to now. */
static double
lap(double *mark)
{
	double now = now_seconds(), elapsed = now - *mark;
	*mark = now;
	return elapsed;
}

/* ---- what changed: page histories, the changes page, the feed ---- */

static const char *
change_word(enum change_kind kind)
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

static json_t *
commit_json(const struct history_commit *c)
{
	struct buf date = BUF_INIT;
	history_format_date(c->time, c->offset, &date);
	json_t *j = json_pack("{s:s, s:s, s:s%, s:s, s:s}", "id", c->id, "date",
	    date.data, "short", c->id, (size_t)7, "subject", c->subject,
	    "author", c->author);
	buf_free(&date);
	return j;
}

/* The pages a commit changed, linked where they still exist. */
static json_t *
commit_pages(const struct tree *tree, const struct history_commit *c)
{
	json_t *list = json_array();
	for (size_t i = 0; i < c->nchanges; i++) {
		const struct history_change *ch = &c->changes[i];
		size_t n = strlen(ch->path);
		if (n < 3 || strcmp(ch->path + n - 3, ".md") != 0)
			continue;
		json_t *item = json_pack("{s:s, s:s}", "kind",
		    change_word(ch->kind), "path", ch->path);
		if (ch->current) {
			char *key =
			    mem_strndup(ch->current, strlen(ch->current) - 3);
			const struct page *p = tree_find(tree, key);
			free(key);
			if (p) {
				json_object_set_new(
				    item, "title", json_string(p->title));
				json_object_set_new(
				    item, "url", json_string(p->dir));
			}
		}
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
	const struct history_file *f =
	    b->history_state == HISTORY_OK
	        ? history_file(&b->history, p->file->path)
	        : NULL;
	for (size_t k = 0; f && k < f->ncommits; k++)
		json_array_append_new(
		    commits, commit_json(&b->history.commits[f->commits[k]]));
	json_object_update_new(page,
	    json_pack("{s:s, s:s, s:s, s:o, s:s?, s:b}", "title", "修订历史",
	        "page_title", p->title ? p->title : "", "page_url", p->dir,
	        "commits", commits, "history_unavailable",
	        b->history_state != HISTORY_OK ? build_history_reason(b) : NULL,
	        "uncommitted", b->history_state == HISTORY_OK && f == NULL));
	json_object_set_new(page, "nav", tree_nav(tree, NULL));
	buf_puts(&path, "index.html");
	build_render_to(b, "history", page, path.data);
	json_decref(page);
	buf_free(&path);
}

static int
write_page_histories(struct build *b, const struct tree *tree)
{
	b->doing = "page histories";
	return build_each(b, tree->nreading, write_page_history, (void *)tree);
}

static int
write_changes(struct build *b, const struct tree *tree)
{
	json_t *ctx = tree_base_context(tree, "changes/");
	json_t *commits = json_array();
	size_t n = b->history_state == HISTORY_OK ? b->history.ncommits : 0;
	for (size_t i = 0; i < n && i < CHANGES_LISTED; i++) {
		const struct history_commit *c = &b->history.commits[i];
		json_t *j = commit_json(c);
		json_object_set_new(j, "pages", commit_pages(tree, c));
		json_array_append_new(commits, j);
	}
	json_object_update_new(ctx,
	    json_pack("{s:s, s:o, s:s?, s:b, s:I}", "title", "最近修订",
	        "commits", commits, "history_unavailable",
	        b->history_state != HISTORY_OK ? build_history_reason(b) : NULL,
	        "more", n > CHANGES_LISTED, "listed",
	        (json_int_t)(n < CHANGES_LISTED ? n : CHANGES_LISTED)));
	json_object_set_new(ctx, "nav", tree_nav(tree, NULL));
	int rc = build_render_to(b, "changes", ctx, "changes/index.html");
	json_decref(ctx);
	return rc;
}

static void
xml_text(struct buf *out, const char *s)
{
	buf_puts_html(out, s);
}

/* feed.xml: Atom 1.0 (RFC 4287), one entry per commit that changed content. */
static int
write_feed(struct build *b, const struct tree *tree)
{
	const char *base = b->opt->base_url;
	struct buf x = BUF_INIT, t = BUF_INIT;
	buf_puts(&x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	             "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	             "xml:lang=\"zh-CN\">\n");
	buf_puts(&x, "  <title>");
	xml_text(&x, tree->home && tree->home->title ? tree->home->title : "");
	buf_puts(&x, " · 最近修订</title>\n  <id>");
	xml_text(&x, base);
	buf_puts(&x, "feed.xml</id>\n  <link rel=\"self\" href=\"");
	xml_text(&x, base);
	buf_puts(&x, "feed.xml\"/>\n  <link rel=\"alternate\" "
	             "type=\"text/html\" href=\"");
	xml_text(&x, base);
	buf_puts(&x, "changes/\"/>\n  <updated>");
	size_t n = b->history_state == HISTORY_OK ? b->history.ncommits : 0;
	if (n > 0)
		history_format_rfc3339(b->history.commits[0].time,
		    b->history.commits[0].offset, &x);
	else
		buf_puts(&x, "1970-01-01T00:00:00Z");
	buf_puts(&x, "</updated>\n  <author><name>");
	xml_text(
	    &x, tree->home && tree->home->title ? tree->home->title : "site");
	buf_puts(&x, "</name></author>\n");
	for (size_t i = 0; i < n && i < FEED_ENTRIES; i++) {
		const struct history_commit *c = &b->history.commits[i];
		buf_puts(&x, "  <entry>\n    <title>");
		xml_text(&x, c->subject[0] ? c->subject : c->id);
		buf_printf(&x, "</title>\n    <id>%schanges/#commit-%s</id>\n",
		    base, c->id);
		buf_printf(&x,
		    "    <link rel=\"alternate\" type=\"text/html\" "
		    "href=\"%schanges/#commit-%s\"/>\n    <updated>",
		    base, c->id);
		history_format_rfc3339(c->time, c->offset, &x);
		buf_puts(&x, "</updated>\n    <author><name>");
		xml_text(&x, c->author[0] ? c->author : "unknown");
		buf_puts(&x, "</name></author>\n    <summary type=\"text\">");
		buf_reset(&t);
		for (size_t k = 0; k < c->nchanges; k++) {
			const struct history_change *ch = &c->changes[k];
			if (t.len)
				buf_puts(&t, "；");
			buf_printf(
			    &t, "%s %s", change_word(ch->kind), ch->path);
		}
		xml_text(&x, buf_str(&t));
		buf_puts(&x, "</summary>\n  </entry>\n");
	}
	buf_puts(&x, "</feed>\n");
	int rc = build_write(b, "feed.xml", x.data, x.len);
	buf_free(&x);
	buf_free(&t);
	return rc;
}

/* The requirement checklist: every list item with an id, page by page. */
static int
write_checklist(struct build *b, const struct tree *tree)
{
	json_t *ctx = tree_base_context(tree, "checklist/");
	json_t *pages = json_array();
	size_t total = 0;
	for (size_t i = 0; i < tree->nreading; i++) {
		const struct page *p = tree->reading[i];
		if (p->md.nanchors == 0)
			continue;
		json_t *items = json_array();
		for (size_t k = 0; k < p->md.nanchors; k++)
			json_array_append_new(items,
			    json_pack("{s:s, s:s}", "id", p->md.anchors[k].id,
			        "text", p->md.anchors[k].text));
		total += p->md.nanchors;
		json_array_append_new(
		    pages, json_pack("{s:s, s:s, s:o}", "title",
		               p->title ? p->title : "", "url", p->dir, "items",
		               items));
	}
	json_object_update_new(ctx,
	    json_pack("{s:s, s:o, s:I, s:[s]}", "title", "自评清单", "pages",
	        pages, "total", (json_int_t)total, "scripts", "checklist.js"));
	json_object_set_new(ctx, "nav", tree_nav(tree, NULL));
	int rc = build_render_to(b, "checklist", ctx, "checklist/index.html");
	json_decref(ctx);
	return rc;
}

/* The timeline page, with an example computed by the registry's rules for
 * readers without JavaScript. */
static int
write_timeline(struct build *b, const struct tree *tree)
{
	int issued, start, end;
	char a1s[DATE_BUFSIZE], a1e[DATE_BUFSIZE], a2s[DATE_BUFSIZE],
	    a2e[DATE_BUFSIZE], rs[DATE_BUFSIZE], vu[DATE_BUFSIZE],
	    is[DATE_BUFSIZE];
	date_parse("2017-10-01", &issued);
	int valid_until = status_valid_until(issued);
	status_annual_window(issued, 1, &start, &end);
	date_format(start, a1s);
	date_format(end, a1e);
	status_annual_window(issued, 2, &start, &end);
	date_format(start, a2s);
	date_format(end, a2e);
	status_renewal_window(valid_until, &start, &end);
	date_format(start, rs);
	date_format(valid_until, vu);
	date_format(issued, is);
	json_t *ctx = tree_base_context(tree, "timeline/");
	json_object_update_new(ctx,
	    json_pack("{s:s, s:[s], s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s}}",
	        "title", "证书时间表", "scripts", "timeline.js", "example",
	        "issued_on", is, "annual1_start", a1s, "annual1_end", a1e,
	        "annual2_start", a2s, "annual2_end", a2e, "renewal_start", rs,
	        "valid_until", vu));
	json_object_set_new(ctx, "nav", tree_nav(tree, NULL));
	int rc = build_render_to(b, "timeline", ctx, "timeline/index.html");
	json_decref(ctx);
	return rc;
}

/* The API's documentation page, from its OpenAPI document. */
static int
write_api(struct build *b, const struct tree *tree)
{
	struct buf err = BUF_INIT;
	json_t *api = apidoc_context(b->opt->api_doc, b->opt->base_url, &err);
	if (api == NULL) {
		build_error(b, err.data);
		buf_free(&err);
		return -1;
	}
	json_t *ctx = tree_base_context(tree, "api/");
	json_object_update_new(ctx, api);
	json_object_set_new(ctx, "title", json_string("数据接口（API）"));
	json_object_set_new(ctx, "nav", tree_nav(tree, NULL));
	int rc = build_render_to(b, "api", ctx, "api/index.html");
	json_decref(ctx);
	return rc;
}

static int
write_search_file(void *ctx, const char *name, const char *data, size_t len)
{
	return build_write(ctx, name, data, len);
}

/*
 * The search index: one document per section of a page (its text up to the
 * next heading of level 2 or 3), so a result can name the heading.
 */
static int
write_search(
    struct build *b, const struct tree *tree, struct build_stats *stats)
{
	struct search_index *index = search_index_new();
	int rc = 0;
	struct buf url = BUF_INIT, text = BUF_INIT;
	for (size_t i = 0; i < tree->nreading; i++) {
		const struct page *p = tree->reading[i];
		const char *heading = NULL, *id = NULL;
		size_t next_heading = 0;
		for (size_t k = 0; k <= p->md.nblocks; k++) {
			const struct md_block *blk =
			    k < p->md.nblocks ? &p->md.blocks[k] : NULL;
			int starts =
			    blk && blk->kind == MD_HEADING && blk->level <= 3;
			if (blk == NULL || starts) {
				if (text.len || heading || k == p->md.nblocks) {
					buf_reset(&url);
					buf_puts(&url, p->dir);
					if (id)
						buf_printf(&url, "#%s", id);
					search_index_add(index, url.data,
					    p->title ? p->title : "", heading,
					    buf_str(&text));
				}
				buf_reset(&text);
				if (blk == NULL)
					break;
				/* the id of this heading: the next one with its
				 * text */
				heading = blk->text;
				id = NULL;
				while (next_heading < p->md.nheadings) {
					const struct md_heading *h =
					    &p->md.headings[next_heading++];
					if (strcmp(h->text, blk->text) == 0) {
						id = h->id;
						break;
					}
				}
				continue;
			}
			if (text.len)
				buf_putc(&text, ' ');
			buf_puts(&text, blk->text);
		}
	}
	if (b->opt->registry) {
		struct regpages_stats rs = {0};
		rc = regpages_write(b, tree, b->opt->registry, index, &rs);
		stats->certificates = rs.certificates;
		stats->organisations = rs.organisations;
	}
	size_t bytes = 0;
	if (rc == 0)
		rc = search_index_write(index, write_search_file, b, &bytes)
		         ? -1
		         : 0;
	stats->search_documents = search_index_count(index);
	stats->search_bytes = bytes;
	search_index_free(index);
	buf_free(&url);
	buf_free(&text);
	if (rc == 0) {
		json_t *ctx = tree_base_context(tree, "search/");
		json_object_update_new(
		    ctx, json_pack("{s:s, s:[s]}", "title", "搜索", "scripts",
		             "search.js"));
		json_object_set_new(ctx, "nav", tree_nav(tree, NULL));
		rc = build_render_to(b, "search", ctx, "search/index.html");
		json_decref(ctx);
	}
	return rc;
}

/* ---- editions and redlines ---- */

struct edition_site {
	struct edition *edition;
	int is_current; /* its text is the current site's */
	struct tree tree;
};

/* The redline of edition `newer` against `older`, page by page. */
static int
write_redline(struct build *b, const struct edition_site *newer,
    const struct edition_site *older)
{
	const struct tree *nt = &newer->tree, *ot = &older->tree;
	struct buf rel = BUF_INIT;
	buf_printf(&rel, "editions/%s/changes-from/%s/", newer->edition->name,
	    older->edition->name);
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
		struct buf html = BUF_INIT;
		struct redline_counts c = {0};
		size_t changes = redline_page(op ? op->md.blocks : NULL,
		    op ? op->md.nblocks : 0, np ? np->md.blocks : NULL,
		    np ? np->md.nblocks : 0, &html, &c);
		int renamed = np && op && strcmp(np->title, op->title) != 0;
		if (changes > 0 || renamed) {
			const struct page *shown = np ? np : op;
			json_array_append_new(pages,
			    json_pack(
			        "{s:s, s:s, s:s, s:b, s:b, s:I, s:I, s:I}",
			        "title", shown->title, "url", shown->dir,
			        "html", html.data ? html.data : "", "added",
			        op == NULL, "removed", np == NULL, "n_added",
			        (json_int_t)c.added, "n_removed",
			        (json_int_t)c.removed, "n_changed",
			        (json_int_t)c.changed));
			total.added += c.added;
			total.removed += c.removed;
			total.changed += c.changed;
		}
		buf_free(&html);
	}
	struct buf od = BUF_INIT, nd = BUF_INIT;
	history_format_date(older->edition->time, older->edition->offset, &od);
	history_format_date(newer->edition->time, newer->edition->offset, &nd);
	json_object_update_new(ctx,
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:I, s:I, s:I}",
	        "title", "版本差异", "new_name", newer->edition->name,
	        "new_date", nd.data, "old_name", older->edition->name,
	        "old_date", od.data, "pages", pages, "identical",
	        json_array_size(pages) == 0, "n_added", (json_int_t)total.added,
	        "n_removed", (json_int_t)total.removed, "n_changed",
	        (json_int_t)total.changed));
	json_object_set_new(ctx, "nav", tree_nav(nt, NULL));
	buf_puts(&rel, "index.html");
	int rc = build_render_to(b, "redline", ctx, rel.data);
	json_decref(ctx);
	buf_free(&rel);
	buf_free(&od);
	buf_free(&nd);
	return rc;
}

static int
write_editions_index(struct build *b, const struct tree *current,
    struct edition_site *eds, size_t n)
{
	json_t *ctx = tree_base_context(current, "editions/");
	json_t *list = json_array();
	const char *previous = NULL; /* the next older edition with its text */
	for (size_t i = 0; i < n; i++) {
		const struct edition *e = eds[i].edition;
		struct buf date = BUF_INIT;
		history_format_date(e->time, e->offset, &date);
		json_t *item = json_pack("{s:s, s:s, s:b, s:b}", "name",
		    e->name, "date", date.data, "is_current", eds[i].is_current,
		    "available", e->available);
		if (e->available && previous != NULL)
			json_object_set_new(
			    item, "previous", json_string(previous));
		if (e->available)
			previous = e->name;
		json_array_insert_new(list, 0, item); /* newest first */
		buf_free(&date);
	}
	json_object_update_new(
	    ctx, json_pack("{s:s, s:o, s:b}", "title", "历次版本", "editions",
	             list, "none", n == 0));
	json_object_set_new(ctx, "nav", tree_nav(current, NULL));
	int rc = build_render_to(b, "editions", ctx, "editions/index.html");
	json_decref(ctx);
	return rc;
}

/* The published editions: the content's list, with any tags beside it.
 * Errors go to b->errors; returns NULL on error, else an array of
 * *count (perhaps zero) editions. */
static struct edition *
list_editions(struct build *b, const struct tree *current, size_t *count)
{
	struct edition *listed = NULL, *tagged = NULL;
	size_t nlisted = 0, ntagged = 0;
	const struct content_file *f =
	    content_find(&current->content, EDITIONS_FILE);
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", b->opt->content, EDITIONS_FILE);
	*count = 0;
	if (f != NULL && editions_parse(path.data, f->data, f->len, &listed,
	                     &nlisted, &b->errors) != 0)
		goto fail;
	if (history_editions(b->opt->repo, &tagged, &ntagged, &b->errors) !=
	        0 ||
	    editions_merge(
	        &listed, &nlisted, tagged, ntagged, path.data, &b->errors) != 0)
		goto fail;
	buf_free(&path);
	*count = nlisted;
	return listed ? listed : mem_calloc(1, sizeof *listed);
fail:
	buf_putc(&b->errors, '\n');
	editions_free(listed, nlisted);
	buf_free(&path);
	return NULL;
}

/* Loads every edition's tree; errors go to b->errors.  An edition whose
 * commit this clone lacks (a shallow clone) is listed without its text. */
static struct edition_site *
load_editions(struct build *b, const struct tree *current, size_t *count)
{
	size_t n = 0;
	struct edition *editions = list_editions(b, current, &n);
	*count = 0;
	if (editions == NULL)
		return NULL;
	struct edition_site *eds = mem_calloc(n + 1, sizeof *eds);
	for (size_t i = 0; i < n; i++) {
		struct edition_site *es = &eds[i];
		es->edition = &editions[i];
		editions[i].available =
		    history_has_commit(b->opt->repo, editions[i].commit_id);
		if (!editions[i].available &&
		    b->history_state != HISTORY_SHALLOW) {
			buf_printf(&b->errors,
			    "%s/%s: edition %s: commit %.12s is not "
			    "in the repository\n",
			    b->opt->content, EDITIONS_FILE, editions[i].name,
			    editions[i].commit_id);
			continue;
		}
		if (!editions[i].available) {
			fprintf(stderr,
			    "sitegen: warning: edition %s: commit %.12s is "
			    "not in this clone (a shallow clone?), so its text "
			    "is not "
			    "built; 'git fetch --unshallow' gives it\n",
			    editions[i].name, editions[i].commit_id);
			continue;
		}
		struct content_tree content;
		if (content_load_git(b->opt->repo, b->opt->content,
		        editions[i].commit_id, &content, &b->errors) != 0) {
			buf_printf(
			    &b->errors, " (edition %s)\n", editions[i].name);
			continue;
		}
		struct buf prefix = BUF_INIT;
		buf_printf(&prefix, "editions/%s/", editions[i].name);
		es->tree.prefix = buf_detach(&prefix);
		es->tree.edition = es->edition;
		es->tree.current = current;
		tree_load(&es->tree, b, &content, 1);
		es->is_current =
		    content_same(&es->tree.content, &current->content);
	}
	*count = n;
	return eds;
}

static void
free_editions(struct edition_site *eds, size_t n)
{
	if (eds == NULL)
		return;
	struct edition *editions = n ? eds[0].edition : NULL;
	for (size_t i = 0; i < n; i++) {
		free((char *)eds[i].tree.prefix);
		tree_free(&eds[i].tree);
	}
	editions_free(editions, n);
	free(eds);
}

/* ---- the site-wide files ---- */

static int
write_site_files(struct build *b, const struct tree *tree)
{
	struct buf x = BUF_INIT;
	buf_puts(&x,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (size_t i = 0; i < tree->nreading; i++) {
		buf_puts(&x, "  <url><loc>");
		buf_puts_html(&x, b->opt->base_url);
		buf_puts_html(&x, tree->reading[i]->dir);
		buf_puts(&x, "</loc></url>\n");
	}
	buf_puts(&x, "</urlset>\n");
	int rc = build_write(b, "sitemap.xml", x.data, x.len);
	buf_reset(&x);
	buf_printf(&x, "User-agent: *\nAllow: /\n\nSitemap: %ssitemap.xml\n",
	    b->opt->base_url);
	if (rc == 0)
		rc = build_write(b, "robots.txt", x.data, x.len);
	buf_free(&x);
	if (rc == 0) {
		/* 404.html is served at any address: its links start at the
		 * root. */
		json_t *ctx = tree_base_context(tree, "");
		json_object_update_new(
		    ctx, json_pack("{s:s, s:s, s:s}", "title", "页面不存在",
		             "root", b->base_path, "site_root", b->base_path));
		json_object_set_new(ctx, "nav", tree_nav(tree, NULL));
		rc = build_render_to(b, "404", ctx, "404.html");
		json_decref(ctx);
	}
	for (size_t i = 0; rc == 0 && i < b->theme.count; i++) {
		const struct theme_file *f = &b->theme.files[i];
		if (strncmp(f->name, "static/", 7) != 0)
			continue;
		struct buf path = BUF_INIT;
		buf_printf(&path, "assets/%s", f->name + 7);
		rc = build_write(b, path.data, f->data, f->len);
		buf_free(&path);
	}
	return rc;
}

static void
load_history(struct build *b)
{
	const struct build_options *opt = b->opt;
	struct buf err = BUF_INIT;
	if (history_load(opt->repo, opt->content,
	        opt->worktree ? "HEAD" : opt->rev, &b->history, &err) != 0) {
		b->history_state = HISTORY_NONE;
		fprintf(stderr, "sitegen: warning: no page history: %s\n",
		    buf_str(&err));
	} else if (b->history.shallow) {
		b->history_state = HISTORY_SHALLOW;
		fprintf(stderr,
		    "sitegen: warning: %s is a shallow clone, so pages "
		    "show \"history unavailable\" instead of dates; "
		    "'git fetch --unshallow' gives them their history\n",
		    opt->repo);
	} else {
		b->history_state = HISTORY_OK;
	}
	buf_free(&err);
}

int
build_site(
    const struct build_options *opt, struct build_stats *stats, struct buf *err)
{
	struct build b = {.opt = opt};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	b.threads = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (int)cpus;
	pthread_mutex_init(&b.lock, NULL);
	struct tree current = {.prefix = ""};
	struct edition_site *eds = NULL;
	size_t neds = 0;
	int rc = -1;
	memset(stats, 0, sizeof *stats);
	double started = now_seconds();

	const char *scheme_end = strstr(opt->base_url, "://");
	b.base_path = scheme_end ? strchr(scheme_end + 3, '/') : NULL;
	if (b.base_path == NULL)
		b.base_path = "/";

	struct content_tree content;
	if (opt->worktree) {
		struct buf dir = BUF_INIT;
		buf_printf(&dir, "%s/%s", opt->repo, opt->content);
		int loaded = content_load_worktree(dir.data, &content, err);
		buf_free(&dir);
		if (loaded != 0)
			goto done;
	} else if (content_load_git(
	               opt->repo, opt->content, opt->rev, &content, err) != 0) {
		goto done;
	}
	if (theme_load(opt->theme, &b.theme, err) != 0) {
		content_tree_free(&content);
		goto done;
	}
	load_templates(&b);
	struct timings *t = &stats->timings;
	double mark = now_seconds();
	t->content = mark - started;
	load_history(&b);
	t->history_walk = lap(&mark);
	tree_load(&current, &b, &content, 1);
	t->pages_read = lap(&mark);
	if (b.history_state != HISTORY_NONE)
		eds = load_editions(&b, &current, &neds);
	t->editions = lap(&mark);
	if (b.errors.len != 0)
		goto done;

	b.staging = fs_make_staging_dir(opt->out, err);
	if (b.staging == NULL)
		goto done;
	lap(&mark);
	int w = tree_write(&current);
	if (w == 0)
		w = write_site_files(&b, &current);
	t->pages_write = lap(&mark);
	if (w == 0)
		w = write_page_histories(&b, &current);
	if (w == 0)
		w = write_changes(&b, &current);
	if (w == 0)
		w = write_feed(&b, &current);
	t->history_pages = lap(&mark);
	if (w == 0)
		w = write_search(
		    &b, &current, stats); /* with the registry pages */
	t->search_registry = lap(&mark);
	if (w == 0)
		w = write_checklist(&b, &current);
	if (w == 0)
		w = write_timeline(&b, &current);
	if (w == 0 && opt->api_doc)
		w = write_api(&b, &current);
	const struct edition_site *older = NULL; /* with its text */
	for (size_t i = 0; w == 0 && i < neds; i++) {
		if (!eds[i].edition->available)
			continue;
		w = tree_write(&eds[i].tree);
		if (w == 0 && older != NULL)
			w = write_redline(&b, &eds[i], older);
		older = &eds[i];
	}
	if (w == 0)
		w = write_editions_index(&b, &current, eds, neds);
	t->editions += lap(&mark);
	if (w != 0)
		goto done;
	if (fs_swap_into_place(b.staging, opt->out, err) != 0)
		goto done;
	t->swap = lap(&mark);
	t->total = mark - started;
	free(b.staging);
	b.staging = NULL;
	stats->pages = current.npages;
	stats->files = current.nfiles;
	stats->editions = neds;
	stats->commits = b.history_state == HISTORY_OK ? b.history.ncommits : 0;
	stats->written = b.written;
	stats->origin = mem_strdup(current.content.origin);
	rc = 0;
done:
	if (b.errors.len)
		buf_put(err, b.errors.data, b.errors.len);
	if (b.staging != NULL) {
		struct buf ignored = BUF_INIT;
		fs_remove_tree(b.staging, &ignored);
		buf_free(&ignored);
		free(b.staging);
	}
	free_editions(eds, neds);
	tree_free(&current);
	history_free(&b.history);
	mustache_set_free(b.templates);
	theme_free(&b.theme);
	buf_free(&b.errors);
	pthread_mutex_destroy(&b.lock);
	return rc;
}

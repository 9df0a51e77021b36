/*
 * site: the phases of a build, in this order.  Nothing is written until
 * every page of every tree has been read and checked, and the site is put
 * in place only when everything was written.
 *
 *   1. sources   the content (git or working tree), the theme  content.c
 *   2. history   one walk of the content's git history          history.c
 *   3. pages     the current tree: front matter, page tree,     tree.c
 *                Markdown, links and anchors, fee tables
 *   4. editions  the tree of each published edition             edpages.c
 *      (any error so far: stop, with every error listed)
 *   5. write     the pages and files of the current tree;       tree.c
 *                the site's own pages (404, checklist,          pages.c
 *                timeline, API); the assets
 *   6. changes   each page's history, the changes page, feed    changes.c
 *                                                               feed.c
 *   7. registry  with --registry, the registry's pages, whose   regpages.c
 *                organisations the search finds too
 *   8. search    the search index of pages and registry, and    search.c
 *                the search page                                pages.c
 *   9. editions  each edition's pages, the redlines between     edpages.c
 *                them, the editions page
 *      then sitemap.xml (every page written) and robots.txt    sitemap.c
 *  10. swap      the staging folder into place                  fs.c
 *                (the preview: only the files that changed)     memo.c
 *
 * The phases share one struct build (build.h): options, theme, history,
 * staging folder, errors and warnings, worker threads.
 */
#include "site/site.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "site/changes.h"
#include "site/edpages.h"
#include "site/feed.h"
#include "site/fs.h"
#include "site/lang.h"
#include "site/pages.h"
#include "site/regpages.h"
#include "site/search.h"
#include "site/sitemap.h"
#include "site/tree.h"

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

/* 1: the content, from a revision or from the working tree. */
static int
read_content(
    const struct build_options *opt, struct content_tree *out, struct buf *err)
{
	if (!opt->worktree)
		return content_load_git(
		    opt->repo, opt->content, opt->rev, out, err);
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "%s/%s", opt->repo, opt->content);
	int rc = content_load_worktree(dir.data, out, err);
	buf_free(&dir);
	return rc;
}

/* 1 to 4: everything read and checked, nothing written.  Returns -1 on an
 * error in err (sources) or in the build's errors (the rest). */
static int
read_phases(struct build *b, struct tree *current, struct tree *english,
    struct edpages *eds, struct site_timings *t, struct buf *err)
{
	double mark = now_seconds();
	struct content_tree content, zh, en;
	if (read_content(b->opt, &content, err) != 0)
		return -1;
	if (build_load_theme(b, err) != 0) {
		content_tree_free(&content);
		return -1;
	}
	if (b->opt->memo)
		memo_begin(
		    b->opt->memo, b->opt->out, &b->theme, b->opt->base_url);
	t->content = lap(&mark);
	build_load_history(b);
	t->history_walk = lap(&mark);
	int bilingual = lang_split(&content, &zh, &en);
	int read = tree_load(current, b, &zh, 1) == 0;
	changes_load_notes(current); /* readers' notes on past changes */
	if (bilingual) {
		current->lang = &LANG_ZH;
		current->other = english;
		english->lang = &LANG_EN;
		english->other = current;
		read = tree_load(english, b, &en, 1) == 0 && read;
		lang_check_pairs(current, english, read, &b->errors);
	}
	t->pages_read = lap(&mark);
	edpages_load(eds, b, current);
	t->editions = lap(&mark);
	return b->errors.len == 0 ? 0 : -1;
}

/* 5: the theme's static files, at /assets/. */
static int
write_assets(struct build *b)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < b->theme.count; i++) {
		const struct theme_file *f = &b->theme.files[i];
		if (strncmp(f->name, "static/", 7) != 0)
			continue;
		struct buf path = BUF_INIT;
		const char *fp = assets_fingerprint(&b->assets, f->name + 7);
		buf_printf(&path, "assets/%s", f->name + 7);
		rc = build_write(b, path.data, f->data, f->len);
		if (rc == 0 && fp) { /* and as the name pages use */
			buf_reset(&path);
			buf_printf(&path, "assets/%s", fp);
			rc = build_write(b, path.data, f->data, f->len);
		}
		buf_free(&path);
	}
	return rc;
}

/* 5: a tree's pages and files, and the site's own pages in its
 * language. */
static int
write_pages(struct tree *current)
{
	int rc = tree_write(current);
	if (rc == 0)
		rc = pages_write_404(current);
	if (rc == 0)
		rc = pages_write_checklist(current);
	if (rc == 0)
		rc = pages_write_timeline(current);
	if (rc == 0 && current->build->opt->api_doc)
		rc = pages_write_api(current);
	return rc;
}

/* 8: the English index, below en/. */
static int
write_english_search_file(
    void *ctx, const char *name, const char *data, size_t len)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s%s", LANG_EN_DIR, name);
	int rc = build_write(ctx, path.data, data, len);
	buf_free(&path);
	return rc;
}

/* 5 and 8: a tree's search index of its pages (the registry's are added
 * to the Chinese one). */
static struct search_index *
index_pages(const struct tree *tree)
{
	struct search_index *index = search_index_new();
	for (size_t i = 0; i < tree->nreading; i++) {
		const struct page *p = tree->reading[i];
		search_index_add_page(
		    index, p->dir, p->title ? p->title : "", &p->md);
	}
	return index;
}

/* 5 to 8: the English tree: its pages, the site's own pages in English,
 * page histories and changes, its search index. */
static int
write_english(struct tree *english, struct site_stats *stats)
{
	struct build *b = english->build;
	int rc = write_pages(english);
	if (rc == 0)
		rc = changes_write(english);
	struct search_index *index = index_pages(english);
	size_t bytes = 0;
	if (rc == 0 && search_index_write(
	                   index, write_english_search_file, b, &bytes) != 0)
		rc = -1;
	stats->search_documents += search_index_count(index);
	stats->search_bytes += bytes;
	search_index_free(index);
	if (rc == 0)
		rc = pages_write_search(english);
	return rc;
}

/* 7: the registry's pages; its organisations go into the index. */
static int
write_registry(const struct tree *current, struct search_index *index,
    struct site_stats *stats)
{
	struct build *b = current->build;
	struct regpages_stats rs = {0};
	int rc = regpages_write(b, current, b->opt->registry, index, &rs);
	stats->certificates = rs.certificates;
	stats->organisations = rs.organisations;
	return rc;
}

static int
write_search_file(void *ctx, const char *name, const char *data, size_t len)
{
	return build_write(ctx, name, data, len);
}

/* 8: the index's files and the search page. */
static int
write_search(const struct tree *current, struct search_index *index,
    struct site_stats *stats)
{
	size_t bytes = 0;
	int rc = search_index_write(
	             index, write_search_file, current->build, &bytes) != 0
	             ? -1
	             : 0;
	stats->search_documents = search_index_count(index);
	stats->search_bytes = bytes;
	if (rc == 0)
		rc = pages_write_search(current);
	return rc;
}

/* 5 to 9: the whole site, into the staging folder. */
static int
write_phases(struct build *b, struct tree *current, struct tree *english,
    const struct edpages *eds, struct site_stats *stats)
{
	struct site_timings *t = &stats->timings;
	double mark = now_seconds();
	int rc = write_pages(current);
	if (rc == 0)
		rc = write_assets(current->build);
	t->pages_write = lap(&mark);
	if (rc == 0)
		rc = changes_write(current);
	if (rc == 0)
		rc = feed_write(current);
	t->history_pages = lap(&mark);
	struct search_index *index = index_pages(current);
	if (rc == 0 && b->opt->registry)
		rc = write_registry(current, index, stats);
	if (rc == 0)
		rc = write_search(current, index, stats);
	search_index_free(index);
	if (rc == 0 && english->npages > 0)
		rc = write_english(english, stats);
	t->search_registry = lap(&mark);
	if (rc == 0)
		rc = edpages_write(eds, current);
	t->editions += lap(&mark);
	if (rc == 0) /* every page is written: the sitemap lists them */
		rc = sitemap_write(current);
	return rc;
}

int
site_build(const struct build_options *opt, struct site_stats *stats,
    struct buf *warnings, struct buf *err)
{
	struct build b;
	struct tree current = {.prefix = ""}, english = {.prefix = LANG_EN_DIR};
	struct edpages eds = {0};
	int rc = -1;
	memset(stats, 0, sizeof *stats);
	double started = now_seconds();
	build_init(&b, opt);

	if (read_phases(&b, &current, &english, &eds, &stats->timings, err) !=
	    0)
		goto done;
	b.staging = fs_make_staging_dir(opt->out, err);
	if (b.staging == NULL ||
	    write_phases(&b, &current, &english, &eds, stats) != 0)
		goto done;
	double mark = now_seconds();
	if (opt->memo && memo_in_place(opt->memo)
	        ? memo_finish(opt->memo, b.staging, err) != 0
	        : fs_swap_into_place(b.staging, opt->out, err) != 0)
		goto done;
	free(b.staging);
	b.staging = NULL;
	stats->timings.swap = lap(&mark);
	stats->timings.total = mark - started;
	stats->pages = current.npages + english.npages;
	stats->files = current.nfiles;
	stats->editions = eds.count;
	stats->commits = b.history_state == HISTORY_OK ? b.history.ncommits : 0;
	stats->written = b.written;
	stats->origin = mem_strdup(current.content.origin);
	if (opt->memo)
		memo_counts(opt->memo, &stats->kept, &stats->rewritten);
	rc = 0;
done:
	if (opt->memo) /* a failed build keeps the last site, and its memo */
		memo_end(opt->memo, rc == 0);
	if (b.warnings.len)
		buf_put(warnings, b.warnings.data, b.warnings.len);
	if (b.errors.len)
		buf_put(err, b.errors.data, b.errors.len);
	edpages_free(&eds);
	tree_free(&current);
	tree_free(&english);
	build_free(&b);
	return rc;
}

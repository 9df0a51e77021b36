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
 *
 * The preview (site_preview_build) keeps its last good build and, for a
 * save it can, patches the saved pages into it and runs 5 to 10 for what
 * they show only; anything else is a whole build again.
 */
#include "site/site.h"

#include <malloc.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "site/changes.h"
#include "site/edpages.h"
#include "site/feed.h"
#include "site/fs.h"
#include "site/gitutil.h"
#include "site/lang.h"
#include "site/pages.h"
#include "site/pool.h"
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

void
site_content_dir(const struct build_options *opt, struct buf *out)
{
	if (opt->content[0] == '/')
		buf_puts(out, opt->content);
	else
		buf_printf(out, "%s/%s", opt->repo, opt->content);
}

/* 1: the content, from a revision or from the working tree. */
static int
read_content(const struct build *b, struct content_tree *out, struct buf *err)
{
	const struct build_options *opt = b->opt;
	if (!opt->worktree)
		return content_load_git(
		    opt->repo, opt->content, opt->rev, b->threads, out, err);
	struct buf dir = BUF_INIT;
	site_content_dir(opt, &dir);
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
	if (read_content(b, &content, err) != 0)
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

/*
 * What the preview keeps of its last good build (site.h): the build with
 * its theme, history and trees, the search indexes with where each page's
 * documents are, and the stamps of the files read, so that the next save
 * reads, renders and writes only what it changed.
 */
struct site_preview {
	int valid; /* holds a build (to free; good unless just failed) */
	struct build b;
	struct tree current, english;
	struct edpages eds;
	struct search_index *index[2]; /* Chinese, English */
	size_t *doc_first[2];          /* per page: its first document */
	size_t *doc_count[2];          /* and how many */
	struct content_stamp *stamps;
	size_t nstamps;
	struct buf refs;     /* gitutil_refs_state when the build began */
	struct buf warnings; /* the full build's, said again by the next */
};

/* 5 and 8: a tree's search index of its pages (the registry's are added
 * to the Chinese one); with sp, which documents each page has. */
static struct search_index *
index_pages(const struct tree *tree, struct site_preview *sp, int lang)
{
	struct search_index *index = search_index_new();
	size_t *first = NULL, *count = NULL;
	if (sp) {
		first = mem_calloc(tree->npages + 1, sizeof *first);
		count = mem_calloc(tree->npages + 1, sizeof *count);
	}
	for (size_t i = 0; i < tree->nreading; i++) {
		const struct page *p = tree->reading[i];
		size_t before = search_index_count(index);
		search_index_add_page(
		    index, p->dir, p->title ? p->title : "", &p->md);
		if (sp) {
			first[p - tree->pages] = before;
			count[p - tree->pages] =
			    search_index_count(index) - before;
		}
	}
	if (sp) {
		sp->index[lang] = index;
		sp->doc_first[lang] = first;
		sp->doc_count[lang] = count;
	}
	return index;
}

/* 6: a tree's page histories and /changes/, and the feed when asked. */
struct changes_job {
	const struct tree *tree;
	int with_feed;
	int rc;
};

static void
write_changes(void *arg)
{
	struct changes_job *job = arg;
	job->rc = changes_write(job->tree);
	if (job->rc == 0 && job->with_feed)
		job->rc = feed_write(job->tree);
}

/*
 * 6 and 8: the page histories written while this thread makes the search
 * index, which reads only the pages' titles, addresses and Markdown
 * blocks, left as they are by writing: on two cores the index costs the
 * build no time of its own.  (The index is made here and not on a thread
 * of its own, so that its memory is where it was when it came after the
 * histories; and not beside the pages, whose HTML is held until they are
 * written: the two together would raise the build's peak memory.)
 * Returns the index, and 0 or -1 into *rc (left as it is when not 0).
 */
static struct search_index *
changes_and_index(const struct tree *tree, int with_feed,
    struct site_preview *sp, int lang, int *rc)
{
	struct changes_job job = {tree, with_feed, 0};
	struct pool_aside aside;
	if (*rc == 0)
		pool_aside_start(
		    &aside, write_changes, &job, tree->build->threads);
	struct search_index *index = index_pages(tree, sp, lang);
	if (*rc == 0) {
		pool_aside_wait(&aside);
		*rc = job.rc;
	}
	return index;
}

/* 5 to 8: the English tree: its pages, the site's own pages in English,
 * page histories and changes, its search index. */
static int
write_english(
    struct tree *english, struct site_preview *sp, struct site_stats *stats)
{
	struct build *b = english->build;
	int rc = write_pages(english);
	struct search_index *index = changes_and_index(english, 0, sp, 1, &rc);
	size_t bytes = 0;
	if (rc == 0 && search_index_write(index, write_english_search_file, b,
	                   &bytes, b->threads) != 0)
		rc = -1;
	stats->search_documents += search_index_count(index);
	stats->search_bytes += bytes;
	if (sp == NULL)
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
	int rc = search_index_write(index, write_search_file, current->build,
	             &bytes, current->build->threads) != 0
	             ? -1
	             : 0;
	stats->search_documents = search_index_count(index);
	stats->search_bytes = bytes;
	if (rc == 0)
		rc = pages_write_search(current);
	return rc;
}

static void
free_index(void *index)
{
	search_index_free(index);
}

/* 5 to 9: the whole site, into the staging folder. */
static int
write_phases(struct build *b, struct tree *current, struct tree *english,
    const struct edpages *eds, struct site_preview *sp,
    struct site_stats *stats)
{
	struct site_timings *t = &stats->timings;
	double mark = now_seconds();
	int rc = write_pages(current);
	if (rc == 0)
		rc = write_assets(current->build);
	t->pages_write = lap(&mark);
	/* what the workers freed (the pages' HTML) goes back to the system
	 * before the next phases allocate in other arenas */
	malloc_trim(0);
	struct search_index *index = changes_and_index(current, 1, sp, 0, &rc);
	t->history_pages = lap(&mark);
	malloc_trim(0);
	if (rc == 0 && b->opt->registry)
		rc = write_registry(current, index, stats);
	if (rc == 0)
		rc = write_search(current, index, stats);
	/* written: freed beside the phases still to come (its tens of
	 * thousands of documents take a while) */
	struct pool_aside freeing = {0};
	if (sp == NULL)
		pool_aside_start(&freeing, free_index, index, b->threads);
	if (rc == 0 && english->npages > 0)
		rc = write_english(english, sp, stats);
	t->search_registry = lap(&mark);
	if (rc == 0)
		rc = edpages_write(eds, current);
	t->editions += lap(&mark);
	if (rc == 0) /* every page is written: the sitemap lists them */
		rc = sitemap_write(current);
	pool_aside_wait(&freeing);
	return rc;
}

/* Frees what a build kept (sp's trees, indexes and stamps) and marks it
 * empty. */
static void
preview_clear(struct site_preview *sp)
{
	if (!sp->valid)
		return;
	edpages_free(&sp->eds);
	tree_free(&sp->current);
	tree_free(&sp->english);
	build_free(&sp->b);
	for (int l = 0; l < 2; l++) {
		search_index_free(sp->index[l]);
		free(sp->doc_first[l]);
		free(sp->doc_count[l]);
		sp->index[l] = NULL;
		sp->doc_first[l] = sp->doc_count[l] = NULL;
	}
	content_stamps_free(sp->stamps, sp->nstamps);
	sp->stamps = NULL;
	sp->nstamps = 0;
	sp->valid = 0;
}

/* The whole site, built from everything read afresh, into sp (which the
 * caller clears, or keeps for the preview's next build with keep). */
static int
full_build(const struct build_options *opt, struct site_preview *sp, int keep,
    struct site_stats *stats, struct buf *warnings, struct buf *err)
{
	struct build *b = &sp->b;
	struct tree *current = &sp->current, *english = &sp->english;
	struct edpages *eds = &sp->eds;
	int rc = -1;
	memset(stats, 0, sizeof *stats);
	double started = now_seconds();
	memset(sp, 0, offsetof(struct site_preview, refs));
	sp->valid = 1; /* holds a build to free, good or not */
	current->prefix = "";
	english->prefix = LANG_EN_DIR;
	build_init(b, opt);
	if (keep && opt->worktree) {
		/* stamped before they are read: a file saved meanwhile
		 * differs from its stamp at the next save */
		struct buf dir = BUF_INIT, ignored = BUF_INIT;
		site_content_dir(opt, &dir);
		gitutil_refs_state(opt->repo, &sp->refs);
		if (content_stamp_worktree(
		        dir.data, &sp->stamps, &sp->nstamps, &ignored) != 0)
			sp->stamps = NULL;
		buf_free(&dir);
		buf_free(&ignored);
	}

	if (read_phases(b, current, english, eds, &stats->timings, err) != 0)
		goto done;
	if (!keep) { /* every page is rendered: its source is not read again */
		tree_drop_sources(current);
		tree_drop_sources(english);
	}
	b->staging = fs_make_staging_dir(opt->out, err);
	if (b->staging == NULL || write_phases(b, current, english, eds,
	                              keep ? sp : NULL, stats) != 0)
		goto done;
	double mark = now_seconds();
	if (opt->memo && memo_in_place(opt->memo)
	        ? memo_finish(opt->memo, b->staging, err) != 0
	        : fs_swap_into_place(b->staging, opt->out, err) != 0)
		goto done;
	free(b->staging);
	b->staging = NULL;
	stats->timings.swap = lap(&mark);
	stats->timings.total = mark - started;
	stats->pages = current->npages + english->npages;
	stats->files = current->nfiles;
	stats->editions = eds->count;
	stats->commits =
	    b->history_state == HISTORY_OK ? b->history.ncommits : 0;
	stats->written = b->written;
	stats->origin = mem_strdup(current->content.origin);
	if (opt->memo)
		memo_counts(opt->memo, &stats->kept, &stats->rewritten);
	rc = 0;
done:
	if (opt->memo) /* a failed build keeps the last site, and its memo */
		memo_end(opt->memo, rc == 0);
	if (b->warnings.len)
		buf_put(warnings, b->warnings.data, b->warnings.len);
	buf_reset(&sp->warnings);
	buf_put(&sp->warnings, b->warnings.data, b->warnings.len);
	if (b->errors.len)
		buf_put(err, b->errors.data, b->errors.len);
	buf_reset(&b->errors);
	return rc;
}

int
site_build(const struct build_options *opt, struct site_stats *stats,
    struct buf *warnings, struct buf *err)
{
	struct site_preview sp = {0};
	int rc = full_build(opt, &sp, 0, stats, warnings, err);
	preview_clear(&sp);
	buf_free(&sp.refs);
	buf_free(&sp.warnings);
	return rc;
}

struct site_preview *
site_preview_new(void)
{
	return mem_calloc(1, sizeof(struct site_preview));
}

void
site_preview_free(struct site_preview *sp)
{
	if (sp == NULL)
		return;
	preview_clear(sp);
	buf_free(&sp->refs);
	buf_free(&sp->warnings);
	free(sp);
}

/* The tree a content path belongs to, and the path inside it. */
static struct tree *
tree_of(struct site_preview *sp, const char *path, const char **inside)
{
	size_t nd = strlen(LANG_EN_DIR);
	if (sp->english.npages > 0 && strncmp(path, LANG_EN_DIR, nd) == 0) {
		*inside = path + nd;
		return &sp->english;
	}
	*inside = path;
	return &sp->current;
}

/* Outcomes of patch_build. */
enum patch { PATCHED, PATCH_FULL };

/*
 * The files saved since sp's build, read again (tree_patch_page) when
 * the stamps of the others say they did not change.  PATCH_FULL when a
 * file was added or removed, a file other than a page changed, the
 * history (HEAD, tags) moved, or a page cannot be patched.
 */
static enum patch
read_saved(const struct build_options *opt, struct site_preview *sp)
{
	struct buf dir = BUF_INIT, refs = BUF_INIT, ignored = BUF_INIT;
	struct content_stamp *now = NULL;
	size_t n = 0;
	enum patch rc = PATCH_FULL;
	site_content_dir(opt, &dir);
	gitutil_refs_state(opt->repo, &refs);
	if (strcmp(buf_str(&refs), buf_str(&sp->refs)) != 0 ||
	    sp->stamps == NULL ||
	    content_stamp_worktree(dir.data, &now, &n, &ignored) != 0 ||
	    n != sp->nstamps)
		goto done;
	for (size_t i = 0; i < n; i++)
		if (strcmp(now[i].path, sp->stamps[i].path) != 0)
			goto done;
	for (size_t i = 0; i < n; i++) {
		struct content_stamp *was = &sp->stamps[i];
		if (now[i].mtime_ns == was->mtime_ns &&
		    now[i].size == was->size)
			continue;
		const char *inside;
		struct tree *tree = tree_of(sp, now[i].path, &inside);
		const struct content_file *f =
		    content_find(&tree->content, inside);
		struct buf path = BUF_INIT;
		char *data = NULL;
		size_t len = 0;
		buf_printf(&path, "%s/%s", dir.data, now[i].path);
		int read = fs_read_file(path.data, &data, &len, &ignored);
		buf_free(&path);
		if (read != 0 || f == NULL) {
			free(data);
			goto done;
		}
		was->mtime_ns = now[i].mtime_ns;
		was->size = now[i].size;
		if (len == f->len && memcmp(data, f->data, len) == 0) {
			free(data); /* touched, not changed */
			continue;
		}
		size_t plen = strlen(inside);
		struct page *p = NULL;
		if (!content_is_data(inside) && plen > 3 &&
		    strcmp(inside + plen - 3, ".md") == 0) {
			char *key = mem_strndup(inside, plen - 3);
			p = tree_find(tree, key);
			free(key);
		}
		if (p == NULL || p->file != f ||
		    tree_patch_page(tree, p, data, len) != 0) {
			free(data);
			goto done;
		}
	}
	rc = PATCHED;
done:
	content_stamps_free(now, n);
	buf_free(&dir);
	buf_free(&refs);
	buf_free(&ignored);
	return rc;
}

/* A patched tree's pages and the files that show them. */
static int
write_patched(struct site_preview *sp, struct tree *tree, int lang)
{
	struct build *b = &sp->b;
	int rc = tree_write_dirty(tree);
	if (rc == 0)
		rc = pages_write_checklist(tree);
	if (rc == 0)
		rc = changes_write_dirty(tree);
	if (rc == 0 && lang == 0) /* its entries name the pages changed */
		rc = feed_write(tree);
	if (rc == 0 && sp->index[lang])
		rc = search_index_write_changed(sp->index[lang],
		    lang ? write_english_search_file : write_search_file, b);
	return rc;
}

/* The search index's documents of the pages whose text or title changed;
 * -1 when one has another number of sections. */
static int
index_patched(struct site_preview *sp, struct tree *tree, int lang)
{
	for (size_t i = 0; tree->dirty && i < tree->npages; i++) {
		const struct page *p = &tree->pages[i];
		if (!(tree->dirty[i] & TREE_DIRTY_OWN))
			continue;
		if (sp->index[lang] == NULL ||
		    search_index_replace_page(sp->index[lang],
		        sp->doc_first[lang][i], sp->doc_count[lang][i], p->dir,
		        p->title ? p->title : "", &p->md) != 0)
			return -1;
	}
	return 0;
}

/*
 * The preview's build after a good one: only the saved pages read again,
 * only the pages that show them rendered, only the index files they
 * touch written; every other file stays as the last build left it.
 */
static enum patch
patch_build(const struct build_options *opt, struct site_preview *sp,
    struct site_stats *stats, struct buf *warnings)
{
	struct build *b = &sp->b;
	struct buf err = BUF_INIT;
	double started = now_seconds(), mark = started;
	if (!sp->valid || opt->theme || opt->registry || !opt->worktree ||
	    opt->memo == NULL || b->opt != opt)
		return PATCH_FULL;
	if (read_saved(opt, sp) != PATCHED)
		return PATCH_FULL;
	if (sp->english.npages > 0 &&
	    lang_check_pairs(&sp->current, &sp->english, 1, &err) != 0) {
		buf_free(&err);
		return PATCH_FULL;
	}
	if (index_patched(sp, &sp->current, 0) != 0 ||
	    index_patched(sp, &sp->english, 1) != 0)
		return PATCH_FULL;
	stats->timings.pages_read = lap(&mark);
	for (size_t i = 0; i < sp->eds.count; i++)
		sp->eds.sites[i].is_current = content_same(
		    &sp->eds.sites[i].tree.content, &sp->current.content);

	/* the build's state as a new build starts it */
	b->written = 0;
	b->failed = 0;
	for (size_t i = 0; i < b->npages; i++)
		free(b->pages[i]);
	b->npages = 0;
	memo_begin(opt->memo, opt->out, &b->theme, opt->base_url);
	int rc = memo_in_place(opt->memo) ? 0 : -1;
	if (rc == 0) {
		b->staging = fs_make_staging_dir(opt->out, &err);
		rc = b->staging ? 0 : -1;
	}
	if (rc == 0)
		rc = write_patched(sp, &sp->current, 0);
	if (rc == 0 && sp->english.npages > 0)
		rc = write_patched(sp, &sp->english, 1);
	if (rc == 0 && sp->eds.count > 0)
		rc = edpages_write_current(&sp->eds, &sp->current);
	stats->timings.pages_write = lap(&mark);
	if (rc == 0) {
		memo_keep_rest(opt->memo);
		rc = memo_finish(opt->memo, b->staging, &err);
		free(b->staging);
		b->staging = NULL;
	}
	stats->timings.swap = lap(&mark);
	memo_end(opt->memo, rc == 0);
	free(sp->current.dirty);
	free(sp->english.dirty);
	sp->current.dirty = sp->english.dirty = NULL;
	buf_free(&err);
	if (rc != 0) /* the output is not known to be the last build's */
		return PATCH_FULL;
	stats->timings.total = mark - started;
	stats->pages = sp->current.npages + sp->english.npages;
	stats->files = sp->current.nfiles;
	stats->editions = sp->eds.count;
	stats->commits =
	    b->history_state == HISTORY_OK ? b->history.ncommits : 0;
	stats->written = b->written;
	stats->origin = mem_strdup(sp->current.content.origin);
	memo_counts(opt->memo, &stats->kept, &stats->rewritten);
	buf_put(warnings, sp->warnings.data, sp->warnings.len);
	return PATCHED;
}

int
site_preview_build(const struct build_options *opt, struct site_preview *sp,
    struct site_stats *stats, struct buf *warnings, struct buf *err)
{
	memset(stats, 0, sizeof *stats);
	if (patch_build(opt, sp, stats, warnings) == PATCHED)
		return 0;
	free(stats->origin);
	preview_clear(sp);
	int rc = full_build(opt, sp, 1, stats, warnings, err);
	if (rc != 0)
		preview_clear(sp); /* the next build reads everything again */
	return rc;
}

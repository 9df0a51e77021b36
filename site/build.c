/*
 * build: the shared state of one build and its few operations.  Writing
 * counts files with an atomic add and reports a failure under the lock, so
 * that the workers of build_each stop at the first failed write; progress
 * goes to the program through the options' callback, never to a stream.
 */
#include "site/build.h"
#include "site/gzip.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "site/fs.h"
#include "site/pool.h"

/* Steps shorter than this show no progress; longer ones every so often. */
#define PROGRESS_MIN_ITEMS 1000
#define PROGRESS_EVERY 250

/* The theme's templates/NAME.mustache, as template NAME. */
static void
load_templates(struct build *b)
{
	b->templates = mustache_set_new();
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
		        &b->errors) != 0)
			buf_putc(&b->errors, '\n');
		free(short_name);
	}
}

void
build_init(struct build *b, const struct build_options *opt)
{
	memset(b, 0, sizeof *b);
	b->opt = opt;
	pthread_mutex_init(&b->lock, NULL);
	long cpus = opt->jobs > 0 ? opt->jobs : sysconf(_SC_NPROCESSORS_ONLN);
	b->threads = cpus < 1                  ? 1
	             : cpus > POOL_MAX_THREADS ? POOL_MAX_THREADS
	                                       : (int)cpus;
	const char *scheme_end = strstr(opt->base_url, "://");
	b->base_path = scheme_end ? strchr(scheme_end + 3, '/') : NULL;
	if (b->base_path == NULL)
		b->base_path = "/";
}

int
build_load_theme(struct build *b, struct buf *err)
{
	if (theme_load(b->opt->theme, &b->theme, err) != 0)
		return -1;
	assets_load(&b->assets, &b->theme);
	load_templates(b);
	return 0;
}

void
build_load_history(struct build *b)
{
	const struct build_options *opt = b->opt;
	struct buf err = BUF_INIT;
	if (history_load(opt->repo, opt->content,
	        opt->worktree ? "HEAD" : opt->rev, &b->history, &err) != 0) {
		b->history_state = HISTORY_NONE;
		build_warn(b, "no page history: %s", buf_str(&err));
	} else if (b->history.shallow) {
		b->history_state = HISTORY_SHALLOW;
		build_warn(b,
		    "%s is a shallow clone, so pages show \"history "
		    "unavailable\" instead of dates; 'git fetch --unshallow' "
		    "gives them their history",
		    opt->repo);
	} else {
		b->history_state = HISTORY_OK;
	}
	buf_free(&err);
}

const char *
build_history_reason(const struct build *b)
{
	if (b->history_state == HISTORY_SHALLOW)
		return "修订历史不可用：本站构建时 git 历史不完整（浅克隆）。";
	return "修订历史不可用：本站不是从 git 仓库的提交构建的。";
}

struct each_job {
	struct build *build;
	size_t n;
	void (*fn)(struct build *, size_t, void *);
	void *ctx;
};

static void
each_item(void *arg, size_t i)
{
	struct each_job *job = arg;
	job->fn(job->build, i, job->ctx);
}

static void
each_finished(void *arg, size_t done)
{
	struct each_job *job = arg;
	const struct build_options *opt = job->build->opt;
	if (opt->progress && job->n >= PROGRESS_MIN_ITEMS &&
	    done % PROGRESS_EVERY == 0 && done < job->n)
		opt->progress(job->build->doing, done, job->n);
}

int
build_each(struct build *b, size_t n,
    void (*fn)(struct build *, size_t, void *), void *ctx)
{
	struct each_job job = {b, n, fn, ctx};
	struct pool_run run = {n, each_item, &job, &b->failed, each_finished};
	pool_each(&run, b->threads);
	if (b->opt->progress && n >= PROGRESS_MIN_ITEMS)
		b->opt->progress(b->doing, n, n);
	return b->failed ? -1 : 0;
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

void
build_warn(struct build *b, const char *fmt, ...)
{
	struct buf line = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < line.len; i++)
		if (line.data[i] == '\n')
			line.data[i] = ' ';
	pthread_mutex_lock(&b->lock);
	buf_puts(&b->warnings, buf_str(&line));
	buf_putc(&b->warnings, '\n');
	pthread_mutex_unlock(&b->lock);
	buf_free(&line);
}

/*
 * What a thread keeps from one page to the next: its memo of rendered
 * sidebar entries (mustache.h), and the buffers of a page's HTML, of its
 * rewriting (assets_rewrite) and of its gzip, which grow to the largest
 * page once instead of from nothing at every page.  Made at the thread's
 * first file, freed when it ends.
 */
struct scratch {
	struct mustache_memo *memo;
	struct buf html, spare, gz;
};

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void
free_scratch(void *arg)
{
	struct scratch *s = arg;
	mustache_memo_free(s->memo);
	buf_free(&s->html);
	buf_free(&s->spare);
	buf_free(&s->gz);
	free(s);
}

static void
make_scratch_key(void)
{
	if (pthread_key_create(&scratch_key, free_scratch) != 0)
		abort();
}

/* This thread's scratch (a thread that cannot keep one is out of memory,
 * as make_scratch_key() is when it cannot make the key). */
static struct scratch *
thread_scratch(void)
{
	pthread_once(&scratch_once, make_scratch_key);
	struct scratch *s = pthread_getspecific(scratch_key);
	if (s == NULL) {
		s = mem_calloc(1, sizeof *s);
		s->memo = mustache_memo_new();
		if (pthread_setspecific(scratch_key, s) != 0)
			abort();
	}
	return s;
}

static int
write_staged(struct build *b, const char *rel, const void *data, size_t len)
{
	struct buf path = BUF_INIT, err = BUF_INIT;
	buf_printf(&path, "%s/%s", b->staging, rel);
	int rc = fs_write_file(path.data, data, len, &err);
	if (rc == 0 && site_gzip_wanted(rel, len)) {
		/* Its precompressed copy beside it (site/gzip.h). */
		struct buf *gz = &thread_scratch()->gz;
		rc = site_gzip(data, len, gz);
		if (rc != 0)
			buf_printf(&err, "%s.gz: cannot compress", rel);
		buf_puts(&path, ".gz");
		if (rc == 0) /* beside the file: its folder is there */
			rc = fs_write_file_in_place(
			    path.data, gz->data, gz->len, &err);
	}
	if (rc != 0)
		build_error(b, err.data);
	else
		__atomic_fetch_add(&b->written, 1, __ATOMIC_RELAXED);
	buf_free(&path);
	buf_free(&err);
	return rc;
}

int
build_write(struct build *b, const char *rel, const void *data, size_t len)
{
	struct memo *memo = b->opt->memo;
	if (memo == NULL)
		return write_staged(b, rel, data, len);
	unsigned char digest[MEMO_DIGEST];
	memo_digest_bytes(data, len, digest);
	if (memo_unchanged(memo, rel, digest)) {
		__atomic_fetch_add(&b->written, 1, __ATOMIC_RELAXED);
		return 0;
	}
	int rc = write_staged(b, rel, data, len);
	if (rc == 0)
		memo_record(memo, rel, digest);
	return rc;
}

/* Pages that are not for search engines: filled in by registryd. */
static int
is_public_page(const char *name, const char *rel)
{
	size_t n = strlen(rel);
	return strcmp(name, "registry-notfound") != 0 && n >= 10 &&
	       strcmp(rel + n - 10, "index.html") == 0 &&
	       (n == 10 || rel[n - 11] == '/');
}

static void
add_page(struct build *b, const char *rel)
{
	pthread_mutex_lock(&b->lock);
	if (b->npages == b->pages_cap) {
		b->pages_cap = b->pages_cap ? b->pages_cap * 2 : 1024;
		b->pages =
		    mem_realloc(b->pages, b->pages_cap * sizeof *b->pages);
	}
	b->pages[b->npages++] = mem_strndup(rel, strlen(rel) - 10);
	pthread_mutex_unlock(&b->lock);
}

/* "title · site title" for a page without a description of its own. */
static void
default_description(json_t *ctx)
{
	const char *d = json_string_value(json_object_get(ctx, "description"));
	if (d && d[0])
		return;
	const char *title = json_string_value(json_object_get(ctx, "title"));
	const char *site =
	    json_string_value(json_object_get(ctx, "site_title"));
	if (title && title[0] && site && site[0] && strcmp(title, site) != 0)
		json_object_set_new(
		    ctx, "description", json_sprintf("%s · %s", title, site));
	else if (title && title[0])
		json_object_set_new(ctx, "description", json_string(title));
}

int
build_render_to(struct build *b, const char *name, json_t *ctx, const char *rel)
{
	struct buf err = BUF_INIT, english = BUF_INIT;
	unsigned char digest[MEMO_DIGEST];
	default_description(ctx);
	/* an English page: the template's English twin, NAME.en */
	const char *tmpl = name;
	const char *lang = json_string_value(json_object_get(ctx, "lang"));
	if (lang != NULL && strcmp(lang, "en") == 0) {
		buf_printf(&english, "%s.en", name);
		tmpl = english.data;
	}
	struct memo *memo = b->opt->memo;
	if (memo) {
		memo_digest_page(memo, tmpl, ctx, digest);
		if (memo_unchanged(memo, rel, digest)) {
			__atomic_fetch_add(&b->written, 1, __ATOMIC_RELAXED);
			if (is_public_page(name, rel))
				add_page(b, rel);
			buf_free(&english);
			return 0;
		}
	}
	struct scratch *s = thread_scratch();
	struct buf *html = &s->html;
	buf_reset(html);
	int rc =
	    mustache_render_memo(b->templates, tmpl, ctx, s->memo, html, &err);
	buf_free(&english);
	if (rc != 0)
		build_error(b, err.data);
	else {
		assets_rewrite(&b->assets, html, &s->spare);
		rc = write_staged(b, rel, html->data, html->len);
	}
	if (rc == 0 && memo)
		memo_record(memo, rel, digest);
	if (rc == 0 && is_public_page(name, rel))
		add_page(b, rel);
	buf_free(&err);
	return rc;
}

void
build_free(struct build *b)
{
	if (b->staging != NULL) {
		struct buf ignored = BUF_INIT;
		fs_remove_tree(b->staging, &ignored);
		buf_free(&ignored);
		free(b->staging);
		b->staging = NULL;
	}
	for (size_t i = 0; i < b->npages; i++)
		free(b->pages[i]);
	free(b->pages);
	history_free(&b->history);
	mustache_set_free(b->templates);
	theme_free(&b->theme);
	assets_free(&b->assets);
	buf_free(&b->errors);
	buf_free(&b->warnings);
	pthread_mutex_destroy(&b->lock);
}

/*
 * sitemap: the files are short text, written directly; addresses are
 * escaped as XML text.  The pages come from the build's list of pages
 * written (build.h), so a new page type is in the sitemap without a word
 * here.
 */
#include "site/sitemap.h"

#include <stdlib.h>
#include <string.h>

#include "site/lang.h"
#include "site/strmap.h"

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An address, with its alternates in both languages when the page has a
 * counterpart among the pages written (written: NULL for none). */
static void
url_entry(struct buf *x, const char *base, const char *dir,
    const struct strmap *written)
{
	buf_puts(x, "  <url><loc>");
	buf_puts_html(x, base);
	buf_puts_html(x, dir);
	buf_puts(x, "</loc>");
	if (written != NULL)
		lang_sitemap_alternates(base, dir, written, x);
	buf_puts(x, "</url>\n");
}

static int
write_urlset(struct build *b, const char *name, const char *const *dirs,
    size_t n, const struct strmap *written)
{
	struct buf x = BUF_INIT;
	buf_puts(&x,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
	if (written != NULL)
		buf_puts(&x,
		    "\n        xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
	buf_puts(&x, ">\n");
	for (size_t i = 0; i < n; i++)
		url_entry(&x, b->opt->base_url, dirs[i], written);
	buf_puts(&x, "</urlset>\n");
	int rc = build_write(b, name, x.data, x.len);
	buf_free(&x);
	return rc;
}

int
sitemap_write(const struct tree *tree)
{
	struct build *b = tree->build;
	/* the guide's pages in reading order, then the rest by address */
	const char **dirs =
	    mem_calloc(b->npages + tree->nreading + 1, sizeof *dirs);
	size_t n = 0;
	struct strmap *listed = strmap_new();
	for (size_t i = 0; i < tree->nreading; i++) {
		dirs[n++] = tree->reading[i]->dir;
		strmap_put(listed, tree->reading[i]->dir, listed);
	}
	qsort(b->pages, b->npages, sizeof *b->pages, compare_strings);
	for (size_t i = 0; i < b->npages; i++)
		if (!strmap_has(listed, b->pages[i]))
			dirs[n++] = b->pages[i];
	strmap_free(listed);
	/* in two languages, every address with its counterpart */
	struct strmap *written = NULL;
	if (tree->other != NULL) {
		written = strmap_new();
		for (size_t i = 0; i < n; i++)
			strmap_put(written, dirs[i], written);
	}
	int rc = 0;
	if (n <= SITEMAP_MAX_URLS) {
		rc = write_urlset(b, "sitemap.xml", dirs, n, written);
	} else {
		struct buf x = BUF_INIT, name = BUF_INIT;
		buf_puts(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		             "<sitemapindex xmlns=\"http://www.sitemaps.org/"
		             "schemas/sitemap/0.9\">\n");
		for (size_t i = 0, part = 1; rc == 0 && i < n;
		     i += SITEMAP_MAX_URLS, part++) {
			buf_reset(&name);
			buf_printf(&name, "sitemap-%zu.xml", part);
			size_t count =
			    n - i < SITEMAP_MAX_URLS ? n - i : SITEMAP_MAX_URLS;
			rc = write_urlset(
			    b, name.data, dirs + i, count, written);
			buf_puts(&x, "  <sitemap><loc>");
			buf_puts_html(&x, b->opt->base_url);
			buf_puts_html(&x, name.data);
			buf_puts(&x, "</loc></sitemap>\n");
		}
		buf_puts(&x, "</sitemapindex>\n");
		if (rc == 0)
			rc = build_write(b, "sitemap.xml", x.data, x.len);
		buf_free(&x);
		buf_free(&name);
	}
	free(dirs);
	strmap_free(written);
	struct buf r = BUF_INIT;
	buf_printf(&r, "User-agent: *\nAllow: /\n\nSitemap: %ssitemap.xml\n",
	    b->opt->base_url);
	if (rc == 0)
		rc = build_write(b, "robots.txt", r.data, r.len);
	buf_free(&r);
	return rc;
}

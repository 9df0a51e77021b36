/*
 * sitemap: the files are short text, written directly; addresses are
 * escaped as XML text.  The pages come from the build's list of pages
 * written (build.h), so a new page type is in the sitemap without a word
 * here.
 */
#include "site/sitemap.h"

#include <stdlib.h>
#include <string.h>

#include "site/strmap.h"

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
url_entry(struct buf *x, const char *base, const char *dir)
{
	buf_puts(x, "  <url><loc>");
	buf_puts_html(x, base);
	buf_puts_html(x, dir);
	buf_puts(x, "</loc></url>\n");
}

static int
write_urlset(
    struct build *b, const char *name, const char *const *dirs, size_t n)
{
	struct buf x = BUF_INIT;
	buf_puts(&x,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (size_t i = 0; i < n; i++)
		url_entry(&x, b->opt->base_url, dirs[i]);
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
	int rc = 0;
	if (n <= SITEMAP_MAX_URLS) {
		rc = write_urlset(b, "sitemap.xml", dirs, n);
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
			rc = write_urlset(b, name.data, dirs + i, count);
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
	struct buf r = BUF_INIT;
	buf_printf(&r, "User-agent: *\nAllow: /\n\nSitemap: %ssitemap.xml\n",
	    b->opt->base_url);
	if (rc == 0)
		rc = build_write(b, "robots.txt", r.data, r.len);
	buf_free(&r);
	return rc;
}

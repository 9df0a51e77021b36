/*
 * sitemap: both files are short text, written directly; addresses are
 * escaped as XML text.
 */
#include "site/sitemap.h"

#include "site/lang.h"

int
sitemap_write(const struct tree *tree)
{
	struct build *b = tree->build;
	struct buf x = BUF_INIT;
	buf_puts(&x,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
	if (tree->other != NULL)
		buf_puts(&x,
		    "\n        xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
	buf_puts(&x, ">\n");
	for (size_t i = 0; i < tree->nreading; i++) {
		buf_puts(&x, "  <url><loc>");
		buf_puts_html(&x, b->opt->base_url);
		buf_puts_html(&x, tree->reading[i]->dir);
		buf_puts(&x, "</loc>");
		lang_sitemap_alternates(tree, tree->reading[i]->dir, &x);
		buf_puts(&x, "</url>\n");
	}
	if (tree->other != NULL)
		lang_sitemap_urls(tree->other, &x);
	buf_puts(&x, "</urlset>\n");
	int rc = build_write(b, "sitemap.xml", x.data, x.len);
	buf_reset(&x);
	buf_printf(&x, "User-agent: *\nAllow: /\n\nSitemap: %ssitemap.xml\n",
	    b->opt->base_url);
	if (rc == 0)
		rc = build_write(b, "robots.txt", x.data, x.len);
	buf_free(&x);
	return rc;
}

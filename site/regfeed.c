/*
 * regfeed: Atom (RFC 4287) for the registry's pages (see regfeed.h).
 */
#include "site/regfeed.h"

#include <string.h>

static const char *
member(json_t *o, const char *key)
{
	const char *text = json_string_value(json_object_get(o, key));
	return text ? text : "";
}

static void
element(struct buf *out, const char *name, const char *text)
{
	buf_printf(out, "<%s>", name);
	buf_puts_html(out, text);
	buf_printf(out, "</%s>\n", name);
}

void
regfeed_atom(struct buf *out, const char *title, const char *page_url,
    const char *author, const char *fallback_updated, json_t *entries)
{
	const char *updated = fallback_updated;
	json_t *e;
	size_t i;

	/* The newest entry's time (RFC 3339 UTC strings sort by time). */
	json_array_foreach (entries, i, e) {
		const char *t = member(e, "updated");
		if (*t && strcmp(t, updated) > 0)
			updated = t;
	}
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	              "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	              "xml:lang=\"zh-CN\">\n");
	element(out, "title", title);
	buf_puts(out, "<link rel=\"alternate\" type=\"text/html\" href=\"");
	buf_puts_html(out, page_url);
	buf_puts(out, "\"/>\n<link rel=\"self\" "
	              "type=\"application/atom+xml\" href=\"");
	buf_puts_html(out, page_url);
	buf_puts(out, "feed.xml\"/>\n");
	element(out, "id", page_url);
	element(out, "updated", updated);
	buf_puts(out, "<author>");
	element(out, "name", author);
	buf_puts(out, "</author>\n");
	json_array_foreach (entries, i, e) {
		const char *t = member(e, "updated");
		buf_puts(out, "<entry>\n");
		element(out, "title", member(e, "title"));
		buf_puts(
		    out, "<link rel=\"alternate\" type=\"text/html\" href=\"");
		buf_puts_html(out, member(e, "href"));
		buf_puts(out, "\"/>\n");
		element(out, "id", member(e, "id"));
		element(out, "updated", *t ? t : fallback_updated);
		element(out, "summary", member(e, "summary"));
		buf_puts(out, "</entry>\n");
	}
	buf_puts(out, "</feed>\n");
}

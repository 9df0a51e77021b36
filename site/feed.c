/*
 * feed: the Atom document is written as text: its few elements are fixed,
 * and every value in it is escaped as XML text.
 */
#include "site/feed.h"

#include <string.h>

#include "site/changes.h"

static void
xml_text(struct buf *out, const char *s)
{
	buf_puts_html(out, s);
}

/* The feed's own head: title, id, links, date and author. */
static void
feed_head(const struct tree *tree, struct buf *x)
{
	const struct build *b = tree->build;
	const char *base = b->opt->base_url;
	const char *title =
	    tree->home && tree->home->title ? tree->home->title : NULL;
	buf_puts(x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	            "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	            "xml:lang=\"zh-CN\">\n");
	buf_puts(x, "  <title>");
	xml_text(x, title ? title : "");
	buf_puts(x, " · 最近修订</title>\n  <id>");
	xml_text(x, base);
	buf_puts(x, "feed.xml</id>\n  <link rel=\"self\" href=\"");
	xml_text(x, base);
	buf_puts(x, "feed.xml\"/>\n  <link rel=\"alternate\" "
	            "type=\"text/html\" href=\"");
	xml_text(x, base);
	buf_puts(x, "changes/\"/>\n  <updated>");
	if (b->history_state == HISTORY_OK && b->history.ncommits > 0)
		history_format_rfc3339(b->history.commits[0].time,
		    b->history.commits[0].offset, x);
	else
		buf_puts(x, "1970-01-01T00:00:00Z");
	buf_puts(x, "</updated>\n  <author><name>");
	xml_text(x, title ? title : "site");
	buf_puts(x, "</name></author>\n");
}

/* One commit's entry: its note for readers, and the pages it changed by
 * title; the feed's author (the site) is every entry's. */
static void
feed_entry(
    const struct tree *tree, const struct history_commit *c, struct buf *x)
{
	const char *base = tree->build->opt->base_url;
	buf_puts(x, "  <entry>\n    <title>");
	xml_text(x, changes_note(c));
	buf_printf(
	    x, "</title>\n    <id>%schanges/#commit-%s</id>\n", base, c->id);
	buf_printf(x,
	    "    <link rel=\"alternate\" type=\"text/html\" "
	    "href=\"%schanges/#commit-%s\"/>\n    <updated>",
	    base, c->id);
	history_format_rfc3339(c->time, c->offset, x);
	buf_puts(x, "</updated>\n    <summary type=\"text\">");
	struct buf summary = BUF_INIT;
	size_t listed = 0;
	for (size_t k = 0; k < c->nchanges; k++) {
		const struct history_change *ch = &c->changes[k];
		size_t n = strlen(ch->path);
		if (n < 3 || strcmp(ch->path + n - 3, ".md") != 0)
			continue;
		const char *url;
		if (++listed > CHANGES_PAGES_LISTED)
			continue;
		if (summary.len)
			buf_puts(&summary, "；");
		buf_printf(&summary, "%s：%s", changes_word(ch->kind),
		    changes_page_title(tree, ch, &url));
	}
	if (listed > CHANGES_PAGES_LISTED)
		buf_printf(&summary, "；以及另外 %zu 个页面",
		    listed - CHANGES_PAGES_LISTED);
	xml_text(x, summary.len ? summary.data : changes_note(c));
	buf_free(&summary);
	buf_puts(x, "</summary>\n  </entry>\n");
}

int
feed_write(const struct tree *tree)
{
	struct build *b = tree->build;
	struct buf x = BUF_INIT;
	feed_head(tree, &x);
	size_t n = b->history_state == HISTORY_OK ? b->history.ncommits : 0;
	for (size_t i = 0; i < n && i < FEED_ENTRIES; i++)
		feed_entry(tree, &b->history.commits[i], &x);
	buf_puts(&x, "</feed>\n");
	int rc = build_write(b, "feed.xml", x.data, x.len);
	buf_free(&x);
	return rc;
}

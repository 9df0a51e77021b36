/*
 * regfeed: Atom (RFC 4287) for the registry's pages (see regfeed.h).
 */
#include "site/regfeed.h"

#include <stdio.h>
#include <string.h>

#include "site/reglang.h"

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
regfeed_atom(struct buf *out, const char *lang, const char *title,
    const char *page_url, const char *author, const char *fallback_updated,
    json_t *entries)
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
	buf_printf(out,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%s\">\n",
	    lang);
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

json_t *
regfeed_entry(json_t *e, const char *page, const char *number, int en)
{
	struct buf title = BUF_INIT, summary = BUF_INIT, href = BUF_INIT;
	const char *label = member(e, "label"),
	           *words = member(e, "date_words");
	const char *reason = member(e, "reason");
	const char *deadline =
	    json_string_value(json_object_get(e, "deadline"));
	const char *value = json_string_value(json_object_get(e, "new_value"));
	const char *other = json_string_value(json_object_get(e, "other"));
	json_int_t seq = json_integer_value(json_object_get(e, "seq"));
	json_t *entry;

	if (en) {
		char day[32];
		if (number)
			buf_printf(&title, "%s: ", number);
		buf_printf(&title, "%s (%s)", label, words);
		buf_printf(&summary, "%s: %s", words, label);
		if (number)
			buf_printf(&summary, ", certificate %s", number);
		if (other)
			buf_printf(&summary, " (%s)", other);
		if (value)
			buf_printf(&summary, ": %s", value);
		if (*reason)
			buf_printf(
			    &summary, ". Reason (as recorded): %s", reason);
		if (deadline)
			buf_printf(&summary, ". Deadline: %s",
			    reglang_date(deadline, day));
		if (json_object_get(e, "voided_by"))
			buf_puts(
			    &summary, ". This record has since been corrected");
		buf_puts(&summary, ".");
	} else {
		if (number)
			buf_printf(&title, "%s：", number);
		buf_printf(&title, "%s（%s）", label, words);
		buf_printf(&summary, "%s %s", words, label);
		if (number)
			buf_printf(&summary, "，证书 %s", number);
		if (other)
			buf_printf(&summary, "（%s）", other);
		if (value)
			buf_printf(&summary, "：%s", value);
		if (*reason)
			buf_printf(&summary, "。理由：%s", reason);
		if (deadline)
			buf_printf(&summary, "。期限：%s", deadline);
		if (json_object_get(e, "voided_by"))
			buf_puts(&summary, "。此记录已被更正");
		buf_puts(&summary, "。");
	}
	buf_printf(&href, "%s#event-%lld", page, (long long)seq);
	entry = json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", title.data,
	    "href", href.data, "id", href.data, "updated",
	    member(e, "recorded_at"), "summary", summary.data);
	buf_free(&title);
	buf_free(&summary);
	buf_free(&href);
	return entry;
}

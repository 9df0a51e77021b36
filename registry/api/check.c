/*
 * The check pages (see check.h).  The HTML written here is the same as
 * site/static/check.js and bulk.js write in the browser: the classes and
 * the words must stay in step with them.
 */
#include "registry/api/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/api/numbers.h"
#include "registry/api/search.h"
#include "registry/api/site.h"
#include "registry/base/mem.h"
#include "registry/base/url.h"
#include "registry/rules/label.h"
#include "registry/rules/lookup.h"
#include "registry/rules/text.h"

#define PAGE_CACHE_CONTROL "Cache-Control: public, max-age=60\r\n"

/*
 * The value of parameter `name` in the raw query string, decoded, or
 * NULL when it is absent, empty, malformed, longer than `max` bytes or
 * not UTF-8.  Control characters become spaces, except (with `lines`)
 * the line breaks of a pasted list, kept as '\n' ("\r\n" too).
 */
static char *
query_value(const char *raw, const char *name, size_t max, int lines)
{
	size_t nlen = strlen(name);

	for (const char *p = raw; p && *p;) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nlen && strncmp(p, name, nlen) == 0 &&
		    p[nlen] == '=') {
			char *value;
			if (len - nlen - 1 > 3 * max ||
			    url_decode(p + nlen + 1, len - nlen - 1,
			        URL_PLUS_IS_SPACE, &value) != 0)
				return NULL;
			if (strlen(value) > max ||
			    !text_valid_utf8(value, strlen(value), NULL)) {
				free(value);
				return NULL;
			}
			char *o = value;
			for (char *v = value; *v; v++) {
				if (lines && *v == '\r' && v[1] == '\n')
					continue;
				if (lines && (*v == '\n' || *v == '\r'))
					*o++ = '\n';
				else if ((unsigned char)*v < 0x20 || *v == 0x7f)
					*o++ = ' ';
				else
					*o++ = *v;
			}
			*o = '\0';
			if (value[strspn(value, " \n")] == '\0') {
				free(value);
				return NULL;
			}
			return value;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

/* Replaces the text between `begin` and `end` (markers kept out) in
 * page with `with`; 0, or -1 when the markers are not there. */
static int
replace_region(struct buf *page, const char *begin, const char *end,
    const struct buf *with)
{
	char *a = page->data ? strstr(page->data, begin) : NULL;
	char *b = a ? strstr(a, end) : NULL;
	struct buf out = BUF_INIT;

	if (b == NULL)
		return -1;
	buf_put(&out, page->data, (size_t)(a - page->data));
	if (with->len)
		buf_put(&out, with->data, with->len);
	b += strlen(end);
	buf_puts(&out, b);
	buf_free(page);
	*page = out;
	return 0;
}

/* Inserts `text` (escaped) after each `after` in page. */
static void
fill_after(struct buf *page, const char *after, const char *text)
{
	struct buf out = BUF_INIT;
	const char *p = page->data, *at;

	if (p == NULL)
		return;
	while ((at = strstr(p, after)) != NULL) {
		at += strlen(after);
		buf_put(&out, p, (size_t)(at - p));
		buf_puts_html(&out, text);
		p = at;
	}
	buf_puts(&out, p);
	buf_free(page);
	*page = out;
}

/* Sends page as HTML with `status`. */
static void
send_page(struct api_call *c, int status, struct buf *page)
{
	c->resp->status = status;
	buf_puts(
	    &c->resp->headers, "Content-Type: text/html; charset=utf-8\r\n");
	if (status == 200)
		buf_puts(&c->resp->headers, PAGE_CACHE_CONTROL);
	buf_reset(&c->resp->body);
	buf_put(&c->resp->body, page->data, page->len);
}

/* A redirect to `location` (a reference relative to the request). */
static void
redirect(struct api_call *c, int status, const char *location)
{
	c->resp->status = status;
	buf_puts(&c->resp->headers, "Location: ");
	buf_puts(&c->resp->headers, location);
	buf_puts(&c->resp->headers, "\r\n" PAGE_CACHE_CONTROL);
}

/* The status and flags of a certificate as badges. */
static void
put_badges(struct buf *b, const struct status *st)
{
	buf_printf(b, "<span class=\"status status-%s\">%s</span>",
	    status_name(st->status), label_status_zh(st->status));
	for (unsigned bit = 1; bit <= STATUS_FLAG_LAST; bit <<= 1)
		if (st->flags & bit)
			buf_printf(b, " <span class=\"flag flag-%s\">%s</span>",
			    status_flag_name(bit), label_flag_zh(bit));
}

/* The line under the date: the snapshot answered from. */
static void
put_as_of(struct api_call *c, struct buf *b)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);
	char iso[DATE_BUFSIZE], day[LABEL_DATE_BUFSIZE],
	    time[LABEL_TIME_BUFSIZE];

	buf_printf(b,
	    "<p class=\"check-asof\">状态截至 <time datetime=\"%s\">%s</time>"
	    "（名录于 %s 发布，北京时间）。</p>\n",
	    date_format(c->day, iso), label_date_zh(c->day, day),
	    label_time_zh(meta->published_epoch, time));
}

/* ---- /registry/check/ ---- */

struct check_list {
	struct api_call *c;
	struct buf rows;
	int count;
	char first[LOOKUP_MAX]; /* the first certificate's number */
};

static void
check_row(void *arg, const struct api_cert *cert, const char *match)
{
	struct check_list *list = arg;
	struct buf *b = &list->rows;
	const struct snapshot_category *cat =
	    snapshot_category(list->c->snap, cert->row.category);
	char validity[LABEL_VALIDITY_BUFSIZE];

	(void)match;
	if (list->count++ == 0)
		snprintf(
		    list->first, sizeof list->first, "%s", cert->row.number);
	buf_printf(b,
	    "<li class=\"check-item\" data-status=\"%s\">\n"
	    "<p class=\"check-name\"><a href=\"../organisations/"
	    "%lld/\">",
	    status_name(cert->st.status), cert->row.organisation_id);
	buf_puts_html(b, cert->row.organisation_name);
	buf_puts(b, "</a> ");
	put_badges(b, &cert->st);
	buf_puts(
	    b, "</p>\n<p class=\"check-facts\"><a href=\"../certificates/");
	buf_puts_html(b, cert->row.number);
	buf_puts(b, "/\">");
	buf_puts_html(b, cert->row.number);
	buf_puts(b, "</a> · ");
	buf_puts_html(b, cat ? cat->name_zh : cert->row.category);
	buf_printf(b, " %d级 · %s</p>\n</li>\n", cert->row.level,
	    label_validity_zh(&cert->st, validity));
}

void
api_check_page(struct api_call *c)
{
	char *q = query_value(c->req->query, "q", API_CHECK_Q_MAX, 0);
	struct buf page = BUF_INIT, region = BUF_INIT, cut = BUF_INIT;
	struct check_list list = {c, BUF_INIT, 0, ""};
	char looked[LOOKUP_MAX];
	enum lookup_kind kind;
	int more;

	if (q == NULL || api_site_read(c, "registry/check/index.html", &page)) {
		free(q);
		buf_free(&page);
		api_site_serve(c);
		return;
	}
	kind = lookup_classify(q, looked);
	/* At most the characters a search takes. */
	{
		size_t chars = 0, i;
		for (i = 0; looked[i]; i++)
			if ((looked[i] & 0xc0) != 0x80 &&
			    ++chars > API_SEARCH_MAX_CHARS)
				break;
		looked[i] = '\0';
	}
	more = api_search_each(c, looked, API_CHECK_ROWS, check_row, &list);
	if (more < 0) {
		api_call_failed(c);
		goto done;
	}
	if (list.count == 1 && !more) {
		buf_printf(&cut, "../certificates/%s/", list.first);
		redirect(c, 303, cut.data);
		goto done;
	}
	if (list.count == 0 && kind == LOOKUP_NUMBER) {
		/* Its page says that it is not in the registry. */
		buf_printf(&cut, "../certificates/%s/", looked);
		redirect(c, 303, cut.data);
		goto done;
	}
	buf_puts(
	    &region, "<div class=\"check-answer\" data-answered=\"server\">\n");
	put_as_of(c, &region);
	if (list.count == 0) {
		buf_puts(&region,
		    "<p class=\"check-summary check-none\">名录中没有找到“");
		buf_puts_html(&region, q);
		buf_puts(&region,
		    "”。请核对名称或编号是否输错；证书编号形如 "
		    "CNITSEC-CS1-2024-0001，统一社会信用代码为 18 位。"
		    "若有人以此声称获证，请向发证机构核实（见<a "
		    "href=\"../../contact/\">联系方式</a>）。</p>\n");
	} else {
		buf_puts(&region, "<p class=\"check-summary\">“");
		buf_puts_html(&region, q);
		buf_printf(&region, "”：%s %d 张证书。</p>\n",
		    more ? "列出前" : "找到", list.count);
		buf_puts(&region, "<ol class=\"check-list\">\n");
		buf_put(&region, list.rows.data, list.rows.len);
		buf_puts(&region, "</ol>\n");
		if (more) {
			buf_puts(&region,
			    "<p "
			    "class=\"check-more\">"
			    "还有更多结果：请输入更完整的名称或编号，"
			    "或<a href=\"../../search/?q=");
			api_call_url_encode(&region, q, 0);
			buf_puts(&region, "\">在全站搜索中查看</a>。</p>\n");
		}
	}
	buf_puts(&region, "</div>\n");
	if (replace_region(&page, "<!--check:begin-->", "<!--check:end-->",
	        &region) != 0) {
		buf_free(&page);
		api_site_serve(c);
		goto done;
	}
	fill_after(&page, "data-fill=\"q\" value=\"", q);
	send_page(c, 200, &page);
done:
	free(q);
	buf_free(&page);
	buf_free(&region);
	buf_free(&cut);
	buf_free(&list.rows);
}

/* ---- /registry/bulk/ ---- */

struct bulk_rows {
	struct api_call *c;
	struct buf *b;
	const char *input;
	int count;
};

static void
bulk_row(void *arg, const struct api_cert *cert)
{
	struct bulk_rows *rows = arg;
	struct buf *b = rows->b;
	char validity[LABEL_VALIDITY_BUFSIZE];

	buf_printf(b, "<tr data-status=\"%s\"><td data-label=\"输入\">",
	    status_name(cert->st.status));
	buf_puts_html(b, rows->input);
	buf_puts(
	    b, "</td><td data-label=\"证书编号\"><a href=\"../certificates/");
	buf_puts_html(b, cert->row.number);
	buf_puts(b, "/\">");
	buf_puts_html(b, cert->row.number);
	buf_printf(b,
	    "</a></td><td data-label=\"获证组织\"><a "
	    "href=\"../organisations/%lld/\">",
	    cert->row.organisation_id);
	buf_puts_html(b, cert->row.organisation_name);
	buf_puts(b, "</a></td><td data-label=\"状态\">");
	put_badges(b, &cert->st);
	buf_puts(b, "</td><td class=\"cell-validity\" data-label=\"有效期\">");
	buf_puts_html(b, label_validity_zh(&cert->st, validity));
	buf_puts(b, "</td></tr>\n");
	rows->count++;
}

void
api_check_bulk(struct api_call *c)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);
	char *list =
	    query_value(c->req->query, "numbers", API_CHECK_LIST_MAX, 1);
	struct buf page = BUF_INIT, region = BUF_INIT, body = BUF_INIT,
	           csv = BUF_INIT;
	char entry[LOOKUP_MAX], time[LABEL_TIME_BUFSIZE];
	const char *p;
	int entries = 0, found = 0, cut = 0;

	if (list == NULL ||
	    api_site_read(c, "registry/bulk/index.html", &page)) {
		free(list);
		buf_free(&page);
		api_site_serve(c);
		return;
	}
	buf_puts(&csv, "../../v1/certificates?format=csv&number=");
	for (p = list; lookup_next(&p, entry) == 0;) {
		struct api_entry e;
		struct bulk_rows rows = {c, &body, entry, 0};
		int n;
		if (entries == LOOKUP_ENTRIES_MAX) {
			cut = 1;
			break;
		}
		n = api_entry_lookup(
		    c->snap, entry, c->day, &e, bulk_row, &rows);
		if (n < 0) {
			api_call_failed(c);
			goto done;
		}
		/* The CSV link asks for the same, in the canonical forms. */
		if (entries++)
			buf_puts(&csv, "%2C");
		api_call_url_encode(
		    &csv, e.kind == LOOKUP_TEXT ? entry : e.query, 0);
		found += n > 0;
		if (n > 0)
			continue;
		buf_puts(&body,
		    "<tr data-status=\"not_found\"><td data-label=\"输入\">");
		buf_puts_html(&body, entry);
		buf_puts(&body,
		    "</td><td data-label=\"结果\" colspan=\"4\"><span "
		    "class=\"status status-not_found\">未找到</span> ");
		buf_puts_html(&body, e.note);
		buf_puts(&body, "</td></tr>\n");
	}
	buf_puts(
	    &region, "<div class=\"bulk-answer\" data-answered=\"server\">\n");
	buf_printf(&region,
	    "<p class=\"bulk-summary\">共 %d 项，找到 %d 项，未找到 %d "
	    "项%s。</p>\n",
	    entries, found, entries - found,
	    cut ? "（超过 100 项的部分未核验）" : "");
	{
		char day[LABEL_DATE_BUFSIZE];
		buf_printf(&region,
		    "<p class=\"bulk-snapshot\">状态截至 %s；名录快照于 %s "
		    "发布（北京时间），SHA-256 <code class=\"sha256\">%s</code>"
		    "</p>\n",
		    label_date_zh(c->day, day),
		    label_time_zh(meta->published_epoch, time), meta->sha256);
	}
	buf_puts(
	    &region, "<p class=\"bulk-actions\"><a class=\"bulk-csv\" href=\"");
	buf_puts_html(&region, csv.data);
	buf_puts(&region, "\" download>下载 CSV</a></p>\n");
	buf_puts(&region,
	    "<table class=\"bulk-table\" id=\"bulk-table\">\n<caption>核验结果"
	    "</caption>\n<thead><tr><th scope=\"col\">输入</th><th "
	    "scope=\"col\">证书编号</th><th scope=\"col\">获证组织</th><th "
	    "scope=\"col\">状态</th><th "
	    "scope=\"col\">有效期</th></tr></thead>\n"
	    "<tbody>\n");
	if (body.len)
		buf_put(&region, body.data, body.len);
	buf_puts(&region, "</tbody>\n</table>\n</div>\n");
	if (replace_region(
	        &page, "<!--bulk:begin-->", "<!--bulk:end-->", &region) != 0) {
		api_site_serve(c);
		goto done;
	}
	fill_after(&page, "data-fill=\"numbers\">", list);
	send_page(c, 200, &page);
done:
	free(list);
	buf_free(&page);
	buf_free(&region);
	buf_free(&body);
	buf_free(&csv);
}

/* ---- a certificate page that is not there ---- */

int
api_check_missing(struct api_call *c)
{
	const char *seg = c->path + strlen("/registry/certificates/");
	const char *slash = strchr(seg, '/');
	size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
	char given[LOOKUP_MAX], canon[LOOKUP_MAX];
	struct buf page = BUF_INIT, where = BUF_INIT;

	if (c->config->site_dir == NULL || len == 0 || len >= sizeof given ||
	    (slash && slash[1] != '\0'))
		return -1;
	memcpy(given, seg, len);
	given[len] = '\0';
	if (lookup_classify(given, canon) == LOOKUP_NUMBER &&
	    strcmp(canon, given) != 0) {
		buf_printf(
		    &where, "registry/certificates/%s/index.html", canon);
		if (api_site_has(c, where.data)) {
			buf_reset(&where);
			buf_puts(&where, slash ? "../" : "");
			buf_puts(&where, canon);
			buf_putc(&where, '/');
			redirect(c, 301, where.data);
			buf_free(&where);
			return 0;
		}
	}
	buf_free(&where);
	if (api_site_read(c, "registry/not-found/index.html", &page) != 0) {
		buf_free(&page);
		return -1;
	}
	fill_after(&page, "data-fill=\"number\">",
	    lookup_classify(given, canon) == LOOKUP_NUMBER ? canon : given);
	send_page(c, 404, &page);
	buf_free(&page);
	return 0;
}

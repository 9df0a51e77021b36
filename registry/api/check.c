/*
 * The check pages (see check.h).  The HTML written here is the same as
 * site/static/check.js and bulk.js write in the browser: the classes and
 * the words must stay in step with them.  Each page is written in the
 * language of its address: Chinese, or English below /en/ (the words of
 * registry/rules/label.c for statuses and flags; organisation names as
 * recorded).
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
#include "registry/rules/creditcode.h"
#include "registry/rules/lookup.h"
#include "registry/rules/text.h"

#define PAGE_CACHE_CONTROL "Cache-Control: public, max-age=60\r\n"

static const char *const MONTHS_EN[12] = {"January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December"};

/* 1 when the page asked for is the English edition's (below /en/). */
static int
english(const struct api_call *c)
{
	return strncmp(c->path, "/en/", 4) == 0;
}

/* "2 December 2026"; "" for DATE_NONE. */
static char *
date_en(int date, char buf[LABEL_DATE_BUFSIZE])
{
	int y, m, d;

	buf[0] = '\0';
	if (date == DATE_NONE)
		return buf;
	date_to_civil(date, &y, &m, &d);
	if (m >= 1 && m <= 12)
		snprintf(buf, LABEL_DATE_BUFSIZE, "%d %s %d", d,
		    MONTHS_EN[m - 1], y);
	return buf;
}

/* "2 December 2026, 11:04" in China Standard Time. */
static char *
time_en(long long seconds, char buf[LABEL_TIME_BUFSIZE])
{
	char zh[LABEL_TIME_BUFSIZE];
	int y, m, d, hh, mm;

	label_time_zh(seconds, zh);
	if (sscanf(zh, "%d年%d月%d日 %d:%d", &y, &m, &d, &hh, &mm) == 5 &&
	    m >= 1 && m <= 12)
		snprintf(buf, LABEL_TIME_BUFSIZE, "%d %s %d, %02d:%02d", d,
		    MONTHS_EN[m - 1], y, hh, mm);
	else
		snprintf(buf, LABEL_TIME_BUFSIZE, "%s", zh);
	return buf;
}

/* What the validity means, as label_validity_zh says it in Chinese. */
static char *
validity_en(const struct status *st, char buf[LABEL_VALIDITY_BUFSIZE])
{
	char until[LABEL_DATE_BUFSIZE], since[LABEL_DATE_BUFSIZE];

	date_en(st->valid_until, until);
	date_en(st->since, since);
	switch (st->status) {
	case STATUS_NOT_ISSUED:
		snprintf(buf, LABEL_VALIDITY_BUFSIZE, "not issued yet");
		break;
	case STATUS_REVOKED:
		snprintf(buf, LABEL_VALIDITY_BUFSIZE,
		    "was valid until %s; revoked on %s", until, since);
		break;
	case STATUS_SUPERSEDED:
		snprintf(buf, LABEL_VALIDITY_BUFSIZE,
		    "was valid until %s; replaced by a new certificate on %s",
		    until, since);
		break;
	case STATUS_EXPIRED:
		snprintf(buf, LABEL_VALIDITY_BUFSIZE, "valid until %s; expired",
		    until);
		break;
	default:
		snprintf(buf, LABEL_VALIDITY_BUFSIZE, "valid until %s", until);
		break;
	}
	return buf;
}

/* What to check about an entry of the bulk check not found, in English
 * (numbers.c says it in Chinese). */
static const char *
note_en(const struct api_entry *e, char *buf, size_t size)
{
	char why[120], want;

	if (e->kind == LOOKUP_TEXT)
		return "this is not a certificate number (such as "
		       "CNITSEC-CS1-2024-0001) or a unified social credit code "
		       "(18 characters): please check it";
	if (e->kind == LOOKUP_NUMBER)
		return "no certificate in the registry has this number: check "
		       "it for typing errors, and ask whoever showed the "
		       "certificate which body issued it";
	if (creditcode_check(e->query, why, sizeof why) != 0) {
		if ((want = creditcode_check_char(e->query)) != 0) {
			snprintf(buf, size,
			    "the check character of this unified social credit "
			    "code should be %c: it may be mistyped, please "
			    "check "
			    "it",
			    want);
			return buf;
		}
		return "this is not a valid unified social credit code (it "
		       "holds characters codes do not use, such as I, O, S, V "
		       "or Z): please check it";
	}
	return "no organisation in the registry holds this unified social "
	       "credit code";
}

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

/* Replaces each `what` in page with `with`. */
static void
replace_all(struct buf *page, const char *what, const char *with)
{
	struct buf out = BUF_INIT;
	const char *p = page->data, *at;

	if (p == NULL)
		return;
	while ((at = strstr(p, what)) != NULL) {
		buf_put(&out, p, (size_t)(at - p));
		buf_puts(&out, with);
		p = at + strlen(what);
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
put_badges(struct buf *b, const struct status *st, int en)
{
	buf_printf(b, "<span class=\"status status-%s\">%s</span>",
	    status_name(st->status),
	    en ? label_status_en(st->status) : label_status_zh(st->status));
	for (unsigned bit = 1; bit <= STATUS_FLAG_LAST; bit <<= 1)
		if (st->flags & bit)
			buf_printf(b, " <span class=\"flag flag-%s\">%s</span>",
			    status_flag_name(bit),
			    en ? label_flag_en(bit) : label_flag_zh(bit));
}

/* The line under the date: the snapshot answered from. */
static void
put_as_of(struct api_call *c, struct buf *b)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);
	char iso[DATE_BUFSIZE], day[LABEL_DATE_BUFSIZE],
	    time[LABEL_TIME_BUFSIZE];

	if (english(c))
		buf_printf(b,
		    "<p class=\"check-asof\">Status as of <time "
		    "datetime=\"%s\">%s</time> (registry published %s, China "
		    "Standard Time).</p>\n",
		    date_format(c->day, iso), date_en(c->day, day),
		    time_en(meta->published_epoch, time));
	else
		buf_printf(b,
		    "<p class=\"check-asof\">状态截至 <time "
		    "datetime=\"%s\">%s</time>"
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
	int en;                 /* the English page */
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
	put_badges(b, &cert->st, list->en);
	buf_puts(
	    b, "</p>\n<p class=\"check-facts\"><a href=\"../certificates/");
	buf_puts_html(b, cert->row.number);
	buf_puts(b, "/\">");
	buf_puts_html(b, cert->row.number);
	buf_puts(b, "</a> · ");
	if (list->en) {
		buf_puts_html(b, cat && cat->name_en && *cat->name_en
		                     ? cat->name_en
		                     : cert->row.category);
		buf_printf(b, ", level %d · %s</p>\n</li>\n", cert->row.level,
		    validity_en(&cert->st, validity));
		return;
	}
	buf_puts_html(b, cat ? cat->name_zh : cert->row.category);
	buf_printf(b, " %d级 · %s</p>\n</li>\n", cert->row.level,
	    label_validity_zh(&cert->st, validity));
}

void
api_check_page(struct api_call *c)
{
	char *q = query_value(c->req->query, "q", API_CHECK_Q_MAX, 0);
	struct buf page = BUF_INIT, region = BUF_INIT, cut = BUF_INIT;
	int en = english(c);
	struct check_list list = {c, BUF_INIT, 0, "", en};
	char looked[LOOKUP_MAX];
	enum lookup_kind kind;
	int more;

	if (q == NULL || api_site_read(c,
	                     en ? "en/registry/check/index.html"
	                        : "registry/check/index.html",
	                     &page)) {
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
	if (en && list.count == 0) {
		buf_puts(&region, "<p class=\"check-summary check-none\">“");
		buf_puts_html(&region, q);
		buf_puts(&region,
		    "” is not in the registry. Check the name or number for "
		    "typing errors: a certificate number looks like "
		    "CNITSEC-CS1-2024-0001, and a unified social credit code "
		    "has 18 characters. If someone claims to be certified "
		    "under it, ask the issuing body (see <a "
		    "href=\"../../contact/\">contact</a>).</p>\n");
	} else if (en) {
		buf_puts(&region, "<p class=\"check-summary\">“");
		buf_puts_html(&region, q);
		buf_printf(&region, "”: %s%d certificate%s found.</p>\n",
		    more ? "the first " : "", list.count,
		    list.count == 1 ? "" : "s");
		buf_puts(&region, "<ol class=\"check-list\">\n");
		buf_put(&region, list.rows.data, list.rows.len);
		buf_puts(&region, "</ol>\n");
		if (more) {
			buf_puts(&region,
			    "<p class=\"check-more\">There are more: type "
			    "more of the name or the number, or <a "
			    "href=\"../../search/?q=");
			api_call_url_encode(&region, q, 0);
			buf_puts(&region,
			    "\">see them in the site search</a>.</p>\n");
		}
	} else if (list.count == 0) {
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

/* The bulk check's words in one language. */
struct bulk_words {
	const char *page, *root; /* the site's page; the way to the site */
	const char *input, *number, *holder, *status, *validity, *result;
	const char *not_found, *csv, *caption;
};

static const struct bulk_words BULK_ZH = {"registry/bulk/index.html", "../../",
                                   "输入", "证书编号", "获证组织", "状态",
                                   "有效期", "结果", "未找到", "下载 CSV",
                                   "核验结果"},
                               BULK_EN = {"en/registry/bulk/index.html",
                                   "../../../", "Entered", "Certificate number",
                                   "Organisation", "Status", "Validity",
                                   "Result", "not found", "Download CSV",
                                   "Results of the check"};

struct bulk_rows {
	struct api_call *c;
	struct buf *b;
	const char *input;
	int count;
	const struct bulk_words *w;
};

static void
bulk_row(void *arg, const struct api_cert *cert)
{
	struct bulk_rows *rows = arg;
	const struct bulk_words *w = rows->w;
	struct buf *b = rows->b;
	int en = w == &BULK_EN;
	char validity[LABEL_VALIDITY_BUFSIZE];

	buf_printf(b, "<tr data-status=\"%s\"><td data-label=\"%s\">",
	    status_name(cert->st.status), w->input);
	buf_puts_html(b, rows->input);
	buf_printf(b, "</td><td data-label=\"%s\"><a href=\"../certificates/",
	    w->number);
	buf_puts_html(b, cert->row.number);
	buf_puts(b, "/\">");
	buf_puts_html(b, cert->row.number);
	buf_printf(b,
	    "</a></td><td data-label=\"%s\"><a "
	    "href=\"../organisations/%lld/\">",
	    w->holder, cert->row.organisation_id);
	buf_puts_html(b, cert->row.organisation_name);
	buf_printf(b, "</a></td><td data-label=\"%s\">", w->status);
	put_badges(b, &cert->st, en);
	buf_printf(b, "</td><td class=\"cell-validity\" data-label=\"%s\">",
	    w->validity);
	buf_puts_html(b, en ? validity_en(&cert->st, validity)
	                    : label_validity_zh(&cert->st, validity));
	buf_puts(b, "</td></tr>\n");
	rows->count++;
}

/* The lines above the table: how many, and the snapshot answered from. */
static void
put_bulk_summary(
    struct api_call *c, struct buf *b, int entries, int found, int cut, int en)
{
	const struct snapshot_meta *meta = api_db_meta(c->db);
	char day[LABEL_DATE_BUFSIZE], time[LABEL_TIME_BUFSIZE];

	if (en) {
		buf_printf(b,
		    "<p class=\"bulk-summary\">%d entered, %d found, %d not "
		    "found%s.</p>\n",
		    entries, found, entries - found,
		    cut ? " (those past the first 100 were not checked)" : "");
		buf_printf(b,
		    "<p class=\"bulk-snapshot\">Status as of %s; registry "
		    "snapshot published %s (China Standard Time), SHA-256 "
		    "<code class=\"sha256\">%s</code></p>\n",
		    date_en(c->day, day), time_en(meta->published_epoch, time),
		    meta->sha256);
		return;
	}
	buf_printf(b,
	    "<p class=\"bulk-summary\">共 %d 项，找到 %d 项，未找到 %d "
	    "项%s。</p>\n",
	    entries, found, entries - found,
	    cut ? "（超过 100 项的部分未核验）" : "");
	buf_printf(b,
	    "<p class=\"bulk-snapshot\">状态截至 %s；名录快照于 %s "
	    "发布（北京时间），SHA-256 <code class=\"sha256\">%s</code>"
	    "</p>\n",
	    label_date_zh(c->day, day),
	    label_time_zh(meta->published_epoch, time), meta->sha256);
}

void
api_check_bulk(struct api_call *c)
{
	const struct bulk_words *w = english(c) ? &BULK_EN : &BULK_ZH;
	char *list =
	    query_value(c->req->query, "numbers", API_CHECK_LIST_MAX, 1);
	struct buf page = BUF_INIT, region = BUF_INIT, body = BUF_INIT,
	           csv = BUF_INIT;
	char entry[LOOKUP_MAX], note[160];
	const char *p;
	int entries = 0, found = 0, cut = 0;

	if (list == NULL || api_site_read(c, w->page, &page)) {
		free(list);
		buf_free(&page);
		api_site_serve(c);
		return;
	}
	buf_printf(&csv, "%sv1/certificates?format=csv&number=", w->root);
	for (p = list; lookup_next(&p, entry) == 0;) {
		struct api_entry e;
		struct bulk_rows rows = {c, &body, entry, 0, w};
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
		buf_printf(&body,
		    "<tr data-status=\"not_found\"><td data-label=\"%s\">",
		    w->input);
		buf_puts_html(&body, entry);
		buf_printf(&body,
		    "</td><td data-label=\"%s\" colspan=\"4\"><span "
		    "class=\"status status-not_found\">%s</span> ",
		    w->result, w->not_found);
		buf_puts_html(&body,
		    w == &BULK_EN ? note_en(&e, note, sizeof note) : e.note);
		buf_puts(&body, "</td></tr>\n");
	}
	buf_puts(
	    &region, "<div class=\"bulk-answer\" data-answered=\"server\">\n");
	put_bulk_summary(c, &region, entries, found, cut, w == &BULK_EN);
	buf_puts(
	    &region, "<p class=\"bulk-actions\"><a class=\"bulk-csv\" href=\"");
	buf_puts_html(&region, csv.data);
	buf_printf(&region, "\" download>%s</a></p>\n", w->csv);
	buf_printf(&region,
	    "<table class=\"bulk-table\" id=\"bulk-table\">\n<caption>%s"
	    "</caption>\n<thead><tr><th scope=\"col\">%s</th><th "
	    "scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
	    "scope=\"col\">%s</th><th "
	    "scope=\"col\">%s</th></tr></thead>\n"
	    "<tbody>\n",
	    w->caption, w->input, w->number, w->holder, w->status, w->validity);
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
	int en = english(c);
	const char *seg = c->path + strlen(en ? "/en/registry/certificates/"
	                                      : "/registry/certificates/");
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
		buf_printf(&where, "%sregistry/certificates/%s/index.html",
		    en ? "en/" : "", canon);
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
	if (api_site_read(c,
	        en ? "en/registry/not-found/index.html"
	           : "registry/not-found/index.html",
	        &page) != 0) {
		buf_free(&page);
		return -1;
	}
	fill_after(&page, "data-fill=\"number\">",
	    lookup_classify(given, canon) == LOOKUP_NUMBER ? canon : given);
	/* The language switch: the same address in the other language. */
	buf_puts(&where, "registry/certificates/");
	api_call_url_encode(&where, given, 0);
	buf_puts(&where, "/\"");
	replace_all(&page, "registry/not-found/\"", where.data);
	buf_free(&where);
	send_page(c, 404, &page);
	buf_free(&page);
	return 0;
}

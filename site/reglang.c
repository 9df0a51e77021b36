/*
 * reglang: one pass over a copy of the page's context, saying each word
 * again from the machine value beside it.  The words for statuses and
 * flags are registry/rules/label.c's; those for windows and events are
 * the pages' own.
 */
#include "site/reglang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/rules/label.h"
#include "site/lang.h"
#include "site/regfeed.h"
#include "site/regpages.h"

static const char *const MONTHS[12] = {"January", "February", "March", "April",
    "May", "June", "July", "August", "September", "October", "November",
    "December"};

struct word {
	const char *code, *word;
};

static const struct word WINDOWS[] = {{"upcoming", "not yet due"},
    {"open", "open now"}, {"passed", "done"}, {"overdue", "overdue, not done"},
    {"closed", "closed"}, {"ended", "no longer applies"}};

static const struct word EVENTS[] = {{"org-add", "organisation registered"},
    {"org-rename", "name changed"}, {"org-address", "address changed"},
    {"issue", "certificate issued"}, {"annual-check", "annual check"},
    {"warn", "warning"}, {"rectify", "rectification ordered"},
    {"rectify-close", "rectification completed"},
    {"suspend", "certificate suspended"},
    {"reinstate", "certificate reinstated"}, {"revoke", "certificate revoked"},
    {"transfer", "certificate transferred"}, {"renew", "renewal"},
    {"upgrade", "upgrade"}, {"void", "correction"},
    {"org-name-en", "English name recorded"}};

static const struct word WINDOW_TITLES[] = {
    {"第 1 年年检", "Annual check, year 1"},
    {"第 2 年年检", "Annual check, year 2"},
    {"维持换证申请", "Application for renewal"}};

#define LOOKUP(table, key) say_word(table, sizeof table / sizeof *table, key)

/* The word for code in table, else the code itself. */
static const char *
say_word(const struct word *table, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(table[i].code, code) == 0)
			return table[i].word;
	return code ? code : "";
}

const char *
reglang_status(const char *status)
{
	int parsed = status ? status_parse(status) : -1;

	if (parsed < 0)
		return status ? status : "";
	return label_status_en((enum cert_status)parsed);
}

const char *
reglang_flag(const char *flag)
{
	unsigned bit = flag ? status_flags_parse(flag) : 0;

	/* One name gives one bit; anything else is said as it is. */
	if (bit == 0 || (bit & (bit - 1)) != 0)
		return flag ? flag : "";
	return label_flag_en(bit);
}

char *
reglang_date(const char *iso, char *out)
{
	int y, m, d;
	out[0] = '\0';
	if (iso && sscanf(iso, "%d-%d-%d", &y, &m, &d) == 3 && m >= 1 &&
	    m <= 12)
		snprintf(out, 32, "%d %s %d", d, MONTHS[m - 1], y);
	return out;
}

static const char *
text(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void
set(json_t *obj, const char *key, const char *value)
{
	json_object_set_new(obj, key, json_string(value ? value : ""));
}

static void
set_date_words(json_t *obj, const char *key, const char *iso)
{
	char words[32];
	if (iso != NULL)
		set(obj, key, reglang_date(iso, words));
}

/* "有效期至 …" and the like, from the status and the dates. */
static void
validity(json_t *cert)
{
	const char *st = text(cert, "status");
	char until[32], since[32];
	struct buf b = BUF_INIT;
	reglang_date(text(cert, "valid_until"), until);
	reglang_date(text(cert, "status_since"), since);
	if (st == NULL)
		return;
	if (strcmp(st, "not_issued") == 0)
		buf_puts(&b, "not issued yet");
	else if (strcmp(st, "revoked") == 0)
		buf_printf(
		    &b, "was valid until %s; revoked on %s", until, since);
	else if (strcmp(st, "superseded") == 0)
		buf_printf(&b,
		    "was valid until %s; replaced by a new certificate on %s",
		    until, since);
	else if (strcmp(st, "expired") == 0)
		buf_printf(&b, "valid until %s; expired", until);
	else
		buf_printf(&b, "valid until %s", until);
	set(cert, "validity_label", b.data);
	buf_free(&b);
}

/* A notice's title and text, from its kind and dates. */
static void
notice(json_t *n, const char *as_of)
{
	char d1[32], d2[32], d3[32];
	struct buf b = BUF_INIT;
	reglang_date(text(n, "effective_on"), d1);
	reglang_date(text(n, "until"), d2);
	reglang_date(as_of, d3);
	if (strcmp(text(n, "kind") ? text(n, "kind") : "", "warn") == 0) {
		set(n, "title", "Warning");
		buf_printf(&b,
		    "On %s this certificate was given a warning, which stands "
		    "for 12 months, until %s.",
		    d1, d2);
	} else if (json_is_true(json_object_get(n, "overdue"))) {
		set(n, "title", "Rectification overdue");
		buf_printf(&b,
		    "On %s a rectification was ordered by %s; that deadline "
		    "has "
		    "passed and on %s it was still not completed. If it still "
		    "does not conform after rectification, the certificate "
		    "will "
		    "be suspended or revoked.",
		    d1, d2, d3);
	} else {
		set(n, "title", "Rectification ordered");
		buf_printf(&b,
		    "On %s a rectification was ordered by %s; it is not "
		    "completed yet.",
		    d1, d2);
	}
	set(n, "text", b.data);
	buf_free(&b);
}

/* "2026年12月2日 11:04" -> "2 December 2026, 11:04". */
static void
time_words(json_t *obj, const char *key)
{
	int y, m, d, hh, mm;
	const char *s = text(obj, key);
	if (s && sscanf(s, "%d年%d月%d日 %d:%d", &y, &m, &d, &hh, &mm) == 5 &&
	    m >= 1 && m <= 12)
		json_object_set_new(obj, key,
		    json_sprintf(
		        "%d %s %d, %02d:%02d", d, MONTHS[m - 1], y, hh, mm));
}

struct say {
	json_t *categories_en;
	const char *as_of;
};

static void walk(json_t *v, const struct say *say);

static void
walk_object(json_t *o, const struct say *say)
{
	const char *status = text(o, "status");
	if (status && json_object_get(o, "status_label"))
		set(o, "status_label", reglang_status(status));
	if (status && json_object_get(o, "count") &&
	    json_object_get(o, "label"))
		set(o, "label", reglang_status(status)); /* a summary's */
	if (json_object_get(o, "level_name"))
		set(o, "level_name",
		    label_level_en(
		        (int)json_integer_value(json_object_get(o, "level"))));
	const char *cat = text(o, "category");
	if (cat && json_object_get(o, "category_name")) {
		const char *en = text(say->categories_en, cat);
		if (en)
			set(o, "category_name", en);
	}
	if (json_object_get(o, "validity_label"))
		validity(o);
	if (json_object_get(o, "status_since_words"))
		set_date_words(
		    o, "status_since_words", text(o, "status_since"));
	const char *key;
	json_t *v, *item;
	size_t i;
	json_object_foreach (o, key, v) {
		if (strcmp(key, "flags") == 0) {
			json_array_foreach (v, i, item)
				set(item, "label",
				    reglang_flag(text(item, "name")));
		} else if (strcmp(key, "windows") == 0) {
			json_array_foreach (v, i, item) {
				set(item, "title",
				    LOOKUP(WINDOW_TITLES, text(item, "title")));
				set(item, "state_label",
				    LOOKUP(WINDOWS, text(item, "state")));
			}
		} else if (strcmp(key, "events") == 0) {
			json_array_foreach (v, i, item) {
				set(item, "label",
				    LOOKUP(EVENTS, text(item, "kind")));
				set_date_words(
				    item, "date_words", text(item, "date"));
			}
		} else if (strcmp(key, "notices") == 0) {
			json_array_foreach (v, i, item)
				notice(item, say->as_of);
		} else {
			walk(v, say);
		}
	}
}

static void
walk(json_t *v, const struct say *say)
{
	size_t i;
	json_t *item;
	if (json_is_object(v))
		walk_object(v, say);
	else if (json_is_array(v))
		json_array_foreach (v, i, item)
			walk(item, say);
}

/* The filters' words: statuses, levels, categories. */
static void
filters(json_t *f, const struct say *say)
{
	size_t i;
	json_t *item;
	json_array_foreach (json_object_get(f, "statuses"), i, item)
		set(item, "label", reglang_status(text(item, "value")));
	json_array_foreach (json_object_get(f, "levels"), i, item)
		set(item, "label",
		    label_level_en((int)json_integer_value(
		        json_object_get(item, "value"))));
	json_array_foreach (json_object_get(f, "categories"), i, item) {
		const char *en = text(say->categories_en, text(item, "value"));
		if (en)
			set(item, "label", en);
	}
}

/* A list page's title, from its folder: "registry/status/valid/". */
static void
list_title(json_t *ctx, const char *dir, const struct say *say)
{
	char what[128];
	int level;
	if (sscanf(dir, "registry/status/%127[^/]/", what) == 1)
		json_object_set_new(ctx, "title",
		    json_sprintf("Registry: %s", reglang_status(what)));
	else if (sscanf(dir, "registry/level/%d/", &level) == 1)
		json_object_set_new(ctx, "title",
		    json_sprintf("Registry: Level %d (%s)", level,
		        label_level_en(level)));
	else if (sscanf(dir, "registry/category/%127[^/]/", what) == 1) {
		const char *en = text(say->categories_en, what);
		json_object_set_new(
		    ctx, "title", json_sprintf("Registry: %s", en ? en : what));
	} else
		set(ctx, "title", "Registry of certified organisations");
}

/* Writes en/<dir>feed.xml: feed's events said in English, linked to the
 * English pages. */
static int
write_feed(const struct tree *zh, const char *dir, const char *title,
    const char *author, const struct reglang_feed *feed)
{
	struct build *b = zh->build;
	const char *base = b->opt->base_url;
	size_t nb = strlen(base), i;
	struct buf url = BUF_INIT, rel = BUF_INIT, xml = BUF_INIT,
	           page = BUF_INIT;
	json_t *entries = json_array(), *x;
	char words[32];
	int rc;

	json_array_foreach (feed->events, i, x) {
		json_t *e = json_deep_copy(json_object_get(x, "event"));
		const char *zh_page = text(x, "page");
		set(e, "label", LOOKUP(EVENTS, text(e, "kind")));
		set(e, "date_words", reglang_date(text(e, "date"), words));
		buf_reset(&page);
		if (zh_page && strncmp(zh_page, base, nb) == 0)
			buf_printf(
			    &page, "%s%s%s", base, LANG_EN_DIR, zh_page + nb);
		else
			buf_puts(&page, zh_page ? zh_page : "");
		json_array_append_new(
		    entries, regfeed_entry(e, page.data, text(x, "number"), 1));
		json_decref(e);
	}
	buf_printf(&url, "%s%s%s", base, LANG_EN_DIR, dir);
	buf_printf(&rel, "%s%sfeed.xml", LANG_EN_DIR, dir);
	regfeed_atom(&xml, LANG_EN.code, title, url.data,
	    author && *author ? author : feed->author, feed->updated, entries);
	rc = build_write(b, rel.data, xml.data, xml.len);
	json_decref(entries);
	buf_free(&url);
	buf_free(&rel);
	buf_free(&xml);
	buf_free(&page);
	return rc;
}

/* The check pages' titles, by template. */
static const struct word CHECK_TITLES[] = {
    {"registry-check-page", "Check a provider"},
    {"registry-bulk", "Bulk check"},
    {"registry-notfound", "Certificate not in the registry"}};

int
reglang_render(const struct tree *zh, const char *name, json_t *ctx,
    const char *dir, json_t *categories_en, const struct reglang_feed *feed)
{
	const struct tree *en = zh->other;
	if (en == NULL)
		return 0;
	struct build *b = zh->build;
	json_t *page = json_deep_copy(ctx);
	/* the English tree's own: roots, language, switch, sidebar */
	json_object_update_new(page, tree_base_context(en, dir));
	json_object_set_new(page, "nav", tree_nav(en, NULL));
	json_object_del(page, "description");
	json_t *meta = json_object_get(page, "registry");
	if (meta != NULL) {
		set_date_words(meta, "as_of_words", text(meta, "as_of"));
		time_words(meta, "published_words");
	}
	struct say say = {categories_en, meta ? text(meta, "as_of") : NULL};
	if (json_object_get(page, "filters"))
		filters(json_object_get(page, "filters"), &say);
	walk(json_object_get(page, "rows"), &say);
	walk(json_object_get(page, "cert"), &say);
	walk(json_object_get(page, "org"), &say);
	struct buf rel = BUF_INIT, url = BUF_INIT, qr = BUF_INIT;
	if (strcmp(name, "registry") == 0)
		list_title(page, dir, &say);
	else if (strcmp(name, "certificate") == 0) {
		json_object_set_new(page, "title",
		    json_sprintf("Certificate %s",
		        text(json_object_get(page, "cert"), "number")));
		/* its own address, and the QR code of it */
		buf_printf(&url, "%s%s%s", b->opt->base_url, LANG_EN_DIR, dir);
		set(page, "page_url", url.data);
		if (regpages_qr_svg(url.data, &qr) == 0) {
			const char *zh_label = "aria-label=\"二维码：";
			char *at = strstr(qr.data, zh_label);
			struct buf svg = BUF_INIT;
			if (at) {
				buf_put(&svg, qr.data, (size_t)(at - qr.data));
				buf_puts(&svg, "aria-label=\"QR code: ");
				buf_puts(&svg, at + strlen(zh_label));
			} else {
				buf_puts(&svg, qr.data);
			}
			set(page, "qr_svg", svg.data);
			buf_free(&svg);
		}
	} else if (strcmp(name, "organisation") == 0)
		set(page, "title", text(json_object_get(page, "org"), "name"));
	else if (strcmp(LOOKUP(CHECK_TITLES, name), name) != 0)
		set(page, "title", LOOKUP(CHECK_TITLES, name));
	if (strcmp(name, "registry-notfound") == 0) {
		/* served at any missing certificate's address: links from the
		 * site's root */
		json_object_set_new(
		    page, "site_root", json_string(b->base_path));
		json_object_set_new(page, "root",
		    json_sprintf("%s%s", b->base_path, LANG_EN_DIR));
		json_object_set_new(page, "lang_root",
		    json_sprintf("%s%s", b->base_path, LANG_EN_DIR));
		json_object_set_new(page, "nav", tree_nav(en, NULL));
		json_object_del(page, "alternates");
		json_object_set_new(page, "switch",
		    json_pack("{s:s+, s:s, s:s}", "url", b->base_path, dir,
		        "lang", LANG_ZH.code, "name", LANG_ZH.name));
	}
	int rc = 0;
	if (feed != NULL) {
		struct buf title = BUF_INIT;
		if (strcmp(name, "certificate") == 0)
			buf_printf(&title, "Record of certificate %s",
			    text(json_object_get(page, "cert"), "number"));
		else
			buf_printf(&title, "Certificate record of %s",
			    text(json_object_get(page, "org"), "name"));
		rc = write_feed(
		    zh, dir, title.data, text(page, "site_title"), feed);
		json_object_set_new(page, "page_feed",
		    json_pack(
		        "{s:s, s:s}", "title", title.data, "href", "feed.xml"));
		json_object_set_new(page, "feed_url", json_string("feed.xml"));
		buf_free(&title);
	}
	buf_printf(&rel, "%s%sindex.html", LANG_EN_DIR, dir);
	if (rc == 0)
		rc = build_render_to(b, name, page, rel.data);
	json_decref(page);
	buf_free(&rel);
	buf_free(&url);
	buf_free(&qr);
	return rc;
}

/*
 * lang: a page and its translation are found by key (the path without
 * ".md"); requirement ids are compared as sets, and fee figures table by
 * table and row by row in the order of the page, so a translator may
 * reword a row but not change its figure.
 */
#include "site/lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site/fees.h"
#include "site/strmap.h"
#include "site/tree.h"

const struct lang LANG_ZH = {"zh-CN", "", "中文"};
const struct lang LANG_EN = {"en", LANG_EN_DIR, "English"};

static void
add_file(struct content_tree *t, size_t *cap, struct content_file *f)
{
	if (t->count == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		t->files = mem_realloc(t->files, *cap * sizeof *t->files);
	}
	t->files[t->count++] = *f;
}

/* "content/ at HEAD (1a2b3c4)" -> "content/en/ at HEAD (1a2b3c4)". */
static char *
english_origin(const char *origin)
{
	const char *p = origin;
	while (*p && !(p[0] == '/' && (p[1] == ' ' || p[1] == '\0')))
		p++;
	struct buf b = BUF_INIT;
	if (*p == '\0') {
		buf_printf(&b, "%s/%s", origin, LANG_EN_DIR);
	} else {
		buf_put(&b, origin, (size_t)(p - origin) + 1);
		buf_printf(&b, "%s%s", LANG_EN_DIR, p + 1);
	}
	return buf_detach(&b);
}

int
lang_split(
    struct content_tree *all, struct content_tree *zh, struct content_tree *en)
{
	size_t nd = strlen(LANG_EN_DIR), zcap = 0, ecap = 0;
	memset(zh, 0, sizeof *zh);
	memset(en, 0, sizeof *en);
	for (size_t i = 0; i < all->count; i++) {
		struct content_file *f = &all->files[i];
		if (strncmp(f->path, LANG_EN_DIR, nd) != 0) {
			add_file(zh, &zcap, f);
			continue;
		}
		/* sorted by path, the stripped names stay sorted */
		memmove(f->path, f->path + nd, strlen(f->path + nd) + 1);
		add_file(en, &ecap, f);
	}
	zh->origin = all->origin;
	zh->commit_id = all->commit_id;
	zh->tree_id = all->tree_id;
	if (en->count > 0) {
		en->origin = english_origin(all->origin);
		en->commit_id =
		    all->commit_id ? mem_strdup(all->commit_id) : NULL;
		en->tree_id = all->tree_id ? mem_strdup(all->tree_id) : NULL;
	}
	free(all->files);
	memset(all, 0, sizeof *all);
	return en->count > 0;
}

/* The first line of page p's requirement id, or 1. */
static int
id_line(const struct page *p, const char *id)
{
	for (size_t k = 0; k < p->md.nanchors; k++)
		if (strcmp(p->md.anchors[k].id, id) == 0)
			return p->md.anchors[k].line;
	return 1;
}

/* Every requirement id of a that b lacks, as errors on a's file. */
static int
ids_missing(const struct page *a, const struct page *b, const char *what,
    struct buf *errors)
{
	struct strmap *have = strmap_new();
	int rc = 0;
	for (size_t k = 0; k < b->md.nanchors; k++)
		strmap_put(have, b->md.anchors[k].id, (void *)b);
	for (size_t k = 0; k < a->md.nanchors; k++) {
		const struct md_anchor *x = &a->md.anchors[k];
		if (strmap_get(have, x->id) != NULL)
			continue;
		buf_printf(errors,
		    "%s:%d: requirement id '%s' is not in %s%s\n", a->source,
		    id_line(a, x->id), x->id, what, b->source);
		rc = -1;
	}
	strmap_free(have);
	return rc;
}

/* The fee tables of a page, as the fee rule finds them. */
static int
is_fee_table(const struct md_table *t)
{
	return t->rows > 0 && t->cols > 0 &&
	       fees_is_amount_header(t->cells[t->cols - 1]);
}

static void
format_amount(long long v, struct buf *out)
{
	char digits[32];
	int n = snprintf(digits, sizeof digits, "%lld", v);
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf_putc(out, ',');
		buf_putc(out, digits[i]);
	}
}

/* The fee figures of zh and en, table by table and row by row. */
static int
fees_differ(const struct page *zp, const struct page *ep, struct buf *errors)
{
	const struct md_table *zt[16], *et[16];
	size_t nz = 0, ne = 0;
	for (size_t i = 0; i < zp->md.ntables && nz < 16; i++)
		if (is_fee_table(&zp->md.tables[i]))
			zt[nz++] = &zp->md.tables[i];
	for (size_t i = 0; i < ep->md.ntables && ne < 16; i++)
		if (is_fee_table(&ep->md.tables[i]))
			et[ne++] = &ep->md.tables[i];
	if (nz != ne) {
		buf_printf(errors,
		    "%s:1: %zu fee table(s), but %s has %zu: the figures "
		    "must be the same in both languages\n",
		    ep->source, ne, zp->source, nz);
		return -1;
	}
	int rc = 0;
	for (size_t t = 0; t < nz; t++) {
		const struct md_table *a = zt[t], *b = et[t];
		if (a->rows != b->rows) {
			buf_printf(errors,
			    "%s:%d: fee table has %zu rows, but %s:%d has "
			    "%zu\n",
			    ep->source, b->line, b->rows - 1, zp->source,
			    a->line, a->rows - 1);
			rc = -1;
			continue;
		}
		for (size_t r = 1; r < a->rows; r++) {
			const char *ac = a->cells[r * a->cols + a->cols - 1];
			const char *bc = b->cells[r * b->cols + b->cols - 1];
			long long av = -1, bv = -1;
			fees_parse_amount(ac, &av);
			fees_parse_amount(bc, &bv);
			if (av == bv)
				continue;
			struct buf x = BUF_INIT, y = BUF_INIT;
			format_amount(bv, &x);
			format_amount(av, &y);
			buf_printf(errors,
			    "%s:%d: fee '%s' is %s, but %s:%d says %s "
			    "('%s')\n",
			    ep->source, b->row_lines[r], b->cells[r * b->cols],
			    bv < 0 ? bc : x.data, zp->source, a->row_lines[r],
			    av < 0 ? ac : y.data, a->cells[r * a->cols]);
			buf_free(&x);
			buf_free(&y);
			rc = -1;
		}
	}
	return rc;
}

/* "content/en/fees.md" for a page "fees" of the English tree. */
static void
expected_source(
    const struct tree *tree, const char *key, int english, struct buf *out)
{
	buf_printf(out, "%s/%s%s.md", tree->build->opt->content,
	    english ? LANG_EN_DIR : "", key);
}

int
lang_check_pairs(
    const struct tree *zh, const struct tree *en, int read, struct buf *errors)
{
	int rc = 0;
	for (size_t i = 0; i < zh->npages; i++) {
		const struct page *zp = &zh->pages[i];
		const struct page *ep = tree_find(en, zp->key);
		if (ep == NULL) {
			struct buf want = BUF_INIT;
			expected_source(zh, zp->key, 1, &want);
			buf_printf(errors,
			    "%s:1: no English translation: %s is missing\n",
			    zp->source, want.data);
			buf_free(&want);
			rc = -1;
			continue;
		}
		if (!read)
			continue;
		if (ids_missing(zp, ep, "the English ", errors) != 0)
			rc = -1;
		if (ids_missing(ep, zp, "the Chinese ", errors) != 0)
			rc = -1;
		if (fees_differ(zp, ep, errors) != 0)
			rc = -1;
	}
	for (size_t i = 0; i < en->npages; i++) {
		const struct page *ep = &en->pages[i];
		if (tree_find(zh, ep->key) != NULL)
			continue;
		struct buf want = BUF_INIT;
		expected_source(zh, ep->key, 0, &want);
		buf_printf(errors,
		    "%s:1: a translation of no page: %s is missing (the "
		    "Chinese text is the authoritative one)\n",
		    ep->source, want.data);
		buf_free(&want);
		rc = -1;
	}
	return rc;
}

const char *
lang_pick(const struct tree *tree, const char *zh, const char *en)
{
	return tree->lang == &LANG_EN ? en : zh;
}

char *
lang_out(const struct tree *tree, const char *rel)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s%s", tree->prefix ? tree->prefix : "", rel);
	return buf_detach(&b);
}

const char *
lang_own_path(const struct tree *tree, const char *path)
{
	size_t nd = strlen(LANG_EN_DIR);
	int english = strncmp(path, LANG_EN_DIR, nd) == 0;
	if (tree->lang == &LANG_EN)
		return english ? path + nd : NULL;
	return english && tree->lang != NULL ? NULL : path;
}

void
lang_source_path(const struct tree *tree, const struct page *p, struct buf *out)
{
	if (tree->lang != NULL)
		buf_puts(out, tree->lang->dir);
	buf_puts(out, p->file->path);
}

void
lang_context(const struct tree *tree, const char *full, const char *site_root,
    json_t *ctx)
{
	const struct lang *l = tree->lang ? tree->lang : &LANG_ZH;
	json_object_set_new(ctx, "lang", json_string(l->code));
	json_object_set_new(
	    ctx, "lang_root", json_sprintf("%s%s", site_root, l->dir));
	if (tree->other == NULL)
		return;
	const struct lang *o = l == &LANG_EN ? &LANG_ZH : &LANG_EN;
	size_t nd = strlen(LANG_EN_DIR);
	struct buf zh = BUF_INIT, en = BUF_INIT;
	if (l == &LANG_EN) {
		buf_puts(&zh,
		    strncmp(full, LANG_EN_DIR, nd) == 0 ? full + nd : full);
		buf_puts(&en, full);
	} else {
		buf_puts(&zh, full);
		buf_printf(&en, "%s%s", LANG_EN_DIR, full);
	}
	const char *base = tree->build->opt->base_url;
	struct buf url = BUF_INIT, zh_href = BUF_INIT, en_href = BUF_INIT;
	buf_printf(&url, "%s%s", site_root, l == &LANG_EN ? zh.data : en.data);
	buf_printf(&zh_href, "%s%s", base, zh.data);
	buf_printf(&en_href, "%s%s", base, en.data);
	json_object_set_new(ctx, "switch",
	    json_pack("{s:s, s:s, s:s}", "url", url.data, "lang", o->code,
	        "name", o->name));
	json_object_set_new(ctx, "alternates",
	    json_pack("[{s:s, s:s}, {s:s, s:s}]", "hreflang", LANG_ZH.code,
	        "href", zh_href.data, "hreflang", LANG_EN.code, "href",
	        en_href.data));
	buf_free(&url);
	buf_free(&zh_href);
	buf_free(&en_href);
	buf_free(&zh);
	buf_free(&en);
}

static void
alternate(
    const char *base, const struct lang *l, const char *dir, struct buf *out)
{
	buf_printf(out, "<xhtml:link rel=\"alternate\" hreflang=\"%s\" href=\"",
	    l->code);
	buf_puts_html(out, base);
	buf_puts_html(out, l->dir);
	buf_puts_html(out, dir);
	buf_puts(out, "\"/>");
}

void
lang_sitemap_alternates(const char *base, const char *dir,
    const struct strmap *written, struct buf *out)
{
	size_t nd = strlen(LANG_EN_DIR);
	int english = strncmp(dir, LANG_EN_DIR, nd) == 0;
	const char *zh = english ? dir + nd : dir;
	struct buf en = BUF_INIT;
	buf_printf(&en, "%s%s", LANG_EN_DIR, zh);
	if (strmap_has(written, english ? zh : en.data)) {
		alternate(base, &LANG_ZH, zh, out);
		alternate(base, &LANG_EN, zh, out);
	}
	buf_free(&en);
}

void
lang_drop_switch(json_t *ctx)
{
	json_object_del(ctx, "switch");
	json_object_del(ctx, "alternates");
}

const char *
lang_own_page(const struct tree *tree, const char *path)
{
	static const char *const both[] = {"api", "changes", "checklist",
	    "editions", "history", "search", "timeline", "404.html"};
	if (tree->lang != &LANG_EN)
		return "";
	size_t first = strcspn(path, "/");
	for (size_t i = 0; i < sizeof both / sizeof *both; i++)
		if (strlen(both[i]) == first &&
		    strncmp(path, both[i], first) == 0)
			return LANG_EN_DIR;
	return "";
}

const char *
lang_history_reason(const struct tree *tree)
{
	const struct build *b = tree->build;
	if (tree->lang != &LANG_EN)
		return build_history_reason(b);
	if (b->history_state == HISTORY_SHALLOW)
		return "Revision history unavailable: this site was built from "
		       "an incomplete git history (a shallow clone).";
	return "Revision history unavailable: this site was not built from "
	       "a commit of a git repository.";
}

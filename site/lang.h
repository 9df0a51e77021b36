/*
 * lang: the guide in two languages.  The Chinese text is the content
 * folder itself and is authoritative; its English translation lives
 * beside it in the folder en/, page for page under the same names
 * (content/fees.md and content/en/fees.md), with the same requirement ids
 * and the same fee figures, and is published below /en/.  A content
 * folder without en/ is a site in Chinese only.
 *
 * The English tree is an ordinary tree (tree.h) whose prefix is "en/":
 * sections, links, anchors and fee tables work in it as in the Chinese
 * one.  Its pages are rendered with the theme's English templates,
 * NAME.en.mustache beside NAME.mustache (build_render_to picks them when
 * a page's context says "lang": "en").
 */
#ifndef LANG_H
#define LANG_H

#include <jansson.h>

#include "registry/base/buf.h"
#include "site/content.h"

/* The folder of the English translation inside the content folder. */
#define LANG_EN_DIR "en/"

struct lang {
	const char *code; /* for lang= and hreflang: "zh-CN", "en" */
	const char *dir;  /* its folder in the content and on the site */
	const char *name; /* its own name, for the switch: "中文" */
};

extern const struct lang LANG_ZH, LANG_EN;

struct tree;
struct page;

/*
 * Splits all (whose files pass to the two trees) into the Chinese tree
 * (every file outside en/) and the English one (the files of en/, named
 * without "en/").  Returns 1 when there is an English tree, else 0 (en
 * left empty).
 */
int lang_split(
    struct content_tree *all, struct content_tree *zh, struct content_tree *en);

/*
 * Checks that the Chinese tree zh and its translation en hold the same
 * pages and, when both trees were read without error (`read`), each pair
 * the same requirement ids and the same fee figures.  Each difference is a
 * line "file:line: what" in errors, naming the file and the id or the
 * figure.  Returns 0, or -1 if there was any.
 */
int lang_check_pairs(
    const struct tree *zh, const struct tree *en, int read, struct buf *errors);

/* Text in the tree's language: zh for a Chinese tree, else en. */
const char *lang_pick(const struct tree *tree, const char *zh, const char *en);

/* The tree's own page rel ("checklist/index.html") below its prefix
 * ("en/checklist/index.html"); the caller frees it. */
char *lang_out(const struct tree *tree, const char *rel);

/* A content path as the tree names it ("en/fees.md" -> "fees.md" in the
 * English tree), or NULL when it is a file of the other language. */
const char *lang_own_path(const struct tree *tree, const char *path);

/* The content path of page p as git knows it ("en/fees.md"), for its
 * history. */
void lang_source_path(
    const struct tree *tree, const struct page *p, struct buf *out);

/*
 * Adds to a page's context what its language decides: "lang", "lang_root"
 * (the tree's language folder, for links to the site's own pages), and,
 * when the tree has a counterpart in the other language, "switch" (the
 * same page there) and "alternates" (both, for hreflang).  full is the
 * page's folder from the site root ("en/fees/"); site_root is the way
 * back to it.
 */
void lang_context(const struct tree *tree, const char *full,
    const char *site_root, json_t *ctx);

/* The language folder to put before a site address of the build's own
 * (path without its leading '/': "checklist/"): the tree's own for the
 * pages it writes in both languages, else "" (the registry, registryd's
 * routes). */
const char *lang_own_page(const struct tree *tree, const char *path);

/* Why pages have no history (build_history_reason), in the tree's
 * language. */
const char *lang_history_reason(const struct tree *tree);

/* Takes the switch and the alternates off a page's context: a page whose
 * counterpart is not written. */
void lang_drop_switch(json_t *ctx);

struct strmap;
/* A sitemap entry's alternates, <xhtml:link rel="alternate" hreflang=…>
 * in both languages, for the page at dir (from the site's root) when its
 * counterpart is among the addresses written. */
void lang_sitemap_alternates(const char *base, const char *dir,
    const struct strmap *written, struct buf *out);

#endif

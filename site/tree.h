/*
 * tree: one tree of pages, as the build sees it: the current site, or one
 * published edition.  Loading a tree parses every page's front matter,
 * links pages into a tree by `parent`, renders their Markdown and checks
 * their links; writing it renders every page through the theme into the
 * staging folder, below the tree's prefix.  What trees share (options,
 * templates, git history, the staging folder, the list of errors) is the
 * build's (build.h); the build's phases (site.c) load and write the trees.
 *
 * Sections are folders: a page belongs to the nearest folder above it that
 * has a section page, `DIR/index.md` (or `DIR.md` beside the folder); a
 * folder's index.md belongs to the section of the folder above.  Pages of
 * the content folder itself are top-level.  A `parent:` line overrides
 * the folder.
 */
#ifndef TREE_H
#define TREE_H

#include <jansson.h>
#include <stddef.h>

#include "site/build.h"
#include "site/content.h"
#include "site/editions.h"
#include "site/markdown.h"

struct page {
	const struct content_file *file;
	char *source; /* the file's name in messages: "content/fees.md" */
	char *dir;    /* address folder: "" for the home page, "fees/" */
	char *key;    /* path without ".md": what `parent` names */
	json_t *meta;
	const char *title;
	const char *linktitle;
	const char *description;
	long long weight;
	struct page *parent;
	struct page **children;
	size_t nchildren;
	size_t order; /* position in reading order */
	size_t slot;  /* position among its siblings (or the top pages) */
	struct md_result md;
	size_t body_offset;
	int body_line;
};

struct tree {
	struct build *build;
	const char *prefix; /* output folder: "" or "editions/2017-10/" */
	const struct edition *edition; /* NULL for the current site */
	const struct tree *current;    /* editions: the current site's tree */
	const struct lang *lang;       /* NULL: Chinese, the only language */
	const struct tree *other;      /* the same tree in the other language */
	struct content_tree content;
	struct page *pages; /* sorted by weight, then path */
	size_t npages;
	struct page **reading; /* depth-first reading order */
	size_t nreading;
	struct page **by_key; /* sorted by key */
	struct page *home;
	struct page **top; /* top-level pages in reading order */
	size_t ntop;
	json_t **nav_cache; /* per page: its plain sidebar entry */
	json_t *plain_nav;  /* the sidebar of a page that is none of these */
	size_t nfiles;      /* other content files */
	/* The preview (build options' memo) keeps a tree between builds:
	 * its files and ids, to check the links of a page read again, and
	 * per page (index in pages) what changed since the tree was last
	 * written, TREE_DIRTY_* (NULL: nothing). */
	struct links *links;
	unsigned char *dirty;
};

/* A page's context changed (its sidebar, neighbours or section list). */
#define TREE_DIRTY_CONTEXT 1
/* The page's own text or title changed: its history page and its
 * sections in the search index too. */
#define TREE_DIRTY_OWN 2

/*
 * Parses, links and renders the pages of content (whose ownership passes
 * to the tree).  Problems go to build->errors; returns -1 if there were any.
 */
int tree_load(struct tree *tree, struct build *build,
    struct content_tree *content, int want_blocks);
/* Writes every page and content file into the staging folder. */
int tree_write(struct tree *tree);

/*
 * The preview's incremental build: the page p of a kept tree whose file
 * now holds data (len bytes; taken on success).  Its front matter and
 * Markdown are read again and its links checked against the tree's
 * files and ids; the page and the pages whose context shows it are
 * marked in tree->dirty.  Returns 0, or 1 when the change reaches beyond
 * what a page read again can show (an error, an id, the page's weight
 * or place, a title shown on every page): the tree is then as it was,
 * and the caller builds the whole site instead.
 */
int tree_patch_page(struct tree *tree, struct page *p, char *data, size_t len);
/* Frees the Markdown source of every page once the tree is loaded and
 * checked (a build that keeps nothing: the rendered text is all the
 * writers read); other files keep their bytes, which tree_write copies. */
void tree_drop_sources(struct tree *tree);
/* Writes the pages marked dirty, as tree_write writes them. */
int tree_write_dirty(struct tree *tree);
struct page *tree_find(const struct tree *tree, const char *key);
void tree_free(struct tree *tree);

/* The sidebar for a page of tree (current may be NULL), a new reference.
 * Not to be changed: its entries, and with current NULL the whole list,
 * are shared between pages (kept unchanging for the templates' memo). */
json_t *tree_nav(const struct tree *tree, const struct page *current);
/* The context every template shares: site title, roots, base URL. */
json_t *tree_base_context(const struct tree *tree, const char *dir);
/*
 * Renders one of the build's own pages (not a content page) of tree:
 * template name with ctx, to which the tree's sidebar is added, into the
 * staging folder at rel.  Takes ctx's reference.  Thread-safe.
 */
int tree_render(
    const struct tree *tree, const char *name, json_t *ctx, const char *rel);

#endif

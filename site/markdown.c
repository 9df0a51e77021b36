/*
 * markdown: cmark-gfm parsing, then a few passes over the syntax tree before
 * rendering: raw HTML becomes text, link destinations go through the
 * caller's rewriter, headings get ids (explicit "{#id}" or made from the
 * text) and are rendered with them, and tables are copied out as text.
 */
#include "site/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t registered = PTHREAD_ONCE_INIT;
static pthread_mutex_t parser_lock = PTHREAD_MUTEX_INITIALIZER;

static void
register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

static const char *const EXTENSIONS[] = {
    "table",
    "strikethrough",
    "autolink",
    "tasklist",
};

static int
file_line(const struct md_options *opt, cmark_node *node)
{
	return cmark_node_get_start_line(node) + opt->first_line - 1;
}

/* Appends the plain text of node's descendants (text, code) to out. */
static void
plain_text(cmark_node *node, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			/* raw HTML is text by now (escape_raw_html); an
			 * HTML_INLINE node is the build's own markup, such as
			 * a requirement id's link, never the page's text */
			buf_puts(out, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

void
markdown_slug(const char *text, struct buf *out)
{
	size_t start = out->len;
	int dash = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		unsigned char c = *p;
		if (c >= 0x80 || (c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'z')) {
			if (dash && out->len > start)
				buf_putc(out, '-');
			dash = 0;
			buf_putc(out, c);
		} else if (c >= 'A' && c <= 'Z') {
			if (dash && out->len > start)
				buf_putc(out, '-');
			dash = 0;
			buf_putc(out, c - 'A' + 'a');
		} else if (c == '_' || c == '.') {
			if (dash && out->len > start)
				buf_putc(out, '-');
			dash = 0;
			buf_putc(out, c);
		} else {
			dash = 1;
		}
	}
	if (out->len == start)
		buf_puts(out, "section");
}

static int
valid_id(const char *id, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		        (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		        c == '.' || c == ':'))
			return 0;
	}
	return 1;
}

/*
 * If the heading's last text ends in "{#id}", removes it and returns the id
 * (caller frees); *bad is set when the braces are there but the id is not
 * acceptable.
 */
static char *
take_explicit_id(cmark_node *heading, int *bad)
{
	*bad = 0;
	cmark_node *last = cmark_node_last_child(heading);
	if (last == NULL || cmark_node_get_type(last) != CMARK_NODE_TEXT)
		return NULL;
	const char *lit = cmark_node_get_literal(last);
	size_t len = strlen(lit);
	while (len > 0 && lit[len - 1] == ' ')
		len--;
	if (len < 3 || lit[len - 1] != '}')
		return NULL;
	const char *open = NULL;
	for (size_t i = len - 1; i-- > 0;) {
		if (lit[i] == '{') {
			open = lit + i;
			break;
		}
	}
	if (open == NULL || open[1] != '#')
		return NULL;
	const char *id = open + 2;
	size_t idlen = (size_t)(lit + len - 1 - id);
	if (!valid_id(id, idlen)) {
		*bad = 1;
		return mem_strndup(id, idlen);
	}
	char *result = mem_strndup(id, idlen);
	size_t keep = (size_t)(open - lit);
	while (keep > 0 && lit[keep - 1] == ' ')
		keep--;
	char *rest = mem_strndup(lit, keep);
	if (keep == 0 && cmark_node_previous(last) != NULL) {
		cmark_node_free(last);
	} else {
		cmark_node_set_literal(last, rest);
	}
	free(rest);
	return result;
}

static int
id_taken(const struct md_result *out, const char *id)
{
	for (size_t i = 0; i < out->nheadings; i++)
		if (strcmp(out->headings[i].id, id) == 0)
			return 1;
	return 0;
}

/* Collects nodes of one kind first: the tree is edited afterwards. */
struct node_list {
	cmark_node **items;
	size_t count, cap;
};

static void
node_list_add(struct node_list *list, cmark_node *node)
{
	if (list->count == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 16;
		list->items =
		    mem_realloc(list->items, list->cap * sizeof *list->items);
	}
	list->items[list->count++] = node;
}

static void
escape_raw_html(struct node_list *html)
{
	for (size_t i = 0; i < html->count; i++) {
		cmark_node *node = html->items[i];
		cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
		const char *lit = cmark_node_get_literal(node);
		if (cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK) {
			size_t n = strlen(lit);
			while (n > 0 && lit[n - 1] == '\n')
				n--;
			char *trimmed = mem_strndup(lit, n);
			cmark_node_set_literal(text, trimmed);
			free(trimmed);
			cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_append_child(para, text);
			cmark_node_insert_before(node, para);
		} else {
			cmark_node_set_literal(text, lit);
			cmark_node_insert_before(node, text);
		}
		cmark_node_free(node);
	}
}

static void
collect_table(
    cmark_node *table, const struct md_options *opt, struct md_result *out)
{
	size_t rows = 0, cols = 0;
	for (cmark_node *r = cmark_node_first_child(table); r;
	     r = cmark_node_next(r)) {
		size_t n = 0;
		for (cmark_node *c = cmark_node_first_child(r); c;
		     c = cmark_node_next(c))
			n++;
		if (n > cols)
			cols = n;
		rows++;
	}
	out->tables =
	    mem_realloc(out->tables, (out->ntables + 1) * sizeof *out->tables);
	struct md_table *t = &out->tables[out->ntables++];
	t->line = file_line(opt, table);
	t->rows = rows;
	t->cols = cols;
	t->cells = mem_calloc(rows * cols + 1, sizeof *t->cells);
	t->row_lines = mem_calloc(rows + 1, sizeof *t->row_lines);
	size_t ri = 0;
	for (cmark_node *r = cmark_node_first_child(table); r;
	     r = cmark_node_next(r), ri++) {
		t->row_lines[ri] = file_line(opt, r);
		size_t ci = 0;
		for (cmark_node *c = cmark_node_first_child(r); c;
		     c = cmark_node_next(c), ci++) {
			struct buf text = BUF_INIT;
			plain_text(c, &text);
			t->cells[ri * cols + ci] = buf_detach(&text);
		}
		for (; ci < cols; ci++)
			t->cells[ri * cols + ci] = mem_strdup("");
	}
}

static void
rewrite_links(struct node_list *links, const struct md_options *opt)
{
	if (opt->link == NULL)
		return;
	for (size_t i = 0; i < links->count; i++) {
		cmark_node *node = links->items[i];
		const char *url = cmark_node_get_url(node);
		if (url == NULL)
			continue;
		int is_image = cmark_node_get_type(node) == CMARK_NODE_IMAGE;
		char *new_url = opt->link(
		    opt->link_ctx, url, file_line(opt, node), is_image);
		if (new_url != NULL) {
			cmark_node_set_url(node, new_url);
			free(new_url);
		}
	}
}

static struct md_block *
block_add(struct md_result *out, enum md_block_kind kind, int level, char *text)
{
	if ((out->nblocks & (out->nblocks - 1)) == 0)
		out->blocks = mem_realloc(
		    out->blocks, (out->nblocks ? out->nblocks * 2 : 1) *
		                     sizeof *out->blocks);
	struct md_block *b = &out->blocks[out->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->level = level;
	b->text = text;
	return b;
}

/* A list item's number in its ordered list, or 0 in a bullet list. */
static int
item_number(cmark_node *item)
{
	cmark_node *list = cmark_node_parent(item);
	if (list == NULL ||
	    cmark_node_get_list_type(list) != CMARK_ORDERED_LIST)
		return 0;
	int n = cmark_node_get_list_start(list);
	for (cmark_node *c = cmark_node_first_child(list); c && c != item;
	     c = cmark_node_next(c))
		n++;
	return n;
}

/* A list item's requirement id: item_ids() left it as the user data of the
 * link it put first in the item's paragraph. */
static char *
item_id(cmark_node *item)
{
	cmark_node *para = cmark_node_first_child(item);
	cmark_node *first = para ? cmark_node_first_child(para) : NULL;
	if (first == NULL ||
	    cmark_node_get_type(first) != CMARK_NODE_HTML_INLINE ||
	    cmark_node_get_user_data(first) == NULL)
		return NULL;
	return mem_strdup(cmark_node_get_user_data(first));
}

static char *
node_text(cmark_node *node)
{
	struct buf text = BUF_INIT;
	plain_text(node, &text);
	return buf_detach(&text);
}

/*
 * The blocks of the page in reading order: headings, paragraphs, list items
 * (without their nested lists, which give blocks of their own), table rows
 * and code blocks.
 */
static void
collect_blocks(cmark_node *node, struct md_result *out)
{
	for (cmark_node *n = cmark_node_first_child(node); n;
	     n = cmark_node_next(n)) {
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING:
			block_add(out, MD_HEADING,
			    cmark_node_get_heading_level(n), node_text(n));
			break;
		case CMARK_NODE_PARAGRAPH:
			block_add(out, MD_PARAGRAPH, 0, node_text(n));
			break;
		case CMARK_NODE_CODE_BLOCK:
			block_add(out, MD_CODE, 0,
			    mem_strdup(cmark_node_get_literal(n)));
			break;
		case CMARK_NODE_ITEM: {
			struct buf text = BUF_INIT;
			for (cmark_node *c = cmark_node_first_child(n); c;
			     c = cmark_node_next(c)) {
				if (cmark_node_get_type(c) == CMARK_NODE_LIST)
					continue;
				if (text.len)
					buf_putc(&text, ' ');
				plain_text(c, &text);
			}
			struct md_block *b =
			    block_add(out, MD_ITEM, 0, buf_detach(&text));
			b->id = item_id(n);
			b->number = item_number(n);
			for (cmark_node *c = cmark_node_first_child(n); c;
			     c = cmark_node_next(c))
				if (cmark_node_get_type(c) == CMARK_NODE_LIST)
					collect_blocks(c, out);
			break;
		}
		default:
			if (strcmp(cmark_node_get_type_string(n), "table") ==
			    0) {
				for (cmark_node *r = cmark_node_first_child(n);
				     r; r = cmark_node_next(r)) {
					struct buf text = BUF_INIT;
					for (cmark_node *c =
					         cmark_node_first_child(r);
					     c; c = cmark_node_next(c)) {
						if (c !=
						    cmark_node_first_child(r))
							buf_puts(&text, " | ");
						plain_text(c, &text);
					}
					block_add(
					    out, MD_ROW, 0, buf_detach(&text));
				}
			} else {
				collect_blocks(n, out);
			}
			break;
		}
	}
}

/*
 * Takes "{#id} " off the start of each list item that has one, records the
 * item, and puts a linkable label with the id in its place.
 */
static int
item_ids(struct node_list *items, const struct md_options *opt,
    struct md_result *out, struct buf *err)
{
	int rc = 0;
	for (size_t i = 0; i < items->count; i++) {
		cmark_node *para = cmark_node_first_child(items->items[i]);
		if (para == NULL ||
		    cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
			continue;
		cmark_node *text = cmark_node_first_child(para);
		if (text == NULL ||
		    cmark_node_get_type(text) != CMARK_NODE_TEXT)
			continue;
		const char *lit = cmark_node_get_literal(text);
		const char *close = strchr(lit, '}');
		if (strncmp(lit, "{#", 2) != 0 || close == NULL)
			continue;
		int line = file_line(opt, items->items[i]);
		char *id = mem_strndup(lit + 2, (size_t)(close - lit - 2));
		if (!valid_id(id, strlen(id))) {
			buf_printf(err,
			    "%s:%d: item id '%s' may hold only ASCII "
			    "letters, digits and - _ . :\n",
			    opt->path, line, id);
			free(id);
			rc = -1;
			continue;
		}
		for (size_t k = 0; k < out->nanchors; k++) {
			if (strcmp(out->anchors[k].id, id) == 0) {
				buf_printf(err,
				    "%s:%d: item id '%s' is already used "
				    "on line %d\n",
				    opt->path, line, id, out->anchors[k].line);
				rc = -1;
			}
		}
		const char *rest = close + 1;
		while (*rest == ' ')
			rest++;
		char *rest_copy = mem_strdup(rest);
		cmark_node_set_literal(text, rest_copy);
		free(rest_copy);
		struct buf label = BUF_INIT;
		buf_puts(&label, "<a class=\"req-id\" id=\"");
		buf_puts_html(&label, id);
		buf_puts(&label, "\" href=\"#");
		buf_puts_html(&label, id);
		buf_puts(&label, "\">");
		buf_puts_html(&label, id);
		buf_puts(&label, "</a> ");
		cmark_node *html = cmark_node_new(CMARK_NODE_HTML_INLINE);
		cmark_node_set_literal(html, label.data);
		cmark_node_set_user_data(html, id); /* for item_id() */
		buf_free(&label);
		struct buf plain = BUF_INIT;
		plain_text(para, &plain);
		cmark_node_prepend_child(para, html);
		out->anchors = mem_realloc(
		    out->anchors, (out->nanchors + 1) * sizeof *out->anchors);
		out->anchors[out->nanchors++] =
		    (struct md_anchor){id, buf_detach(&plain), line};
	}
	return rc;
}

static int
id_in_use(
    char **explicit_ids, size_t n, const struct md_result *out, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (explicit_ids[i] && strcmp(explicit_ids[i], id) == 0)
			return 1;
	return id_taken(out, id);
}

/* The headings' explicit ids ("## 费用 {#fees}"), taken off their text:
 * ids[i] for headings->items[i], NULL where there is none.  Bad and
 * repeated ids are reported in err, and make *rc -1. */
static char **
explicit_ids(struct node_list *headings, const struct md_options *opt,
    struct buf *err, int *rc)
{
	size_t n = headings->count;
	char **ids = mem_calloc(n + 1, sizeof *ids);
	for (size_t i = 0; i < n; i++) {
		int bad;
		ids[i] = take_explicit_id(headings->items[i], &bad);
		if (bad) {
			buf_printf(err,
			    "%s:%d: heading id '%s' may hold only "
			    "ASCII letters, digits and - _ . :\n",
			    opt->path, file_line(opt, headings->items[i]),
			    ids[i]);
			*rc = -1;
			continue;
		}
		for (size_t j = 0; ids[i] && j < i; j++) {
			if (ids[j] && strcmp(ids[i], ids[j]) == 0) {
				buf_printf(err,
				    "%s:%d: heading id '%s' is "
				    "already used on line %d\n",
				    opt->path,
				    file_line(opt, headings->items[i]), ids[i],
				    file_line(opt, headings->items[j]));
				*rc = -1;
			}
		}
	}
	return ids;
}

/* An id made from the heading's text, "-2", "-3"... added until it is
 * neither an explicit id (ids, n of them) nor an earlier heading's. */
static char *
made_up_id(const char *text, char **ids, size_t n, const struct md_result *out)
{
	struct buf slug = BUF_INIT;
	markdown_slug(text, &slug);
	size_t base = slug.len;
	for (int k = 2; id_in_use(ids, n, out, slug.data); k++) {
		slug.len = base;
		buf_printf(&slug, "-%d", k);
	}
	return buf_detach(&slug);
}

/* Replaces heading node with an HTML block that carries h's id:
 * <hN id="...">inline html <a class="anchor" ...>#</a></hN> */
static void
replace_heading(
    cmark_node *node, const struct md_heading *h, cmark_llist *extensions)
{
	char *inner = cmark_render_html(node, CMARK_OPT_UNSAFE, extensions);
	size_t len = strlen(inner);
	const char *start = strchr(inner, '>');
	const char *end = len >= 6 ? inner + len - 6 : inner; /* "</hN>\n" */
	struct buf html = BUF_INIT;
	buf_printf(&html, "<h%d id=\"", h->level);
	buf_puts_html(&html, h->id);
	buf_puts(&html, "\">");
	if (start != NULL && start + 1 <= end)
		buf_put(&html, start + 1, (size_t)(end - start - 1));
	buf_puts(&html, " <a class=\"anchor\" href=\"#");
	buf_puts_html(&html, h->id);
	buf_printf(&html,
	    "\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h%d>\n", h->level);
	free(inner);
	cmark_node *block = cmark_node_new(CMARK_NODE_HTML_BLOCK);
	cmark_node_set_literal(block, html.data);
	buf_free(&html);
	cmark_node_insert_before(node, block);
	cmark_node_free(node);
}

/* Gives each heading an id and replaces it with HTML that carries it. */
static int
render_headings(cmark_node *doc, struct node_list *headings,
    const struct md_options *opt, cmark_llist *extensions,
    struct md_result *out, struct buf *err)
{
	int rc = 0;
	size_t n = headings->count;
	out->headings = mem_calloc(n + 1, sizeof *out->headings);
	/* explicit ids first, so made-up ids never take one of theirs */
	char **ids = explicit_ids(headings, opt, err, &rc);
	if (opt->want_blocks)
		collect_blocks(
		    doc, out); /* explicit ids are off the text now */
	for (size_t i = 0; i < n; i++) {
		cmark_node *node = headings->items[i];
		struct md_heading *h = &out->headings[out->nheadings];
		struct buf text = BUF_INIT;
		plain_text(node, &text);
		h->level = cmark_node_get_heading_level(node);
		h->line = file_line(opt, node);
		h->text = buf_detach(&text);
		if (ids[i] != NULL) {
			h->id = ids[i];
			ids[i] = NULL;
		} else {
			h->id = made_up_id(h->text, ids, n, out);
		}
		out->nheadings++;
		replace_heading(node, h, extensions);
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return rc;
}

/* Parses src with the GFM extensions; the caller frees the parser (which
 * holds the extensions' list) and the document. */
static cmark_node *
parse_markdown(const char *src, size_t len, cmark_parser **parser)
{
	pthread_once(&registered, register_extensions);
	*parser = cmark_parser_new(CMARK_OPT_VALIDATE_UTF8);
	for (size_t i = 0; i < sizeof EXTENSIONS / sizeof *EXTENSIONS; i++) {
		cmark_syntax_extension *ext =
		    cmark_find_syntax_extension(EXTENSIONS[i]);
		if (ext != NULL)
			cmark_parser_attach_syntax_extension(*parser, ext);
	}
	/*
	 * cmark-gfm's parser switches its extensions' special characters on
	 * and off in a table shared by every parser, so two parsers must not
	 * run at once; the rest (tree edits, HTML) runs on every worker.
	 */
	pthread_mutex_lock(&parser_lock);
	cmark_parser_feed(*parser, src, len);
	cmark_node *doc = cmark_parser_finish(*parser);
	pthread_mutex_unlock(&parser_lock);
	return doc;
}

/* The nodes the rendering looks at again, by kind. */
struct doc_nodes {
	struct node_list html, links, headings, items;
};

/*
 * A table wider than a phone's screen scrolls sideways within itself (the
 * style sheet's table { overflow-x: auto }), as English tables often do:
 * tabindex="0" lets a keyboard reach and scroll it.  Takes html and
 * returns it, or a new copy.
 */
static char *
focusable_tables(char *html)
{
	if (html == NULL || strstr(html, "<table>") == NULL)
		return html;
	struct buf b = BUF_INIT;
	const char *p = html, *t;
	while ((t = strstr(p, "<table>")) != NULL) {
		buf_put(&b, p, (size_t)(t - p));
		buf_puts(&b, "<table tabindex=\"0\">");
		p = t + strlen("<table>");
	}
	buf_puts(&b, p);
	free(html);
	return buf_detach(&b);
}

/* Sorts the document's nodes into nodes; tables go straight to out. */
static void
collect_nodes(cmark_node *doc, const struct md_options *opt,
    struct doc_nodes *nodes, struct md_result *out)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *node = cmark_iter_get_node(it);
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			node_list_add(&nodes->html, node);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			node_list_add(&nodes->links, node);
			break;
		case CMARK_NODE_HEADING:
			node_list_add(&nodes->headings, node);
			break;
		case CMARK_NODE_ITEM:
			node_list_add(&nodes->items, node);
			break;
		default:
			if (strcmp(cmark_node_get_type_string(node), "table") ==
			    0)
				collect_table(node, opt, out);
			break;
		}
	}
	cmark_iter_free(it);
}

/* A list item's id may not be a heading's too.  Returns 0 or -1. */
static int
check_item_ids(
    const struct md_result *out, const struct md_options *opt, struct buf *err)
{
	int rc = 0;
	for (size_t i = 0; i < out->nanchors; i++) {
		for (size_t h = 0; h < out->nheadings; h++) {
			if (strcmp(out->anchors[i].id, out->headings[h].id) !=
			    0)
				continue;
			buf_printf(err,
			    "%s:%d: item id '%s' is already a heading's id on "
			    "line %d\n",
			    opt->path, out->anchors[i].line, out->anchors[i].id,
			    out->headings[h].line);
			rc = -1;
		}
	}
	return rc;
}

int
markdown_render(const char *src, size_t len, const struct md_options *opt,
    struct md_result *out, struct buf *err)
{
	memset(out, 0, sizeof *out);
	cmark_parser *parser = NULL;
	cmark_node *doc = parse_markdown(src, len, &parser);
	cmark_llist *extensions = cmark_parser_get_syntax_extensions(parser);
	struct doc_nodes nodes = {0};
	collect_nodes(doc, opt, &nodes, out);
	escape_raw_html(&nodes.html);
	rewrite_links(&nodes.links, opt);
	int rc = item_ids(&nodes.items, opt, out, err);
	if (render_headings(doc, &nodes.headings, opt, extensions, out, err) !=
	    0)
		rc = -1;
	if (check_item_ids(out, opt, err) != 0)
		rc = -1;
	out->html = focusable_tables(
	    cmark_render_html(doc, CMARK_OPT_UNSAFE, extensions));
	free(nodes.html.items);
	free(nodes.links.items);
	free(nodes.headings.items);
	free(nodes.items.items);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	return rc;
}

void
md_result_free(struct md_result *result)
{
	if (result == NULL)
		return;
	free(result->html);
	for (size_t i = 0; i < result->nheadings; i++) {
		free(result->headings[i].id);
		free(result->headings[i].text);
	}
	free(result->headings);
	for (size_t i = 0; i < result->ntables; i++) {
		struct md_table *t = &result->tables[i];
		for (size_t j = 0; j < t->rows * t->cols; j++)
			free(t->cells[j]);
		free(t->cells);
		free(t->row_lines);
	}
	free(result->tables);
	for (size_t i = 0; i < result->nblocks; i++) {
		free(result->blocks[i].text);
		free(result->blocks[i].id);
	}
	free(result->blocks);
	for (size_t i = 0; i < result->nanchors; i++) {
		free(result->anchors[i].id);
		free(result->anchors[i].text);
	}
	free(result->anchors);
	memset(result, 0, sizeof *result);
}

/*
 * mustache: parses Mustache templates into flat node lists, kept in a set
 * (rendering is mustache_render.c).  Parsing decides everything that does
 * not depend on data: tag kinds, standalone lines (stripped here, once),
 * the indentation of standalone partials, and which nodes start a line.
 * Names are stored pre-split on dots, so lookups allocate nothing.
 */
#include "site/mustache.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site/mustache_template.h"

#define NOT_FOUND SIZE_MAX

/* A section whose closing tag the parser has not seen yet. */
struct open_section {
	size_t node; /* index of its node */
	size_t name; /* source offset of its name */
	size_t name_len;
};

struct parser {
	const char *tpl_name; /* for messages */
	const char *src;
	size_t len;
	const char *otag; /* current delimiters, pointing into src or static */
	size_t otag_len;
	const char *ctag;
	size_t ctag_len;
	struct node *nodes;
	size_t n_nodes;
	size_t cap_nodes;
	struct buf pool;
	struct open_section *open;
	size_t n_open;
	size_t cap_open;
	size_t line; /* line number at offset line_off */
	size_t line_off;
	struct buf *err;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Returns the offset of the first needle in s[from..len), or NOT_FOUND. */
static size_t
find(const char *s, size_t len, size_t from, const char *needle, size_t n)
{
	while (from < len && n <= len - from) {
		const char *p = memchr(s + from, needle[0], len - from - n + 1);
		if (p == NULL)
			break;
		size_t at = (size_t)(p - s);
		if (memcmp(p, needle, n) == 0)
			return at;
		from = at + 1;
	}
	return NOT_FOUND;
}

/* Returns the 1-based line of source offset off. */
static size_t
line_at(struct parser *ps, size_t off)
{
	if (off < ps->line_off) {
		ps->line = 1;
		ps->line_off = 0;
	}
	for (; ps->line_off < off; ps->line_off++)
		if (ps->src[ps->line_off] == '\n')
			ps->line++;
	return ps->line;
}

static void parse_error(struct parser *ps, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends "NAME:LINE: message" to ps->err, LINE being that of offset off. */
static void
parse_error(struct parser *ps, size_t off, const char *fmt, ...)
{
	va_list ap;

	if (ps->err == NULL)
		return;
	buf_printf(ps->err, "%s:%zu: ", ps->tpl_name, line_at(ps, off));
	va_start(ap, fmt);
	buf_vprintf(ps->err, fmt, ap);
	va_end(ap);
}

/* Appends a node and returns it, zeroed but for type and flags. */
static struct node *
add_node(struct parser *ps, int type, int flags, size_t off)
{
	if (ps->n_nodes == ps->cap_nodes) {
		ps->cap_nodes = ps->cap_nodes ? ps->cap_nodes * 2 : 32;
		ps->nodes = mem_realloc(
		    ps->nodes, ps->cap_nodes * sizeof(ps->nodes[0]));
	}
	struct node *n = &ps->nodes[ps->n_nodes++];
	memset(n, 0, sizeof(*n));
	n->type = (unsigned char)type;
	n->flags = (unsigned char)flags;
	n->line = line_at(ps, off);
	return n;
}

/* Adds src[from..to) as a text node; nothing when it is empty. */
static void
add_text(struct parser *ps, size_t from, size_t to)
{
	if (to <= from)
		return;
	int bol = from == 0 || ps->src[from - 1] == '\n';
	struct node *n = add_node(ps, NODE_TEXT, bol ? NODE_BOL : 0, from);
	n->str = ps->pool.len;
	n->len = to - from;
	buf_put(&ps->pool, ps->src + from, to - from);
}

/*
 * A tag that leaves no node of its own (comment, delimiter change, end of
 * section) but shares its line with other content still starts that line;
 * an empty text node keeps the place where indentation goes.
 */
static void
add_line_start(struct parser *ps, size_t off)
{
	struct node *n = add_node(ps, NODE_TEXT, NODE_BOL, off);
	n->str = ps->pool.len;
}

/*
 * Checks the name of a tag starting at offset tag and, for names that
 * are looked up in the context (dotted is 1), stores it in the pool split
 * on dots.  Sets *str and *segments.  Returns 0, or -1 with a message.
 */
static int
add_name(struct parser *ps, size_t tag, const char *name, size_t len,
    int dotted, size_t *str, size_t *segments)
{
	if (len == 0) {
		parse_error(ps, tag, "empty tag name");
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (is_space(name[i]) || name[i] == '\0')
			goto bad;
	}
	*str = ps->pool.len;
	*segments = 0;
	if (!dotted) {
		buf_put(&ps->pool, name, len);
		buf_putc(&ps->pool, '\0');
		return 0;
	}
	if (len == 1 && name[0] == '.')
		return 0;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && name[i] != '.')
			continue;
		if (i == start)
			goto bad;
		buf_put(&ps->pool, name + start, i - start);
		buf_putc(&ps->pool, '\0');
		(*segments)++;
		start = i + 1;
	}
	return 0;
bad:
	parse_error(
	    ps, tag, "bad tag name '%.*s'", (int)(len > 60 ? 60 : len), name);
	return -1;
}

/*
 * Returns the offset where the tag whose content starts at from ends:
 * that of the closing delimiter, or of the prefix character ('}' of "}}}",
 * '=' of "=}}") just before it.  NOT_FOUND if there is none.
 */
static size_t
find_close(const struct parser *ps, size_t from, char prefix)
{
	size_t at = from;

	while ((at = find(ps->src, ps->len, at, ps->ctag, ps->ctag_len)) !=
	       NOT_FOUND) {
		if (prefix == '\0')
			return at;
		if (at > from && ps->src[at - 1] == prefix)
			return at - 1;
		at++;
	}
	return NOT_FOUND;
}

/*
 * Decides whether the tag src[tag..tag_end) stands alone on its line: only
 * spaces and tabs before it since the line began (pending text starts at
 * pos, so an earlier tag on the line disqualifies it) and after it up to
 * a newline or the end.  If so sets *line_start and *line_end (just past
 * the newline) and returns 1.
 */
static int
standalone(const struct parser *ps, size_t pos, size_t tag, size_t tag_end,
    size_t *line_start, size_t *line_end)
{
	const char *s = ps->src;
	size_t b = tag, e = tag_end;

	while (b > pos && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	if (b > 0 && s[b - 1] != '\n')
		return 0;
	while (e < ps->len && (s[e] == ' ' || s[e] == '\t'))
		e++;
	if (e < ps->len) {
		if (s[e] == '\n')
			e++;
		else if (s[e] == '\r' && e + 1 < ps->len && s[e + 1] == '\n')
			e += 2;
		else
			return 0;
	}
	*line_start = b;
	*line_end = e;
	return 1;
}

/*
 * Applies "{{=OPEN CLOSE=}}", content being what lies between the equals
 * signs.  The new delimiters point into the source, which outlives the
 * parse.  Returns 0, or -1 with a message.
 */
static int
set_delimiters(struct parser *ps, size_t tag, const char *content, size_t len)
{
	size_t i = 0, open, open_len, close, close_len;

	while (i < len && is_space(content[i]))
		i++;
	open = i;
	while (i < len && !is_space(content[i]))
		i++;
	open_len = i - open;
	while (i < len && is_space(content[i]))
		i++;
	close = i;
	while (i < len && !is_space(content[i]))
		i++;
	close_len = i - close;
	while (i < len && is_space(content[i]))
		i++;
	if (open_len == 0 || close_len == 0 || i != len) {
		parse_error(ps, tag,
		    "bad delimiter change '%.*s': want two "
		    "delimiters separated by a space, as in {{=<%% %%>=}}",
		    (int)(len > 60 ? 60 : len), content);
		return -1;
	}
	ps->otag = content + open;
	ps->otag_len = open_len;
	ps->ctag = content + close;
	ps->ctag_len = close_len;
	return 0;
}

static void
open_section(struct parser *ps, size_t node, size_t name, size_t name_len)
{
	if (ps->n_open == ps->cap_open) {
		ps->cap_open = ps->cap_open ? ps->cap_open * 2 : 16;
		ps->open =
		    mem_realloc(ps->open, ps->cap_open * sizeof(ps->open[0]));
	}
	ps->open[ps->n_open].node = node;
	ps->open[ps->n_open].name = name;
	ps->open[ps->n_open].name_len = name_len;
	ps->n_open++;
}

/* Handles {{/name}}.  Returns 0, or -1 with a message. */
static int
close_section(struct parser *ps, size_t tag, const char *name, size_t len)
{
	int shown = (int)(len > 60 ? 60 : len);

	if (ps->n_open == 0) {
		parse_error(ps, tag, "closing tag '%.*s' has no open section",
		    shown, name);
		return -1;
	}
	struct open_section *o = &ps->open[ps->n_open - 1];
	if (o->name_len != len || memcmp(ps->src + o->name, name, len) != 0) {
		parse_error(ps, tag,
		    "closing tag '%.*s' does not match "
		    "section '%.*s' opened on line %zu",
		    shown, name, (int)(o->name_len > 60 ? 60 : o->name_len),
		    ps->src + o->name, ps->nodes[o->node].line);
		return -1;
	}
	ps->nodes[o->node].end = ps->n_nodes;
	ps->n_open--;
	return 0;
}

/* A tag as read_tag found it. */
struct tag_info {
	size_t at;        /* offset of its opening delimiter */
	size_t end;       /* offset just past its closing delimiter */
	char kind;        /* '!', '#', '^', '/', '>', '&', '{', '=', or '\0'
	                     for a plain {{name}} */
	const char *name; /* what it holds, without the spaces around */
	size_t name_len;
};

/* Reads the tag whose opening delimiter is at offset at.  Returns 0, or -1
 * with a message when it is never closed. */
static int
read_tag(struct parser *ps, size_t at, struct tag_info *t)
{
	const char *s = ps->src;
	size_t after = at + ps->otag_len;
	char kind = after < ps->len ? s[after] : '\0';
	char prefix = '\0';
	size_t from = after + 1;
	switch (kind) {
	case '{':
		prefix = '}';
		break;
	case '=':
		prefix = '=';
		break;
	case '!':
	case '#':
	case '^':
	case '/':
	case '>':
	case '&':
		break;
	default:
		kind = '\0';
		from = after;
		break;
	}
	size_t close = find_close(ps, from, prefix);
	if (close == NOT_FOUND) {
		const char *opened = prefix == '}'   ? "{"
		                     : prefix == '=' ? "="
		                                     : "";
		const char *closer = prefix == '}'   ? "}"
		                     : prefix == '=' ? "="
		                                     : "";
		parse_error(ps, at,
		    "tag '%.*s%s' is never closed (no '%s%.*s' follows)",
		    (int)ps->otag_len, ps->otag, opened, closer,
		    (int)ps->ctag_len, ps->ctag);
		return -1;
	}
	t->at = at;
	t->end = close + (prefix != '\0') + ps->ctag_len;
	t->kind = kind;
	t->name = s + from;
	t->name_len = close - from;
	while (t->name_len > 0 && is_space(t->name[0])) {
		t->name++;
		t->name_len--;
	}
	while (t->name_len > 0 && is_space(t->name[t->name_len - 1]))
		t->name_len--;
	return 0;
}

/* {{>name}}: a standalone partial keeps the indentation before it, which
 * starts at line_start. */
static int
add_partial(struct parser *ps, const struct tag_info *t, int bol, int alone,
    size_t line_start)
{
	size_t str, segments;
	if (add_name(ps, t->at, t->name, t->name_len, 0, &str, &segments) == -1)
		return -1;
	struct node *n = add_node(ps, NODE_PARTIAL,
	    (bol ? NODE_BOL : 0) | (alone ? NODE_STANDALONE : 0), t->at);
	n->str = str;
	n->end = ps->pool.len;
	n->len = alone ? t->at - line_start : 0;
	buf_put(&ps->pool, ps->src + line_start, n->len);
	return 0;
}

/* A tag looked up in the context: {{name}}, {{{name}}}, {{&name}}, and the
 * opening tags of sections. */
static int
add_lookup(struct parser *ps, const struct tag_info *t, int bol)
{
	size_t str, segments;
	if (add_name(ps, t->at, t->name, t->name_len, 1, &str, &segments) == -1)
		return -1;
	int type = t->kind == '#'    ? NODE_SECTION
	           : t->kind == '^'  ? NODE_INVERTED
	           : t->kind == '\0' ? NODE_ESCAPED
	                             : NODE_RAW;
	struct node *n = add_node(ps, type, bol ? NODE_BOL : 0, t->at);
	n->str = str;
	n->len = segments;
	if (type == NODE_SECTION || type == NODE_INVERTED)
		open_section(ps, ps->n_nodes - 1, (size_t)(t->name - ps->src),
		    t->name_len);
	return 0;
}

/* Adds what tag t stands for.  bol: it starts its line; alone: it stands
 * alone on its line, which starts at line_start.  Returns 0 or -1. */
static int
add_tag(struct parser *ps, const struct tag_info *t, int bol, int alone,
    size_t line_start)
{
	switch (t->kind) {
	case '!':
		break;
	case '=':
		if (set_delimiters(ps, t->at, t->name, t->name_len) == -1)
			return -1;
		break;
	case '/':
		if (bol)
			add_line_start(ps, t->at);
		return close_section(ps, t->at, t->name, t->name_len);
	case '>':
		return add_partial(ps, t, bol, alone, line_start);
	default:
		return add_lookup(ps, t, bol);
	}
	if (bol)
		add_line_start(ps, t->at);
	return 0;
}

/* At the end of the source: every section must have been closed. */
static int
check_closed(struct parser *ps)
{
	if (ps->n_open == 0)
		return 0;
	struct open_section *o = &ps->open[ps->n_open - 1];
	size_t last = ps->len;
	if (last > 0 && ps->src[last - 1] == '\n')
		last--;
	parse_error(ps, last,
	    "section '%.*s' opened on line %zu is never closed",
	    (int)(o->name_len > 60 ? 60 : o->name_len), ps->src + o->name,
	    ps->nodes[o->node].line);
	return -1;
}

/* Parses the whole source into ps->nodes.  Returns 0 or -1. */
static int
parse(struct parser *ps)
{
	size_t pos = 0; /* start of text not yet added */
	for (;;) {
		size_t at = find(ps->src, ps->len, pos, ps->otag, ps->otag_len);
		if (at == NOT_FOUND) {
			add_text(ps, pos, ps->len);
			return check_closed(ps);
		}
		struct tag_info t;
		if (read_tag(ps, at, &t) != 0)
			return -1;
		size_t line_start = t.at, line_end = t.end;
		int alone =
		    t.kind != '\0' && t.kind != '{' && t.kind != '&' &&
		    standalone(ps, pos, t.at, t.end, &line_start, &line_end);
		int bol = !alone && (t.at == 0 || ps->src[t.at - 1] == '\n');
		add_text(ps, pos, line_start);
		pos = line_end;
		if (add_tag(ps, &t, bol, alone, line_start) != 0)
			return -1;
	}
}

/* Where name is in the set's templates, kept sorted by name, or where it
 * would go (*found tells which): a partial is looked up at every use, so
 * a page's navigation does thousands of these. */
static size_t
template_slot(const struct mustache_set *set, const char *name, int *found)
{
	size_t lo = 0, hi = set->n_templates;
	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(set->templates[mid]->name, name);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct template *
mustache_template_find(const struct mustache_set *set, const char *name)
{
	int found;
	size_t i = template_slot(set, name, &found);
	return found ? set->templates[i] : NULL;
}

/* A number no other set's templates had: memos (mustache_memo.c) compare
 * it, since a freed template's address may be a new one's. */
static unsigned long
new_serial(void)
{
	static unsigned long serials;
	return __atomic_add_fetch(&serials, 1, __ATOMIC_RELAXED);
}

struct mustache_set *
mustache_set_new(void)
{
	struct mustache_set *set = mem_calloc(1, sizeof(*set));
	set->serial = new_serial();
	set->max_output = MUSTACHE_DEFAULT_MAX_OUTPUT;
	set->max_steps = MUSTACHE_DEFAULT_MAX_STEPS;
	return set;
}

static void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->nodes);
	free(t->pool);
	free(t);
}

void
mustache_set_free(struct mustache_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->n_templates; i++)
		template_free(set->templates[i]);
	free(set->templates);
	mustache_set_drop_kept(set);
	free(set);
}

int
mustache_set_add(struct mustache_set *set, const char *name, const char *src,
    size_t len, struct buf *err)
{
	struct parser ps;
	struct template *t = NULL;

	memset(&ps, 0, sizeof(ps));
	ps.tpl_name = name;
	ps.src = src;
	ps.len = len;
	ps.otag = "{{";
	ps.otag_len = 2;
	ps.ctag = "}}";
	ps.ctag_len = 2;
	ps.line = 1;
	ps.err = err;
	if (parse(&ps) == -1)
		goto fail;

	t = mem_calloc(1, sizeof(*t));
	t->name = mem_strdup(name);
	t->nodes = ps.nodes;
	t->n_nodes = ps.n_nodes;
	t->pool = buf_detach(&ps.pool);
	free(ps.open);

	set->serial = new_serial();
	int found;
	size_t at = template_slot(set, name, &found);
	if (found) {
		template_free(set->templates[at]);
		set->templates[at] = t;
		return 0;
	}
	if (set->n_templates == set->cap_templates) {
		set->cap_templates =
		    set->cap_templates ? set->cap_templates * 2 : 16;
		set->templates = mem_realloc(set->templates,
		    set->cap_templates * sizeof(set->templates[0]));
	}
	memmove(set->templates + at + 1, set->templates + at,
	    (set->n_templates - at) * sizeof(set->templates[0]));
	set->templates[at] = t;
	set->n_templates++;
	return 0;

fail:
	free(ps.nodes);
	free(ps.open);
	buf_free(&ps.pool);
	return -1;
}

int
mustache_set_has(const struct mustache_set *set, const char *name)
{
	return mustache_template_find(set, name) != NULL;
}

void
mustache_set_limits(
    struct mustache_set *set, size_t max_output, size_t max_steps)
{
	set->max_output = max_output ? max_output : MUSTACHE_DEFAULT_MAX_OUTPUT;
	set->max_steps = max_steps ? max_steps : MUSTACHE_DEFAULT_MAX_STEPS;
}

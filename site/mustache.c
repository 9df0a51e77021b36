/*
 * mustache: parses Mustache templates into flat node lists and renders
 * them against Jansson values.  Parsing decides everything that does not
 * depend on data: tag kinds, standalone lines (stripped here, once), the
 * indentation of standalone partials, and which nodes start a line.  A
 * section's body is the run of nodes after it, up to its recorded end, so
 * rendering is a loop over an array with recursion only into sections and
 * partials, both bounded.  The context stack lives in the render state on
 * the C stack; names are stored pre-split, so lookups allocate nothing.
 */
#include "site/mustache.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOT_FOUND SIZE_MAX

enum node_type {
	NODE_TEXT,     /* literal text */
	NODE_ESCAPED,  /* {{name}}: HTML-escaped interpolation */
	NODE_RAW,      /* {{{name}}} or {{&name}} */
	NODE_SECTION,  /* {{#name}} body {{/name}} */
	NODE_INVERTED, /* {{^name}} body {{/name}} */
	NODE_PARTIAL,  /* {{>name}} */
};

/*
 * NODE_BOL: the node begins a line of the template source, so a partial
 * rendered with indentation emits the indentation before it.
 * NODE_STANDALONE: a partial alone on its line; its lines are indented by
 * the whitespace that preceded the tag, added to any inherited indentation.
 */
#define NODE_BOL 0x1
#define NODE_STANDALONE 0x2

struct node {
	unsigned char type;  /* enum node_type */
	unsigned char flags; /* NODE_BOL, NODE_STANDALONE */
	size_t line;         /* source line of the tag, for messages */
	size_t str;          /* pool offset of the text or of the name */
	size_t len;          /* TEXT: bytes; PARTIAL: indentation bytes;
	                        others: name segments, 0 for "." */
	size_t end;          /* SECTION, INVERTED: index after the body;
	                        PARTIAL: pool offset of the indentation */
};

/*
 * A parsed template.  Names in the pool are stored with their dotted
 * segments each NUL-terminated ("a.b" is "a\0b\0"), ready for
 * json_object_get(); partial names are one NUL-terminated string.
 */
struct template
{
	char *name;
	struct node *nodes;
	size_t n_nodes;
	char *pool;
};

struct mustache_set {
	struct template **templates;
	size_t n_templates;
	size_t cap_templates;
	size_t max_output;
	size_t max_steps;
};

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

struct render {
	const struct mustache_set *set;
	const char *top_name; /* the template mustache_render() was asked for */
	struct buf *out;
	struct buf *err;
	size_t out_limit; /* out->len may not grow beyond this */
	size_t steps_left;
	int partial_depth;
	size_t depth; /* contexts on the stack */
	json_t *stack[MUSTACHE_MAX_SECTION_DEPTH + 1];
	struct buf indent;  /* nested partial indentation, outermost first */
	size_t indent_from; /* active indentation: indent.data[indent_from..] */
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

/* Parses the whole source into ps->nodes.  Returns 0 or -1. */
static int
parse(struct parser *ps)
{
	const char *s = ps->src;
	size_t pos = 0; /* start of text not yet added */

	for (;;) {
		size_t tag = find(s, ps->len, pos, ps->otag, ps->otag_len);
		if (tag == NOT_FOUND) {
			add_text(ps, pos, ps->len);
			break;
		}
		size_t after = tag + ps->otag_len;
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
			const char *kind_str = prefix == '}'   ? "{"
			                       : prefix == '=' ? "="
			                                       : "";
			const char *prefix_str = prefix == '}'   ? "}"
			                         : prefix == '=' ? "="
			                                         : "";
			parse_error(ps, tag,
			    "tag '%.*s%s' is never closed "
			    "(no '%s%.*s' follows)",
			    (int)ps->otag_len, ps->otag, kind_str, prefix_str,
			    (int)ps->ctag_len, ps->ctag);
			return -1;
		}
		size_t tag_end = close + (prefix != '\0') + ps->ctag_len;

		const char *name = s + from;
		size_t name_len = close - from;
		while (name_len > 0 && is_space(name[0])) {
			name++;
			name_len--;
		}
		while (name_len > 0 && is_space(name[name_len - 1]))
			name_len--;

		size_t line_start = tag, line_end = tag_end;
		int alone =
		    kind != '\0' && kind != '{' && kind != '&' &&
		    standalone(ps, pos, tag, tag_end, &line_start, &line_end);
		int bol = !alone && (tag == 0 || s[tag - 1] == '\n');
		add_text(ps, pos, line_start);
		pos = line_end;

		struct node *n;
		size_t str, segments;
		switch (kind) {
		case '!':
			if (bol)
				add_line_start(ps, tag);
			break;
		case '=':
			if (set_delimiters(ps, tag, name, name_len) == -1)
				return -1;
			if (bol)
				add_line_start(ps, tag);
			break;
		case '/':
			if (bol)
				add_line_start(ps, tag);
			if (close_section(ps, tag, name, name_len) == -1)
				return -1;
			break;
		case '>':
			if (add_name(ps, tag, name, name_len, 0, &str,
			        &segments) == -1)
				return -1;
			n = add_node(ps, NODE_PARTIAL,
			    (bol ? NODE_BOL : 0) |
			        (alone ? NODE_STANDALONE : 0),
			    tag);
			n->str = str;
			n->end = ps->pool.len;
			n->len = alone ? tag - line_start : 0;
			buf_put(&ps->pool, s + line_start, n->len);
			break;
		case '#':
		case '^':
			if (add_name(ps, tag, name, name_len, 1, &str,
			        &segments) == -1)
				return -1;
			n = add_node(ps,
			    kind == '#' ? NODE_SECTION : NODE_INVERTED,
			    bol ? NODE_BOL : 0, tag);
			n->str = str;
			n->len = segments;
			open_section(
			    ps, ps->n_nodes - 1, (size_t)(name - s), name_len);
			break;
		default:
			if (add_name(ps, tag, name, name_len, 1, &str,
			        &segments) == -1)
				return -1;
			n = add_node(ps, kind == '\0' ? NODE_ESCAPED : NODE_RAW,
			    bol ? NODE_BOL : 0, tag);
			n->str = str;
			n->len = segments;
			break;
		}
	}
	if (ps->n_open > 0) {
		struct open_section *o = &ps->open[ps->n_open - 1];
		size_t last = ps->len;
		if (last > 0 && s[last - 1] == '\n')
			last--;
		parse_error(ps, last,
		    "section '%.*s' opened on line %zu is "
		    "never closed",
		    (int)(o->name_len > 60 ? 60 : o->name_len), s + o->name,
		    ps->nodes[o->node].line);
		return -1;
	}
	return 0;
}

static struct template *
find_template(const struct mustache_set *set, const char *name)
{
	for (size_t i = 0; i < set->n_templates; i++)
		if (strcmp(set->templates[i]->name, name) == 0)
			return set->templates[i];
	return NULL;
}

struct mustache_set *
mustache_set_new(void)
{
	struct mustache_set *set = mem_calloc(1, sizeof(*set));
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

	for (size_t i = 0; i < set->n_templates; i++) {
		if (strcmp(set->templates[i]->name, name) == 0) {
			template_free(set->templates[i]);
			set->templates[i] = t;
			return 0;
		}
	}
	if (set->n_templates == set->cap_templates) {
		set->cap_templates =
		    set->cap_templates ? set->cap_templates * 2 : 16;
		set->templates = mem_realloc(set->templates,
		    set->cap_templates * sizeof(set->templates[0]));
	}
	set->templates[set->n_templates++] = t;
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
	return find_template(set, name) != NULL;
}

void
mustache_set_limits(
    struct mustache_set *set, size_t max_output, size_t max_steps)
{
	set->max_output = max_output ? max_output : MUSTACHE_DEFAULT_MAX_OUTPUT;
	set->max_steps = max_steps ? max_steps : MUSTACHE_DEFAULT_MAX_STEPS;
}

static void render_error(struct render *r, const struct template *t,
    const struct node *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Appends "NAME:LINE: message" (or "NAME: message" without a node). */
static void
render_error(struct render *r, const struct template *t, const struct node *n,
    const char *fmt, ...)
{
	va_list ap;

	if (r->err == NULL)
		return;
	if (n != NULL)
		buf_printf(r->err, "%s:%zu: ", t->name, n->line);
	else
		buf_printf(r->err, "%s: ", t->name);
	va_start(ap, fmt);
	buf_vprintf(r->err, fmt, ap);
	va_end(ap);
}

/*
 * Resolves a name of the given number of segments (0 for ".") against the
 * context stack: the first segment in the innermost context that has it as
 * a key, the others each in the value before.  Returns NULL on a miss.
 */
static json_t *
lookup(const struct render *r, const char *name, size_t segments)
{
	json_t *v = NULL;

	if (segments == 0)
		return r->depth > 0 ? r->stack[r->depth - 1] : NULL;
	for (size_t i = r->depth; i-- > 0;) {
		if (json_is_object(r->stack[i]) &&
		    (v = json_object_get(r->stack[i], name)) != NULL)
			break;
	}
	for (size_t k = 1; k < segments && v != NULL; k++) {
		name += strlen(name) + 1;
		v = json_is_object(v) ? json_object_get(v, name) : NULL;
	}
	return v;
}

static int
truthy(const json_t *v)
{
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_FALSE:
	case JSON_NULL:
		return 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	default:
		return 1;
	}
}

/* Writes d to s in the shortest %g form that reads back as d. */
static void
format_real(char *s, size_t size, double d)
{
	for (int precision = 15; precision <= 17; precision++) {
		snprintf(s, size, "%.*g", precision, d);
		if (strtod(s, NULL) == d)
			return;
	}
}

static void
put_value(struct buf *out, const json_t *v, int escape)
{
	char number[64];

	switch (json_typeof(v)) {
	case JSON_STRING:
		if (escape)
			buf_put_html(
			    out, json_string_value(v), json_string_length(v));
		else
			buf_put(
			    out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		snprintf(number, sizeof(number), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		buf_puts(out, number);
		break;
	case JSON_REAL:
		format_real(number, sizeof(number), json_real_value(v));
		buf_puts(out, number);
		break;
	case JSON_TRUE:
		buf_puts(out, "true");
		break;
	case JSON_FALSE:
		buf_puts(out, "false");
		break;
	default:
		break;
	}
}

/* Appends text, indenting each line after the first if a partial is. */
static void
put_text(struct render *r, const char *s, size_t len)
{
	size_t indent_len = r->indent.len - r->indent_from;

	if (indent_len == 0) {
		buf_put(r->out, s, len);
		return;
	}
	const char *indent = r->indent.data + r->indent_from;
	const char *end = s + len, *nl;
	while (s < end && (nl = memchr(s, '\n', (size_t)(end - s))) != NULL &&
	       nl + 1 < end) {
		buf_put(r->out, s, (size_t)(nl + 1 - s));
		buf_put(r->out, indent, indent_len);
		s = nl + 1;
	}
	buf_put(r->out, s, (size_t)(end - s));
}

static int render_nodes(
    struct render *r, const struct template *t, size_t from, size_t to);

/* Renders a section body once with value v pushed on the context stack. */
static int
render_body(struct render *r, const struct template *t, size_t i, json_t *v)
{
	const struct node *n = &t->nodes[i];

	if (r->depth > MUSTACHE_MAX_SECTION_DEPTH) {
		render_error(r, t, n, "sections nested more than %d deep",
		    MUSTACHE_MAX_SECTION_DEPTH);
		return -1;
	}
	r->stack[r->depth++] = v;
	int rc = render_nodes(r, t, i + 1, n->end);
	r->depth--;
	return rc;
}

static int
render_partial(struct render *r, const struct template *t, const struct node *n)
{
	const char *name = t->pool + n->str;
	const struct template *partial = find_template(r->set, name);

	if (partial == NULL)
		return 0;
	if (r->partial_depth >= MUSTACHE_MAX_PARTIAL_DEPTH) {
		render_error(r, t, n,
		    "partial '%s' nested more than %d deep "
		    "(does it include itself?)",
		    name, MUSTACHE_MAX_PARTIAL_DEPTH);
		return -1;
	}
	size_t saved_len = r->indent.len, saved_from = r->indent_from;
	if (!(n->flags & NODE_STANDALONE))
		r->indent_from = r->indent.len;
	else if (n->len > 0)
		buf_put(&r->indent, t->pool + n->end, n->len);
	r->partial_depth++;
	int rc = render_nodes(r, partial, 0, partial->n_nodes);
	r->partial_depth--;
	r->indent.len = saved_len;
	r->indent_from = saved_from;
	return rc;
}

/* Renders nodes [from, to) of t.  Returns 0, or -1 with a message. */
static int
render_nodes(struct render *r, const struct template *t, size_t from, size_t to)
{
	size_t i = from;

	while (i < to) {
		const struct node *n = &t->nodes[i];
		if (r->steps_left == 0) {
			render_error(r, t, n,
			    "rendering '%s' takes too many "
			    "steps (loops nested too deep?)",
			    r->top_name);
			return -1;
		}
		r->steps_left--;
		if (r->out->len > r->out_limit) {
			render_error(r, t, n, "output of '%s' is too large",
			    r->top_name);
			return -1;
		}
		if ((n->flags & NODE_BOL) && r->indent.len > r->indent_from)
			buf_put(r->out, r->indent.data + r->indent_from,
			    r->indent.len - r->indent_from);

		json_t *v;
		switch (n->type) {
		case NODE_TEXT:
			put_text(r, t->pool + n->str, n->len);
			break;
		case NODE_ESCAPED:
		case NODE_RAW:
			v = lookup(r, t->pool + n->str, n->len);
			if (v != NULL)
				put_value(r->out, v, n->type == NODE_ESCAPED);
			break;
		case NODE_SECTION:
			v = lookup(r, t->pool + n->str, n->len);
			if (json_is_array(v)) {
				for (size_t k = 0; k < json_array_size(v); k++)
					if (render_body(r, t, i,
					        json_array_get(v, k)) == -1)
						return -1;
			} else if (truthy(v)) {
				if (render_body(r, t, i, v) == -1)
					return -1;
			}
			i = n->end;
			continue;
		case NODE_INVERTED:
			v = lookup(r, t->pool + n->str, n->len);
			if (!truthy(v) &&
			    render_nodes(r, t, i + 1, n->end) == -1)
				return -1;
			i = n->end;
			continue;
		case NODE_PARTIAL:
			if (render_partial(r, t, n) == -1)
				return -1;
			break;
		}
		i++;
	}
	return 0;
}

int
mustache_render(const struct mustache_set *set, const char *name,
    json_t *context, struct buf *out, struct buf *err)
{
	const struct template *t = find_template(set, name);
	struct render r;

	if (t == NULL) {
		if (err != NULL)
			buf_printf(err, "%s: no such template", name);
		return -1;
	}
	r.set = set;
	r.top_name = name;
	r.out = out;
	r.err = err;
	r.out_limit = SIZE_MAX - out->len < set->max_output
	                  ? SIZE_MAX
	                  : out->len + set->max_output;
	r.steps_left = set->max_steps;
	r.partial_depth = 0;
	r.depth = 0;
	if (context != NULL)
		r.stack[r.depth++] = context;
	r.indent = (struct buf)BUF_INIT;
	r.indent_from = 0;

	int rc = render_nodes(&r, t, 0, t->n_nodes);
	if (rc == 0 && out->len > r.out_limit) {
		render_error(&r, t, NULL, "output is too large");
		rc = -1;
	}
	buf_free(&r.indent);
	return rc;
}

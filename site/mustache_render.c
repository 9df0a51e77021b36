/*
 * mustache_render: renders a parsed template against Jansson values.  A
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

#include "site/mustache_template.h"

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
	const struct template *partial = mustache_template_find(r->set, name);

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
	const struct template *t = mustache_template_find(set, name);
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

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

/* Kinds of memoized rendering (mustache_memo.c's keys): a section's
 * whole loop over an array, or its body once with one value. */
enum { MEMO_LOOP, MEMO_BODY };

/* A section being recorded for the memo: what it read from outside the
 * value, which sits at stack[base], and how deep it went. */
struct memo_rec {
	size_t base;
	struct memo_dep *deps;
	size_t ndeps, cap;
	int unkeepable;    /* it read an object or an array from outside */
	int partial_start; /* partial_depth when it began */
	int partials;      /* the most partials it nested */
	size_t sections;   /* the most contexts it pushed */
};

struct render {
	struct mustache_memo *memo; /* NULL: none */
	struct memo_rec *rec;       /* the section being recorded, or NULL */
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

static void note_dep(
    struct memo_rec *rec, const char *name, size_t segments, const json_t *v);

/*
 * Resolves a name of the given number of segments (0 for ".") against the
 * context stack: the first segment in the innermost context that has it as
 * a key, the others each in the value before.  Returns NULL on a miss.
 * While a section is recorded for the memo, a name read from outside its
 * value is noted with what it read.
 */
static json_t *
lookup(const struct render *r, const char *name, size_t segments)
{
	json_t *v = NULL;
	const char *first = name;
	size_t frame = 0;

	if (segments == 0)
		return r->depth > 0 ? r->stack[r->depth - 1] : NULL;
	for (size_t i = r->depth; i-- > 0;) {
		if (json_is_object(r->stack[i]) &&
		    (v = json_object_get(r->stack[i], name)) != NULL) {
			frame = i;
			break;
		}
	}
	int outside = v == NULL || (r->rec && frame < r->rec->base);
	for (size_t k = 1; k < segments && v != NULL; k++) {
		name += strlen(name) + 1;
		v = json_is_object(v) ? json_object_get(v, name) : NULL;
	}
	if (r->rec && outside)
		note_dep(r->rec, first, segments, v);
	return v;
}

/* Records that the section being recorded read name as v from outside
 * its value (once per name). */
static void
note_dep(
    struct memo_rec *rec, const char *name, size_t segments, const json_t *v)
{
	for (size_t i = 0; i < rec->ndeps; i++)
		if (rec->deps[i].name == name)
			return; /* the same tag's name, read again */
	struct memo_dep d = {name, segments, DEP_MISSING, NULL, 0, 0, 0};
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		d.type = DEP_STRING;
		d.len = json_string_length(v);
		d.text = mem_alloc(d.len + 1);
		memcpy(d.text, json_string_value(v), d.len + 1);
		break;
	case JSON_INTEGER:
		d.type = DEP_INTEGER;
		d.integer = json_integer_value(v);
		break;
	case JSON_REAL:
		d.type = DEP_REAL;
		d.real = json_real_value(v);
		break;
	case JSON_TRUE:
		d.type = DEP_TRUE;
		break;
	case JSON_FALSE:
		d.type = DEP_FALSE;
		break;
	case JSON_NULL:
		d.type = v ? DEP_NULL : DEP_MISSING;
		break;
	default: /* an object or array: not compared, so not kept */
		rec->unkeepable = 1;
		return;
	}
	if (rec->ndeps == rec->cap) {
		rec->cap = rec->cap ? rec->cap * 2 : 4;
		rec->deps =
		    mem_realloc(rec->deps, rec->cap * sizeof *rec->deps);
	}
	rec->deps[rec->ndeps++] = d;
}

/* Whether dep reads as it did, here (at the stack of the section's
 * start, below its value). */
static int
dep_holds(const struct render *r, const struct memo_dep *d)
{
	json_t *v = lookup(r, d->name, d->segments);
	switch (d->type) {
	case DEP_MISSING:
		return v == NULL;
	case DEP_STRING:
		return json_is_string(v) && json_string_length(v) == d->len &&
		       memcmp(json_string_value(v), d->text, d->len) == 0;
	case DEP_INTEGER:
		return json_is_integer(v) &&
		       json_integer_value(v) == d->integer;
	case DEP_REAL:
		return json_is_real(v) && json_real_value(v) == d->real;
	case DEP_TRUE:
		return json_is_true(v);
	case DEP_FALSE:
		return json_is_false(v);
	case DEP_NULL:
		return json_is_null(v);
	}
	return 0;
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
	if (r->rec && r->depth - r->rec->base > r->rec->sections)
		r->rec->sections = r->depth - r->rec->base;
	int rc = render_nodes(r, t, i + 1, n->end);
	r->depth--;
	return rc;
}

static int render_memoized(
    struct render *r, const struct template *t, size_t i, json_t *v, int kind);

/* Section node i with value v, as the specification says: the body for
 * each element of an array, or once for another truthy value. */
static int
render_section(
    struct render *r, const struct template *t, size_t i, json_t *v, int kind)
{
	if (kind == MEMO_BODY)
		return render_body(r, t, i, v);
	for (size_t k = 0; k < json_array_size(v); k++)
		if (render_memoized(r, t, i, json_array_get(v, k), MEMO_BODY) ==
		    -1)
			return -1;
	return 0;
}

/* A rendering of the memo that holds here: its outside values read the
 * same, and it fits the limits left.  NULL when none does. */
static const struct memo_entry *
memo_hit(const struct render *r, const struct template *t, size_t i,
    const json_t *v, int kind)
{
	const struct memo_entry *e = mustache_memo_find(r->memo, t, i, v, kind);
	for (; e; e = e->next) {
		size_t k = 0;
		while (k < e->ndeps && dep_holds(r, &e->deps[k]))
			k++;
		if (k == e->ndeps)
			break;
	}
	if (e == NULL || e->steps > r->steps_left ||
	    r->out->len + e->len > r->out_limit ||
	    r->partial_depth + e->partials > MUSTACHE_MAX_PARTIAL_DEPTH ||
	    r->depth + e->sections > MUSTACHE_MAX_SECTION_DEPTH + 1)
		return NULL; /* rendered, it fails as it should */
	return e;
}

static void
free_deps(struct memo_dep *deps, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(deps[k].text);
	free(deps);
}

/* A memo entry of what rec recorded: the entry, its outside values and
 * its bytes in one block (mustache_memo.c frees it whole), so that a
 * page's hundreds of hits read few cache lines. */
static struct memo_entry *
new_entry(
    const struct memo_rec *rec, const char *bytes, size_t len, size_t steps)
{
	size_t size =
	    sizeof(struct memo_entry) + rec->ndeps * sizeof *rec->deps;
	for (size_t k = 0; k < rec->ndeps; k++)
		size += rec->deps[k].text ? rec->deps[k].len + 1 : 0;
	size += len + 1;
	struct memo_entry *e = mem_calloc(1, size);
	struct memo_dep *deps = (struct memo_dep *)(e + 1);
	char *at = (char *)(deps + rec->ndeps);
	for (size_t k = 0; k < rec->ndeps; k++) {
		deps[k] = rec->deps[k];
		if (deps[k].text) {
			memcpy(at, rec->deps[k].text, deps[k].len + 1);
			deps[k].text = at;
			at += deps[k].len + 1;
		}
	}
	if (len) /* an empty section's output may have no buffer yet */
		memcpy(at, bytes, len);
	e->bytes = at;
	e->len = len;
	e->steps = steps;
	e->partials = rec->partials;
	e->sections = rec->sections;
	e->deps = deps;
	e->ndeps = rec->ndeps;
	return e;
}

/*
 * Section node i with value v (kind: the loop over v's elements, or the
 * body once with v), through the memo when v is kept: the bytes of an
 * earlier rendering that holds here, or rendered and recorded.  Not while
 * another section is being recorded (its outside values would be this
 * one's), nor under an indented partial (the bytes would hold the
 * indentation).
 */
static int
render_memoized(
    struct render *r, const struct template *t, size_t i, json_t *v, int kind)
{
	if (r->memo == NULL || r->rec != NULL ||
	    r->indent.len > r->indent_from || !mustache_set_kept(r->set, v))
		return render_section(r, t, i, v, kind);
	const struct memo_entry *hit = memo_hit(r, t, i, v, kind);
	if (hit) {
		buf_put(r->out, hit->bytes, hit->len);
		r->steps_left -= hit->steps;
		return 0;
	}
	struct memo_rec rec = {0};
	rec.base = r->depth;
	rec.partial_start = r->partial_depth;
	size_t start = r->out->len, steps = r->steps_left;
	r->rec = &rec;
	int rc = render_section(r, t, i, v, kind);
	r->rec = NULL;
	if (rc != 0 || rec.unkeepable) {
		free_deps(rec.deps, rec.ndeps);
		return rc;
	}
	struct memo_entry *e = new_entry(&rec, r->out->data + start,
	    r->out->len - start, steps - r->steps_left);
	free_deps(rec.deps, rec.ndeps);
	mustache_memo_store(r->memo, t, i, v, kind, e);
	return 0;
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
	if (r->rec &&
	    r->partial_depth - r->rec->partial_start > r->rec->partials)
		r->rec->partials = r->partial_depth - r->rec->partial_start;
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
			if (json_is_array(v) || truthy(v)) {
				int kind =
				    json_is_array(v) ? MEMO_LOOP : MEMO_BODY;
				if (render_memoized(r, t, i, v, kind) == -1)
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
	return mustache_render_memo(set, name, context, NULL, out, err);
}

int
mustache_render_memo(const struct mustache_set *set, const char *name,
    json_t *context, struct mustache_memo *memo, struct buf *out,
    struct buf *err)
{
	const struct template *t = mustache_template_find(set, name);
	struct render r;

	if (t == NULL) {
		if (err != NULL)
			buf_printf(err, "%s: no such template", name);
		return -1;
	}
	if (memo)
		mustache_memo_use(memo, set);
	r.memo = memo;
	r.rec = NULL;
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

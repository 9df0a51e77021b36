/*
 * frontmatter: finds the "---" fences at the top of a page and converts the
 * YAML between them to JSON with libyaml's event parser.  Anchors, aliases
 * and tags are refused: front matter is plain data, and refusing them keeps
 * alias expansion ("billion laughs") out of reach.
 */
#include "site/frontmatter.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 32

struct reader {
	yaml_parser_t parser;
	const char *path;
	int first_line;   /* file line of the YAML's first line */
	const char *what; /* "front matter", or the file's role, for messages */
	struct buf *err;
};

static int
fail_at(struct reader *r, size_t yaml_line, const char *fmt, const char *arg)
{
	buf_printf(r->err, "%s:%zu: %s", r->path,
	    yaml_line + (size_t)r->first_line, r->what);
	buf_printf(r->err, fmt, arg);
	return -1;
}

static int
next_event(struct reader *r, yaml_event_t *ev)
{
	if (yaml_parser_parse(&r->parser, ev))
		return 0;
	/* Where a construct was left open, its start is what to fix. */
	size_t line = r->parser.context ? r->parser.context_mark.line
	                                : r->parser.problem_mark.line;
	const char *problem =
	    r->parser.problem ? r->parser.problem : "bad YAML";
	buf_printf(r->err, "%s:%zu: %s: %s", r->path,
	    line + (size_t)r->first_line, r->what, problem);
	if (r->parser.context)
		buf_printf(r->err, " (%s)", r->parser.context);
	return -1;
}

static json_t *
scalar_value(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_stringn(s, len);
	if (len == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0)
		return json_null();
	if (strcmp(s, "true") == 0)
		return json_true();
	if (strcmp(s, "false") == 0)
		return json_false();
	char *end;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (*end == '\0' && errno == 0 &&
	    (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
		return json_integer(n);
	double d = strtod(s, &end);
	if (*end == '\0' && isfinite(d) &&
	    (s[0] == '-' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9')))
		return json_real(d);
	return json_stringn(s, len);
}

static json_t *read_node(struct reader *r, yaml_event_t *ev, int depth);

static json_t *
read_mapping(struct reader *r, int depth)
{
	json_t *obj = json_object();
	for (;;) {
		yaml_event_t key;
		if (next_event(r, &key) != 0)
			goto fail;
		if (key.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&key);
			return obj;
		}
		if (key.type != YAML_SCALAR_EVENT) {
			fail_at(r, key.start_mark.line,
			    ": keys must be plain text%s", "");
			yaml_event_delete(&key);
			goto fail;
		}
		char *name = mem_strndup((const char *)key.data.scalar.value,
		    key.data.scalar.length);
		size_t line = key.start_mark.line;
		yaml_event_delete(&key);
		if (json_object_get(obj, name) != NULL) {
			fail_at(r, line, ": key '%s' appears twice", name);
			free(name);
			goto fail;
		}
		yaml_event_t value;
		if (next_event(r, &value) != 0) {
			free(name);
			goto fail;
		}
		json_t *v = read_node(r, &value, depth + 1);
		yaml_event_delete(&value);
		if (v == NULL) {
			free(name);
			goto fail;
		}
		json_object_set_new(obj, name, v);
		free(name);
	}
fail:
	json_decref(obj);
	return NULL;
}

static json_t *
read_sequence(struct reader *r, int depth)
{
	json_t *arr = json_array();
	for (;;) {
		yaml_event_t item;
		if (next_event(r, &item) != 0)
			goto fail;
		if (item.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&item);
			return arr;
		}
		json_t *v = read_node(r, &item, depth + 1);
		yaml_event_delete(&item);
		if (v == NULL)
			goto fail;
		json_array_append_new(arr, v);
	}
fail:
	json_decref(arr);
	return NULL;
}

/* Converts the node that starts with ev (not consumed here) to JSON. */
static json_t *
read_node(struct reader *r, yaml_event_t *ev, int depth)
{
	if (depth > MAX_DEPTH) {
		fail_at(r, ev->start_mark.line, ": nested too deeply%s", "");
		return NULL;
	}
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		fail_at(r, ev->start_mark.line, ": aliases are not supported%s",
		    "");
		return NULL;
	case YAML_SCALAR_EVENT: {
		if (ev->data.scalar.anchor ||
		    (ev->data.scalar.tag &&
		        ev->data.scalar.plain_implicit == 0 &&
		        ev->data.scalar.quoted_implicit == 0)) {
			fail_at(r, ev->start_mark.line,
			    ": anchors and tags are not supported%s", "");
			return NULL;
		}
		json_t *v = scalar_value(ev);
		if (v == NULL)
			fail_at(r, ev->start_mark.line,
			    ": text is not valid UTF-8%s", "");
		return v;
	}
	case YAML_SEQUENCE_START_EVENT:
		if (ev->data.sequence_start.anchor) {
			fail_at(r, ev->start_mark.line,
			    ": anchors are not supported%s", "");
			return NULL;
		}
		return read_sequence(r, depth);
	case YAML_MAPPING_START_EVENT:
		if (ev->data.mapping_start.anchor) {
			fail_at(r, ev->start_mark.line,
			    ": anchors are not supported%s", "");
			return NULL;
		}
		return read_mapping(r, depth);
	default:
		fail_at(r, ev->start_mark.line, ": unexpected YAML structure%s",
		    "");
		return NULL;
	}
}

/* Returns the length of the line at p (without its newline) in src+len. */
static size_t
line_length(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? (size_t)(nl - p) : (size_t)(end - p);
}

static int
is_fence(const char *p, size_t n)
{
	if (n > 0 && p[n - 1] == '\r')
		n--;
	while (n > 3 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return n == 3 && memcmp(p, "---", 3) == 0;
}

int
frontmatter_yaml(const char *path, int first_line, const char *yaml, size_t len,
    const char *what, json_t **out, struct buf *err)
{
	struct reader r = {
	    .path = path, .first_line = first_line, .what = what, .err = err};
	*out = NULL;
	if (!yaml_parser_initialize(&r.parser)) {
		buf_printf(err, "%s:%d: cannot start the YAML parser", path,
		    first_line);
		return -1;
	}
	yaml_parser_set_input_string(
	    &r.parser, (const unsigned char *)yaml, len);
	json_t *meta = NULL;
	yaml_event_t ev;
	int rc = -1;
	/* stream start, then a document or the stream end (empty YAML) */
	if (next_event(&r, &ev) != 0)
		goto done;
	yaml_event_delete(&ev);
	if (next_event(&r, &ev) != 0)
		goto done;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		meta = json_object();
		rc = 0;
		goto done;
	}
	yaml_event_delete(&ev); /* document start */
	if (next_event(&r, &ev) != 0)
		goto done;
	if (ev.type == YAML_SCALAR_EVENT && ev.data.scalar.length == 0 &&
	    ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		meta = json_object(); /* only comments */
	} else if (ev.type != YAML_MAPPING_START_EVENT) {
		fail_at(&r, ev.start_mark.line,
		    " must be a mapping of keys to "
		    "values (such as 'title: ...')%s",
		    "");
		yaml_event_delete(&ev);
		goto done;
	} else {
		meta = read_node(&r, &ev, 0);
	}
	yaml_event_delete(&ev);
	if (meta == NULL)
		goto done;
	for (int i = 0; i < 2; i++) { /* the document's end, the stream's */
		if (next_event(&r, &ev) != 0)
			goto done;
		int type = ev.type;
		size_t at = ev.start_mark.line;
		yaml_event_delete(&ev);
		if (type != (i == 0 ? YAML_DOCUMENT_END_EVENT
		                    : YAML_STREAM_END_EVENT)) {
			fail_at(
			    &r, at, " holds more than one YAML document%s", "");
			goto done;
		}
	}
	rc = 0;
done:
	yaml_parser_delete(&r.parser);
	if (rc == 0)
		*out = meta;
	else
		json_decref(meta);
	return rc;
}

int
frontmatter_parse(const char *path, const char *src, size_t len,
    struct frontmatter *out, struct buf *err)
{
	const char *end = src + len;
	const char *p = src;
	out->meta = NULL;
	out->body_offset = 0;
	out->body_line = 1;

	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a byte-order mark */
	size_t n = line_length(p, end);
	if (!is_fence(p, n)) {
		out->meta = json_object();
		out->body_offset = (size_t)(p - src);
		return 0;
	}
	const char *yaml_start = p + n + (p + n < end);
	const char *q = yaml_start;
	int line = 2;
	while (q < end) {
		size_t m = line_length(q, end);
		if (is_fence(q, m))
			break;
		q += m + (q + m < end);
		line++;
	}
	if (q >= end) {
		buf_printf(err,
		    "%s:1: front matter opened here is never closed "
		    "(expected a line '---')",
		    path);
		return -1;
	}
	size_t close_len = line_length(q, end);
	out->body_offset =
	    (size_t)(q + close_len + (q + close_len < end) - src);
	out->body_line = line + 1;

	return frontmatter_yaml(path, 2, yaml_start, (size_t)(q - yaml_start),
	    "front matter", &out->meta, err);
}

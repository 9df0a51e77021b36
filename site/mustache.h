/*
 * mustache: the template engine of the site generator.  It implements the
 * Mustache specification (version 1, without lambdas) over Jansson values:
 * escaped and raw interpolation, dotted names, the implicit iterator ".",
 * sections and inverted sections, comments, set delimiters and partials
 * with standalone indentation.  Templates are parsed once into a flat node
 * list kept in a set; rendering walks that list and allocates nothing but
 * the output (and, for indented partials, one small indentation buffer).
 *
 * Truthiness: false, null, a missing name, an empty array and an empty
 * string are falsy; everything else (0, "0", empty objects) is truthy.
 * Interpolating true or false prints "true" or "false"; arrays and objects
 * interpolate as nothing.  Integers print in decimal, reals in the shortest
 * form that reads back as the same double.
 *
 * Typical use:
 *
 *	struct mustache_set *set = mustache_set_new();
 *	struct buf out = BUF_INIT, err = BUF_INIT;
 *	if (mustache_set_add(set, "page", src, len, &err) == -1 ||
 *	    mustache_render(set, "page", context, &out, &err) == -1)
 *		warnx("%s", buf_str(&err));
 *	...
 *	buf_free(&out);
 *	buf_free(&err);
 *	mustache_set_free(set);
 */
#ifndef MUSTACHE_H
#define MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

#include "registry/base/buf.h"

/* Partials may include partials this deep before rendering fails. */
#define MUSTACHE_MAX_PARTIAL_DEPTH 100
/* Sections may be nested this deep (counted across partials). */
#define MUSTACHE_MAX_SECTION_DEPTH 500
/* Default limits on one mustache_render() call; see mustache_set_limits. */
#define MUSTACHE_DEFAULT_MAX_OUTPUT ((size_t)64 << 20)
#define MUSTACHE_DEFAULT_MAX_STEPS ((size_t)100000000)

/* A set of named, parsed templates; partials are looked up in it. */
struct mustache_set;

/* Returns an empty set; free it with mustache_set_free(). */
struct mustache_set *mustache_set_new(void);

/* Frees the set and every template in it.  Accepts NULL. */
void mustache_set_free(struct mustache_set *set);

/*
 * Parses src (len bytes, need not be NUL-terminated) and stores it under
 * name, replacing any earlier template of that name.  The set keeps its
 * own copies of name and of what it needs from src.
 *
 * Returns 0, or -1 on a syntax error after appending one message
 * "NAME:LINE: what is wrong" to err (if err is not NULL), for example
 *	layout.mustache:12: section 'pages' opened on line 3 is never closed
 * On error the set is left as it was.
 */
int mustache_set_add(struct mustache_set *set, const char *name,
    const char *src, size_t len, struct buf *err);

/* Returns 1 if the set holds a template called name, else 0. */
int mustache_set_has(const struct mustache_set *set, const char *name);

/*
 * Bounds every later mustache_render() on this set: at most max_output
 * bytes appended to out and at most max_steps template nodes visited, so
 * that a runaway template (nested loops over long lists, say) fails
 * instead of eating the machine.  0 restores the default for that limit.
 */
void mustache_set_limits(
    struct mustache_set *set, size_t max_output, size_t max_steps);

/*
 * Renders template name against context (any Jansson value, or NULL for
 * none; not modified and no reference taken), appending to out.  A partial
 * missing from the set renders as nothing, as the specification asks.
 *
 * Returns 0, or -1 with a message appended to err (if err is not NULL)
 * when name is not in the set, when partials nest deeper than
 * MUSTACHE_MAX_PARTIAL_DEPTH (a partial including itself, usually), when
 * sections nest deeper than MUSTACHE_MAX_SECTION_DEPTH, or when a limit
 * of mustache_set_limits() is exceeded.  On failure out may hold part of
 * the page.
 */
int mustache_render(const struct mustache_set *set, const char *name,
    json_t *context, struct buf *out, struct buf *err);

/*
 * Memoized rendering, for many pages that show the same parts (a site's
 * sidebar entries).  mustache_set_keep(set, v) declares that v and
 * everything in it stay unchanged while the set lives; the set takes a
 * reference.  Call it before renders start, not while they run.
 *
 * A memo (one per thread: it is not shared) remembers the bytes of a
 * section rendered with a kept value (the section's value, or an element
 * of the array it loops over) together with the names the section read
 * from outside that value and what they were; a later render of the same
 * section with the same value, where those names read the same, copies
 * the bytes instead.  The output is the same as mustache_render's, byte
 * for byte.  Sections under an indented partial are rendered as usual.
 * A name that reads an object or an array from outside the value makes
 * the section not memoized.  The memo drops what it holds when it is
 * used with another set, or after the set's templates changed.
 */
struct mustache_memo;

struct mustache_memo *mustache_memo_new(void);
void mustache_memo_free(struct mustache_memo *memo); /* accepts NULL */
void mustache_set_keep(struct mustache_set *set, json_t *value);

/* mustache_render, with memo (NULL: none). */
int mustache_render_memo(const struct mustache_set *set, const char *name,
    json_t *context, struct mustache_memo *memo, struct buf *out,
    struct buf *err);

#endif

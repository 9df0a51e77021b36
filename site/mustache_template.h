/*
 * mustache_template: the parsed form of a template, shared by the parser
 * and the set (mustache.c) and the renderer (mustache_render.c).  Not for
 * other modules: they see only mustache.h.
 */
#ifndef MUSTACHE_TEMPLATE_H
#define MUSTACHE_TEMPLATE_H

#include <stddef.h>

#include "site/mustache.h"

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
	json_t **kept; /* mustache_set_keep's values, open addressing on the
	                  pointer, each holding a reference */
	size_t kept_slots, kept_used;
	unsigned long serial; /* new at each change of the templates: a memo
	                         made with other templates starts afresh */
};

/* The template of the set called name, or NULL. */
struct template *mustache_template_find(
    const struct mustache_set *set, const char *name);

/* Whether value was declared unchanging with mustache_set_keep. */
int mustache_set_kept(const struct mustache_set *set, const json_t *value);
/* Releases the kept values (mustache_set_free). */
void mustache_set_drop_kept(struct mustache_set *set);

/*
 * What a memoized section read from outside its value: a name (its
 * segments in the template's pool) and the scalar it resolved to then.
 */
enum memo_dep_type {
	DEP_MISSING,
	DEP_STRING,
	DEP_INTEGER,
	DEP_REAL,
	DEP_TRUE,
	DEP_FALSE,
	DEP_NULL,
};

struct memo_dep {
	const char *name;
	size_t segments;
	enum memo_dep_type type;
	char *text; /* DEP_STRING: the string (len bytes) */
	size_t len;
	json_int_t integer;
	double real;
};

/* One rendering of a section: its bytes, the steps it took, and the
 * outside values it holds for; one allocation with its deps, their texts
 * and its bytes. */
struct memo_entry {
	struct memo_entry *next;
	char *bytes;
	size_t len;
	size_t steps;
	int partials;    /* partials nested inside it, at most */
	size_t sections; /* contexts it pushed, at most */
	struct memo_dep *deps;
	size_t ndeps;
};

/* Drops memo's renderings if they were made with other templates than
 * set's now. */
void mustache_memo_use(
    struct mustache_memo *memo, const struct mustache_set *set);
/* The renderings of a key, newest first, or NULL. */
struct memo_entry *mustache_memo_find(const struct mustache_memo *memo,
    const struct template *t, size_t node, const json_t *value, int kind);
/* Adds e (taken) to its key's renderings, or frees it when the key has
 * enough. */
void mustache_memo_store(struct mustache_memo *memo, const struct template *t,
    size_t node, const json_t *value, int kind, struct memo_entry *e);

#endif

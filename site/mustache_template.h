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
};

/* The template of the set called name, or NULL. */
struct template *mustache_template_find(
    const struct mustache_set *set, const char *name);

#endif

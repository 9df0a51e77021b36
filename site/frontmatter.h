/*
 * frontmatter: splits a page's source into its YAML front matter and its
 * Markdown body, and turns the YAML (libyaml) into a Jansson object.
 *
 *   ---
 *   title: 9 费用及周期
 *   weight: 100
 *   ---
 *   body...
 *
 * Plain scalars that read as integers, reals, true/false or null become
 * those JSON types; quoted scalars stay strings.  A page without a leading
 * "---" line has an empty front matter.
 */
#ifndef FRONTMATTER_H
#define FRONTMATTER_H

#include <jansson.h>
#include <stddef.h>

#include "registry/base/buf.h"

struct frontmatter {
	json_t *meta;       /* a new reference to an object; caller decrefs */
	size_t body_offset; /* where the Markdown body starts in the source */
	int body_line;      /* the 1-based line number of the body's start */
};

/*
 * Parses the front matter of src (len bytes) read from path.  On error
 * returns -1 and appends "path:line: what is wrong" to err.
 */
int frontmatter_parse(const char *path, const char *src, size_t len,
    struct frontmatter *out, struct buf *err);

/*
 * Parses a whole YAML document that must be a mapping (a data file such as
 * the content's editions.yaml), with the same rules as front matter.
 * first_line is the file line of yaml's first line; what names the text in
 * messages ("front matter", "editions list").  On success *out is a new
 * reference to an object; on error returns -1 and appends
 * "path:line: what ..." to err.
 */
int frontmatter_yaml(const char *path, int first_line, const char *yaml,
    size_t len, const char *what, json_t **out, struct buf *err);

#endif

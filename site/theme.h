/*
 * theme: the templates and static files a site is built with.  They live in
 * site/templates/ and site/static/ and are compiled into sitegen (see
 * tools/embed.c); `sitegen build --theme DIR` reads a folder of the same
 * shape instead, for working on the templates without rebuilding.
 */
#ifndef THEME_H
#define THEME_H

#include <stddef.h>

#include "registry/base/buf.h"

struct theme_file {
	const char *name; /* "templates/page.mustache", "static/style.css" */
	const char *data;
	size_t len;
};

extern const struct theme_file THEME_BUILTIN[];
extern const unsigned long THEME_BUILTIN_COUNT;

struct theme {
	struct theme_file *files; /* sorted by name */
	size_t count;
	void *storage; /* owned copies when read from a folder */
};

/* Loads the theme from dir, or the built-in one when dir is NULL. */
int theme_load(const char *dir, struct theme *out, struct buf *err);
void theme_free(struct theme *theme);

#endif

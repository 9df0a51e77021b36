/*
 * What people type or paste to check a provider: a certificate number
 * (with or without "CNITSEC-", any case, full-width characters, odd
 * dashes), a credit code, or part of a name.  lookup_fold() brings text
 * to the form the registry writes; lookup_classify() says which of these
 * an entry is; lookup_next() cuts a pasted list into entries.  Pure; the
 * browser's scripts (site/static/check.js) do the same, and both are
 * tested against tests/rules/lookup.json.
 */
#ifndef REGISTRY_RULES_LOOKUP_H
#define REGISTRY_RULES_LOOKUP_H

#include <stddef.h>

#define LOOKUP_MAX 512         /* the longest entry kept, with its NUL */
#define LOOKUP_ENTRIES_MAX 100 /* entries a bulk check takes */

enum lookup_kind {
	LOOKUP_EMPTY,       /* nothing but spaces */
	LOOKUP_NUMBER,      /* a whole certificate number */
	LOOKUP_CREDIT_CODE, /* 18 letters and digits */
	LOOKUP_TEXT,        /* anything else: part of a name or number */
};

/*
 * Copies `text` into out (at most size - 1 bytes, whole characters):
 * full-width ASCII (U+FF01 to U+FF5E) as ASCII, the ideographic space as
 * a space, dashes and minus signs (U+2010 to U+2015, U+2212, U+FE58,
 * U+FE63) as '-', without leading and trailing spaces.  Returns out.
 */
char *lookup_fold(const char *text, char *out, size_t size);

/*
 * What `text` is, and in out its form to look up: for a number the
 * canonical number ("cs1-2024-0001" gives "CNITSEC-CS1-2024-0001"), for
 * a credit code its upper case, for text the folded text when it is
 * ASCII only (a number's prefix, a Latin name) and else the text as
 * given without surrounding spaces (Chinese names keep their full-width
 * brackets).
 */
enum lookup_kind lookup_classify(const char *text, char out[LOOKUP_MAX]);

/*
 * The next entry of a pasted list from *cursor (entries are separated by
 * newlines, commas, semicolons, spaces and their full-width forms, and
 * 、), copied into out and *cursor moved past it.  0 when an entry was
 * found, -1 at the end.  An entry longer than LOOKUP_MAX - 1 bytes is
 * cut (and then found nowhere).
 */
int lookup_next(const char **cursor, char out[LOOKUP_MAX]);

#endif

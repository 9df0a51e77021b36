/*
 * edpages: the published editions on the website.  Each edition listed in
 * the content's editions.yaml (or tagged "edition/<name>") is read from its
 * commit as a tree of its own and written below /editions/<name>/, with a
 * banner on every page; beside each edition with text, its redline against
 * the previous one with text, at /editions/<name>/changes-from/<older>/;
 * and /editions/, the list of them all, newest first.
 */
#ifndef EDPAGES_H
#define EDPAGES_H

#include <stddef.h>

#include "site/editions.h"
#include "site/tree.h"

struct edition_site {
	struct edition *edition;
	int is_current; /* its text is the current site's */
	struct tree tree;
	struct tree english; /* its translation (none before there was one) */
};

struct edpages {
	struct edition_site *sites; /* oldest first */
	size_t count;
	struct edition *editions; /* what sites point into */
};

/*
 * Lists the editions and loads the tree of each, beside the current site's
 * tree current (which must outlive them).  An edition whose commit this
 * clone lacks (a shallow clone) is listed without its text, with a warning;
 * in a full clone that is an error.  Without a git history there are no
 * editions.  Errors go to the build's errors; returns 0, or -1 if there
 * were any.  Call edpages_free in either case.
 */
int edpages_load(
    struct edpages *ed, struct build *build, const struct tree *current);

/* Writes every edition with its text, the redlines and the editions page.
 * Returns 0, or -1 with a message in the build's errors. */
int edpages_write(const struct edpages *ed, const struct tree *current);
/* The same without the editions' own pages (which only a new revision
 * changes): what compares the current text with the editions. */
int edpages_write_current(const struct edpages *ed, const struct tree *current);

void edpages_free(struct edpages *ed);

#endif

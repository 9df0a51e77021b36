/*
 * links: resolution and checking of the links between a site's pages.
 * Content links are relative to the source file ("fees.md#fees-table",
 * "images/flow.svg", "#top"); a page's address is its folder
 * ("fees.md" -> "fees/", "index.md" -> "", "a/b.md" -> "a/b/").
 * The build records every page, every id on it and every file, records
 * every link it meets, and checks them all once every page is rendered.
 */
#ifndef LINKS_H
#define LINKS_H

#include "registry/base/buf.h"

struct links;

struct links *links_new(void);
void links_free(struct links *links); /* accepts NULL */

/* Records that content file path exists (a page or any other file). */
void links_add_file(struct links *links, const char *path);
/* Records that the page from content file path has an element with id. */
void links_add_id(struct links *links, const char *path, const char *id);

enum link_kind {
	LINK_EXTERNAL, /* has a scheme, "//host" or an absolute path: left alone
	                */
	LINK_PAGE,     /* a .md file, maybe with an anchor */
	LINK_FILE,     /* another content file */
	LINK_ANCHOR,   /* "#id" on the same page */
	LINK_OUTSIDE,  /* climbs above the content folder */
};

/*
 * Resolves url written in content file from.  For LINK_PAGE and LINK_FILE
 * sets target to the content path; for those and LINK_ANCHOR sets anchor
 * to the part after '#' (empty when none).
 */
enum link_kind links_resolve(
    const char *from, const char *url, struct buf *target, struct buf *anchor);

/*
 * Records a link to check: from source file from (at line), to content path
 * target (a page, or a file when anchor is NULL) and anchor ("" for none).
 */
void links_expect(struct links *links, const char *from, int line,
    const char *url, const char *target, const char *anchor);

/*
 * Checks every recorded link.  Returns the number of broken ones, each
 * described as "from:line: ..." on its own line in err.
 */
int links_check(struct links *links, struct buf *err);
/*
 * For a page rendered again on its own (the preview's incremental builds):
 * links_mark says how many links are recorded; links_check_since checks
 * those recorded after the mark, as links_check does, and forgets them.
 */
size_t links_mark(const struct links *links);
int links_check_since(struct links *links, size_t mark, struct buf *err);

/* The address folder of a page's content path ("a/b.md" -> "a/b/"). */
void links_page_dir(const char *path, struct buf *out);
/* "../" for each level of dir, or "./" at the top: the way back to the root. */
void links_root_prefix(const char *dir, struct buf *out);

#endif

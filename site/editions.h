/*
 * editions: the published editions of the guide.  The record of what was
 * published is the content's own list, editions.yaml, committed beside the
 * pages, so it travels with every clone, push and mirror:
 *
 *   editions:
 *     - name: "2017-10"
 *       date: 2017-10-01
 *       commit: 5339a75e93f90d7707edfcbed04d9c72aa09f051
 *
 * Tags "edition/<name>" are accepted as a convenience beside it; a tag and
 * the list may not disagree about an edition's commit.
 */
#ifndef EDITIONS_H
#define EDITIONS_H

#include <stddef.h>

#include "registry/base/buf.h"

/* The list's name inside the content folder.  It is data for the build,
 * neither a page nor a file of the site. */
#define EDITIONS_FILE "editions.yaml"

struct edition {
	char *name;         /* "2017-10": the address /editions/2017-10/ */
	char commit_id[41]; /* the commit whose content is the edition */
	long long time;     /* published: the listed date at 00:00 China
	                       Standard Time, or a tag's own date */
	int offset;         /* minutes east of UTC */
	int available;      /* the commit is in this clone (set by the build) */
};

/*
 * Parses the editions list `data` (len bytes) read from path.  On success
 * *out holds *count editions, oldest first; the caller frees them with
 * editions_free.  On error returns -1 and appends "path:line: what is
 * wrong" (or "path: editions[i] (name): what is wrong") to err.
 */
int editions_parse(const char *path, const char *data, size_t len,
    struct edition **out, size_t *count, struct buf *err);

/*
 * Adds to the list (*list, *count) the tagged editions it does not name;
 * tags are taken over (freed here).  A tag naming a listed edition must
 * point at the same commit, else returns -1 with a message naming path.
 * The result is sorted oldest first.
 */
int editions_merge(struct edition **list, size_t *count, struct edition *tags,
    size_t ntags, const char *path, struct buf *err);

/* Whether name can be an edition's name: letters, digits, '.', '_', '-',
 * not starting with '.', at most 64 bytes. */
int editions_name_ok(const char *name);

void editions_free(struct edition *editions, size_t count);

#endif

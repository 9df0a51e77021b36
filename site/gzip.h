/*
 * Precompressed copies of the site's text files: NAME.gz beside NAME, for
 * servers that send them to clients that accept gzip (registryd, nginx's
 * gzip_static).  The gzip header holds no name and no time, so the same
 * file always gives the same bytes.
 */
#ifndef SITE_GZIP_H
#define SITE_GZIP_H

#include <stddef.h>

#include "registry/base/buf.h"

/* Files shorter than this get no copy: gzip would not pay. */
#define SITE_GZIP_MIN 256

/* Files up to this size are compressed at zlib's best level (9), larger
 * ones at its default (6): on the search index's shards of long number
 * lists, 9 takes twenty times as long as 6 for 3 % fewer bytes. */
#define SITE_GZIP_BEST_MAX (128 * 1024)

/* 1 when a file named `rel` is text worth a compressed copy (.html, .css,
 * .js, .json, .xml, .svg, .txt, .csv, .webmanifest, .atom). */
int site_gzip_wanted(const char *rel, size_t len);

/* The gzip of data into out (emptied first); 0, or -1. */
int site_gzip(const void *data, size_t len, struct buf *out);

#endif

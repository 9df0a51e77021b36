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

/* One level for every file, chosen by measuring: on the 10,000-page
 * benchmark's 363 MB of text, libdeflate's 6 takes 3.4 s of CPU for
 * 79.0 MB, fewer bytes than zlib's 9 (79.5 MB, 8.7 s); its 5 saves 0.7 s
 * for 1 MB more, its 7 takes 5.3 s for 0.8 MB fewer.  Measured again on
 * the 10,000 pages in 100 folders (363 MB in 20,441 files; CPU on a
 * loaded machine): libdeflate 1..7 give 86.8, 84.5, 83.4, 82.7, 80.0,
 * 78.9, 78.1 MB in 1.5, 2.7, 2.8, 3.2, 4.0, 5.1, 7.0 s, zlib's 6 (what
 * gzip -6 and nginx's gzip_comp_level 6 send) 79.6 MB in 8.5 s: 6 is the
 * fastest level whose copies are no larger than zlib's 6. */
#define SITE_GZIP_LEVEL 6

/* 1 when a file named `rel` is text worth a compressed copy (.html, .css,
 * .js, .json, .xml, .svg, .txt, .csv, .webmanifest, .atom). */
int site_gzip_wanted(const char *rel, size_t len);

/* The gzip of data into out (emptied first); 0, or -1. */
int site_gzip(const void *data, size_t len, struct buf *out);

#endif

/*
 * Content codings: whether a request's Accept-Encoding allows gzip, and
 * gzip itself (zlib), for the answers api_handle() holds in memory.  The
 * gzip header carries no name and no time (zlib's defaults), so the same
 * body always compresses to the same bytes.  Pure: no I/O.
 */
#ifndef REGISTRY_API_ENCODING_H
#define REGISTRY_API_ENCODING_H

#include <stddef.h>

#include "registry/base/buf.h"

/* Bodies shorter than this go as they are: gzip would not pay. */
#define API_GZIP_MIN 256

/*
 * 1 when the Accept-Encoding field value `header` (or NULL) accepts gzip
 * (RFC 9110 12.5.3): "gzip", "x-gzip" or "*" with a q above 0, and gzip
 * not refused by name ("gzip;q=0, *" refuses it).  Anything malformed is
 * taken as not accepting.
 */
int api_encoding_accepts_gzip(const char *header);

/* Replaces b's `len` bytes by their gzip; 0, or -1 (b unchanged). */
int api_encoding_gzip(struct buf *b);

/* 1 for media types worth compressing (text, JSON, XML, SVG, CSV). */
int api_encoding_compressible(const char *content_type);

#endif

/*
 * Precompressed copies (see gzip.h).
 */
#include "site/gzip.h"

#include <string.h>
#include <zlib.h>

int
site_gzip_wanted(const char *rel, size_t len)
{
	static const char *const SUFFIXES[] = {".html", ".css", ".js", ".json",
	    ".xml", ".svg", ".txt", ".csv", ".webmanifest", ".atom"};
	size_t n = strlen(rel);

	if (len < SITE_GZIP_MIN)
		return 0;
	for (size_t i = 0; i < sizeof SUFFIXES / sizeof SUFFIXES[0]; i++) {
		size_t s = strlen(SUFFIXES[i]);
		if (n > s && strcmp(rel + n - s, SUFFIXES[i]) == 0)
			return 1;
	}
	return 0;
}

int
site_gzip(const void *data, size_t len, struct buf *out)
{
	z_stream z;
	uLong bound;
	int rc;

	buf_reset(out);
	memset(&z, 0, sizeof z);
	/* 15 + 16: a gzip wrapper; zlib writes no name and time 0. */
	int level = len <= SITE_GZIP_BEST_MAX ? 9 : 6;
	if (deflateInit2(
	        &z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&z, (uLong)len);
	buf_grow(out, bound);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out->data;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	out->len = bound - z.avail_out;
	deflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

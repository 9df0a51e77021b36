/*
 * Content codings (see encoding.h).
 */
#include "registry/api/encoding.h"

#include <string.h>
#include <strings.h>
#include <zlib.h>

/* The q of one element's parameters (";q=0.5"); -1 when malformed. */
static int
quality(const char *p, const char *end)
{
	int q = 1000;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
			p++;
		if (p == end)
			break;
		if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') &&
		    p[1] == '=') {
			/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "."
			 * 0*3("0") ] ) */
			int digits = 0, frac = 0;
			p += 2;
			if (p == end || (*p != '0' && *p != '1'))
				return -1;
			q = (*p++ - '0') * 1000;
			if (p < end && *p == '.') {
				p++;
				while (p < end && *p >= '0' && *p <= '9' &&
				       digits < 3) {
					frac = frac * 10 + (*p++ - '0');
					digits++;
				}
				while (digits < 3) {
					frac *= 10;
					digits++;
				}
			}
			q += frac;
			if (q > 1000)
				return -1;
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if (p < end && *p != ';')
				return -1;
		} else {
			/* Another parameter: skipped up to the next ';'. */
			while (p < end && *p != ';')
				p++;
		}
	}
	return q;
}

int
api_encoding_accepts_gzip(const char *header)
{
	int gzip = -1, star = -1;

	if (header == NULL)
		return 0;
	while (*header) {
		const char *end = strchr(header, ',');
		const char *name, *name_end, *params;
		int q;

		if (end == NULL)
			end = header + strlen(header);
		name = header;
		while (name < end && (*name == ' ' || *name == '\t'))
			name++;
		name_end = name;
		while (name_end < end && *name_end != ';' && *name_end != ' ' &&
		       *name_end != '\t')
			name_end++;
		params = name_end;
		q = quality(params, end);
		if (q < 0)
			return 0;
		if ((name_end - name == 4 &&
		        strncasecmp(name, "gzip", 4) == 0) ||
		    (name_end - name == 6 &&
		        strncasecmp(name, "x-gzip", 6) == 0))
			gzip = q > gzip ? q : gzip;
		else if (name_end - name == 1 && *name == '*')
			star = q;
		header = *end ? end + 1 : end;
	}
	return gzip >= 0 ? gzip > 0 : star > 0;
}

int
api_encoding_gzip(struct buf *b)
{
	z_stream z;
	struct buf out = BUF_INIT;
	int rc;

	memset(&z, 0, sizeof z);
	/* 15 + 16: a gzip wrapper, with no name and time 0. */
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return -1;
	uLong bound = deflateBound(&z, (uLong)b->len);
	buf_grow(&out, bound);
	z.next_in = (Bytef *)b->data;
	z.avail_in = (uInt)b->len;
	z.next_out = (Bytef *)out.data;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	out.len = bound - z.avail_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		buf_free(&out);
		return -1;
	}
	buf_reset(b);
	buf_put(b, out.data, out.len);
	buf_free(&out);
	return 0;
}

int
api_encoding_compressible(const char *type)
{
	static const char *const TYPES[] = {"text/", "application/json",
	    "application/problem+json", "application/atom+xml",
	    "application/xml", "application/manifest+json",
	    "application/x-ndjson", "image/svg+xml"};

	if (type == NULL)
		return 0;
	for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
		if (strncasecmp(type, TYPES[i], strlen(TYPES[i])) == 0)
			return 1;
	return 0;
}

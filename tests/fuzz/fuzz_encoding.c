/*
 * libFuzzer target for registry/api/encoding.c: the input is an
 * Accept-Encoding field value and, after it, a body.  Checked: the field
 * is read without running off its end and the answer is 0 or 1, agreeing
 * with the same field with spaces added after its commas; the body's gzip
 * inflates (zlib) back to the body, and compressing twice gives the same
 * bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "registry/api/encoding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t head = nl ? (size_t)(nl - data) : size;
	char *field = malloc(head + 1), *spaced = malloc(2 * head + 1);
	struct buf a = BUF_INIT, b = BUF_INIT;
	size_t n = 0;
	int yes;

	if (field == NULL || spaced == NULL)
		abort();
	memcpy(field, data, head);
	field[head] = '\0';
	for (size_t i = 0; field[i]; i++) {
		spaced[n++] = field[i];
		if (field[i] == ',')
			spaced[n++] = ' ';
	}
	spaced[n] = '\0';
	yes = api_encoding_accepts_gzip(field);
	if (yes != 0 && yes != 1)
		abort();
	if (strlen(field) == head && api_encoding_accepts_gzip(spaced) != yes)
		abort();

	if (nl) {
		const uint8_t *body = nl + 1;
		size_t len = size - head - 1;
		buf_put(&a, body, len);
		buf_put(&b, body, len);
		if (api_encoding_gzip(&a) != 0 || api_encoding_gzip(&b) != 0)
			abort();
		if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
			abort();
		{
			z_stream z;
			unsigned char *out = malloc(len + 1);
			int rc;
			memset(&z, 0, sizeof z);
			if (out == NULL || inflateInit2(&z, 15 + 16) != Z_OK)
				abort();
			z.next_in = (Bytef *)a.data;
			z.avail_in = (uInt)a.len;
			z.next_out = out;
			z.avail_out = (uInt)len + 1;
			rc = inflate(&z, Z_FINISH);
			if (rc != Z_STREAM_END || z.total_out != len ||
			    memcmp(out, body, len) != 0)
				abort();
			inflateEnd(&z);
			free(out);
		}
	}
	buf_free(&a);
	buf_free(&b);
	free(field);
	free(spaced);
	return 0;
}

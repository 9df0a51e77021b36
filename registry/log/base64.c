/*
 * Strict standard base64 (see base64.h).
 */
#include "registry/log/base64.h"

static const char ALPHABET[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
log_base64_put(struct buf *out, const void *data, size_t len)
{
	const uint8_t *p = data;
	char quad[4];

	buf_grow(out, LOG_BASE64_LENGTH(len));
	for (size_t i = 0; i < len; i += 3) {
		uint32_t group = (uint32_t)p[i] << 16;
		size_t left = len - i;

		if (left > 1)
			group |= (uint32_t)p[i + 1] << 8;
		if (left > 2)
			group |= p[i + 2];
		quad[0] = ALPHABET[(group >> 18) & 63];
		quad[1] = ALPHABET[(group >> 12) & 63];
		quad[2] = left > 1 ? ALPHABET[(group >> 6) & 63] : '=';
		quad[3] = left > 2 ? ALPHABET[group & 63] : '=';
		buf_put(out, quad, 4);
	}
	if (len == 0)
		buf_put(out, "", 0);
}

/* The value of a base64 character, or -1. */
static int
value_of(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
log_base64_decode(
    const char *text, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t n = 0;

	*out_len = 0;
	if (len % 4 != 0)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		int v[4], pad = 0;
		uint32_t group = 0;

		for (int j = 0; j < 4; j++) {
			char c = text[i + j];

			if (c == '=' && i + 4 == len && j >= 2) {
				v[j] = 0;
				pad++;
				continue;
			}
			if (pad > 0 || (v[j] = value_of(c)) < 0)
				return -1; /* a character after '=' */
			group = group << 6 | (uint32_t)v[j];
		}
		group <<= 6 * pad;
		/* Canonical: the bits the padding drops are zero. */
		if ((pad == 1 && (group & 0xff) != 0) ||
		    (pad == 2 && (group & 0xffff) != 0))
			return -1;
		if (n + (size_t)(3 - pad) > cap)
			return -1;
		out[n++] = (uint8_t)(group >> 16);
		if (pad < 2)
			out[n++] = (uint8_t)(group >> 8);
		if (pad < 1)
			out[n++] = (uint8_t)group;
	}
	*out_len = n;
	return 0;
}

/*
 * Cursor text: base64url (no padding) of
 *   "2.<list>.<filters hex>.<phase>.<a>.<b>.<c>.<key>" <tag>
 * where tag is the first 16 bytes of HMAC-SHA256(secret, everything
 * before it), compared in constant time.  Without the secret nobody can
 * write a cursor, so the positions and windows in one were all written by
 * a page of this server; every field is validated on its own besides.
 */
#include "registry/api/cursor.h"

#include <fcntl.h>
#include <inttypes.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define PAYLOAD_MAX 150
#define TAG_SIZE 16

static const char B64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int
key_ok(const char *key)
{
	size_t len = strlen(key);

	if (len > API_CURSOR_KEY_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((key[i] >= 'A' && key[i] <= 'Z') ||
		        (key[i] >= '0' && key[i] <= '9') || key[i] == '-'))
			return 0;
	return 1;
}

static void
tag(const unsigned char secret[API_CURSOR_SECRET_SIZE], const char *payload,
    size_t len, uint8_t out[TAG_SIZE])
{
	struct hmac_sha256_ctx ctx;

	hmac_sha256_set_key(&ctx, API_CURSOR_SECRET_SIZE, secret);
	hmac_sha256_update(&ctx, len, (const uint8_t *)payload);
	hmac_sha256_digest(&ctx, TAG_SIZE, out);
}

char *
api_cursor_encode(const struct api_cursor *c,
    const unsigned char secret[API_CURSOR_SECRET_SIZE],
    char out[API_CURSOR_TEXT_MAX])
{
	char payload[PAYLOAD_MAX + TAG_SIZE];
	int n;
	size_t o = 0;

	n = snprintf(payload, PAYLOAD_MAX,
	    "2.%c.%08" PRIx32 ".%d.%lld.%lld."
	    "%lld.%s",
	    c->list, c->filters, c->phase, c->a, c->b, c->c, c->key);
	if (n < 0 || n >= PAYLOAD_MAX)
		n = PAYLOAD_MAX - 1; /* cannot happen with valid fields */
	tag(secret, payload, (size_t)n, (uint8_t *)payload + n);
	n += TAG_SIZE;
	for (int i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)(unsigned char)payload[i] << 16;
		int left = n - i;
		if (left > 1)
			v |= (uint32_t)(unsigned char)payload[i + 1] << 8;
		if (left > 2)
			v |= (unsigned char)payload[i + 2];
		out[o++] = B64[(v >> 18) & 63];
		out[o++] = B64[(v >> 12) & 63];
		if (left > 1)
			out[o++] = B64[(v >> 6) & 63];
		if (left > 2)
			out[o++] = B64[v & 63];
	}
	out[o] = '\0';
	return out;
}

void
api_cursor_secret_random(unsigned char secret[API_CURSOR_SECRET_SIZE])
{
	size_t got = 0;
	int fd;

	while (got < API_CURSOR_SECRET_SIZE) {
		ssize_t n =
		    getrandom(secret + got, API_CURSOR_SECRET_SIZE - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got == API_CURSOR_SECRET_SIZE)
		return;
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 ||
	    read(fd, secret, API_CURSOR_SECRET_SIZE) != API_CURSOR_SECRET_SIZE)
		abort(); /* no randomness: as fatal as no memory */
	close(fd);
}

static int
b64_value(char ch)
{
	const char *at = ch ? strchr(B64, ch) : NULL;
	return at ? (int)(at - B64) : -1;
}

/* Parses a non-negative decimal field ending at '.'; advances *p. */
static int
field_number(const char **p, long long *out)
{
	char *end;
	const char *s = *p;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return -1;
	*out = strtoll(s, &end, 10);
	if (*end != '.' || *out < 0 || end - s > 18)
		return -1;
	*p = end + 1;
	return 0;
}

int
api_cursor_decode(const char *text,
    const unsigned char secret[API_CURSOR_SECRET_SIZE], struct api_cursor *c)
{
	char payload[PAYLOAD_MAX + TAG_SIZE + 4];
	uint8_t expected[TAG_SIZE];
	size_t len = strlen(text), n = 0;
	const char *p, *dot;
	long long phase;
	unsigned filters;

	memset(c, 0, sizeof *c);
	if (len == 0 || len > API_CURSOR_TEXT_MAX - 1 || len % 4 == 1)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		int v[4] = {0, 0, 0, 0}, k;
		size_t chunk = len - i < 4 ? len - i : 4;
		for (k = 0; k < (int)chunk; k++)
			if ((v[k] = b64_value(text[i + k])) < 0)
				return -1;
		uint32_t bits = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
		                (uint32_t)v[2] << 6 | (uint32_t)v[3];
		/* Unused low bits must be zero, so each cursor has exactly
		 * one text form. */
		if ((chunk == 2 && (bits & 0xffff)) ||
		    (chunk == 3 && (bits & 0xff)))
			return -1;
		if (n + 3 > sizeof payload)
			return -1;
		payload[n++] = (char)(bits >> 16);
		if (chunk > 2)
			payload[n++] = (char)(bits >> 8);
		if (chunk > 3)
			payload[n++] = (char)bits;
	}
	if (n < TAG_SIZE + 10 || n - TAG_SIZE >= PAYLOAD_MAX)
		return -1;
	n -= TAG_SIZE;
	tag(secret, payload, n, expected);
	if (!memeql_sec(expected, payload + n, TAG_SIZE))
		return -1;
	payload[n] = '\0';
	if (memchr(payload, '\0', n) != NULL)
		return -1;

	p = payload;
	if (strncmp(p, "2.", 2) != 0 || p[2] == '\0' || p[3] != '.')
		return -1;
	c->list = p[2];
	p += 4;
	for (int i = 0; i < 8; i++)
		if (!((p[i] >= '0' && p[i] <= '9') ||
		        (p[i] >= 'a' && p[i] <= 'f')))
			return -1;
	if (p[8] != '.' || sscanf(p, "%8x", &filters) != 1)
		return -1;
	c->filters = filters;
	p += 9;
	if (field_number(&p, &phase) != 0 || phase > 9 ||
	    field_number(&p, &c->a) != 0 || field_number(&p, &c->b) != 0 ||
	    field_number(&p, &c->c) != 0)
		return -1;
	c->phase = (int)phase;
	dot = strchr(p, '.');
	if (dot != NULL || !key_ok(p))
		return -1;
	memcpy(c->key, p, strlen(p) + 1);
	return 0;
}

/*
 * Cursor text: base64url (no padding) of
 *   "1.<list>.<filters hex>.<phase>.<a>.<b>.<c>.<key>.<check hex>"
 * where check is the low 32 bits of FNV-1a over everything before it.  The
 * check catches truncated or edited cursors; every field is also validated
 * on its own, so a forged cursor can at worst name another place in the
 * same public list.
 */
#include "registry/api/cursor.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/api/hash.h"

#define PAYLOAD_MAX 150

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

char *
api_cursor_encode(const struct api_cursor *c, char out[API_CURSOR_TEXT_MAX])
{
	char payload[PAYLOAD_MAX + 12];
	int n;
	size_t o = 0;

	n = snprintf(payload, PAYLOAD_MAX,
	    "1.%c.%08" PRIx32 ".%d.%lld.%lld."
	    "%lld.%s",
	    c->list, c->filters, c->phase, c->a, c->b, c->c, c->key);
	if (n < 0 || n >= PAYLOAD_MAX)
		n = PAYLOAD_MAX - 1; /* cannot happen with valid fields */
	n += snprintf(payload + n, sizeof payload - (size_t)n, ".%08" PRIx32,
	    (uint32_t)api_hash_add(API_HASH_INIT, payload, (size_t)n));
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
api_cursor_decode(const char *text, struct api_cursor *c)
{
	char payload[PAYLOAD_MAX + 12];
	size_t len = strlen(text), n = 0;
	const char *p, *dot;
	long long phase;
	unsigned filters, check;
	int used;

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
		payload[n++] = (char)(bits >> 16);
		if (chunk > 2)
			payload[n++] = (char)(bits >> 8);
		if (chunk > 3)
			payload[n++] = (char)bits;
		if (n > PAYLOAD_MAX + 8)
			return -1;
	}
	payload[n] = '\0';
	if (memchr(payload, '\0', n) != NULL || n < 10)
		return -1;
	/* The check: the last 9 bytes are ".xxxxxxxx". */
	if (payload[n - 9] != '.' ||
	    sscanf(payload + n - 8, "%8x%n", &check, &used) != 1 || used != 8)
		return -1;
	for (size_t i = n - 8; i < n; i++)
		if (!((payload[i] >= '0' && payload[i] <= '9') ||
		        (payload[i] >= 'a' && payload[i] <= 'f')))
			return -1;
	if ((uint32_t)api_hash_add(API_HASH_INIT, payload, n - 9) !=
	    (uint32_t)check)
		return -1;
	payload[n - 9] = '\0';

	p = payload;
	if (strncmp(p, "1.", 2) != 0 || p[2] == '\0' || p[3] != '.')
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

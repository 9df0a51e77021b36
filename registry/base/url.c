/*
 * url: percent-decoding (see url.h).
 */
#include "registry/base/url.h"

#include <stdlib.h>

#include "registry/base/mem.h"

int
url_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
url_decode(const char *raw, size_t len, unsigned flags, char **out)
{
	char *text = mem_alloc(len + 1);
	size_t n = 0;

	*out = NULL;
	for (size_t i = 0; i < len; i++) {
		if (raw[i] == '+' && (flags & URL_PLUS_IS_SPACE)) {
			text[n++] = ' ';
			continue;
		}
		if (raw[i] != '%') {
			text[n++] = raw[i];
			continue;
		}
		int hi = i + 2 < len ? url_hex_digit(raw[i + 1]) : -1;
		int lo = i + 2 < len ? url_hex_digit(raw[i + 2]) : -1;
		int c = hi * 16 + lo;
		if (hi < 0 || lo < 0 || c == 0 ||
		    (c == '/' && (flags & URL_REFUSE_SLASH))) {
			free(text);
			return -1;
		}
		text[n++] = (char)c;
		i += 2;
	}
	text[n] = '\0';
	*out = text;
	return 0;
}

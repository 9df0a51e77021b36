/*
 * Entries to look up (see lookup.h).
 */
#include "registry/rules/lookup.h"

#include <string.h>

#include "registry/rules/number.h"

/* The code point at p and its length in bytes (1 for a stray byte). */
static unsigned
decode(const unsigned char *p, size_t *len)
{
	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80) {
		*len = 2;
		return (unsigned)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	}
	if ((p[0] & 0xf0) == 0xe0 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80) {
		*len = 3;
		return (unsigned)(p[0] & 0x0f) << 12 |
		       (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	}
	if ((p[0] & 0xf8) == 0xf0 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80) {
		*len = 4;
		return (unsigned)(p[0] & 0x07) << 18 |
		       (unsigned)(p[1] & 0x3f) << 12 |
		       (unsigned)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
	}
	*len = 1;
	return 0xfffd;
}

/* The ASCII character code point c folds to, or 0 when it stays. */
static char
fold_char(unsigned c)
{
	if (c >= 0xff01 && c <= 0xff5e)
		return (char)(c - 0xfee0);
	if (c == 0x3000)
		return ' ';
	if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xfe58 ||
	    c == 0xfe63)
		return '-';
	return 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *
lookup_fold(const char *text, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t used = 0, len;

	if (size == 0)
		return out;
	while (*p) {
		unsigned c = decode(p, &len);
		char ascii = fold_char(c);
		size_t need = ascii ? 1 : len;
		if (used + need >= size)
			break;
		if (ascii)
			out[used] = ascii;
		else
			memcpy(out + used, p, len);
		used += need;
		p += len;
	}
	out[used] = '\0';
	/* Surrounding spaces off. */
	while (used > 0 && is_blank(out[used - 1]))
		out[--used] = '\0';
	len = strspn(out, " \t\r\n");
	memmove(out, out + len, used - len + 1);
	return out;
}

static int
all_of(const char *s, size_t len, const char *set)
{
	return strspn(s, set) >= len;
}

#define DIGITS "0123456789"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

/* 1 when s is "<2 letters><level>-<4 digits>-<4 to 6 digits>". */
static int
is_short_number(const char *s)
{
	size_t len = strlen(s);

	if (len < 13 || len > 15)
		return 0;
	return all_of(s, 2, UPPER) && s[2] >= '1' && s[2] <= '5' &&
	       s[3] == '-' && all_of(s + 4, 4, DIGITS) && s[8] == '-' &&
	       all_of(s + 9, len - 9, DIGITS);
}

enum lookup_kind
lookup_classify(const char *text, char out[LOOKUP_MAX])
{
	char folded[LOOKUP_MAX], upper[LOOKUP_MAX];
	size_t len, k = 0;

	lookup_fold(text, folded, sizeof folded);
	if (folded[0] == '\0') {
		out[0] = '\0';
		return LOOKUP_EMPTY;
	}
	/* Upper case, spaces inside dropped: "cnitsec - cs1-2024-0001". */
	for (const char *p = folded; *p; p++)
		if (!is_blank(*p))
			upper[k++] =
			    (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
	upper[k] = '\0';
	len = strlen(NUMBER_PREFIX);
	if (strncmp(upper, NUMBER_PREFIX, len) == 0 &&
	    is_short_number(upper + len)) {
		memcpy(out, upper, k + 1);
		return LOOKUP_NUMBER;
	}
	if (is_short_number(upper)) {
		memcpy(out, NUMBER_PREFIX, len);
		memcpy(out + len, upper, k + 1);
		return LOOKUP_NUMBER;
	}
	if (k == 18 && all_of(upper, 18, DIGITS UPPER)) {
		memcpy(out, upper, k + 1);
		return LOOKUP_CREDIT_CODE;
	}
	for (const unsigned char *p = (const unsigned char *)folded; *p; p++)
		if (*p >= 0x80) {
			/* Not ASCII: the text as given, trimmed. */
			const char *start = text;
			size_t n;
			while (*start && (is_blank(*start) ||
			                     strncmp(start, "\u3000", 3) == 0))
				start += is_blank(*start) ? 1 : 3;
			n = strlen(start);
			while (n > 0 && is_blank(start[n - 1]))
				n--;
			while (
			    n >= 3 && strncmp(start + n - 3, "\u3000", 3) == 0)
				n -= 3;
			if (n >= LOOKUP_MAX) {
				/* Cut at a whole character. */
				n = LOOKUP_MAX - 1;
				while (n > 0 &&
				       ((unsigned char)start[n] & 0xc0) == 0x80)
					n--;
			}
			memcpy(out, start, n);
			out[n] = '\0';
			return LOOKUP_TEXT;
		}
	memcpy(out, folded, strlen(folded) + 1);
	return LOOKUP_TEXT;
}

/* The length of a separator at p, or 0. */
static size_t
separator(const char *p)
{
	static const char *const WIDE[] = {
	    "\uff0c", "\uff1b", "\u3001", "\u3000", "\uff0f"};

	if (strchr(",; \t\r\n/|", *p) && *p)
		return 1;
	for (size_t i = 0; i < sizeof WIDE / sizeof *WIDE; i++)
		if (strncmp(p, WIDE[i], 3) == 0)
			return 3;
	return 0;
}

int
lookup_next(const char **cursor, char out[LOOKUP_MAX])
{
	const char *p = *cursor, *start;
	size_t n, len = 0;

	while (*p && (n = separator(p)) > 0)
		p += n;
	if (*p == '\0') {
		*cursor = p;
		return -1;
	}
	start = p;
	while (*p && separator(p) == 0)
		p++;
	n = (size_t)(p - start);
	/* Cut at a whole character. */
	if (n >= LOOKUP_MAX) {
		n = LOOKUP_MAX - 1;
		while (n > 0 && ((unsigned char)start[n] & 0xc0) == 0x80)
			n--;
	}
	len = n;
	memcpy(out, start, len);
	out[len] = '\0';
	*cursor = p;
	return 0;
}

/*
 * url: percent-decoding of the parts of a request target (RFC 3986), for
 * the API's paths and query strings alike.  An escape that is cut short or
 * not hexadecimal, and "%00", are refused: a NUL inside a value or a path
 * has no meaning here and would cut C strings short.
 */
#ifndef BASE_URL_H
#define BASE_URL_H

#include <stddef.h>

/* The value of a hexadecimal digit, or -1. */
int url_hex_digit(char c);

enum {
	URL_PLUS_IS_SPACE = 1, /* a query string: '+' decodes to ' ' */
	URL_REFUSE_SLASH = 2,  /* a path: "%2F" is refused, so an encoded
	                          slash can be told from a real one */
};

/*
 * Decodes raw[0..len) into a new string in *out (caller frees).  Returns
 * 0, or -1 on a malformed escape, "%00", or (with URL_REFUSE_SLASH)
 * "%2F"; *out is then NULL.
 */
int url_decode(const char *raw, size_t len, unsigned flags, char **out);

#endif

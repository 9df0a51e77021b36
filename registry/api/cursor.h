/*
 * Opaque pagination cursors.  A cursor records where a keyset-paginated
 * list stopped (the last certificate number, organisation id or event
 * sequence, and for searches the phase and ranking window), which list it
 * belongs to and a fingerprint of the filters it was made with, so that a
 * cursor from one query is refused by another rather than silently giving
 * wrong pages.  On the wire it is base64url text ending in an HMAC-SHA256
 * tag keyed with a secret of the server, so a client can neither make one
 * nor edit one it was given: anything else is refused.  Clients must treat
 * it as opaque.
 */
#ifndef REGISTRY_API_CURSOR_H
#define REGISTRY_API_CURSOR_H

#include <stdint.h>

#define API_CURSOR_KEY_MAX 48 /* longest key (a certificate number) */
#define API_CURSOR_TEXT_MAX 240
#define API_CURSOR_SECRET_SIZE 32 /* bytes of the HMAC's key */

struct api_cursor {
	char list;         /* 'c' certificates, 's' search, 'o' organisations,
	                      'e' changes */
	uint32_t filters;  /* fingerprint of the query's filters */
	int phase;         /* list-specific stage (search: 0 exact, 1 number
	                      prefix, 2 names) */
	long long a, b, c; /* list-specific integers, >= 0 */
	char key[API_CURSOR_KEY_MAX + 1]; /* [A-Z0-9-]*, may be "" */
};

/* Writes the text form of c, tagged with `secret`, into out and returns
 * out. */
char *api_cursor_encode(const struct api_cursor *c,
    const unsigned char secret[API_CURSOR_SECRET_SIZE],
    char out[API_CURSOR_TEXT_MAX]);

/*
 * Reads a cursor's text form.  Returns 0, or -1 when the text is not a
 * cursor written with `secret` (bad encoding, tag, field or length).
 */
int api_cursor_decode(const char *text,
    const unsigned char secret[API_CURSOR_SECRET_SIZE], struct api_cursor *c);

/* Fills `secret` with random bytes (the kernel's), for a process that
 * was given none. */
void api_cursor_secret_random(unsigned char secret[API_CURSOR_SECRET_SIZE]);

#endif

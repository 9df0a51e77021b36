/*
 * Many at once: /v1/certificates?number=A,B,C checks up to
 * LOOKUP_ENTRIES_MAX certificate numbers or credit codes in one read-only
 * call, each entry answered in the order given with the certificates it
 * names (none when it is not in the registry), as JSON or, with
 * format=csv, as a CSV table that carries the date and the snapshot's
 * SHA-256.  The registry's bulk check page (site: /registry/bulk/) calls
 * it; check.c renders the same answers as HTML.
 */
#ifndef REGISTRY_API_NUMBERS_H
#define REGISTRY_API_NUMBERS_H

#include "registry/api/call.h"
#include "registry/api/cert.h"
#include "registry/rules/lookup.h"

/* One entry of a bulk check, looked up. */
struct api_entry {
	const char *input;      /* as given */
	enum lookup_kind kind;  /* LOOKUP_NUMBER, _CREDIT_CODE or _TEXT */
	char query[LOOKUP_MAX]; /* the number or code looked up */
	const char *note;       /* when nothing was found: what to check, in
	                           Chinese; else NULL */
	char note_buf[160];
};

/*
 * Looks entry `input` up on day `day`: classifies it, then calls
 * `found` for each certificate it names (a number names one, a credit
 * code its holder's, by number).  Sets e->note when none was found.
 * Returns how many were found, or -1 when the snapshot cannot be read.
 */
int api_entry_lookup(struct snapshot *s, const char *input, int day,
    struct api_entry *e, void (*found)(void *arg, const struct api_cert *c),
    void *arg);

/* The bulk check: number=... (with as_of and format). */
void api_numbers(struct api_call *c, const char *list);

#endif

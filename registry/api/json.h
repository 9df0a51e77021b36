/*
 * Small JSON helpers over Jansson for the API's bodies.  Each returns a new
 * reference and never NULL: text that is absent, or (which the registry's
 * checks on input prevent) not valid UTF-8, becomes JSON null, because
 * Jansson's json_string() returns NULL on invalid UTF-8.
 */
#ifndef REGISTRY_API_JSON_H
#define REGISTRY_API_JSON_H

#include <jansson.h>

#include "registry/base/buf.h"

/* A string, or null for NULL, "" or invalid UTF-8. */
json_t *api_json_text(const char *text);

/* A string known to be ASCII (names of statuses, kinds...). */
json_t *api_json_ascii(const char *text);

/* "YYYY-MM-DD", or null for DATE_NONE. */
json_t *api_json_date(int date);

/* Appends the compact serialisation of `value` (UTF-8 unescaped,
 * keys in insertion order) to b. */
void api_json_dump(struct buf *b, const json_t *value);

/*
 * Direct writers, for the hot paths (a certificate, a page of them, an
 * export line), which would otherwise spend more time building Jansson
 * trees than reading the snapshot.  They write what api_json_dump()
 * writes for the same values.
 */
void api_json_put_text(
    struct buf *b, const char *text);            /* as
                                                         api_json_text */
void api_json_put_date(struct buf *b, int date); /* or null */
void api_json_put_int(struct buf *b, long long value);

#endif

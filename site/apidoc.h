/*
 * apidoc: the API's documentation page, rendered at build time from its
 * OpenAPI 3.1 document (`sitegen build --api-doc registry/openapi.json`):
 * every route with its parameters, an example request and an example
 * response.  Examples come from the document (`example`, `examples`), or
 * failing that are made from the response's schema.
 */
#ifndef APIDOC_H
#define APIDOC_H

#include <jansson.h>

#include "registry/base/buf.h"

/*
 * Reads the OpenAPI document at path and returns the template context for
 * the API page (a new reference), or NULL with a message in err.
 * base_url is the site's absolute address, for the example requests.
 * With en, the descriptions are the English ones the document keeps
 * beside its Chinese ones ("x-summary-en", "x-description-en" beside
 * "summary" and "description" of the info, an operation, a parameter or
 * a response), where it has them.
 */
json_t *apidoc_context(
    const char *path, const char *base_url, int en, struct buf *err);

#endif

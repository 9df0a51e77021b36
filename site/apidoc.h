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
 */
json_t *apidoc_context(const char *path, const char *base_url, struct buf *err);

#endif

/*
 * Bulk exports: /v1/export/certificates.csv and .ndjson, every certificate
 * with its status on as_of, streamed in number order in constant memory
 * whatever the registry's size.  At most api_config.max_exports stream at
 * once; more are told 503 with Retry-After, so downloads cannot take every
 * worker from the lookups.
 */
#ifndef REGISTRY_API_EXPORT_H
#define REGISTRY_API_EXPORT_H

#include "registry/api/call.h"

enum api_export_format { API_EXPORT_CSV, API_EXPORT_NDJSON };

void api_export(struct api_call *c, enum api_export_format format);

/* Appends an RFC 4180 field (quoted when it holds a comma, quote or line
 * break; NULL is empty) and `after`: ',' or '\n' (written CRLF). */
void api_csv_field(struct buf *b, const char *text, char after);

#endif

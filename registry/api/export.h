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

/*
 * A streamed body's loop, for the exports and /v1/changes.csv: appends
 * `header` (NULL: none), then calls row(arg, b) until it returns 0 (no
 * more rows) or -1 (a read error); each call that returns 1 has appended
 * what one row gives (perhaps nothing) to b, which goes to the sink 64 KB
 * at a time.  Returns 0 once all is written; -1 on a read error, when the
 * sink fails or once the server begins to stop (checked every 1024 rows).
 */
int api_export_rows(struct api_sink *sink, struct api_server *server,
    const char *header, int (*row)(void *arg, struct buf *b), void *arg);

#endif

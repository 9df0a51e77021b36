/*
 * The change feed: /v1/changes, every event of the registry's log after a
 * cursor, oldest first, for followers that poll with the cursor they were
 * last given; and /v1/changes.atom, the latest events, newest first, for
 * feed readers.  `kind` (comma-separated event kinds, e.g.
 * "suspend,revoke") narrows both.
 */
#ifndef REGISTRY_API_CHANGES_H
#define REGISTRY_API_CHANGES_H

#include "registry/api/call.h"

void api_changes_list(struct api_call *c);
void api_changes_atom(struct api_call *c);

#endif

/*
 * The change feed: /v1/changes, every event of the registry's log after a
 * cursor, oldest first, for followers that poll with the cursor they were
 * last given; and /v1/changes.atom, the latest events, newest first, for
 * feed readers; /v1/changes.csv, every event after a cursor as CSV,
 * streamed.  `kind` (comma-separated event kinds, e.g. "suspend,revoke")
 * and `since`/`until` (effective dates, both included) narrow all three.
 * Each event carries the holder's name on its date and the address of
 * its human page, from api_config.base_url.
 */
#ifndef REGISTRY_API_CHANGES_H
#define REGISTRY_API_CHANGES_H

#include "registry/api/call.h"

void api_changes_list(struct api_call *c);
void api_changes_atom(struct api_call *c);
void api_changes_csv(struct api_call *c);

#endif

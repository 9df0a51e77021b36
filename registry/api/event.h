/*
 * Events of the registry's log as the API shows them, in a certificate's
 * history and in the change feed.
 */
#ifndef REGISTRY_API_EVENT_H
#define REGISTRY_API_EVENT_H

#include <jansson.h>
#include <stddef.h>

#include "registry/base/buf.h"
#include "registry/snapshot/snapshot.h"

/* The event as a new JSON object (the API's Event schema). */
json_t *api_event_json(const struct snapshot_event *e);

/*
 * The name organisation `org` had on `day` (a former name while it was
 * used, else the current one) into out ("" when the organisation is not
 * in the snapshot).  0, or -1 when the names cannot be read.
 */
int api_event_org_name(
    struct snapshot *s, long long org, int day, char *out, size_t out_size);

/* Appends the address of the event's human page under `base` (ending in
 * '/'): its certificate's page at the event, or its organisation's. */
void api_event_page(
    struct buf *b, const char *base, const struct snapshot_event *e);

/* api_event_json() with the members organisation_name (the holder's
 * name on the event's date) and page (api_event_page()); NULL when the
 * names cannot be read. */
json_t *api_event_json_named(
    struct snapshot *s, const char *base, const struct snapshot_event *e);

#endif

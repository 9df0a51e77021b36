/*
 * Events of the registry's log as the API shows them, in a certificate's
 * history and in the change feed.
 */
#ifndef REGISTRY_API_EVENT_H
#define REGISTRY_API_EVENT_H

#include <jansson.h>

#include "registry/snapshot/snapshot.h"

/* The event as a new JSON object (the API's Event schema). */
json_t *api_event_json(const struct snapshot_event *e);

#endif

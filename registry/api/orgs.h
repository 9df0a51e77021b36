/*
 * /v1/organisations (keyset-paginated by id) and /v1/organisations/{id}
 * (the holder with its former names and its certificates' statuses).
 */
#ifndef REGISTRY_API_ORGS_H
#define REGISTRY_API_ORGS_H

#include "registry/api/call.h"

void api_orgs_list(struct api_call *c);
void api_orgs_one(struct api_call *c, long long id);

#endif

/*
 * What all worker threads share: the configuration and two counters.
 * Internal to registry/api/; others see struct api_server as opaque
 * (api.h).
 */
#ifndef REGISTRY_API_SERVER_H
#define REGISTRY_API_SERVER_H

#include <stdatomic.h>

#include "registry/api/api.h"

struct api_server {
	struct api_config config;
	atomic_int exports;        /* export streams running */
	atomic_int stopping;       /* 1 once shutdown began */
	struct api_proofs *proofs; /* the signed log (proofs.h), or NULL */
};

#endif

/*
 * The answer cache of registryd: a bounded, thread-safe map from what
 * decides an answer to the answer's bytes (status, header lines, body), so
 * that a request asked before on the same snapshot is answered without
 * running its queries again.
 *
 * An answer is a function of the snapshot, the route and its raw query
 * string, the day it is answered for and whether it goes gzipped; the key
 * holds each of them (struct http_cache_key).  The snapshot is named by
 * the pool's generation (api_db_generation()): a key of another
 * generation never matches, and the first answer stored for a newer one
 * empties the cache, so no answer outlives its snapshot.  What may be
 * cached (which routes, which answers) is the caller's decision
 * (registry/http/http.c); this module only keeps bytes.
 *
 * Memory is bounded by a number of bytes (entries, keys, headers and
 * bodies together); the entries are spread over a fixed number of stripes
 * by their key's hash, each with its own lock, its own share of the bytes
 * and its own least-recently-used order, so that workers rarely wait for
 * one another.  An answer larger than an eighth of a stripe's share is
 * not kept.
 */
#ifndef REGISTRY_HTTP_CACHE_H
#define REGISTRY_HTTP_CACHE_H

#include <stddef.h>

#include "registry/base/buf.h"

/* What decides an answer. */
struct http_cache_key {
	unsigned generation; /* the snapshot: api_db_generation() */
	int day;             /* the day answered for when as_of is not given */
	int gzip;            /* 1 when the answer may go gzipped */
	const char *path;    /* the raw path, "/v1/certificates/CNITSEC-..." */
	const char *query;   /* the raw query string, or NULL */
};

/* What the cache holds, for the figures and the tests. */
struct http_cache_stats {
	size_t entries;
	size_t bytes; /* counted against the bound */
	unsigned long long hits, misses, stored, evicted,
	    dropped; /* dropped:
answers refused (too large, or of an older snapshot) */
};

struct http_cache;

/*
 * A cache of at most `max_bytes` (at least 64 KiB a stripe are used:
 * smaller bounds are raised).  Free with http_cache_free().
 */
struct http_cache *http_cache_new(size_t max_bytes);
void http_cache_free(struct http_cache *cache); /* accepts NULL */

/*
 * The answer stored for `key`: 1 with its status, header lines and body
 * copied into *status, `headers` and `body` (appended to what they hold),
 * or 0 when there is none.
 */
int http_cache_get(struct http_cache *cache, const struct http_cache_key *key,
    int *status, struct buf *headers, struct buf *body);

/*
 * Stores a copy of an answer for `key`, in place of any answer the key
 * had, evicting the least recently used of its stripe as the bound asks.
 * A key of a generation newer than the cache's empties it first; one of
 * an older generation is not stored.  1 when stored, 0 when not.
 */
int http_cache_put(struct http_cache *cache, const struct http_cache_key *key,
    int status, const char *headers, size_t headers_len, const char *body,
    size_t body_len);

/* Empties the cache (the counters stay). */
void http_cache_clear(struct http_cache *cache);

void http_cache_stats(struct http_cache *cache, struct http_cache_stats *out);

#endif

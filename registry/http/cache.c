/*
 * The answer cache (see cache.h): striped hash tables of entries, each
 * entry one allocation holding its key and its answer, each stripe a
 * least-recently-used list under its own mutex.
 */
#include "registry/http/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"

#define CACHE_STRIPES 16 /* a power of two */
#define CACHE_STRIPE_MIN (64 * 1024)
#define CACHE_BYTES_PER_BUCKET 2048 /* about one small answer */

struct entry {
	struct entry *chain;         /* the bucket's next */
	struct entry *newer, *older; /* the stripe's LRU order */
	uint64_t hash;
	unsigned generation;
	int day, gzip, status, has_query;
	size_t path_len, query_len, headers_len, body_len;
	size_t size; /* what it counts against the bound */
	char data[]; /* path, query, headers, body */
};

struct stripe {
	pthread_mutex_t lock;
	struct entry **buckets;
	size_t bucket_mask;
	struct entry *newest, *oldest;
	size_t entries, bytes, max_bytes;
	unsigned long long hits, misses, stored, evicted, dropped;
};

struct http_cache {
	struct stripe stripes[CACHE_STRIPES];
	atomic_uint generation; /* the newest snapshot stored for */
	pthread_mutex_t flush_lock;
	size_t max_entry; /* the largest answer kept */
};

static uint64_t
hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL; /* FNV-1a */
	}
	return h;
}

static uint64_t
key_hash(const struct http_cache_key *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	int flags = key->gzip ? 1 : 0;

	h = hash_bytes(h, &key->generation, sizeof key->generation);
	h = hash_bytes(h, &key->day, sizeof key->day);
	h = hash_bytes(h, &flags, sizeof flags);
	h = hash_bytes(h, key->path, strlen(key->path) + 1);
	if (key->query != NULL)
		h = hash_bytes(h, key->query, strlen(key->query) + 1);
	/* Mixed, so that the low bits (the stripe, the bucket) depend on
	 * every byte. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static int
key_matches(const struct entry *e, uint64_t hash,
    const struct http_cache_key *key, size_t path_len, size_t query_len)
{
	return e->hash == hash && e->generation == key->generation &&
	       e->day == key->day && e->gzip == (key->gzip ? 1 : 0) &&
	       e->path_len == path_len &&
	       e->has_query == (key->query != NULL) &&
	       e->query_len == query_len &&
	       memcmp(e->data, key->path, path_len) == 0 &&
	       (query_len == 0 ||
	           memcmp(e->data + path_len, key->query, query_len) == 0);
}

struct http_cache *
http_cache_new(size_t max_bytes)
{
	struct http_cache *c = mem_calloc(1, sizeof *c);
	size_t share = max_bytes / CACHE_STRIPES, buckets = 64;

	if (share < CACHE_STRIPE_MIN)
		share = CACHE_STRIPE_MIN;
	while (buckets < share / CACHE_BYTES_PER_BUCKET)
		buckets *= 2;
	for (int i = 0; i < CACHE_STRIPES; i++) {
		struct stripe *s = &c->stripes[i];
		pthread_mutex_init(&s->lock, NULL);
		s->buckets = mem_calloc(buckets, sizeof *s->buckets);
		s->bucket_mask = buckets - 1;
		s->max_bytes = share;
	}
	c->max_entry = share / 8;
	atomic_init(&c->generation, 0);
	pthread_mutex_init(&c->flush_lock, NULL);
	return c;
}

/* Takes e out of its bucket and the LRU order; the stripe is locked. */
static void
unlink_entry(struct stripe *s, struct entry *e)
{
	struct entry **at =
	    &s->buckets[(e->hash / CACHE_STRIPES) & s->bucket_mask];

	while (*at != e)
		at = &(*at)->chain;
	*at = e->chain;
	if (e->newer)
		e->newer->older = e->older;
	else
		s->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		s->oldest = e->newer;
	s->entries--;
	s->bytes -= e->size;
}

/* Makes e the stripe's newest; it is in no list. */
static void
push_newest(struct stripe *s, struct entry *e)
{
	e->newer = NULL;
	e->older = s->newest;
	if (s->newest)
		s->newest->newer = e;
	else
		s->oldest = e;
	s->newest = e;
}

static void
stripe_clear(struct stripe *s)
{
	struct entry *e = s->newest;

	while (e != NULL) {
		struct entry *older = e->older;
		free(e);
		e = older;
	}
	memset(s->buckets, 0, (s->bucket_mask + 1) * sizeof *s->buckets);
	s->newest = s->oldest = NULL;
	s->entries = s->bytes = 0;
}

void
http_cache_clear(struct http_cache *cache)
{
	for (int i = 0; i < CACHE_STRIPES; i++) {
		struct stripe *s = &cache->stripes[i];
		pthread_mutex_lock(&s->lock);
		stripe_clear(s);
		pthread_mutex_unlock(&s->lock);
	}
}

void
http_cache_free(struct http_cache *cache)
{
	if (cache == NULL)
		return;
	for (int i = 0; i < CACHE_STRIPES; i++) {
		stripe_clear(&cache->stripes[i]);
		free(cache->stripes[i].buckets);
		pthread_mutex_destroy(&cache->stripes[i].lock);
	}
	pthread_mutex_destroy(&cache->flush_lock);
	free(cache);
}

/* The entry for key in its stripe (locked), or NULL. */
static struct entry *
find(struct stripe *s, uint64_t hash, const struct http_cache_key *key,
    size_t path_len, size_t query_len)
{
	struct entry *e = s->buckets[(hash / CACHE_STRIPES) & s->bucket_mask];

	while (e != NULL && !key_matches(e, hash, key, path_len, query_len))
		e = e->chain;
	return e;
}

int
http_cache_get(struct http_cache *cache, const struct http_cache_key *key,
    int *status, struct buf *headers, struct buf *body)
{
	uint64_t hash = key_hash(key);
	struct stripe *s = &cache->stripes[hash % CACHE_STRIPES];
	size_t path_len = strlen(key->path);
	size_t query_len = key->query ? strlen(key->query) : 0;
	struct entry *e;

	pthread_mutex_lock(&s->lock);
	e = find(s, hash, key, path_len, query_len);
	if (e == NULL) {
		s->misses++;
		pthread_mutex_unlock(&s->lock);
		return 0;
	}
	s->hits++;
	if (s->newest != e) {
		/* Moved to the front of the LRU order. */
		e->newer->older = e->older;
		if (e->older)
			e->older->newer = e->newer;
		else
			s->oldest = e->newer;
		push_newest(s, e);
	}
	*status = e->status;
	buf_put(headers, e->data + e->path_len + e->query_len, e->headers_len);
	buf_put(body, e->data + e->path_len + e->query_len + e->headers_len,
	    e->body_len);
	pthread_mutex_unlock(&s->lock);
	return 1;
}

/*
 * Brings the cache to `generation`: 1 when answers of it may be stored
 * (the cache emptied when it was older), 0 when it is older than the
 * cache's.
 */
static int
at_generation(struct http_cache *cache, unsigned generation)
{
	unsigned now = atomic_load(&cache->generation);

	if (generation == now)
		return 1;
	if (generation < now)
		return 0;
	pthread_mutex_lock(&cache->flush_lock);
	if (atomic_load(&cache->generation) < generation) {
		http_cache_clear(cache);
		atomic_store(&cache->generation, generation);
	}
	pthread_mutex_unlock(&cache->flush_lock);
	return atomic_load(&cache->generation) == generation;
}

int
http_cache_put(struct http_cache *cache, const struct http_cache_key *key,
    int status, const char *headers, size_t headers_len, const char *body,
    size_t body_len)
{
	uint64_t hash = key_hash(key);
	struct stripe *s = &cache->stripes[hash % CACHE_STRIPES];
	size_t path_len = strlen(key->path);
	size_t query_len = key->query ? strlen(key->query) : 0;
	size_t size = sizeof(struct entry) + path_len + query_len +
	              headers_len + body_len;
	struct entry *e, *old;

	if (size > cache->max_entry || !at_generation(cache, key->generation)) {
		pthread_mutex_lock(&s->lock);
		s->dropped++;
		pthread_mutex_unlock(&s->lock);
		return 0;
	}
	e = mem_alloc(size);
	e->chain = e->newer = e->older = NULL;
	e->hash = hash;
	e->generation = key->generation;
	e->day = key->day;
	e->gzip = key->gzip ? 1 : 0;
	e->status = status;
	e->has_query = key->query != NULL;
	e->path_len = path_len;
	e->query_len = query_len;
	e->headers_len = headers_len;
	e->body_len = body_len;
	e->size = size;
	memcpy(e->data, key->path, path_len);
	if (query_len > 0)
		memcpy(e->data + path_len, key->query, query_len);
	if (headers_len > 0)
		memcpy(e->data + path_len + query_len, headers, headers_len);
	if (body_len > 0)
		memcpy(e->data + path_len + query_len + headers_len, body,
		    body_len);

	pthread_mutex_lock(&s->lock);
	if ((old = find(s, hash, key, path_len, query_len)) != NULL) {
		unlink_entry(s, old);
		free(old);
	}
	while (s->bytes + size > s->max_bytes && s->oldest != NULL) {
		old = s->oldest;
		unlink_entry(s, old);
		free(old);
		s->evicted++;
	}
	{
		struct entry **bucket =
		    &s->buckets[(hash / CACHE_STRIPES) & s->bucket_mask];
		e->chain = *bucket;
		*bucket = e;
	}
	push_newest(s, e);
	s->entries++;
	s->bytes += size;
	s->stored++;
	pthread_mutex_unlock(&s->lock);
	return 1;
}

void
http_cache_stats(struct http_cache *cache, struct http_cache_stats *out)
{
	memset(out, 0, sizeof *out);
	for (int i = 0; i < CACHE_STRIPES; i++) {
		struct stripe *s = &cache->stripes[i];
		pthread_mutex_lock(&s->lock);
		out->entries += s->entries;
		out->bytes += s->bytes;
		out->hits += s->hits;
		out->misses += s->misses;
		out->stored += s->stored;
		out->evicted += s->evicted;
		out->dropped += s->dropped;
		pthread_mutex_unlock(&s->lock);
	}
}

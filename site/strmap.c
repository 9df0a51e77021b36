/*
 * strmap: open addressing with linear probing; removal re-inserts the rest
 * of the cluster so lookups never need tombstones.
 */
#include "site/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/buf.h"

struct slot {
	char *key;
	void *value;
};

struct strmap {
	struct slot *slots;
	size_t nslots; /* a power of two, or 0 */
	size_t used;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static struct slot *
find(const struct strmap *map, const char *key)
{
	size_t mask = map->nslots - 1;
	for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
		struct slot *s = &map->slots[i];
		if (s->key == NULL || strcmp(s->key, key) == 0)
			return s;
	}
}

struct strmap *
strmap_new(void)
{
	return mem_calloc(1, sizeof(struct strmap));
}

void
strmap_free(struct strmap *map)
{
	if (map == NULL)
		return;
	for (size_t i = 0; i < map->nslots; i++)
		free(map->slots[i].key);
	free(map->slots);
	free(map);
}

static void
grow(struct strmap *map)
{
	struct slot *old = map->slots;
	size_t n = map->nslots;
	map->nslots = n ? n * 2 : 64;
	map->slots = mem_calloc(map->nslots, sizeof *map->slots);
	for (size_t i = 0; i < n; i++)
		if (old[i].key)
			*find(map, old[i].key) = old[i];
	free(old);
}

void
strmap_put(struct strmap *map, const char *key, void *value)
{
	if ((map->used + 1) * 2 > map->nslots)
		grow(map);
	struct slot *s = find(map, key);
	if (s->key == NULL) {
		s->key = mem_strdup(key);
		map->used++;
	}
	s->value = value;
}

void *
strmap_get(const struct strmap *map, const char *key)
{
	if (map->nslots == 0)
		return NULL;
	return find(map, key)->value;
}

int
strmap_has(const struct strmap *map, const char *key)
{
	return map->nslots != 0 && find(map, key)->key != NULL;
}

void
strmap_remove(struct strmap *map, const char *key)
{
	if (map->nslots == 0)
		return;
	struct slot *s = find(map, key);
	if (s->key == NULL)
		return;
	free(s->key);
	s->key = NULL;
	map->used--;
	size_t mask = map->nslots - 1;
	for (size_t i = ((size_t)(s - map->slots) + 1) & mask;
	     map->slots[i].key != NULL; i = (i + 1) & mask) {
		struct slot moved = map->slots[i];
		map->slots[i].key = NULL;
		*find(map, moved.key) = moved;
	}
}

size_t
strmap_count(const struct strmap *map)
{
	return map->used;
}

void
strmap_each(const struct strmap *map,
    void (*fn)(void *ctx, const char *key, void *value), void *ctx)
{
	for (size_t i = 0; i < map->nslots; i++)
		if (map->slots[i].key)
			fn(ctx, map->slots[i].key, map->slots[i].value);
}

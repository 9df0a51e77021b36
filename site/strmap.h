/*
 * strmap: a hash map from strings to pointers (open addressing, FNV-1a),
 * for the build's lookups by path: which ids a page has, which page a
 * file name belongs to in the history walk.  Keys are copied; values are
 * the caller's.
 */
#ifndef STRMAP_H
#define STRMAP_H

#include <stddef.h>

struct strmap;

struct strmap *strmap_new(void);
void strmap_free(struct strmap *map); /* accepts NULL; values are not freed */
/* Sets key to value (replacing any earlier value). */
void strmap_put(struct strmap *map, const char *key, void *value);
/* The value of key, or NULL when absent. */
void *strmap_get(const struct strmap *map, const char *key);
int strmap_has(const struct strmap *map, const char *key);
/* Removes key; does nothing when absent. */
void strmap_remove(struct strmap *map, const char *key);
size_t strmap_count(const struct strmap *map);
/* Calls fn for every entry, in no particular order; fn must not change map. */
void strmap_each(const struct strmap *map,
    void (*fn)(void *ctx, const char *key, void *value), void *ctx);

#endif

/*
 * FNV-1a, 64 bits: a fast, stable hash for entity tags and for binding a
 * pagination cursor to the filters it was made for.  Not cryptographic;
 * nothing here needs to resist a chosen collision.
 */
#ifndef REGISTRY_API_HASH_H
#define REGISTRY_API_HASH_H

#include <stddef.h>
#include <stdint.h>

#define API_HASH_INIT 0xcbf29ce484222325ULL

/* Continues hash h over len bytes; start with API_HASH_INIT. */
uint64_t api_hash_add(uint64_t h, const void *data, size_t len);

/* Continues hash h over a C string and its terminating NUL, so that
 * ("ab", "c") and ("a", "bc") differ. */
uint64_t api_hash_str(uint64_t h, const char *text);

#endif

/*
 * FNV-1a 64 (see hash.h).
 */
#include "registry/api/hash.h"

#include <string.h>

uint64_t
api_hash_add(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t
api_hash_str(uint64_t h, const char *text)
{
	return api_hash_add(h, text ? text : "", text ? strlen(text) + 1 : 1);
}

/*
 * RFC 9162 hashing and proof checks (see merkle.h).  The two checks
 * follow the RFC's steps (sections 2.1.3.2 and 2.1.4.2) one for one, with
 * its names fn, sn, r, fr and sr, so that they can be read against it.
 */
#include "registry/log/merkle.h"

#include <nettle/sha2.h>
#include <string.h>

#include "registry/log/why.h"

void
log_merkle_leaf_hash(const void *entry, size_t len, uint8_t out[LOG_HASH_SIZE])
{
	struct sha256_ctx ctx;
	static const uint8_t prefix = 0x00;

	sha256_init(&ctx);
	sha256_update(&ctx, 1, &prefix);
	sha256_update(&ctx, len, entry);
	sha256_digest(&ctx, LOG_HASH_SIZE, out);
}

void
log_merkle_node_hash(const uint8_t left[LOG_HASH_SIZE],
    const uint8_t right[LOG_HASH_SIZE], uint8_t out[LOG_HASH_SIZE])
{
	struct sha256_ctx ctx;
	static const uint8_t prefix = 0x01;

	sha256_init(&ctx);
	sha256_update(&ctx, 1, &prefix);
	sha256_update(&ctx, LOG_HASH_SIZE, left);
	sha256_update(&ctx, LOG_HASH_SIZE, right);
	sha256_digest(&ctx, LOG_HASH_SIZE, out);
}

void
log_merkle_empty_root(uint8_t out[LOG_HASH_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_digest(&ctx, LOG_HASH_SIZE, out);
}

int
log_merkle_root_from_inclusion(uint64_t index, uint64_t size,
    const uint8_t leaf[LOG_HASH_SIZE], const struct log_proof *proof,
    uint8_t root[LOG_HASH_SIZE], char *why, size_t why_size)
{
	uint64_t fn, sn;
	uint8_t r[LOG_HASH_SIZE];

	/* 1. The index must be inside the tree. */
	if (size >= LOG_SIZE_LIMIT || index >= size)
		return log_why(why, why_size,
		    "leaf %llu is not inside a tree of %llu",
		    (unsigned long long)index, (unsigned long long)size);
	/* 2, 3. */
	fn = index;
	sn = size - 1;
	memcpy(r, leaf, LOG_HASH_SIZE);
	/* 4. Each hash of the path. */
	for (size_t i = 0; i < proof->count; i++) {
		const uint8_t *p = proof->hash[i];

		if (sn == 0)
			return log_why(why, why_size,
			    "the proof is longer than the path from the leaf "
			    "to the root");
		if ((fn & 1) || fn == sn) {
			log_merkle_node_hash(p, r, r);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			log_merkle_node_hash(r, p, r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	/* 5. The path must have reached the root. */
	if (sn != 0)
		return log_why(why, why_size,
		    "the proof is shorter than the path from the leaf to the "
		    "root");
	memcpy(root, r, LOG_HASH_SIZE);
	return 0;
}

int
log_merkle_verify_inclusion(uint64_t index, uint64_t size,
    const uint8_t leaf[LOG_HASH_SIZE], const struct log_proof *proof,
    const uint8_t root[LOG_HASH_SIZE], char *why, size_t why_size)
{
	uint8_t computed[LOG_HASH_SIZE];

	if (log_merkle_root_from_inclusion(
	        index, size, leaf, proof, computed, why, why_size) != 0)
		return -1;
	if (memcmp(computed, root, LOG_HASH_SIZE) != 0)
		return log_why(why, why_size,
		    "the proof leads to another root than the tree's");
	return 0;
}

int
log_merkle_verify_consistency(uint64_t size1, uint64_t size2,
    const uint8_t root1[LOG_HASH_SIZE], const uint8_t root2[LOG_HASH_SIZE],
    const struct log_proof *proof, char *why, size_t why_size)
{
	uint8_t empty[LOG_HASH_SIZE], fr[LOG_HASH_SIZE], sr[LOG_HASH_SIZE];
	uint64_t fn, sn;
	size_t count;
	int prepend;

	if (size2 >= LOG_SIZE_LIMIT || size1 > size2)
		return log_why(
		    why, why_size, "the old tree is larger than the new one");
	if (size1 == size2) {
		if (proof->count != 0)
			return log_why(why, why_size,
			    "a tree needs no proof to be consistent with "
			    "itself, but the proof has hashes");
		if (memcmp(root1, root2, LOG_HASH_SIZE) != 0)
			return log_why(why, why_size,
			    "fork: two trees of the same size with different "
			    "roots");
		return 0;
	}
	if (size1 == 0) {
		log_merkle_empty_root(empty);
		if (proof->count != 0)
			return log_why(why, why_size,
			    "the empty tree needs no proof, but the proof has "
			    "hashes");
		if (memcmp(root1, empty, LOG_HASH_SIZE) != 0)
			return log_why(why, why_size,
			    "the old tree of size 0 does not have the empty "
			    "root");
		return 0;
	}
	/* 1. */
	if (proof->count == 0)
		return log_why(why, why_size, "the proof is empty");
	/* 2. A power of two is a whole subtree of the new tree: its root
	 * is the path's first hash. */
	prepend = (size1 & (size1 - 1)) == 0;
	count = proof->count + (size_t)prepend;
#define PATH(i)                                                                \
	(prepend ? ((i) == 0 ? root1 : proof->hash[(i)-1]) : proof->hash[i])
	/* 3, 4. */
	fn = size1 - 1;
	sn = size2 - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	/* 5. */
	memcpy(fr, PATH(0), LOG_HASH_SIZE);
	memcpy(sr, PATH(0), LOG_HASH_SIZE);
	/* 6. */
	for (size_t i = 1; i < count; i++) {
		const uint8_t *c = PATH(i);

		if (sn == 0)
			return log_why(why, why_size,
			    "the proof is longer than the trees need");
		if ((fn & 1) || fn == sn) {
			log_merkle_node_hash(c, fr, fr);
			log_merkle_node_hash(c, sr, sr);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			log_merkle_node_hash(sr, c, sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
#undef PATH
	/* 7. */
	if (sn != 0)
		return log_why(
		    why, why_size, "the proof is shorter than the trees need");
	if (memcmp(fr, root1, LOG_HASH_SIZE) != 0)
		return log_why(why, why_size,
		    "the proof does not lead to the old tree's root");
	if (memcmp(sr, root2, LOG_HASH_SIZE) != 0)
		return log_why(why, why_size,
		    "the proof does not lead to the new tree's root: the new "
		    "tree does not extend the old one");
	return 0;
}

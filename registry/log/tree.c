/*
 * The tree as level arrays of complete-subtree hashes (see tree.h).
 * Appending a leaf adds it to level 0 and, while the level it was added
 * to has an even count, the hash of its last two to the level above.
 * Any range the RFC's recursions ask for is either one stored hash (a
 * complete, aligned subtree) or the right edge of a tree, folded from
 * stored hashes by range_hash().
 */
#include "registry/log/tree.h"

#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"
#include "registry/log/why.h"

#define LEVELS 64

struct level {
	uint8_t (*hash)[LOG_HASH_SIZE];
	uint64_t count, cap;
};

struct log_tree {
	struct level level[LEVELS];
};

struct log_tree *
log_tree_new(void)
{
	return mem_calloc(1, sizeof(struct log_tree));
}

void
log_tree_free(struct log_tree *tree)
{
	if (tree == NULL)
		return;
	for (int i = 0; i < LEVELS; i++)
		free(tree->level[i].hash);
	free(tree);
}

static void
push(struct level *l, const uint8_t hash[LOG_HASH_SIZE])
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->hash = mem_realloc(l->hash, l->cap * LOG_HASH_SIZE);
	}
	memcpy(l->hash[l->count++], hash, LOG_HASH_SIZE);
}

void
log_tree_append(struct log_tree *tree, const uint8_t leaf[LOG_HASH_SIZE])
{
	uint8_t node[LOG_HASH_SIZE];

	push(&tree->level[0], leaf);
	for (int i = 0; i + 1 < LEVELS && tree->level[i].count % 2 == 0; i++) {
		struct level *l = &tree->level[i];

		log_merkle_node_hash(
		    l->hash[l->count - 2], l->hash[l->count - 1], node);
		push(&tree->level[i + 1], node);
	}
}

void
log_tree_append_entry(struct log_tree *tree, const void *entry, size_t len)
{
	uint8_t leaf[LOG_HASH_SIZE];

	log_merkle_leaf_hash(entry, len, leaf);
	log_tree_append(tree, leaf);
}

uint64_t
log_tree_size(const struct log_tree *tree)
{
	return tree->level[0].count;
}

int
log_tree_subtree(const struct log_tree *tree, unsigned level, uint64_t index,
    uint8_t out[LOG_HASH_SIZE])
{
	if (level >= LEVELS || index >= tree->level[level].count)
		return -1;
	memcpy(out, tree->level[level].hash[index], LOG_HASH_SIZE);
	return 0;
}

/* The largest power of two below n (n >= 2). */
static uint64_t
split_point(uint64_t n)
{
	return UINT64_C(1) << (63 - __builtin_clzll(n - 1));
}

/*
 * MTH(D[start:end]) for a range of the RFC's recursions: start is a
 * multiple of the smallest power of two >= end - start, so a range whose
 * length is a power of two is a stored subtree.  0 < end - start and end
 * is at most the tree's size.
 */
static void
range_hash(const struct log_tree *tree, uint64_t start, uint64_t end,
    uint8_t out[LOG_HASH_SIZE])
{
	uint64_t len = end - start, k;
	uint8_t right[LOG_HASH_SIZE];

	if ((len & (len - 1)) == 0) {
		unsigned level = (unsigned)__builtin_ctzll(len);

		memcpy(out, tree->level[level].hash[start >> level],
		    LOG_HASH_SIZE);
		return;
	}
	k = split_point(len);
	range_hash(tree, start, start + k, out);
	range_hash(tree, start + k, end, right);
	log_merkle_node_hash(out, right, out);
}

static void
add(struct log_proof *proof, const uint8_t hash[LOG_HASH_SIZE])
{
	memcpy(proof->hash[proof->count++], hash, LOG_HASH_SIZE);
}

static int
too_small(
    const struct log_tree *tree, uint64_t size, char *why, size_t why_size)
{
	return log_why(why, why_size,
	    "the log has %llu entries, not the %llu asked for",
	    (unsigned long long)log_tree_size(tree), (unsigned long long)size);
}

int
log_tree_root(const struct log_tree *tree, uint64_t size,
    uint8_t out[LOG_HASH_SIZE], char *why, size_t why_size)
{
	if (size > log_tree_size(tree))
		return too_small(tree, size, why, why_size);
	if (size == 0)
		log_merkle_empty_root(out);
	else
		range_hash(tree, 0, size, out);
	return 0;
}

/* PATH(m, D[start:end]) of RFC 6962 2.1.1, the lowest level first. */
static void
path(const struct log_tree *tree, uint64_t m, uint64_t start, uint64_t end,
    struct log_proof *proof)
{
	uint64_t k;
	uint8_t sibling[LOG_HASH_SIZE];

	if (end - start <= 1)
		return;
	k = split_point(end - start);
	if (m < k) {
		path(tree, m, start, start + k, proof);
		range_hash(tree, start + k, end, sibling);
	} else {
		path(tree, m - k, start + k, end, proof);
		range_hash(tree, start, start + k, sibling);
	}
	add(proof, sibling);
}

int
log_tree_inclusion(const struct log_tree *tree, uint64_t index, uint64_t size,
    struct log_proof *out, char *why, size_t why_size)
{
	out->count = 0;
	if (size > log_tree_size(tree))
		return too_small(tree, size, why, why_size);
	if (index >= size)
		return log_why(why, why_size,
		    "leaf %llu is not inside a tree of %llu",
		    (unsigned long long)index, (unsigned long long)size);
	path(tree, index, 0, size, out);
	return 0;
}

/* SUBPROOF(m, D[start:end], whole) of RFC 6962 2.1.2. */
static void
subproof(const struct log_tree *tree, uint64_t m, uint64_t start, uint64_t end,
    int whole, struct log_proof *proof)
{
	uint64_t n = end - start, k;
	uint8_t hash[LOG_HASH_SIZE];

	if (m == n) {
		if (!whole) {
			range_hash(tree, start, end, hash);
			add(proof, hash);
		}
		return;
	}
	k = split_point(n);
	if (m <= k) {
		subproof(tree, m, start, start + k, whole, proof);
		range_hash(tree, start + k, end, hash);
	} else {
		subproof(tree, m - k, start + k, end, 0, proof);
		range_hash(tree, start, start + k, hash);
	}
	add(proof, hash);
}

int
log_tree_consistency(const struct log_tree *tree, uint64_t size1,
    uint64_t size2, struct log_proof *out, char *why, size_t why_size)
{
	out->count = 0;
	if (size2 > log_tree_size(tree))
		return too_small(tree, size2, why, why_size);
	if (size1 > size2)
		return log_why(why, why_size,
		    "the old size %llu is above the new size %llu",
		    (unsigned long long)size1, (unsigned long long)size2);
	if (size1 > 0 && size1 < size2)
		subproof(tree, size1, 0, size2, 1, out);
	return 0;
}

int
log_tree_check_extends(const struct log_tree *tree, uint64_t size1,
    const uint8_t root1[LOG_HASH_SIZE], char *why, size_t why_size)
{
	uint64_t size2 = log_tree_size(tree);
	uint8_t root2[LOG_HASH_SIZE];
	struct log_proof proof;
	char reason[256];

	if (size1 > size2)
		return log_why(why, why_size,
		    "the log has %llu entries, fewer than the %llu of "
		    "the signed checkpoint: entries were removed",
		    (unsigned long long)size2, (unsigned long long)size1);
	log_tree_root(tree, size2, root2, NULL, 0);
	log_tree_consistency(tree, size1, size2, &proof, NULL, 0);
	if (log_merkle_verify_consistency(
	        size1, size2, root1, root2, &proof, reason, sizeof reason) != 0)
		return log_why(why, why_size,
		    "the log of %llu entries is not an extension of "
		    "the checkpoint signed at size %llu: %s",
		    (unsigned long long)size2, (unsigned long long)size1,
		    reason);
	return 0;
}

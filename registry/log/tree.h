/*
 * The log's Merkle tree, kept so that every root and proof of any size
 * up to the current one costs O(log n) hashes.  What is stored: every
 * complete subtree's hash, level by level (level 0 the leaf hashes,
 * level l the hashes of the aligned subtrees of 2^l leaves), about 2n
 * hashes in all: 64 MB for 10^6 leaves.  These are the hashes the tiles
 * of c2sp.org/tlog-tiles hold (levels 0, 8, 16 ...), so tiles.h writes
 * them straight from here, and a tree can be rebuilt from the leaf hashes
 * of level-0 tiles by appending them again.  Writing a log needs no tree:
 * tiles.h's log_tiles_writer keeps only the tiles being filled.
 *
 * The proofs are those of RFC 6962 section 2.1.1 and 2.1.2 (RFC 9162
 * 2.1.3.1 and 2.1.4.1), whose subtrees are all complete but at most one
 * on the right edge; that one is folded from O(log n) stored hashes.
 * No I/O.  One thread at a time may change a tree; reading from several
 * threads at once is safe while none changes it.
 */
#ifndef REGISTRY_LOG_TREE_H
#define REGISTRY_LOG_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "registry/log/merkle.h"

struct log_tree; /* opaque */

/* An empty tree; free with log_tree_free(). */
struct log_tree *log_tree_new(void);
void log_tree_free(struct log_tree *tree); /* accepts NULL */

/* Appends a leaf by its leaf hash, or by its entry (hashed with
 * log_merkle_leaf_hash).  Amortised O(1) hashes; allocation failure
 * aborts. */
void log_tree_append(struct log_tree *tree, const uint8_t leaf[LOG_HASH_SIZE]);
void log_tree_append_entry(
    struct log_tree *tree, const void *entry, size_t len);

/* The number of leaves. */
uint64_t log_tree_size(const struct log_tree *tree);

/*
 * The stored hash of the complete subtree of 2^level leaves numbered
 * `index` at that level (level 0: the hash of leaf `index`).  0, or -1
 * when the tree has no such subtree yet.
 */
int log_tree_subtree(const struct log_tree *tree, unsigned level,
    uint64_t index, uint8_t out[LOG_HASH_SIZE]);

/*
 * The root of the tree's first `size` leaves (MTH of RFC 9162 2.1.1):
 * 0, or -1 with the reason in `why` when the tree is smaller.
 */
int log_tree_root(const struct log_tree *tree, uint64_t size,
    uint8_t out[LOG_HASH_SIZE], char *why, size_t why_size);

/*
 * The inclusion proof of leaf `index` in the tree of the first `size`
 * leaves, into *out.  0, or -1 with the reason when index >= size or
 * the tree is smaller than `size`.
 */
int log_tree_inclusion(const struct log_tree *tree, uint64_t index,
    uint64_t size, struct log_proof *out, char *why, size_t why_size);

/*
 * The consistency proof between the first `size1` and the first `size2`
 * leaves (size1 <= size2; empty when size1 is 0 or equal to size2), into
 * *out.  0, or -1 with the reason.
 */
int log_tree_consistency(const struct log_tree *tree, uint64_t size1,
    uint64_t size2, struct log_proof *out, char *why, size_t why_size);

/*
 * Does the whole tree extend the tree of `size1` leaves whose root is
 * `root1` (a checkpoint signed before)?  Checked as a verifier would: the
 * consistency proof from size1 to the tree's size, verified with
 * log_merkle_verify_consistency() against `root1`.  0 when it does; else
 * -1 with why in `why` ("the log has 7 entries, fewer than the 8 of the
 * signed checkpoint", "... does not extend ...").  Publishing calls this
 * before it signs a new checkpoint.
 */
int log_tree_check_extends(const struct log_tree *tree, uint64_t size1,
    const uint8_t root1[LOG_HASH_SIZE], char *why, size_t why_size);

#endif

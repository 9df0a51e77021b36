/*
 * The Merkle tree hashing of RFC 9162 (section 2.1, the same as RFC 6962
 * section 2.1) and the checks of its proofs, for the registry's
 * append-only log: a leaf is SHA-256(0x00 || entry), an interior node
 * SHA-256(0x01 || left || right), and the empty tree SHA-256 of nothing.
 * Pure functions over bytes: no allocation, no I/O.  What a verifier
 * needs (registryctl verify, a mirror, a monitor) is here and nothing
 * else; tree.h builds trees and proofs.
 *
 * Tree sizes and indexes are below LOG_SIZE_LIMIT (2^63), so every proof
 * has at most LOG_PROOF_MAX hashes.
 */
#ifndef REGISTRY_LOG_MERKLE_H
#define REGISTRY_LOG_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define LOG_HASH_SIZE 32
#define LOG_PROOF_MAX 64
#define LOG_SIZE_LIMIT (UINT64_C(1) << 63)

/* An inclusion or consistency proof: `count` hashes, in the order of
 * RFC 9162 (the lowest level first). */
struct log_proof {
	size_t count;
	uint8_t hash[LOG_PROOF_MAX][LOG_HASH_SIZE];
};

/* SHA-256(0x00 || entry): the hash of a leaf. */
void log_merkle_leaf_hash(
    const void *entry, size_t len, uint8_t out[LOG_HASH_SIZE]);

/* SHA-256(0x01 || left || right); `out` may be `left` or `right`. */
void log_merkle_node_hash(const uint8_t left[LOG_HASH_SIZE],
    const uint8_t right[LOG_HASH_SIZE], uint8_t out[LOG_HASH_SIZE]);

/* SHA-256 of nothing: the root of the empty tree. */
void log_merkle_empty_root(uint8_t out[LOG_HASH_SIZE]);

/*
 * RFC 9162 section 2.1.3.2: does `proof` show that the leaf hash `leaf`
 * is leaf number `index` (from 0) of the tree of `size` leaves whose root
 * is `root`?  0 when it does; else -1 with the reason in `why` ("index 9
 * is not below the tree size 8", "the proof has 2 hashes too many", "the
 * proof leads to another root").
 */
int log_merkle_verify_inclusion(uint64_t index, uint64_t size,
    const uint8_t leaf[LOG_HASH_SIZE], const struct log_proof *proof,
    const uint8_t root[LOG_HASH_SIZE], char *why, size_t why_size);

/*
 * The root that `proof` leads to from leaf `index` of a tree of `size`,
 * in `root`: 0, or -1 with the reason when the proof cannot be one of
 * such a leaf and tree (wrong length, index out of range).
 */
int log_merkle_root_from_inclusion(uint64_t index, uint64_t size,
    const uint8_t leaf[LOG_HASH_SIZE], const struct log_proof *proof,
    uint8_t root[LOG_HASH_SIZE], char *why, size_t why_size);

/*
 * RFC 9162 section 2.1.4.2: does `proof` show that the tree of `size1`
 * leaves with root `root1` is the beginning of the tree of `size2` leaves
 * with root `root2`?  Between 0 < size1 < size2 the proof is checked as
 * the RFC says.  The cases the RFC leaves out have an empty proof: equal
 * sizes must have equal roots (two roots for one size are a fork), and
 * the empty tree (whose root must be the empty root) begins every tree.
 * 0 when it holds, else -1 with the reason in `why`.
 */
int log_merkle_verify_consistency(uint64_t size1, uint64_t size2,
    const uint8_t root1[LOG_HASH_SIZE], const uint8_t root2[LOG_HASH_SIZE],
    const struct log_proof *proof, char *why, size_t why_size);

#endif

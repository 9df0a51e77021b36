/*
 * Unit tests of the log's Merkle tree (registry/log/merkle, tree) and
 * tiles (registry/log/tiles), and the main of build/tests/unit_log.
 *
 * Sources of the known answers:
 *
 *  - RFC 6962's example tree: the eight leaves "", 00, 10, 2021, 3031,
 *    40414243, 5051525354555657, 606162636465666768696a6b6c6d6e6f, the
 *    roots of its first 1 to 8 leaves, and the inclusion proofs
 *    (leaf, size) (0, 8), (5, 8), (2, 3), (1, 5) and consistency proofs
 *    (1, 8), (6, 8), (2, 5), (6, 7), as transparency-dev/merkle publishes
 *    them in proof/verify_test.go (leaves, roots, inclusionProofs, whose
 *    leaf numbers count from 1, consistencyProofs) and
 *    google/certificate-transparency-go in merkletree/
 *    merkle_verifier_test.go (getInputs, getRoots,
 *    getInclusionTestVector, getConsistencyProofs), the same numbers.
 *  - The hasher: transparency-dev/merkle rfc6962/rfc6962_test.go (the
 *    empty root, the empty leaf and leaf "L123456").
 *  - The corruptions each proof must fail under are those of
 *    transparency-dev/merkle's corruptInclusionProof and
 *    corruptConsistencyProof; the edge cases of consistency those of its
 *    TestVerifyConsistency, except that here the empty tree must have
 *    the empty root (a stricter rule, tested both ways).
 *  - Tiles: c2sp.org/tlog-tiles, its index encoding example (1234067 is
 *    x001/x234/067) and its tile counts for trees of 70,000 and 256
 *    leaves.
 *  - Beyond the vectors: every root and proof of trees of up to 257
 *    leaves against the RFC 6962 section 2.1 definitions, written out
 *    naively below.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/log/merkle.h"
#include "registry/log/tiles.h"
#include "registry/log/tree.h"
#include "tests/unit/rows.h"
#include "tests/unit/test_log.h"

size_t
test_log_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2;

	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void
hash_of(const char *hex, uint8_t out[LOG_HASH_SIZE])
{
	assert_int_equal(
	    test_log_unhex(hex, out, LOG_HASH_SIZE), LOG_HASH_SIZE);
}

static void
assert_hash(const uint8_t got[LOG_HASH_SIZE], const char *want_hex)
{
	char hex[2 * LOG_HASH_SIZE + 1];

	for (int i = 0; i < LOG_HASH_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", got[i]);
	assert_string_equal(hex, want_hex);
}

/* ---- RFC 6962's example tree ---- */

static const char *const LEAVES[8] = {"", "00", "10", "2021", "3031",
    "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};

static struct log_tree *
example_tree(size_t size)
{
	struct log_tree *tree = log_tree_new();

	for (size_t i = 0; i < size; i++) {
		uint8_t data[16];
		size_t len = test_log_unhex(LEAVES[i], data, sizeof data);

		log_tree_append_entry(tree, data, len);
	}
	return tree;
}

struct hasher_row {
	const char *what, *entry; /* entry NULL: the empty tree's root */
	const char *want;
};

static const struct hasher_row HASHER_ROWS[] = {
    {"the empty tree's root", NULL,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"the empty leaf", "",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"},
    {"leaf L123456", "4c313233343536",
        "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"},
};

static void
test_hasher_row(void **state)
{
	const struct hasher_row *row = *state;
	uint8_t data[16], hash[LOG_HASH_SIZE];

	if (row->entry == NULL)
		log_merkle_empty_root(hash);
	else
		log_merkle_leaf_hash(
		    data, test_log_unhex(row->entry, data, sizeof data), hash);
	assert_hash(hash, row->want);
}

static const char *const ROOTS[8] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct root_row {
	uint64_t size;
};

static const struct root_row ROOT_ROWS[] = {
    {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}};

static void
test_root_row(void **state)
{
	const struct root_row *row = *state;
	struct log_tree *all = example_tree(8), *own = example_tree(row->size);
	uint8_t root[LOG_HASH_SIZE];

	/* From the tree of 8, and from a tree of just that size. */
	assert_int_equal(log_tree_root(all, row->size, root, NULL, 0), 0);
	assert_hash(root, ROOTS[row->size - 1]);
	assert_int_equal(log_tree_root(own, row->size, root, NULL, 0), 0);
	assert_hash(root, ROOTS[row->size - 1]);
	log_tree_free(all);
	log_tree_free(own);
}

struct proof_row {
	uint64_t a, b; /* leaf and size, or size1 and size2 */
	size_t count;
	const char *proof[3];
};

static const struct proof_row INCLUSION_ROWS[] = {
    {0, 8, 3,
        {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e"
            "4"}},
    {5, 8, 3,
        {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b"
            "7"}},
    {2, 3, 1,
        {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1, 5, 3,
        {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6"
            "b"}},
    {0, 1, 0, {NULL}},
};

static const struct proof_row CONSISTENCY_ROWS[] = {
    {1, 8, 3,
        {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e"
            "4"}},
    {6, 8, 3,
        {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b"
            "7"}},
    {2, 5, 2,
        {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6"
            "b"}},
    {6, 7, 3,
        {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b"
            "7"}},
    {1, 1, 0, {NULL}},
};

static void
assert_proof(const struct log_proof *proof, const struct proof_row *row)
{
	assert_int_equal(proof->count, row->count);
	for (size_t i = 0; i < row->count; i++)
		assert_hash(proof->hash[i], row->proof[i]);
}

static int
inclusion_holds(uint64_t index, uint64_t size, const uint8_t *leaf,
    const struct log_proof *proof, const uint8_t *root)
{
	char why[256];

	return log_merkle_verify_inclusion(
	           index, size, leaf, proof, root, why, sizeof why) == 0;
}

static void
test_inclusion_row(void **state)
{
	const struct proof_row *row = *state;
	struct log_tree *tree = example_tree(8);
	struct log_proof proof, bad;
	uint8_t leaf[LOG_HASH_SIZE], root[LOG_HASH_SIZE], other[LOG_HASH_SIZE];
	char why[256];

	assert_int_equal(
	    log_tree_inclusion(tree, row->a, row->b, &proof, why, sizeof why),
	    0);
	assert_proof(&proof, row);
	log_tree_subtree(tree, 0, row->a, leaf);
	hash_of(ROOTS[row->b - 1], root);
	log_merkle_empty_root(other);
	assert_true(inclusion_holds(row->a, row->b, leaf, &proof, root));

	/* Each corruption of transparency-dev/merkle fails. */
	assert_false(inclusion_holds(row->a - 1, row->b, leaf, &proof, root));
	assert_false(inclusion_holds(row->a + 1, row->b, leaf, &proof, root));
	assert_false(inclusion_holds(row->a ^ 2, row->b, leaf, &proof, root));
	assert_false(inclusion_holds(row->a, row->b * 2, leaf, &proof, root));
	assert_false(inclusion_holds(row->a, row->b / 2, leaf, &proof, root));
	assert_false(inclusion_holds(row->a, row->b, other, &proof, root));
	assert_false(inclusion_holds(row->a, row->b, leaf, &proof, other));
	bad = proof;
	memcpy(bad.hash[bad.count++], root, LOG_HASH_SIZE);
	assert_false(inclusion_holds(row->a, row->b, leaf, &bad, root));
	bad.count = 0;
	memcpy(bad.hash[bad.count++], root, LOG_HASH_SIZE);
	for (size_t i = 0; i < proof.count; i++)
		memcpy(bad.hash[bad.count++], proof.hash[i], LOG_HASH_SIZE);
	assert_false(inclusion_holds(row->a, row->b, leaf, &bad, root));
	for (size_t i = 0; i < proof.count; i++) {
		bad = proof;
		bad.hash[i][0] ^= 8;
		assert_false(inclusion_holds(row->a, row->b, leaf, &bad, root));
	}
	if (proof.count > 0) {
		bad = proof;
		bad.count--;
		assert_false(inclusion_holds(row->a, row->b, leaf, &bad, root));
	}
	log_tree_free(tree);
}

static int
consistency_holds(uint64_t size1, uint64_t size2, const uint8_t *root1,
    const uint8_t *root2, const struct log_proof *proof)
{
	char why[256];

	return log_merkle_verify_consistency(
	           size1, size2, root1, root2, proof, why, sizeof why) == 0;
}

static void
test_consistency_row(void **state)
{
	const struct proof_row *row = *state;
	struct log_tree *tree = example_tree(8);
	struct log_proof proof, bad;
	uint8_t root1[LOG_HASH_SIZE], root2[LOG_HASH_SIZE];
	uint8_t empty[LOG_HASH_SIZE];
	char why[256];
	uint64_t s1 = row->a, s2 = row->b;

	assert_int_equal(
	    log_tree_consistency(tree, s1, s2, &proof, why, sizeof why), 0);
	assert_proof(&proof, row);
	hash_of(ROOTS[s1 - 1], root1);
	hash_of(ROOTS[s2 - 1], root2);
	log_merkle_empty_root(empty);
	assert_true(consistency_holds(s1, s2, root1, root2, &proof));
	if (proof.count == 0)
		goto done;

	/* Each corruption of transparency-dev/merkle fails. */
	assert_false(consistency_holds(s1 - 1, s2, root1, root2, &proof));
	assert_false(consistency_holds(s1 + 1, s2, root1, root2, &proof));
	assert_false(consistency_holds(s1 ^ 2, s2, root1, root2, &proof));
	assert_false(consistency_holds(s1, s2 * 2, root1, root2, &proof));
	assert_false(consistency_holds(s1, s2 / 2, root1, root2, &proof));
	assert_false(consistency_holds(s1, s2, empty, root2, &proof));
	assert_false(consistency_holds(s1, s2, root1, empty, &proof));
	assert_false(consistency_holds(s1, s2, root2, root1, &proof));
	bad.count = 0;
	assert_false(consistency_holds(s1, s2, root1, root2, &bad));
	bad = proof;
	memcpy(bad.hash[bad.count++], root1, LOG_HASH_SIZE);
	assert_false(consistency_holds(s1, s2, root1, root2, &bad));
	bad = proof;
	memcpy(bad.hash[bad.count++], root2, LOG_HASH_SIZE);
	assert_false(consistency_holds(s1, s2, root1, root2, &bad));
	for (int front = 0; front < 3; front++) {
		const uint8_t *first = front == 0   ? root1
		                       : front == 1 ? root2
		                                    : proof.hash[0];

		bad.count = 0;
		memcpy(bad.hash[bad.count++], first, LOG_HASH_SIZE);
		for (size_t i = 0; i < proof.count; i++)
			memcpy(bad.hash[bad.count++], proof.hash[i],
			    LOG_HASH_SIZE);
		assert_false(consistency_holds(s1, s2, root1, root2, &bad));
	}
	bad = proof;
	bad.count--;
	assert_false(consistency_holds(s1, s2, root1, root2, &bad));
	for (size_t i = 0; i < proof.count; i++) {
		bad = proof;
		bad.hash[i][0] ^= 16;
		assert_false(consistency_holds(s1, s2, root1, root2, &bad));
	}
done:
	log_tree_free(tree);
}

/* The edge cases of transparency-dev/merkle TestVerifyConsistency. */
enum { H_A, H_B, H_EMPTY };
struct edge_row {
	const char *what;
	uint64_t size1, size2;
	int root1, root2, proof_of_empty; /* proof: none, or [empty root] */
	int holds;
};

static const struct edge_row EDGE_ROWS[] = {
    {"equal sizes, different roots", 0, 0, H_A, H_B, 0, 0},
    {"size 1 twice, different roots", 1, 1, H_A, H_B, 0, 0},
    {"size 0 twice, same root", 0, 0, H_A, H_A, 0, 1},
    {"the empty tree begins any tree", 0, 1, H_EMPTY, H_B, 0, 1},
    {"a size-0 tree without the empty root", 0, 1, H_A, H_B, 0, 0},
    {"size 1 twice, same root", 1, 1, H_B, H_B, 0, 1},
    {"time travel 1 -> 0", 1, 0, H_A, H_B, 0, 0},
    {"time travel 2 -> 1", 2, 1, H_A, H_B, 0, 0},
    {"an empty proof between 1 and 2", 1, 2, H_A, H_B, 0, 0},
    {"size 0 twice, roots differ", 0, 0, H_EMPTY, H_B, 0, 0},
    {"size 1 twice, roots differ", 1, 1, H_EMPTY, H_B, 0, 0},
    {"size 0 twice with a needless proof", 0, 0, H_EMPTY, H_EMPTY, 1, 0},
    {"0 -> 1 with a needless proof", 0, 1, H_EMPTY, H_EMPTY, 1, 0},
    {"size 1 twice with a needless proof", 1, 1, H_EMPTY, H_EMPTY, 1, 0},
};

static void
test_edge_row(void **state)
{
	const struct edge_row *row = *state;
	uint8_t hashes[3][LOG_HASH_SIZE];
	struct log_proof proof = {0};

	memset(hashes[H_A], 0xaa, LOG_HASH_SIZE);
	memset(hashes[H_B], 0xbb, LOG_HASH_SIZE);
	log_merkle_empty_root(hashes[H_EMPTY]);
	if (row->proof_of_empty)
		memcpy(
		    proof.hash[proof.count++], hashes[H_EMPTY], LOG_HASH_SIZE);
	assert_int_equal(consistency_holds(row->size1, row->size2,
	                     hashes[row->root1], hashes[row->root2], &proof),
	    row->holds);
}

/* ---- every root and proof, against the RFC's definitions ---- */

static uint64_t
split(uint64_t n)
{
	uint64_t k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

/* MTH(D[start:end]) of RFC 6962 2.1, naively. */
static void
mth(const uint8_t (*leaves)[LOG_HASH_SIZE], uint64_t start, uint64_t end,
    uint8_t out[LOG_HASH_SIZE])
{
	uint8_t left[LOG_HASH_SIZE], right[LOG_HASH_SIZE];
	uint64_t k;

	if (end - start == 1) {
		memcpy(out, leaves[start], LOG_HASH_SIZE);
		return;
	}
	k = split(end - start);
	mth(leaves, start, start + k, left);
	mth(leaves, start + k, end, right);
	log_merkle_node_hash(left, right, out);
}

static void
ref_path(const uint8_t (*leaves)[LOG_HASH_SIZE], uint64_t m, uint64_t start,
    uint64_t end, struct log_proof *out)
{
	uint64_t k;

	if (end - start <= 1)
		return;
	k = split(end - start);
	if (m < k) {
		ref_path(leaves, m, start, start + k, out);
		mth(leaves, start + k, end, out->hash[out->count++]);
	} else {
		ref_path(leaves, m - k, start + k, end, out);
		mth(leaves, start, start + k, out->hash[out->count++]);
	}
}

static void
ref_subproof(const uint8_t (*leaves)[LOG_HASH_SIZE], uint64_t m, uint64_t start,
    uint64_t end, int whole, struct log_proof *out)
{
	uint64_t k;

	if (m == end - start) {
		if (!whole)
			mth(leaves, start, end, out->hash[out->count++]);
		return;
	}
	k = split(end - start);
	if (m <= k) {
		ref_subproof(leaves, m, start, start + k, whole, out);
		mth(leaves, start + k, end, out->hash[out->count++]);
	} else {
		ref_subproof(leaves, m - k, start + k, end, 0, out);
		mth(leaves, start, start + k, out->hash[out->count++]);
	}
}

static void
assert_same_proof(const struct log_proof *a, const struct log_proof *b)
{
	assert_int_equal(a->count, b->count);
	assert_memory_equal(a->hash, b->hash, a->count * LOG_HASH_SIZE);
}

struct size_row {
	uint64_t size;
};

static const struct size_row SIZE_ROWS[] = {{1}, {2}, {3}, {4}, {5}, {6}, {7},
    {8}, {9}, {10}, {11}, {12}, {13}, {15}, {16}, {17}, {31}, {32}, {33}, {63},
    {64}, {65}, {100}, {127}, {128}, {129}, {255}, {256}, {257}};

static void
test_size_row(void **state)
{
	const struct size_row *row = *state;
	uint64_t n = row->size;
	uint8_t(*leaves)[LOG_HASH_SIZE] = calloc(n, LOG_HASH_SIZE);
	struct log_tree *tree = log_tree_new();
	uint8_t want[LOG_HASH_SIZE], got[LOG_HASH_SIZE], root[LOG_HASH_SIZE];
	struct log_proof proof, ref;
	char why[256];

	for (uint64_t i = 0; i < n; i++) {
		uint8_t entry[8];

		memcpy(entry, &i, sizeof entry);
		log_merkle_leaf_hash(entry, sizeof entry, leaves[i]);
		log_tree_append(tree, leaves[i]);
	}
	assert_int_equal(log_tree_size(tree), n);
	for (uint64_t m = 1; m <= n; m++) {
		mth(leaves, 0, m, want);
		assert_int_equal(log_tree_root(tree, m, got, NULL, 0), 0);
		assert_memory_equal(got, want, LOG_HASH_SIZE);
	}
	mth(leaves, 0, n, root);
	for (uint64_t i = 0; i < n; i++) {
		ref.count = 0;
		ref_path(leaves, i, 0, n, &ref);
		assert_int_equal(
		    log_tree_inclusion(tree, i, n, &proof, NULL, 0), 0);
		assert_same_proof(&proof, &ref);
		assert_int_equal(log_merkle_verify_inclusion(i, n, leaves[i],
		                     &proof, root, why, sizeof why),
		    0);
	}
	for (uint64_t m = 1; m < n; m++) {
		uint8_t old[LOG_HASH_SIZE];

		ref.count = 0;
		ref_subproof(leaves, m, 0, n, 1, &ref);
		assert_int_equal(
		    log_tree_consistency(tree, m, n, &proof, NULL, 0), 0);
		assert_same_proof(&proof, &ref);
		mth(leaves, 0, m, old);
		assert_int_equal(log_merkle_verify_consistency(
		                     m, n, old, root, &proof, why, sizeof why),
		    0);
		assert_int_equal(
		    log_tree_check_extends(tree, m, old, why, sizeof why), 0);
	}
	free(leaves);
	log_tree_free(tree);
}

static void
test_tree_refuses_what_it_has_not(void **state)
{
	struct log_tree *tree = example_tree(5);
	struct log_proof proof;
	uint8_t root[LOG_HASH_SIZE];
	char why[256];

	(void)state;
	assert_int_equal(log_tree_root(tree, 6, root, why, sizeof why), -1);
	assert_string_equal(why, "the log has 5 entries, not the 6 asked for");
	assert_int_equal(
	    log_tree_inclusion(tree, 5, 5, &proof, why, sizeof why), -1);
	assert_string_equal(why, "leaf 5 is not inside a tree of 5");
	assert_int_equal(
	    log_tree_consistency(tree, 4, 3, &proof, why, sizeof why), -1);
	assert_int_equal(log_tree_root(tree, 0, root, NULL, 0), 0);
	assert_hash(root, HASHER_ROWS[0].want);
	log_tree_free(tree);
}

/* A log rewritten: publishing refuses to sign it (log_tree_check_extends). */
struct rewrite_row {
	const char *what;
	int change;      /* 0 none, 1 a byte, 2 swap two, 3 drop last, 4 fork */
	const char *why; /* the start of the reason, or NULL when it extends */
	const char *writer_why; /* the same from log_tiles_writer */
};

static const struct rewrite_row REWRITE_ROWS[] = {
    {"the same log, grown", 0, NULL, NULL},
    {"one byte of an entry changed", 1,
        "the log of 9 entries is not an extension of the checkpoint "
        "signed at size 8: the proof does not lead to the ",
        "the log of 9 entries is not an extension of the checkpoint "
        "signed at size 8: its first entries have another root than the "
        "one signed"},
    {"two entries reordered", 2,
        "the log of 9 entries is not an extension of the checkpoint "
        "signed at size 8: the proof does not lead to the ",
        "the log of 9 entries is not an extension of the checkpoint "
        "signed at size 8: its first entries have another root than the "
        "one signed"},
    {"the last entry dropped", 3,
        "the log has 7 entries, fewer than the 8 of the signed "
        "checkpoint",
        "the log has 7 entries, fewer than the 8 of the signed "
        "checkpoint: entries were removed"},
    {"a fork: another tree of the same size", 4,
        "the log of 8 entries is not an extension of the checkpoint "
        "signed at size 8: fork",
        "the log of 8 entries is not an extension of the checkpoint "
        "signed at size 8: fork: two trees of the same size with "
        "different roots"},
};

static int
files_none(void *arg, const char *path, const void *data, size_t len)
{
	(void)arg, (void)path, (void)data, (void)len;
	return 0;
}

static void
test_rewrite_row(void **state)
{
	const struct rewrite_row *row = *state;
	struct log_tree *signed_tree = example_tree(8), *tree = log_tree_new();
	struct log_tiles_writer *writer =
	    log_tiles_writer_new(8, files_none, NULL);
	uint8_t signed_root[LOG_HASH_SIZE];
	size_t count = row->change == 3 ? 7 : 8;
	char why[256];

	log_tree_root(signed_tree, 8, signed_root, NULL, 0);
	for (size_t i = 0; i < count; i++) {
		size_t from = row->change == 2 && i == 3   ? 4
		              : row->change == 2 && i == 4 ? 3
		                                           : i;
		uint8_t data[20];
		size_t len = test_log_unhex(LEAVES[from], data, sizeof data);

		if (row->change == 1 && i == 6)
			data[0] ^= 1;
		if (row->change == 4 && i == 7)
			data[len++] = 0x70;
		log_tree_append_entry(tree, data, len);
	}
	if (row->change <= 2)
		log_tree_append_entry(tree, "new", 3);
	/* The same leaves through the writer a publish uses. */
	for (uint64_t i = 0; i < log_tree_size(tree); i++) {
		uint8_t leaf[LOG_HASH_SIZE];

		log_tree_subtree(tree, 0, i, leaf);
		assert_int_equal(log_tiles_writer_add(writer, leaf), 0);
	}
	if (row->why == NULL) {
		assert_int_equal(log_tree_check_extends(
		                     tree, 8, signed_root, why, sizeof why),
		    0);
		assert_int_equal(log_tiles_writer_check_extends(
		                     writer, signed_root, why, sizeof why),
		    0);
	} else {
		assert_int_equal(log_tree_check_extends(
		                     tree, 8, signed_root, why, sizeof why),
		    -1);
		assert_memory_equal(why, row->why, strlen(row->why));
		assert_int_equal(log_tiles_writer_check_extends(
		                     writer, signed_root, why, sizeof why),
		    -1);
		assert_string_equal(why, row->writer_why);
	}
	log_tiles_writer_free(writer);
	log_tree_free(tree);
	log_tree_free(signed_tree);
}

/* ---- tiles ---- */

struct path_row {
	int level;
	uint64_t index;
	unsigned width;
	const char *want;
};

static const struct path_row PATH_ROWS[] = {
    {0, 0, 256, "tile/0/000"},
    {0, 5, 256, "tile/0/005"},
    {0, 1234067, 256, "tile/0/x001/x234/067"},
    {1, 1000, 256, "tile/1/x001/000"},
    {0, 273, 112, "tile/0/273.p/112"},
    {2, 0, 1, "tile/2/000.p/1"},
    {-1, 0, 256, "tile/entries/000"},
    {-1, 1234067, 17, "tile/entries/x001/x234/067.p/17"},
    {7, UINT64_C(36028797018963967), 255,
        "tile/7/x036/x028/x797/x018/x963/967.p/255"},
};

static void
test_path_row(void **state)
{
	const struct path_row *row = *state;
	char path[LOG_TILE_PATH_MAX];

	assert_string_equal(
	    log_tiles_path(path, row->level, row->index, row->width),
	    row->want);
}

/* Files in memory: what the write callback was given. */
struct file {
	char path[LOG_TILE_PATH_MAX];
	uint8_t *data;
	size_t len;
};

struct files {
	struct file *items;
	size_t count, cap;
	int rewritten; /* a path written again with other bytes */
};

static int
files_write(void *arg, const char *path, const void *data, size_t len)
{
	struct files *f = arg;
	struct file *file;

	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->items[i].path, path) == 0) {
			if (f->items[i].len != len ||
			    memcmp(f->items[i].data, data, len) != 0)
				f->rewritten++;
			return 0;
		}
	if (f->count == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->items = realloc(f->items, f->cap * sizeof *f->items);
	}
	file = &f->items[f->count++];
	snprintf(file->path, sizeof file->path, "%s", path);
	file->data = malloc(len ? len : 1);
	memcpy(file->data, data, len);
	file->len = len;
	return 0;
}

static const struct file *
files_find(const struct files *f, const char *path)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->items[i].path, path) == 0)
			return &f->items[i];
	return NULL;
}

static int
files_read(void *arg, const char *path, void *data, size_t cap, size_t *len)
{
	const struct file *file = files_find(arg, path);

	if (file == NULL || file->len > cap)
		return -1;
	memcpy(data, file->data, file->len);
	*len = file->len;
	return 0;
}

static void
files_free(struct files *f)
{
	for (size_t i = 0; i < f->count; i++)
		free(f->items[i].data);
	free(f->items);
	memset(f, 0, sizeof *f);
}

/* How many files of the form "tile/<level>/..." without ".p/". */
static size_t
count_full(const struct files *f, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < f->count; i++)
		if (strncmp(f->items[i].path, prefix, strlen(prefix)) == 0 &&
		    strstr(f->items[i].path, ".p/") == NULL)
			n++;
	return n;
}

static struct log_tree *
counting_tree(uint64_t size)
{
	struct log_tree *tree = log_tree_new();

	for (uint64_t i = 0; i < size; i++)
		log_tree_append_entry(tree, &i, sizeof i);
	return tree;
}

/* c2sp.org/tlog-tiles: "a tree of size 70,000 will be represented by 273
 * full level 0 tiles, one partial level 0 tile of width 112, one full
 * level 1 tile, one partial level 1 tile of width 17, and one partial
 * level 2 tile of width 1"; "a tree of size 256 will be represented by a
 * full level 0 tile and a partial level 1 tile of width 1". */
struct spec_row {
	uint64_t size;
	size_t full[3];
	const char *partial[3]; /* NULL: none at that level */
	size_t files;
};

static const struct spec_row SPEC_ROWS[] = {
    {70000, {273, 1, 0},
        {"tile/0/273.p/112", "tile/1/001.p/17", "tile/2/000.p/1"}, 277},
    {256, {1, 0, 0}, {NULL, "tile/1/000.p/1", NULL}, 2},
};

static void
test_spec_row(void **state)
{
	const struct spec_row *row = *state;
	struct log_tree *tree = counting_tree(row->size);
	struct files files = {0};
	uint8_t root[LOG_HASH_SIZE], want[LOG_HASH_SIZE];
	char why[256];

	assert_int_equal(
	    log_tiles_write(tree, 0, row->size, files_write, &files), 0);
	assert_int_equal(files.count, row->files);
	for (int level = 0; level < 3; level++) {
		char prefix[16];

		snprintf(prefix, sizeof prefix, "tile/%d/", level);
		assert_int_equal(count_full(&files, prefix), row->full[level]);
		if (row->partial[level] != NULL)
			assert_non_null(
			    files_find(&files, row->partial[level]));
	}
	for (size_t i = 0; i < files.count; i++) {
		const char *p = strstr(files.items[i].path, ".p/");
		size_t width = p ? (size_t)atoi(p + 3) : LOG_TILE_WIDTH;

		assert_int_equal(files.items[i].len, width * LOG_HASH_SIZE);
	}
	/* Anyone can recompute the root from the tiles alone. */
	assert_int_equal(log_tiles_root(row->size, files_read, &files, root,
	                     why, sizeof why),
	    0);
	log_tree_root(tree, row->size, want, NULL, 0);
	assert_memory_equal(root, want, LOG_HASH_SIZE);
	files_free(&files);
	log_tree_free(tree);
}

static void
test_tiles_root_of_every_kind_of_size(void **state)
{
	static const uint64_t sizes[] = {1, 2, 3, 255, 256, 257, 511, 512,
	    65535, 65536, 65537, 65536 + 256 + 3};
	struct log_tree *tree = counting_tree(65536 + 256 + 3);

	(void)state;
	for (size_t i = 0; i < ROWS_COUNT(sizes); i++) {
		struct files files = {0};
		uint8_t root[LOG_HASH_SIZE], want[LOG_HASH_SIZE];
		char why[256];

		assert_int_equal(
		    log_tiles_write(tree, 0, sizes[i], files_write, &files), 0);
		assert_int_equal(log_tiles_root(sizes[i], files_read, &files,
		                     root, why, sizeof why),
		    0);
		log_tree_root(tree, sizes[i], want, NULL, 0);
		assert_memory_equal(root, want, LOG_HASH_SIZE);
		files_free(&files);
	}
	log_tree_free(tree);
}

static void
test_tiles_missing_or_short_tile_is_named(void **state)
{
	struct log_tree *tree = counting_tree(300);
	struct files files = {0};
	uint8_t root[LOG_HASH_SIZE];
	char why[256];

	(void)state;
	log_tiles_write(tree, 0, 300, files_write, &files);
	assert_int_equal(
	    log_tiles_root(301, files_read, &files, root, why, sizeof why), -1);
	assert_string_equal(why, "tile/0/001.p/45: no such tile");
	((struct file *)files_find(&files, "tile/0/001.p/44"))->len -= 32;
	assert_int_equal(
	    log_tiles_root(300, files_read, &files, root, why, sizeof why), -1);
	assert_string_equal(why, "tile/0/001.p/44: 1376 bytes, not 44 hashes");
	files_free(&files);
	log_tree_free(tree);
}

/* Publishing again writes only new files, and never rewrites one. */
static void
test_tiles_grow_without_rewriting(void **state)
{
	struct log_tree *tree = counting_tree(70000);
	struct files once = {0}, grown = {0};

	(void)state;
	assert_int_equal(log_tiles_write(tree, 0, 300, files_write, &grown), 0);
	assert_int_equal(grown.count, 3); /* 000, 001.p/44, 1/000.p/1 */
	assert_int_equal(
	    log_tiles_write(tree, 300, 70000, files_write, &grown), 0);
	assert_int_equal(grown.rewritten, 0);
	assert_int_equal(
	    log_tiles_write(tree, 0, 70000, files_write, &once), 0);
	/* Everything of 70000, and the partial tiles 300 was signed with. */
	for (size_t i = 0; i < once.count; i++)
		assert_non_null(files_find(&grown, once.items[i].path));
	assert_int_equal(grown.count, once.count + 2);
	assert_non_null(files_find(&grown, "tile/0/001.p/44"));
	assert_non_null(files_find(&grown, "tile/1/000.p/1"));
	files_free(&once);
	files_free(&grown);
	log_tree_free(tree);
}

/* The writer a publish uses gives the files log_tiles_write() gives from
 * the whole tree, and the same roots, with no tree kept. */
struct writer_row {
	uint64_t from_size, size;
};

static const struct writer_row WRITER_ROWS[] = {
    {0, 0},
    {0, 1},
    {0, 255},
    {0, 256},
    {0, 257},
    {0, 65536 + 256 + 3},
    {300, 70000},
    {256, 512},
    {70000, 70000},
    {65535, 65537},
    {5, 3},
};

static void
test_writer_row(void **state)
{
	const struct writer_row *row = *state;
	uint64_t leaves =
	    row->size > row->from_size ? row->size : row->from_size;
	struct log_tree *tree = counting_tree(leaves);
	struct files want = {0}, got = {0};
	struct log_tiles_writer *w =
	    log_tiles_writer_new(row->from_size, files_write, &got);
	uint8_t root[LOG_HASH_SIZE], tree_root[LOG_HASH_SIZE],
	    from_root[LOG_HASH_SIZE];
	char why[256];

	for (uint64_t i = 0; i < row->size; i++) {
		uint8_t leaf[LOG_HASH_SIZE];

		log_tree_subtree(tree, 0, i, leaf);
		assert_int_equal(log_tiles_writer_add(w, leaf), 0);
		if (i % 997 == 0 || i + 1 == row->size) {
			log_tiles_writer_root(w, root);
			log_tree_root(tree, i + 1, tree_root, NULL, 0);
			assert_memory_equal(root, tree_root, LOG_HASH_SIZE);
		}
	}
	assert_int_equal(log_tiles_writer_finish(w), 0);
	assert_int_equal(log_tiles_writer_size(w), row->size);
	if (row->size >= row->from_size)
		assert_int_equal(log_tiles_write(tree, row->from_size,
		                     row->size, files_write, &want),
		    0);
	assert_int_equal(got.count, want.count);
	assert_int_equal(got.rewritten, 0);
	for (size_t i = 0; i < want.count; i++) {
		const struct file *f = files_find(&got, want.items[i].path);

		assert_non_null(f);
		assert_int_equal(f->len, want.items[i].len);
		assert_memory_equal(f->data, want.items[i].data, f->len);
	}
	/* It extends the tree of from_size, and no other root. */
	log_tree_root(tree, row->from_size, from_root, NULL, 0);
	if (row->size >= row->from_size) {
		assert_int_equal(log_tiles_writer_check_extends(
		                     w, from_root, why, sizeof why),
		    0);
		from_root[0] ^= 1;
		assert_int_equal(log_tiles_writer_check_extends(
		                     w, from_root, why, sizeof why),
		    -1);
	} else {
		assert_int_equal(log_tiles_writer_check_extends(
		                     w, from_root, why, sizeof why),
		    -1);
		assert_string_equal(why,
		    "the log has 3 entries, fewer than the 5 of the signed "
		    "checkpoint: entries were removed");
	}
	log_tiles_writer_free(w);
	files_free(&want);
	files_free(&got);
	log_tree_free(tree);
}

/* Entries of 1 to 40 bytes: entry i is i+1 bytes of the value i. */
static size_t
numbered_entry(uint64_t i, uint8_t out[64])
{
	size_t len = (size_t)(i % 40) + 1;

	memset(out, (int)(i & 0xff), len);
	return len;
}

static void
test_bundles_match_their_tiles(void **state)
{
	struct log_tree *tree = log_tree_new();
	struct files files = {0}, later = {0};
	struct log_tiles_bundler *b = log_tiles_bundler_new(
	                             0, files_write, &files),
	                         *b2 = log_tiles_bundler_new(
	                             600, files_write, &later);
	uint8_t entry[64];
	char why[256];

	(void)state;
	for (uint64_t i = 0; i < 600; i++) {
		size_t len = numbered_entry(i, entry);

		log_tree_append_entry(tree, entry, len);
		assert_int_equal(log_tiles_bundler_add(b, entry, len), 0);
		assert_int_equal(log_tiles_bundler_add(b2, entry, len), 0);
	}
	assert_int_equal(log_tiles_bundler_finish(b), 0);
	assert_int_equal(log_tiles_bundler_finish(b2), 0);
	assert_int_equal(later.count, 0); /* nothing new since 600 */
	assert_int_equal(log_tiles_write(tree, 0, 600, files_write, &files), 0);
	{
		static const char *const pairs[][2] = {
		    {"tile/entries/000", "tile/0/000"},
		    {"tile/entries/001", "tile/0/001"},
		    {"tile/entries/002.p/88", "tile/0/002.p/88"},
		};

		for (size_t i = 0; i < ROWS_COUNT(pairs); i++) {
			const struct file *bundle =
			                      files_find(&files, pairs[i][0]),
			                  *tile =
			                      files_find(&files, pairs[i][1]);

			assert_non_null(bundle);
			assert_non_null(tile);
			assert_int_equal(
			    log_tiles_bundle_check(bundle->data, bundle->len,
			        tile->data, tile->len, why, sizeof why),
			    0);
		}
	}
	{
		const struct file *bundle =
		                      files_find(&files, "tile/entries/001"),
		                  *tile = files_find(&files, "tile/0/001"),
		                  *other = files_find(&files, "tile/0/000");

		bundle->data[40] ^= 1;
		assert_int_equal(
		    log_tiles_bundle_check(bundle->data, bundle->len,
		        tile->data, tile->len, why, sizeof why),
		    -1);
		bundle->data[40] ^= 1;
		assert_int_equal(
		    log_tiles_bundle_check(bundle->data, bundle->len - 1,
		        tile->data, tile->len, why, sizeof why),
		    -1);
		assert_string_equal(
		    why, "the bundle is cut short after 255 entries");
		assert_int_equal(
		    log_tiles_bundle_check(bundle->data, bundle->len,
		        other->data, other->len, why, sizeof why),
		    -1);
		assert_string_equal(why, "entry 0 of the bundle does not hash "
		                         "to the tile's hash 0");
	}
	log_tiles_bundler_free(b);
	log_tiles_bundler_free(b2);
	files_free(&files);
	files_free(&later);
	log_tree_free(tree);
}

int
test_log_merkle(void)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_tree_refuses_what_it_has_not),
	    cmocka_unit_test(test_tiles_root_of_every_kind_of_size),
	    cmocka_unit_test(test_tiles_missing_or_short_tile_is_named),
	    cmocka_unit_test(test_tiles_grow_without_rewriting),
	    cmocka_unit_test(test_bundles_match_their_tiles),
	};
	struct rows r = {0};

	rows_add(&r, fixed, ROWS_COUNT(fixed));
	ROWS_TABLE(&r, HASHER_ROWS, test_hasher_row, "hasher: %s", row->what);
	ROWS_TABLE(&r, ROOT_ROWS, test_root_row,
	    "RFC 6962 example tree: root of the first %llu leaves",
	    (unsigned long long)row->size);
	ROWS_TABLE(&r, INCLUSION_ROWS, test_inclusion_row,
	    "RFC 6962 example tree: inclusion of leaf %llu in %llu, and its "
	    "corruptions",
	    (unsigned long long)row->a, (unsigned long long)row->b);
	ROWS_TABLE(&r, CONSISTENCY_ROWS, test_consistency_row,
	    "RFC 6962 example tree: consistency of %llu with %llu, and its "
	    "corruptions",
	    (unsigned long long)row->a, (unsigned long long)row->b);
	ROWS_TABLE(&r, EDGE_ROWS, test_edge_row,
	    "consistency edge case: %s (%s)", row->what,
	    row->holds ? "holds" : "fails");
	ROWS_TABLE(&r, SIZE_ROWS, test_size_row,
	    "tree of %llu: every root, inclusion and consistency proof as "
	    "RFC 6962 defines them",
	    (unsigned long long)row->size);
	ROWS_TABLE(&r, REWRITE_ROWS, test_rewrite_row,
	    "publishing checks the signed tree is extended: %s", row->what);
	ROWS_TABLE(&r, PATH_ROWS, test_path_row, "tile path %s", row->want);
	ROWS_TABLE(&r, WRITER_ROWS, test_writer_row,
	    "tiles written as the leaves go by, from %llu to %llu, as from "
	    "the whole tree",
	    (unsigned long long)row->from_size, (unsigned long long)row->size);
	ROWS_TABLE(&r, SPEC_ROWS, test_spec_row,
	    "tlog-tiles: the tiles of a tree of %llu, and its root from them",
	    (unsigned long long)row->size);
	return rows_run(&r, "log_merkle");
}

int
main(void)
{
	int failed = 0;

	failed += test_log_merkle();
	failed += test_log_note();
	failed += test_log_receipt();
	return failed ? 1 : 0;
}

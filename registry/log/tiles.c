/*
 * Tiles and entry bundles (see tiles.h).  A hash tile's hashes are the
 * tree's stored complete-subtree hashes of level 8L (tree.h), copied out;
 * a bundle is built as the entries go by, so that a million entries need
 * never be held at once.
 */
#include "registry/log/tiles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/buf.h"
#include "registry/base/mem.h"
#include "registry/log/entry.h"
#include "registry/log/why.h"

#define TILE_BYTES (LOG_TILE_WIDTH * LOG_HASH_SIZE)
#define TILE_LEVELS 8 /* tile level 7 holds tree level 56 */

char *
log_tiles_path(
    char buf[LOG_TILE_PATH_MAX], int level, uint64_t index, unsigned width)
{
	char digits[24], *p = buf;
	size_t n, first;

	p += level < 0 ? snprintf(p, LOG_TILE_PATH_MAX, "tile/entries/")
	               : snprintf(p, LOG_TILE_PATH_MAX, "tile/%d/", level);
	/* Digits in groups of three, the first group zero-padded. */
	n = (size_t)snprintf(
	    digits, sizeof digits, "%llu", (unsigned long long)index);
	first = n % 3 ? n % 3 : 3;
	for (size_t i = 0; i < n;) {
		size_t group = i == 0 ? first : 3;
		int last = i + group == n;

		if (!last)
			*p++ = 'x';
		for (size_t pad = group; pad < 3; pad++)
			*p++ = '0';
		memcpy(p, digits + i, group);
		p += group;
		i += group;
		if (!last)
			*p++ = '/';
	}
	*p = '\0';
	if (width > 0 && width < LOG_TILE_WIDTH)
		snprintf(
		    p, LOG_TILE_PATH_MAX - (size_t)(p - buf), ".p/%u", width);
	return buf;
}

/* Writes hash tile `index` of tile level `level`, `width` hashes wide. */
static int
write_tile(const struct log_tree *tree, int level, uint64_t index,
    unsigned width, log_tiles_write_fn fn, void *arg)
{
	uint8_t data[TILE_BYTES];
	char path[LOG_TILE_PATH_MAX];

	for (unsigned i = 0; i < width; i++)
		if (log_tree_subtree(tree, (unsigned)level * 8,
		        index * LOG_TILE_WIDTH + i,
		        data + i * LOG_HASH_SIZE) != 0)
			return -1;
	return fn(arg, log_tiles_path(path, level, index, width), data,
	    (size_t)width * LOG_HASH_SIZE);
}

int
log_tiles_write(const struct log_tree *tree, uint64_t from_size, uint64_t size,
    log_tiles_write_fn fn, void *arg)
{
	if (size > log_tree_size(tree) || from_size > size)
		return -1;
	for (int level = 0; level < TILE_LEVELS; level++) {
		uint64_t count = size >> (8 * level),
		         before = from_size >> (8 * level);

		if (count == 0)
			break;
		for (uint64_t n = before / LOG_TILE_WIDTH;
		     n < count / LOG_TILE_WIDTH; n++)
			if (write_tile(
			        tree, level, n, LOG_TILE_WIDTH, fn, arg) != 0)
				return -1;
		if (count % LOG_TILE_WIDTH != 0 && count > before &&
		    write_tile(tree, level, count / LOG_TILE_WIDTH,
		        (unsigned)(count % LOG_TILE_WIDTH), fn, arg) != 0)
			return -1;
	}
	return 0;
}

struct log_tiles_bundler {
	uint64_t from_size, count; /* entries added */
	struct buf bundle;         /* the bundle being filled */
	log_tiles_write_fn fn;
	void *arg;
};

struct log_tiles_bundler *
log_tiles_bundler_new(uint64_t from_size, log_tiles_write_fn fn, void *arg)
{
	struct log_tiles_bundler *b = mem_calloc(1, sizeof *b);

	b->from_size = from_size;
	b->fn = fn;
	b->arg = arg;
	return b;
}

static int
write_bundle(struct log_tiles_bundler *b, uint64_t index, unsigned width)
{
	char path[LOG_TILE_PATH_MAX];
	int rc = b->fn(b->arg, log_tiles_path(path, -1, index, width),
	    b->bundle.data, b->bundle.len);

	buf_reset(&b->bundle);
	return rc;
}

int
log_tiles_bundler_add(
    struct log_tiles_bundler *b, const void *entry, size_t len)
{
	uint64_t index = b->count++;

	if (len > LOG_ENTRY_MAX)
		return -1;
	/* Bundles complete at from_size were written before. */
	if (index / LOG_TILE_WIDTH < b->from_size / LOG_TILE_WIDTH)
		return 0;
	buf_putc(&b->bundle, (int)(len >> 8));
	buf_putc(&b->bundle, (int)(len & 0xff));
	buf_put(&b->bundle, entry, len);
	if (b->count % LOG_TILE_WIDTH == 0)
		return write_bundle(b, index / LOG_TILE_WIDTH, LOG_TILE_WIDTH);
	return 0;
}

int
log_tiles_bundler_finish(struct log_tiles_bundler *b)
{
	if (b->count % LOG_TILE_WIDTH == 0 || b->count <= b->from_size)
		return 0;
	return write_bundle(b, b->count / LOG_TILE_WIDTH,
	    (unsigned)(b->count % LOG_TILE_WIDTH));
}

void
log_tiles_bundler_free(struct log_tiles_bundler *b)
{
	if (b == NULL)
		return;
	buf_free(&b->bundle);
	free(b);
}

int
log_tiles_bundle_next(const uint8_t *bundle, size_t len, size_t *at,
    const uint8_t **entry, size_t *entry_len)
{
	size_t n;

	if (*at == len)
		return 0;
	if (len - *at < 2)
		return -1;
	n = (size_t)bundle[*at] << 8 | bundle[*at + 1];
	if (n > len - *at - 2)
		return -1;
	*entry = bundle + *at + 2;
	*entry_len = n;
	*at += 2 + n;
	return 1;
}

int
log_tiles_bundle_check(const uint8_t *bundle, size_t bundle_len,
    const uint8_t *tile, size_t tile_len, char *why, size_t why_size)
{
	size_t at = 0, count = 0, entry_len;
	const uint8_t *entry;
	uint8_t leaf[LOG_HASH_SIZE];
	int rc;

	if (tile_len % LOG_HASH_SIZE != 0 || tile_len > TILE_BYTES)
		return log_why(why, why_size,
		    "a tile of %zu bytes is not a whole number of hashes",
		    tile_len);
	while ((rc = log_tiles_bundle_next(
	            bundle, bundle_len, &at, &entry, &entry_len)) == 1) {
		if (count * LOG_HASH_SIZE >= tile_len)
			return log_why(why, why_size,
			    "the bundle has more entries than the tile's %zu "
			    "hashes",
			    tile_len / LOG_HASH_SIZE);
		log_merkle_leaf_hash(entry, entry_len, leaf);
		if (memcmp(leaf, tile + count * LOG_HASH_SIZE, LOG_HASH_SIZE) !=
		    0)
			return log_why(why, why_size,
			    "entry %zu of the bundle does not hash to the "
			    "tile's hash %zu",
			    count, count);
		count++;
	}
	if (rc < 0)
		return log_why(why, why_size,
		    "the bundle is cut short after %zu entries", count);
	if (count * LOG_HASH_SIZE != tile_len)
		return log_why(why, why_size,
		    "the bundle has %zu entries, the tile %zu hashes", count,
		    tile_len / LOG_HASH_SIZE);
	return 0;
}

/* Folds `hashes` (a power of two) consecutive hashes into the root of
 * their subtree, in place: the root ends in the first. */
static void
fold(uint8_t *data, size_t hashes)
{
	for (size_t step = 1; step < hashes; step *= 2)
		for (size_t i = 0; i + step < hashes; i += 2 * step)
			log_merkle_node_hash(data + i * LOG_HASH_SIZE,
			    data + (i + step) * LOG_HASH_SIZE,
			    data + i * LOG_HASH_SIZE);
}

/* MTH of a tree from the `count` (> 0) complete subtrees it is made of,
 * left to right: folded from the right. */
static void
fold_subtrees(
    uint8_t (*subtree)[LOG_HASH_SIZE], int count, uint8_t root[LOG_HASH_SIZE])
{
	memcpy(root, subtree[--count], LOG_HASH_SIZE);
	while (count-- > 0)
		log_merkle_node_hash(subtree[count], root, root);
}

/* The hash of the complete subtree of 2^level leaves numbered `index` at
 * that level, from the tile that holds it. */
static int
subtree_from_tiles(uint64_t size, unsigned level, uint64_t index,
    log_tiles_read_fn fn, void *arg, uint8_t out[LOG_HASH_SIZE], char *why,
    size_t why_size)
{
	static const size_t cap = TILE_BYTES;
	uint8_t data[TILE_BYTES];
	int tile_level = (int)(level / 8);
	unsigned below = level % 8, width;
	uint64_t count = size >> (8 * tile_level);
	uint64_t first = index << below; /* at tree level 8 * tile_level */
	uint64_t n = first / LOG_TILE_WIDTH;
	size_t len, hashes = (size_t)1 << below, start;
	char path[LOG_TILE_PATH_MAX];

	width = n < count / LOG_TILE_WIDTH ? LOG_TILE_WIDTH
	                                   : (unsigned)(count % LOG_TILE_WIDTH);
	log_tiles_path(path, tile_level, n, width);
	if (fn(arg, path, data, cap, &len) != 0)
		return log_why(why, why_size, "%s: no such tile", path);
	if (len != (size_t)width * LOG_HASH_SIZE)
		return log_why(why, why_size, "%s: %zu bytes, not %u hashes",
		    path, len, width);
	start = (size_t)(first % LOG_TILE_WIDTH);
	fold(data + start * LOG_HASH_SIZE, hashes);
	memcpy(out, data + start * LOG_HASH_SIZE, LOG_HASH_SIZE);
	return 0;
}

int
log_tiles_root(uint64_t size, log_tiles_read_fn fn, void *arg,
    uint8_t root[LOG_HASH_SIZE], char *why, size_t why_size)
{
	uint8_t subtree[64][LOG_HASH_SIZE];
	uint64_t prefix = 0;
	int count = 0;

	if (size >= LOG_SIZE_LIMIT)
		return log_why(why, why_size, "a tree size is below 2^63");
	if (size == 0) {
		log_merkle_empty_root(root);
		return 0;
	}
	/* The complete subtrees the size is made of, left to right. */
	for (int level = 62; level >= 0; level--) {
		uint64_t bit = UINT64_C(1) << level;

		if (!(size & bit))
			continue;
		if (subtree_from_tiles(size, (unsigned)level, prefix >> level,
		        fn, arg, subtree[count++], why, why_size) != 0)
			return -1;
		prefix += bit;
	}
	fold_subtrees(subtree, count, root);
	return 0;
}

struct log_tiles_writer {
	uint64_t from_size, size;         /* leaves given */
	uint8_t from_root[LOG_HASH_SIZE]; /* once size reached from_size */
	/* Per tile level, the hashes of the tile being filled, and how many
	 * tiles of that level were completed before it. */
	uint8_t tile[TILE_LEVELS][TILE_BYTES];
	unsigned fill[TILE_LEVELS];
	uint64_t completed[TILE_LEVELS];
	log_tiles_write_fn fn;
	void *arg;
};

struct log_tiles_writer *
log_tiles_writer_new(uint64_t from_size, log_tiles_write_fn fn, void *arg)
{
	struct log_tiles_writer *w = mem_calloc(1, sizeof *w);

	w->from_size = from_size;
	w->fn = fn;
	w->arg = arg;
	log_merkle_empty_root(w->from_root);
	return w;
}

void
log_tiles_writer_free(struct log_tiles_writer *w)
{
	free(w);
}

uint64_t
log_tiles_writer_size(const struct log_tiles_writer *w)
{
	return w->size;
}

/* Writes the tile being filled at tile level `level`, `width` wide. */
static int
writer_put(
    struct log_tiles_writer *w, int level, uint64_t index, unsigned width)
{
	char path[LOG_TILE_PATH_MAX];

	return w->fn(w->arg, log_tiles_path(path, level, index, width),
	    w->tile[level], (size_t)width * LOG_HASH_SIZE);
}

/* Adds a hash of tree level 8 * level; a tile it completes is written
 * (unless the tree of from_size had it) and its root goes up a level. */
static int
writer_push(
    struct log_tiles_writer *w, int level, const uint8_t hash[LOG_HASH_SIZE])
{
	uint64_t index, before;

	memcpy(w->tile[level] + w->fill[level] * LOG_HASH_SIZE, hash,
	    LOG_HASH_SIZE);
	if (++w->fill[level] < LOG_TILE_WIDTH)
		return 0;
	index = w->completed[level]++;
	before = (w->from_size >> (8 * level)) / LOG_TILE_WIDTH;
	if (index >= before && writer_put(w, level, index, LOG_TILE_WIDTH) != 0)
		return -1;
	w->fill[level] = 0;
	fold(w->tile[level], LOG_TILE_WIDTH);
	/* Level 7's tiles would need 2^64 leaves to fill. */
	return level + 1 < TILE_LEVELS
	           ? writer_push(w, level + 1, w->tile[level])
	           : 0;
}

/* The root of the leaves given so far, from the tiles being filled. */
static void
writer_root(const struct log_tiles_writer *w, uint8_t root[LOG_HASH_SIZE])
{
	uint8_t subtree[64][LOG_HASH_SIZE], data[TILE_BYTES];
	int count = 0;

	if (w->size == 0) {
		log_merkle_empty_root(root);
		return;
	}
	/* The size's complete subtrees, left to right: each a run of 2^b
	 * hashes of a tile being filled. */
	for (int level = TILE_LEVELS - 1; level >= 0; level--) {
		size_t start = 0;

		for (int bit = 7; bit >= 0; bit--) {
			size_t hashes = (size_t)1 << bit;

			if (!(w->fill[level] & hashes))
				continue;
			memcpy(data, w->tile[level] + start * LOG_HASH_SIZE,
			    hashes * LOG_HASH_SIZE);
			fold(data, hashes);
			memcpy(subtree[count++], data, LOG_HASH_SIZE);
			start += hashes;
		}
	}
	fold_subtrees(subtree, count, root);
}

int
log_tiles_writer_add(
    struct log_tiles_writer *w, const uint8_t leaf[LOG_HASH_SIZE])
{
	if (writer_push(w, 0, leaf) != 0)
		return -1;
	if (++w->size == w->from_size)
		writer_root(w, w->from_root);
	return 0;
}

void
log_tiles_writer_root(
    const struct log_tiles_writer *w, uint8_t root[LOG_HASH_SIZE])
{
	writer_root(w, root);
}

int
log_tiles_writer_check_extends(const struct log_tiles_writer *w,
    const uint8_t from_root[LOG_HASH_SIZE], char *why, size_t why_size)
{
	if (w->size < w->from_size)
		return log_why(why, why_size,
		    "the log has %llu entries, fewer than the %llu of "
		    "the signed checkpoint: entries were removed",
		    (unsigned long long)w->size,
		    (unsigned long long)w->from_size);
	if (memcmp(w->from_root, from_root, LOG_HASH_SIZE) == 0)
		return 0;
	return log_why(why, why_size,
	    "the log of %llu entries is not an extension of the checkpoint "
	    "signed at size %llu: %s",
	    (unsigned long long)w->size, (unsigned long long)w->from_size,
	    w->size == w->from_size
	        ? "fork: two trees of the same size with different roots"
	        : "its first entries have another root than the one signed");
}

int
log_tiles_writer_finish(struct log_tiles_writer *w)
{
	for (int level = 0; level < TILE_LEVELS; level++) {
		uint64_t count = w->size >> (8 * level),
		         before = w->from_size >> (8 * level);

		if (count == 0)
			break;
		if (count % LOG_TILE_WIDTH != 0 && count > before &&
		    writer_put(w, level, count / LOG_TILE_WIDTH,
		        (unsigned)(count % LOG_TILE_WIDTH)) != 0)
			return -1;
	}
	return 0;
}

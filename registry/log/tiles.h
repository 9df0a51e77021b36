/*
 * The log as static files, in the layout of c2sp.org/tlog-tiles, so that
 * any static web server or mirror can serve it and anyone can recompute
 * its root:
 *
 *   tile/<L>/<N>[.p/<W>]        hashes: 256 (or W) consecutive 32-byte
 *                               hashes of tree level 8L (level 0: leaf
 *                               hashes; level 8L: roots of complete
 *                               subtrees of 256^L leaves)
 *   tile/entries/<N>[.p/<W>]    entry bundle: the entries of level-0
 *                               tile N, each a big-endian uint16 length
 *                               and the entry (entry.h)
 *
 * <N> is written in groups of three digits, all but the last prefixed
 * by 'x': 1234067 is x001/x234/067, 5 is 005.  A full tile has 256
 * hashes; the rightmost tile of each level whose width
 * floor(size / 256^L) mod 256 is not 0 is partial, ".p/<W>".  The
 * signed checkpoint goes beside them as "checkpoint".  Full tiles never
 * change; a partial tile belongs to one tree size, and every size a
 * checkpoint was signed for keeps its partial tiles (the specification
 * requires it), so files are only ever added.
 *
 * Writing goes through a callback, so that the caller decides where the
 * files go (a folder under the site, a test's memory); reading tiles
 * back (log_tiles_root) goes through one too.  No I/O of its own.
 */
#ifndef REGISTRY_LOG_TILES_H
#define REGISTRY_LOG_TILES_H

#include <stddef.h>
#include <stdint.h>

#include "registry/log/merkle.h"
#include "registry/log/tree.h"

#define LOG_TILE_WIDTH 256
#define LOG_TILE_PATH_MAX 96 /* bytes of any path, with its NUL */

/* Writes a file of the log: 0, or -1 to stop (the caller keeps why). */
typedef int (*log_tiles_write_fn)(
    void *arg, const char *path, const void *data, size_t len);

/*
 * Reads the file at `path` into `data` (room for `cap` bytes) and its
 * length into *len: 0, or -1 when there is no such file or it is larger.
 */
typedef int (*log_tiles_read_fn)(
    void *arg, const char *path, void *data, size_t cap, size_t *len);

/*
 * The path of hash tile `index` of tile level `level` (0 to 63), or with
 * level -1 of entry bundle `index`; `width` 256 for a full tile, 1 to
 * 255 for a partial one.  Writes at most LOG_TILE_PATH_MAX bytes with the
 * NUL; returns `buf`.
 */
char *log_tiles_path(
    char buf[LOG_TILE_PATH_MAX], int level, uint64_t index, unsigned width);

/*
 * Writes every hash tile of the tree of the first `size` leaves that the
 * tree of the first `from_size` leaves did not have (from_size 0: all of
 * them): the full tiles completed since and the partial tiles of `size`.
 * 0, or -1 when `size` is more than the tree has or `fn` returned -1.
 */
int log_tiles_write(const struct log_tree *tree, uint64_t from_size,
    uint64_t size, log_tiles_write_fn fn, void *arg);

/*
 * Hash tiles written while the leaf hashes are given one at a time in
 * the log's order from the first, with no tree kept: per tile level the
 * hashes of the tile being filled (64 KB in all), each tile written when
 * it is complete, and log_tiles_writer_finish() writes the partial tiles
 * of the size reached.  The files are those log_tiles_write() writes for
 * a tree of the same leaves from `from_size` to that size.  A publish
 * uses it rather than a whole tree (about 2n hashes): its memory does not
 * grow with the log.
 */
struct log_tiles_writer; /* opaque */
struct log_tiles_writer *log_tiles_writer_new(
    uint64_t from_size, log_tiles_write_fn fn, void *arg);
/* 0, or -1 when fn failed. */
int log_tiles_writer_add(
    struct log_tiles_writer *w, const uint8_t leaf[LOG_HASH_SIZE]);
uint64_t log_tiles_writer_size(const struct log_tiles_writer *w);
/* The root of the leaves given so far; O(log n) hashes. */
void log_tiles_writer_root(
    const struct log_tiles_writer *w, uint8_t root[LOG_HASH_SIZE]);
/*
 * Do the leaves given extend the tree of `from_size` leaves whose root is
 * `from_root` (a checkpoint signed before)?  The root of the first
 * from_size leaves, taken when they were given, against it.  0 when they
 * do; else -1 with why ("the log has 7 entries, fewer than the 8 of the
 * signed checkpoint ...", "... is not an extension ...: fork: ...") in the
 * words of log_tree_check_extends().
 */
int log_tiles_writer_check_extends(const struct log_tiles_writer *w,
    const uint8_t from_root[LOG_HASH_SIZE], char *why, size_t why_size);
/* 0, or -1 when fn failed. */
int log_tiles_writer_finish(struct log_tiles_writer *w);
void log_tiles_writer_free(struct log_tiles_writer *w); /* NULL ok */

/*
 * Entry bundles, written while the entries are given one at a time in
 * the log's order from the first (index 0): the bundles of the tree of
 * `from_size` leaves are skipped, each bundle completed is written when
 * its 256th entry is added, and log_tiles_bundler_finish() writes the
 * partial bundle of the size reached.
 */
struct log_tiles_bundler; /* opaque */
struct log_tiles_bundler *log_tiles_bundler_new(
    uint64_t from_size, log_tiles_write_fn fn, void *arg);
/* 0, or -1 when the entry is longer than LOG_ENTRY_MAX or fn failed. */
int log_tiles_bundler_add(
    struct log_tiles_bundler *b, const void *entry, size_t len);
int log_tiles_bundler_finish(struct log_tiles_bundler *b);
void log_tiles_bundler_free(struct log_tiles_bundler *b); /* NULL ok */

/*
 * Steps through an entry bundle: *at starts at 0; each call gives the
 * next entry (pointing into `bundle`) and returns 1, or 0 at the end, or
 * -1 when the bundle is cut short or an entry is empty.
 */
int log_tiles_bundle_next(const uint8_t *bundle, size_t len, size_t *at,
    const uint8_t **entry, size_t *entry_len);

/*
 * Checks a bundle against its level-0 tile: it holds exactly as many
 * entries as the tile has hashes, and entry i hashes to hash i.  0, or -1
 * with the reason.
 */
int log_tiles_bundle_check(const uint8_t *bundle, size_t bundle_len,
    const uint8_t *tile, size_t tile_len, char *why, size_t why_size);

/*
 * The root of the tree of `size` leaves recomputed from its tiles only,
 * as a mirror or a monitor would (reading at most one tile per level
 * that the size's complete subtrees need): 0 with the root in `root`, or
 * -1 with the reason (a missing tile, one of the wrong length).
 */
int log_tiles_root(uint64_t size, log_tiles_read_fn fn, void *arg,
    uint8_t root[LOG_HASH_SIZE], char *why, size_t why_size);

#endif

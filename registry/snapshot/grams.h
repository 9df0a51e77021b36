/*
 * The index of short name pieces, for the files of registry/snapshot/
 * only: every one- and two-character piece (gram) of the organisations'
 * current and former names, ASCII letters in lower case, with the ids of
 * the organisations whose names hold it.  A search of one or two
 * characters is then one look-up instead of a scan of every name (the
 * trigram index finds nothing shorter than three characters).
 *
 * Table name_grams(gram, last_id, ids): a gram's ids, ascending, cut
 * into blocks of at most SNAPSHOT_GRAMS_BLOCK; `ids` holds a block as
 * unsigned LEB128 varints, the first the id itself and each next the
 * difference from the one before, or, when that is smaller (a gram most
 * names hold), as a bitmap: the byte 0, the first id as a varint, then
 * bytes whose bit k (k % 8 of byte k / 8, the lowest first) says
 * whether first + k is in the block.  last_id is the block's last id,
 * so the blocks holding ids after x are those with last_id > x.
 */
#ifndef REGISTRY_SNAPSHOT_GRAMS_H
#define REGISTRY_SNAPSHOT_GRAMS_H

#include <sqlite3.h>
#include <stddef.h>

#define SNAPSHOT_GRAMS_BLOCK 512
#define SNAPSHOT_GRAM_MAX 9 /* two code points of UTF-8 and a NUL */

/*
 * Fills name_grams on `db` from its organisations and former_names,
 * inserting with `insert` (gram, last_id, ids).  0, or -1 with the
 * reason in `why`.
 */
int snapshot_grams_build(
    sqlite3 *db, sqlite3_stmt *insert, char *why, size_t why_size);

/*
 * Decodes the block `data` of `size` bytes into ids[] (room for
 * SNAPSHOT_GRAMS_BLOCK); how many, or -1 when the block is malformed.
 */
int snapshot_grams_decode(
    const unsigned char *data, size_t size, long long *ids);

#endif

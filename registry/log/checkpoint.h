/*
 * The log's checkpoints (c2sp.org/tlog-checkpoint): the text of a signed
 * note (note.h) that states the log's origin, its tree size and its root
 * hash, with one extension line of ours that binds the published
 * snapshot the tree was signed with:
 *
 *   registry.example.org/log                                  origin
 *   841                                                       tree size
 *   2ZDrA0...3Q=                                              base64 root
 *   snapshot 2026-01-01 sha256:3a7bd3e2360a3d29eea436fcfb7e44c735d117c4...
 *
 * The snapshot line is "snapshot", a space, the snapshot's as_of date
 * (YYYY-MM-DD: the day its statuses are for), a space, "sha256:" and the
 * 64 lower-case hex digits of its content digest (meta.sha256, see
 * snapshot/schema.h).  Every checkpoint of this log has exactly this one
 * extension line.  The origin is a valid key name (note.h) and the
 * log's key has the same name.  Parsing is strict: decimal sizes without
 * leading zeros, canonical base64, no other extension line.
 *
 * A log never signs a checkpoint that does not extend the last one it
 * signed: check with log_tree_check_extends() (tree.h) first.
 */
#ifndef REGISTRY_LOG_CHECKPOINT_H
#define REGISTRY_LOG_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "registry/base/buf.h"
#include "registry/log/merkle.h"
#include "registry/log/note.h"

#define LOG_SHA256_HEX 65 /* 64 hex digits and a NUL */

struct log_checkpoint {
	char origin[LOG_NOTE_NAME_MAX + 1];
	uint64_t size;                        /* leaves */
	uint8_t root[LOG_HASH_SIZE];          /* MTH of the first `size` */
	int snapshot_date;                    /* the snapshot's as_of */
	char snapshot_sha256[LOG_SHA256_HEX]; /* its digest, lower-case hex */
};

/*
 * Appends the checkpoint's note text (four lines, each ending in a
 * newline) to `out`.  0, or -1 with the reason when a field cannot be
 * written (an origin that is not a key name, a size of 2^63 or more, no
 * date, a digest that is not 64 lower-case hex digits).
 */
int log_checkpoint_format(const struct log_checkpoint *c, struct buf *out,
    char *why, size_t why_size);

/* Parses a checkpoint's note text (`len` bytes) into *out: 0, or -1
 * with the reason ("line 2: the tree size ..."). */
int log_checkpoint_parse(const char *text, size_t len,
    struct log_checkpoint *out, char *why, size_t why_size);

/*
 * The signed checkpoint: log_checkpoint_format() then log_note_sign()
 * with `signer`, whose name must be the origin.  Appended to `out`; 0, or
 * -1 with the reason.
 */
int log_checkpoint_sign(const struct log_checkpoint *c,
    const struct log_note_signer *signer, struct buf *out, char *why,
    size_t why_size);

/*
 * Opens a signed checkpoint with the verifier `key` (log_note_open) and
 * parses its text into *out.  LOG_NOTE_VERIFIED, or the note's result
 * with the reason in `why`; LOG_NOTE_MALFORMED too when the note opens
 * but its text is not a checkpoint.
 */
enum log_note_result log_checkpoint_open(const char *note, size_t len,
    const struct log_note_verifier *key, struct log_checkpoint *out, char *why,
    size_t why_size);

#endif

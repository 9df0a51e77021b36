/*
 * The log's signing key on disk: generated from the kernel's random
 * source, kept in a file of mode 0600 holding its signer-key line
 * (note.h, "PRIVATE+KEY+<name>+<hash>+<base64>" and a newline).  The
 * private key goes into no snapshot, site or log: only its verifier key
 * (log_note_verifier_of, log_note_verifier_format) is published.  The
 * only module of the log that does I/O.
 */
#ifndef REGISTRY_LOG_KEY_H
#define REGISTRY_LOG_KEY_H

#include <stddef.h>

#include "registry/log/note.h"

/*
 * A new Ed25519 key named `name` (a valid key name: the log's origin)
 * from getrandom(2), falling back to /dev/urandom.  0, or -1 with the
 * reason.  Clear *out with log_note_signer_clear().
 */
int log_key_generate(
    const char *name, struct log_note_signer *out, char *why, size_t why_size);

/*
 * Writes the signer key to `path`, a new file of mode 0600 (an existing
 * file, or a symbolic link, is refused: a key is never overwritten),
 * flushed to disk.  0, or -1 with the reason naming the file; nothing is
 * left at `path` on failure.
 */
int log_key_save(const char *path, const struct log_note_signer *key, char *why,
    size_t why_size);

/*
 * Reads the signer key in `path`: 0, or -1 with the reason naming the
 * file, also when others than its owner may read or write it (mode &
 * 077).  Clear *out with log_note_signer_clear().
 */
int log_key_load(
    const char *path, struct log_note_signer *out, char *why, size_t why_size);

#endif

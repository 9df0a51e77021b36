/*
 * Signed notes (c2sp.org/signed-note) with Ed25519, the envelope of the
 * log's checkpoints, written and read exactly as golang.org/x/mod/sumdb/
 * note does, so that existing note and tlog tools check our checkpoints.
 *
 * A key has a name (non-empty UTF-8, no Unicode space, no '+', no control
 * character) and a key hash, the first four bytes (big-endian) of
 * SHA-256(name || 0x0A || 0x01 || public key).  Their text forms, one
 * line each:
 *
 *   verifier key (public):  <name>+<hash, 8 hex digits>+<base64(0x01 || public
 * key)> signer key (private):   PRIVATE+KEY+<name>+<hash>+<base64(0x01 ||
 * seed)>
 *
 * e.g. "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
 * (the example of golang.org/x/mod/sumdb/note).  A note is its text
 * (UTF-8, no control character but newline, ending in a newline), a blank
 * line, and signature lines "— <name> <base64(key hash || signature)>"
 * (U+2014, space).
 *
 * Opening a note follows the specification: signatures of keys not given
 * are ignored; a signature of a given key that fails rejects the whole
 * note; a note none of whose signatures is by a given key is rejected.
 * No I/O (key.h reads and writes key files).
 */
#ifndef REGISTRY_LOG_NOTE_H
#define REGISTRY_LOG_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "registry/base/buf.h"

#define LOG_NOTE_NAME_MAX 255       /* bytes in a key name */
#define LOG_NOTE_KEY_SIZE 32        /* Ed25519 public keys and seeds */
#define LOG_NOTE_SIG_SIZE 64        /* Ed25519 signatures */
#define LOG_NOTE_SIGNATURES_MAX 100 /* lines a note may have */

/* A public key: what checks signatures. */
struct log_note_verifier {
	char name[LOG_NOTE_NAME_MAX + 1];
	uint32_t key_hash;
	uint8_t public_key[LOG_NOTE_KEY_SIZE];
};

/* A private key: what signs.  Clear with log_note_signer_clear(). */
struct log_note_signer {
	char name[LOG_NOTE_NAME_MAX + 1];
	uint32_t key_hash;
	uint8_t seed[LOG_NOTE_KEY_SIZE]; /* the RFC 8032 private key */
	uint8_t public_key[LOG_NOTE_KEY_SIZE];
};

/* An opened note: its text (pointing into the message given) and its
 * signature lines. */
struct log_note {
	const char *text; /* ends with its newline */
	size_t text_len;
	size_t signatures; /* lines, of any key */
	size_t verified;   /* lines by a key given, all verified */
	uint32_t key_hash; /* the first verified key's */
};

enum log_note_result {
	LOG_NOTE_VERIFIED = 0,  /* a given key signed it, and every
	                           signature of a given key verifies */
	LOG_NOTE_MALFORMED,     /* not a signed note */
	LOG_NOTE_UNVERIFIED,    /* no signature is by a key given */
	LOG_NOTE_BAD_SIGNATURE, /* a signature of a given key fails */
};

/* 1 when `name` (len bytes) may name a key, else 0. */
int log_note_name_valid(const char *name, size_t len);

/* The key hash of an Ed25519 public key under `name`. */
uint32_t log_note_key_hash(
    const char *name, const uint8_t public_key[LOG_NOTE_KEY_SIZE]);

/*
 * The signer of name `name` whose RFC 8032 private key (seed) is `seed`,
 * into *out.  0, or -1 with the reason when the name is not valid.
 */
int log_note_signer_from_seed(struct log_note_signer *out, const char *name,
    const uint8_t seed[LOG_NOTE_KEY_SIZE], char *why, size_t why_size);

/* Zeroes a signer, seed included. */
void log_note_signer_clear(struct log_note_signer *s);

/* The verifier that checks what `s` signs. */
void log_note_verifier_of(
    const struct log_note_signer *s, struct log_note_verifier *out);

/* Appends the text forms above (no newline). */
void log_note_verifier_format(
    const struct log_note_verifier *v, struct buf *out);
void log_note_signer_format(const struct log_note_signer *s, struct buf *out);

/*
 * Parses a verifier key or a signer key of the text forms above (the
 * `len` bytes of `text`, no newline).  Refused, with -1 and the reason:
 * a name that is not valid, a key hash that is not 8 hex digits or not
 * the key's, an algorithm other than Ed25519 (0x01), a key that is not
 * 32 bytes of canonical base64.  0 on success.
 */
int log_note_verifier_parse(const char *text, size_t len,
    struct log_note_verifier *out, char *why, size_t why_size);
int log_note_signer_parse(const char *text, size_t len,
    struct log_note_signer *out, char *why, size_t why_size);

/*
 * Appends to `out` the note of text `text` (len bytes, a valid note text:
 * UTF-8 without control characters but newline, ending in a newline)
 * signed by `s`: the text, a blank line, one signature line.  0, or -1
 * with the reason when the text is not a valid note text.
 */
int log_note_sign(const char *text, size_t len, const struct log_note_signer *s,
    struct buf *out, char *why, size_t why_size);

/*
 * Opens the note `msg` (len bytes) with the `count` verifiers `keys`:
 * LOG_NOTE_VERIFIED, with *out describing the note, or another result
 * with the reason in `why` (and *out filled as far as the note parsed).
 */
enum log_note_result log_note_open(const char *msg, size_t len,
    const struct log_note_verifier *keys, size_t count, struct log_note *out,
    char *why, size_t why_size);

#endif

/*
 * Standard base64 (RFC 4648 section 4, with padding), the encoding of
 * hashes, signatures and keys in signed notes, checkpoints and receipts.
 * Decoding is strict, so that one value has one text: only the 64
 * characters and '=', a length that is a multiple of four, padding only
 * at the end and the unused bits of the last character zero.  No
 * whitespace is skipped.
 */
#ifndef REGISTRY_LOG_BASE64_H
#define REGISTRY_LOG_BASE64_H

#include <stddef.h>
#include <stdint.h>

#include "registry/base/buf.h"

/* The length of the text of `len` bytes (without a NUL). */
#define LOG_BASE64_LENGTH(len) ((((len) + 2) / 3) * 4)

/* Appends the base64 text of the `len` bytes to `out`. */
void log_base64_put(struct buf *out, const void *data, size_t len);

/*
 * Decodes the `len` characters of `text` into `out`, which has room for
 * `cap` bytes; *out_len is the number of bytes.  0, or -1 when the text
 * is not canonical base64 or decodes to more than `cap` bytes.
 */
int log_base64_decode(
    const char *text, size_t len, uint8_t *out, size_t cap, size_t *out_len);

#endif

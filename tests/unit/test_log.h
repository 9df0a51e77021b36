/*
 * The log's unit-test binary (build/tests/unit_log) is built from three
 * files, one per module group; each exports a runner that test_log.c's
 * main calls, and the helpers below they share.
 */
#ifndef TEST_LOG_H
#define TEST_LOG_H

#include <stddef.h>
#include <stdint.h>

int test_log_merkle(void);  /* merkle, tree, tiles (test_log.c) */
int test_log_note(void);    /* base64, Ed25519, notes, checkpoints, keys */
int test_log_receipt(void); /* entries, receipts, tampering */

/* Decodes the hex text into out (room for `cap` bytes); the length. */
size_t test_log_unhex(const char *hex, uint8_t *out, size_t cap);

#endif

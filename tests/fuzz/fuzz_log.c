/*
 * libFuzzer target for every parser of the log (registry/log/) that
 * reads what comes from outside: entries, signed notes, checkpoints,
 * verifier and signer keys, receipts, consistency documents, entry
 * bundles, tiles and base64.  The first byte chooses the parser; the rest
 * is its input.  Checked besides "no crash, no leak": whatever a parser
 * accepts it writes back to the same bytes (entries, checkpoints, keys,
 * base64), and a verdict is always explained (a failing check has a
 * message).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/log/base64.h"
#include "registry/log/checkpoint.h"
#include "registry/log/entry.h"
#include "registry/log/note.h"
#include "registry/log/receipt.h"
#include "registry/log/tiles.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed key, RFC 8032 TEST 1's secret under the log's name: fuzzed
 * receipts and notes signed by it reach the checks past the signature. */
static struct log_note_verifier key;
static int have_key;

static void
setup(void)
{
	static const uint8_t seed[32] = {0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd,
	    0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44,
	    0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03,
	    0x1c, 0xae, 0x7f, 0x60};
	struct log_note_signer s;

	log_note_signer_from_seed(
	    &s, "registry.example.org/log", seed, NULL, 0);
	log_note_verifier_of(&s, &key);
	log_note_signer_clear(&s);
	have_key = 1;
}

static void
entry(const uint8_t *data, size_t size)
{
	struct log_entry e;
	struct buf again = BUF_INIT;
	char why[256];

	if (log_entry_decode(data, size, &e, why, sizeof why) != 0) {
		if (why[0] == '\0')
			abort();
		return;
	}
	if (log_entry_encode(&e, &again, why, sizeof why) != 0 ||
	    again.len != size || memcmp(again.data, data, size) != 0)
		abort(); /* accepted, but not canonical */
	log_entry_clear(&e);
	buf_free(&again);
}

static void
note(const char *text, size_t size)
{
	struct log_note n;
	struct log_checkpoint cp;
	struct buf again = BUF_INIT;
	char why[256];

	log_note_open(text, size, &key, 1, &n, why, sizeof why);
	if (log_note_open(text, size, NULL, 0, &n, why, sizeof why) ==
	        LOG_NOTE_UNVERIFIED &&
	    (n.text_len >= size || n.text[n.text_len - 1] != '\n'))
		abort();
	if (log_checkpoint_parse(text, size, &cp, why, sizeof why) == 0) {
		if (log_checkpoint_format(&cp, &again, why, sizeof why) != 0 ||
		    again.len != size || memcmp(again.data, text, size) != 0)
			abort();
	}
	buf_free(&again);
}

static void
keys(const char *text, size_t size)
{
	struct log_note_verifier v, v2;
	struct log_note_signer s, s2;
	struct buf again = BUF_INIT;
	char why[256];

	if (log_note_verifier_parse(text, size, &v, why, sizeof why) == 0) {
		log_note_verifier_format(&v, &again);
		if (log_note_verifier_parse(
		        again.data, again.len, &v2, why, sizeof why) != 0 ||
		    memcmp(&v, &v2, sizeof v) != 0)
			abort();
	}
	buf_reset(&again);
	if (log_note_signer_parse(text, size, &s, why, sizeof why) == 0) {
		log_note_signer_format(&s, &again);
		if (log_note_signer_parse(
		        again.data, again.len, &s2, why, sizeof why) != 0 ||
		    memcmp(&s, &s2, sizeof s) != 0)
			abort();
	}
	buf_free(&again);
}

static void
receipt(const char *text, size_t size, int with_consistency)
{
	struct log_receipt_options options = {.key = &key};
	struct log_receipt_checks checks = {0};
	const char *split = with_consistency ? memchr(text, '\0', size) : NULL;
	int rc;

	if (split != NULL) {
		options.consistency = split + 1;
		options.consistency_len = size - (size_t)(split + 1 - text);
		size = (size_t)(split - text);
	}
	rc = log_receipt_verify(text, size, &options, &checks);
	if (checks.count == 0 ||
	    (rc == 0) != (log_receipt_checks_failed(&checks) == NULL))
		abort();
	for (size_t i = 0; i < checks.count; i++)
		if (checks.items[i].detail == NULL ||
		    (!checks.items[i].ok && checks.items[i].detail[0] == '\0'))
			abort();
	log_receipt_checks_free(&checks);
}

static void
bundle(const uint8_t *data, size_t size)
{
	size_t at = 0, len, half = size / 2;
	const uint8_t *e;
	char why[256];
	int rc;

	while ((rc = log_tiles_bundle_next(data, size, &at, &e, &len)) == 1)
		if (e < data || e + len > data + size)
			abort();
	log_tiles_bundle_check(
	    data, half, data + half, size - half, why, sizeof why);
}

/* Tiles read from the input: every path gets the same bytes. */
struct tiles_input {
	const uint8_t *data;
	size_t size;
};

static int
read_tile(void *arg, const char *path, void *out, size_t cap, size_t *len)
{
	const struct tiles_input *in = arg;

	(void)path;
	if (in->size > cap)
		return -1;
	memcpy(out, in->data, in->size);
	*len = in->size;
	return 0;
}

static void
tiles(const uint8_t *data, size_t size)
{
	struct tiles_input in;
	uint64_t tree_size = 0;
	uint8_t root[LOG_HASH_SIZE];
	char why[256];

	if (size < 8)
		return;
	for (int i = 0; i < 8; i++)
		tree_size = tree_size << 8 | data[i];
	in.data = data + 8;
	in.size = size - 8;
	log_tiles_root(tree_size, read_tile, &in, root, why, sizeof why);
}

static void
base64(const char *text, size_t size)
{
	uint8_t out[4096];
	size_t len;
	struct buf again = BUF_INIT;

	if (log_base64_decode(text, size, out, sizeof out, &len) == 0) {
		log_base64_put(&again, out, len);
		if (again.len != size || memcmp(again.data, text, size) != 0)
			abort();
	}
	buf_free(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)(data + 1);

	if (!have_key)
		setup();
	if (size < 1)
		return 0;
	switch (data[0] % 9) {
	case 0:
		entry(data + 1, size - 1);
		break;
	case 1:
		note(text, size - 1);
		break;
	case 2:
		keys(text, size - 1);
		break;
	case 3:
		receipt(text, size - 1, 0);
		break;
	case 4:
		receipt(text, size - 1, 1);
		break;
	case 5:
		bundle(data + 1, size - 1);
		break;
	case 6:
		tiles(data + 1, size - 1);
		break;
	case 7:
		base64(text, size - 1);
		break;
	default:
		entry(data + 1, size - 1);
		break;
	}
	return 0;
}

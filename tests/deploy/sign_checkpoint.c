/*
 * sign-checkpoint: for the deployment tests, a checkpoint that binds a
 * snapshot, signed with a key made from a seed, as `registryctl publish`
 * signs one; and the key's verifier line.
 *
 *   sign-checkpoint SNAPSHOT SEED-BYTE CHECKPOINT-OUT KEY-OUT
 *
 * SEED-BYTE (0 to 255) fills the 32-byte seed, so that two keys differ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/buf.h"
#include "registry/log/checkpoint.h"
#include "registry/log/note.h"
#include "registry/snapshot/snapshot.h"

static int
write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(buf_str(b), 1, b->len, f) != b->len) {
		perror(path);
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	if (argc != 5) {
		fputs("usage: sign-checkpoint SNAPSHOT SEED-BYTE CHECKPOINT "
		      "KEY\n",
		    stderr);
		return 2;
	}
	char why[512];
	snapshot_library_init();
	struct snapshot *s = snapshot_open(argv[1], why, sizeof why);
	if (s == NULL) {
		fprintf(stderr, "sign-checkpoint: %s\n", why);
		return 1;
	}
	const struct snapshot_meta *m = snapshot_meta(s);
	struct log_checkpoint c = {.size = 1, .snapshot_date = m->as_of};
	strcpy(c.origin, "registry.example.org/log");
	memcpy(c.snapshot_sha256, m->sha256, sizeof c.snapshot_sha256);
	snapshot_close(s);

	uint8_t seed[LOG_NOTE_KEY_SIZE];
	memset(seed, atoi(argv[2]) & 0xff, sizeof seed);
	struct log_note_signer signer;
	struct log_note_verifier verifier;
	struct buf note = {0}, key = {0};
	if (log_note_signer_from_seed(
	        &signer, c.origin, seed, why, sizeof why) != 0 ||
	    log_checkpoint_sign(&c, &signer, &note, why, sizeof why) != 0) {
		fprintf(stderr, "sign-checkpoint: %s\n", why);
		return 1;
	}
	log_note_verifier_of(&signer, &verifier);
	log_note_verifier_format(&verifier, &key);
	buf_putc(&key, '\n');
	log_note_signer_clear(&signer);
	int rc = write_file(argv[3], &note) || write_file(argv[4], &key);
	buf_free(&note);
	buf_free(&key);
	return rc ? 1 : 0;
}

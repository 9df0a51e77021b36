/*
 * snapshot-check: checks a snapshot file the way registryd does before it
 * serves one (its schema version, PRAGMA quick_check, its content's
 * SHA-256 recomputed against the one it was published with), that it is
 * the snapshot expected, and, given a signed checkpoint and the verifier
 * key, that the centre's key signed this snapshot.  registry-roll runs it
 * on the publishing side (the signature) and on each node on the copy it
 * has just made (the digest), before renaming the copy into place.
 *
 *   snapshot-check FILE [SHA256]
 *   snapshot-check --checkpoint CHECKPOINT --key VERIFIER-KEY FILE
 *
 * Prints what it found on standard output and exits 0 when the file
 * holds; else one line naming the file and why on standard error, and
 * exits 1.  2 for a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/buf.h"
#include "registry/log/checkpoint.h"
#include "registry/log/note.h"
#include "registry/snapshot/snapshot.h"

static const char USAGE[] =
    "usage: snapshot-check FILE [SHA256]\n"
    "       snapshot-check --checkpoint CHECKPOINT --key VERIFIER-KEY FILE\n";

/* The whole file at `path` into *out (NUL-terminated); 0, or -1 with
 * the reason naming it. */
static int
read_file(const char *path, struct buf *out, char *why, size_t why_size)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(why, why_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(out, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		snprintf(why, why_size, "%s: read error", path);
		return -1;
	}
	buf_str(out);
	return 0;
}

/* The checkpoint signed by the key in `key_path` binds the snapshot
 * `m`; 0, or -1 with the reason. */
static int
check_signature(const struct snapshot_meta *m, const char *file,
    const char *checkpoint_path, const char *key_path, char *why,
    size_t why_size)
{
	struct buf note = {0}, key = {0};
	int rc = -1;
	if (read_file(checkpoint_path, &note, why, why_size) != 0 ||
	    read_file(key_path, &key, why, why_size) != 0)
		goto out;
	size_t key_len = key.len;
	while (key_len > 0 &&
	       (key.data[key_len - 1] == '\n' || key.data[key_len - 1] == '\r'))
		key_len--;
	struct log_note_verifier verifier;
	char reason[400];
	if (log_note_verifier_parse(buf_str(&key), key_len, &verifier, reason,
	        sizeof reason) != 0) {
		snprintf(why, why_size, "%s: not a verifier key: %s", key_path,
		    reason);
		goto out;
	}
	struct log_checkpoint c;
	if (log_checkpoint_open(buf_str(&note), note.len, &verifier, &c, reason,
	        sizeof reason) != LOG_NOTE_VERIFIED) {
		snprintf(why, why_size, "%s: not signed by %s: %s",
		    checkpoint_path, verifier.name, reason);
		goto out;
	}
	if (strcmp(c.snapshot_sha256, m->sha256) != 0 ||
	    c.snapshot_date != m->as_of) {
		snprintf(why, why_size,
		    "%s: the checkpoint signs the snapshot sha256:%s, and %s "
		    "is sha256:%s",
		    checkpoint_path, c.snapshot_sha256, file, m->sha256);
		goto out;
	}
	printf("signed by %s: tree size %llu, snapshot sha256:%s\n",
	    verifier.name, (unsigned long long)c.size, c.snapshot_sha256);
	rc = 0;
out:
	buf_free(&note);
	buf_free(&key);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *checkpoint = NULL, *key = NULL;
	int i = 1;
	while (i + 1 < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--checkpoint") == 0)
			checkpoint = argv[i + 1];
		else if (strcmp(argv[i], "--key") == 0)
			key = argv[i + 1];
		else
			break;
		i += 2;
	}
	int args = argc - i;
	if ((checkpoint == NULL) != (key == NULL) || args < 1 ||
	    args > (checkpoint != NULL ? 1 : 2) || argv[i][0] == '-') {
		fputs(USAGE, stderr);
		return 2;
	}
	const char *path = argv[i];
	const char *expected = args == 2 ? argv[i + 1] : NULL;
	char why[1024];

	snapshot_library_init();
	struct snapshot *s = snapshot_open(path, why, sizeof why);
	if (s == NULL) {
		fprintf(stderr, "snapshot-check: %s\n", why);
		return 1;
	}
	const struct snapshot_meta *m = snapshot_meta(s);
	int rc = 0;
	if (snapshot_check(s, SNAPSHOT_CHECK_DIGEST, why, sizeof why) != 0) {
		rc = 1;
	} else if (expected != NULL && strcmp(expected, m->sha256) != 0) {
		snprintf(why, sizeof why,
		    "%s: holds the snapshot sha256:%s, not the one expected "
		    "(sha256:%s)",
		    path, m->sha256, expected);
		rc = 1;
	} else if (checkpoint != NULL) {
		rc = check_signature(m, path, checkpoint, key, why, sizeof why)
		         ? 1
		         : 0;
	} else {
		printf("%s %s %lld\n", m->sha256, m->published_at,
		    m->certificates);
	}
	if (rc != 0)
		fprintf(stderr, "snapshot-check: %s\n", why);
	snapshot_close(s);
	return rc;
}

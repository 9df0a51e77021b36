/*
 * registryctl verify (see logcheck.h).
 */
#include "registry/record/logcheck.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/buf.h"
#include "registry/base/mem.h"
#include "registry/log/checkpoint.h"
#include "registry/log/entry.h"
#include "registry/log/note.h"
#include "registry/log/tiles.h"
#include "registry/log/tree.h"
#include "registry/record/logpub.h"
#include "registry/rules/date.h"
#include "registry/snapshot/log.h"
#include "registry/snapshot/snapshot.h"

#define FILE_MAX (64 * 1024 * 1024)

static void add(struct log_receipt_checks *checks, const char *name, int ok,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
add(struct log_receipt_checks *checks, const char *name, int ok,
    const char *fmt, ...)
{
	struct log_receipt_check *c;
	struct buf detail = BUF_INIT;
	va_list ap;

	if (checks->count == checks->cap) {
		checks->cap = checks->cap ? checks->cap * 2 : 16;
		checks->items = mem_realloc(
		    checks->items, checks->cap * sizeof *checks->items);
	}
	c = &checks->items[checks->count++];
	c->name = name;
	c->subject = NULL;
	c->ok = ok;
	va_start(ap, fmt);
	buf_vprintf(&detail, fmt, ap);
	va_end(ap);
	c->detail = buf_detach(&detail);
}

/* The whole file, NUL-terminated, or NULL with errno. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	int error;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= FILE_MAX)
		buf_put(&b, chunk, n);
	error = ferror(f) ? EIO : b.len > FILE_MAX ? EFBIG : 0;
	fclose(f);
	if (error != 0) {
		buf_free(&b);
		errno = error;
		return NULL;
	}
	*len = b.len;
	buf_putc(&b, '\0');
	return buf_detach(&b);
}

/* --key: the verifier key itself, or a file holding it on its first
 * line. */
static int
read_key(
    const char *arg, struct log_note_verifier *out, char *why, size_t why_size)
{
	char reason[256], *text;
	size_t len;
	int rc;

	if (log_note_verifier_parse(
	        arg, strlen(arg), out, reason, sizeof reason) == 0)
		return 0;
	if ((text = slurp(arg, &len)) == NULL) {
		snprintf(why, why_size,
		    "--key %s: neither a verifier key (%s) nor a file (%s)",
		    arg, reason, strerror(errno));
		return -1;
	}
	len = strcspn(text, "\n");
	rc = log_note_verifier_parse(text, len, out, reason, sizeof reason);
	if (rc != 0)
		snprintf(why, why_size, "--key %s: %s", arg, reason);
	free(text);
	return rc;
}

static int
check_receipt(const struct logcheck_request *req,
    const struct log_note_verifier *key, struct log_receipt_checks *checks,
    char *why, size_t why_size)
{
	struct log_receipt_options options = {key, NULL, NULL, 0};
	char *receipt, *doc = NULL;
	size_t len, doc_len = 0;
	int rc;

	if ((receipt = slurp(req->receipt, &len)) == NULL) {
		snprintf(
		    why, why_size, "%s: %s", req->receipt, strerror(errno));
		return -1;
	}
	if (req->consistency != NULL &&
	    (doc = slurp(req->consistency, &doc_len)) == NULL) {
		snprintf(
		    why, why_size, "%s: %s", req->consistency, strerror(errno));
		free(receipt);
		return -1;
	}
	options.consistency = doc;
	options.consistency_len = doc_len;
	rc = log_receipt_verify(receipt, len, &options, checks);
	free(receipt);
	free(doc);
	return rc == 0 ? 0 : 1;
}

/* ---- a snapshot against its log ---- */

static int
read_tile(void *arg, const char *path, void *data, size_t cap, size_t *len)
{
	const char *dir = arg;
	char *full = mem_printf("%s/%s", dir, path);
	FILE *f = fopen(full, "rb");
	size_t n = 0;
	int rc = -1;

	free(full);
	if (f == NULL)
		return -1;
	n = fread(data, 1, cap, f);
	/* One byte more than room: the file is larger. */
	if (!ferror(f) && (n < cap || fgetc(f) == EOF)) {
		*len = n;
		rc = 0;
	}
	fclose(f);
	return rc;
}

/* Every entry bundle against its level-0 tile. */
static int
check_bundles(const char *dir, uint64_t size, char *why, size_t why_size)
{
	static uint8_t tile[LOG_TILE_WIDTH * LOG_HASH_SIZE];
	uint8_t *bundle = mem_alloc(LOG_TILE_WIDTH * (LOG_ENTRY_MAX + 2));
	char path[LOG_TILE_PATH_MAX];
	int rc = 0;

	for (uint64_t n = 0; n * LOG_TILE_WIDTH < size; n++) {
		uint64_t left = size - n * LOG_TILE_WIDTH;
		unsigned width =
		    left >= LOG_TILE_WIDTH ? LOG_TILE_WIDTH : (unsigned)left;
		size_t tile_len, bundle_len;
		char reason[256];

		if (read_tile((void *)dir, log_tiles_path(path, 0, n, width),
		        tile, sizeof tile, &tile_len) != 0 ||
		    read_tile((void *)dir, log_tiles_path(path, -1, n, width),
		        bundle, LOG_TILE_WIDTH * (LOG_ENTRY_MAX + 2),
		        &bundle_len) != 0) {
			snprintf(why, why_size, "%s/%s is missing", dir, path);
			rc = -1;
			break;
		}
		if (log_tiles_bundle_check(bundle, bundle_len, tile, tile_len,
		        reason, sizeof reason) != 0) {
			snprintf(why, why_size, "%s/%s: %s", dir,
			    log_tiles_path(path, -1, n, width), reason);
			rc = -1;
			break;
		}
	}
	free(bundle);
	return rc;
}

static int
check_snapshot(const struct logcheck_request *req,
    const struct log_note_verifier *key, struct log_receipt_checks *checks,
    char *why, size_t why_size)
{
	char *dir = req->log_dir ? mem_strdup(req->log_dir)
	                         : logpub_default_dir(req->snapshot);
	char *path = mem_printf("%s/checkpoint", dir), *note;
	char reason[1024], day[DATE_BUFSIZE];
	struct log_checkpoint cp;
	struct snapshot *s = NULL;
	struct log_tree *tree = NULL;
	uint8_t root[LOG_HASH_SIZE];
	size_t len;
	int rc = -1, failed = 0;

	if ((note = slurp(path, &len)) == NULL) {
		snprintf(why, why_size, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (log_checkpoint_open(note, len, key, &cp, reason, sizeof reason) !=
	    LOG_NOTE_VERIFIED) {
		add(checks, "signature", 0, "%s: %s", path, reason);
		rc = 1;
		goto done;
	}
	add(checks, "signature", 1, "%s: %s, tree of %llu, signed by %s+%08x",
	    path, cp.origin, (unsigned long long)cp.size, key->name,
	    (unsigned)key->key_hash);

	if ((s = snapshot_open(req->snapshot, reason, sizeof reason)) == NULL) {
		add(checks, "snapshot", 0, "%s", reason);
		rc = 1;
		goto done;
	}
	date_format(cp.snapshot_date, day);
	if (snapshot_check(s, SNAPSHOT_CHECK_DIGEST, reason, sizeof reason) !=
	    0)
		failed = 1, add(checks, "snapshot", 0, "%s", reason);
	else if (strcmp(snapshot_meta(s)->sha256, cp.snapshot_sha256) != 0 ||
	         snapshot_meta(s)->as_of != cp.snapshot_date)
		failed = 1,
		add(checks, "snapshot", 0,
		    "%s is the snapshot of %s with SHA-256 %s; the "
		    "checkpoint signed the one of %s with %s",
		    req->snapshot,
		    date_format(
		        snapshot_meta(s)->as_of, (char[DATE_BUFSIZE]){0}),
		    snapshot_meta(s)->sha256, day, cp.snapshot_sha256);
	else
		add(checks, "snapshot", 1,
		    "%s: its content's SHA-256 %s and date %s are the "
		    "checkpoint's",
		    req->snapshot, cp.snapshot_sha256, day);

	if ((tree = snapshot_log_tree(s, NULL, reason, sizeof reason)) == NULL)
		failed = 1, add(checks, "log", 0, "%s", reason);
	else if (log_tree_size(tree) != cp.size)
		failed = 1, add(checks, "log", 0,
		                "the snapshot has %llu events, the checkpoint "
		                "signed %llu",
		                (unsigned long long)log_tree_size(tree),
		                (unsigned long long)cp.size);
	else if (log_tree_root(tree, cp.size, root, reason, sizeof reason) !=
	             0 ||
	         memcmp(root, cp.root, LOG_HASH_SIZE) != 0)
		failed = 1, add(checks, "log", 0,
		                "the snapshot's %llu events are not the tree "
		                "the checkpoint signed (another root)",
		                (unsigned long long)cp.size);
	else
		add(checks, "log", 1,
		    "the snapshot's %llu events are the tree signed",
		    (unsigned long long)cp.size);

	if (log_tiles_root(
	        cp.size, read_tile, dir, root, reason, sizeof reason) != 0)
		failed = 1, add(checks, "tiles", 0, "%s: %s", dir, reason);
	else if (memcmp(root, cp.root, LOG_HASH_SIZE) != 0)
		failed = 1, add(checks, "tiles", 0,
		                "%s: the tiles lead to another root", dir);
	else
		add(checks, "tiles", 1, "%s: the tiles give the root signed",
		    dir);

	if (check_bundles(dir, cp.size, reason, sizeof reason) != 0)
		failed = 1, add(checks, "bundles", 0, "%s", reason);
	else
		add(checks, "bundles", 1,
		    "every entry bundle hashes to its tile");
	rc = failed;
done:
	log_tree_free(tree);
	snapshot_close(s);
	free(note);
	free(path);
	free(dir);
	return rc;
}

int
logcheck_run(const struct logcheck_request *req,
    struct log_receipt_checks *checks, char *why, size_t why_size)
{
	struct log_note_verifier key;

	if (req->key == NULL && req->receipt == NULL) {
		snprintf(why, why_size,
		    "no --key: give the log's verifier key (NAME+hash+base64, "
		    "as the registry publishes it) or its file");
		return -1;
	}
	if (req->key != NULL && read_key(req->key, &key, why, why_size) != 0)
		return -1;
	/* Without a key the signature check fails, the others run. */
	if (req->receipt != NULL)
		return check_receipt(
		    req, req->key ? &key : NULL, checks, why, why_size);
	return check_snapshot(req, &key, checks, why, why_size);
}

/*
 * The signing step of a publish (see logpub.h).
 */
#define _GNU_SOURCE /* syncfs */
#include "registry/record/logpub.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/base/buf.h"
#include "registry/base/mem.h"
#include "registry/log/checkpoint.h"
#include "registry/log/entry.h"
#include "registry/log/key.h"
#include "registry/log/tiles.h"
#include "registry/log/tree.h"

#define STAGING ".staging"

struct logpub {
	char *dir, *staging;
	struct log_note_signer key;
	struct log_note_verifier verifier;
	struct log_tree *tree;
	struct log_tiles_bundler *bundler;
	uint64_t old_size;
	uint8_t old_root[LOG_HASH_SIZE];
	struct buf entry;
	char **staged; /* the paths of the bundles staged */
	size_t staged_count, staged_cap;
	int failed_io;
	char io_why[512];
	int signed_;
};

static void remove_tree(const char *path);

char *
logpub_default_dir(const char *snapshot)
{
	return mem_printf("%s.tlog", snapshot);
}

/* Makes every folder of `path` above its last component. */
static int
make_parents(const char *path)
{
	char *copy = mem_strdup(path);
	int rc = 0;

	for (char *p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	free(copy);
	return rc;
}

/* Writes `path` whole through a temporary file and a rename. */
static int
put_file(const char *path, const void *data, size_t len, int sync)
{
	char *tmp = mem_printf("%s.tmp-%ld", path, (long)getpid());
	size_t done = 0;
	int fd, rc = -1;

	if (make_parents(path) != 0)
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto out;
	while (done < len) {
		ssize_t n = write(fd, (const char *)data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		done += (size_t)n;
	}
	if (done == len && (!sync || fsync(fd) == 0) && close(fd) == 0) {
		rc = rename(tmp, path);
	} else {
		close(fd);
	}
	if (rc != 0)
		unlink(tmp);
out:
	free(tmp);
	return rc;
}

/* Reads `path` whole: its bytes (NUL-terminated) or NULL. */
static char *
read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= max)
		buf_put(&b, chunk, n);
	if (ferror(f) || b.len > max) {
		int error = ferror(f) ? EIO : EFBIG;

		fclose(f);
		buf_free(&b);
		errno = error;
		return NULL;
	}
	fclose(f);
	*len = b.len;
	buf_putc(&b, '\0');
	return buf_detach(&b);
}

static int
stage(void *arg, const char *path, const void *data, size_t len)
{
	struct logpub *lp = arg;
	char *full = mem_printf("%s/%s", lp->staging, path);
	int rc = put_file(full, data, len, 0);

	free(full);
	if (rc != 0) {
		snprintf(lp->io_why, sizeof lp->io_why, "%s/%s/%s: %s", lp->dir,
		    STAGING, path, strerror(errno));
		return -1;
	}
	if (lp->staged_count == lp->staged_cap) {
		lp->staged_cap = lp->staged_cap ? 2 * lp->staged_cap : 64;
		lp->staged = mem_realloc(
		    lp->staged, lp->staged_cap * sizeof *lp->staged);
	}
	lp->staged[lp->staged_count++] = mem_strdup(path);
	return 0;
}

static int
put_tile(void *arg, const char *path, const void *data, size_t len)
{
	struct logpub *lp = arg;
	char *full = mem_printf("%s/%s", lp->dir, path);
	int rc = put_file(full, data, len, 0);

	if (rc != 0)
		snprintf(lp->io_why, sizeof lp->io_why, "%s: %s", full,
		    strerror(errno));
	free(full);
	return rc;
}

struct logpub *
logpub_begin(
    const char *key_path, const char *log_dir, char *why, size_t why_size)
{
	struct logpub *lp = mem_calloc(1, sizeof *lp);
	char *path = NULL, *note = NULL, reason[512];
	struct log_checkpoint cp;
	size_t len = 0;

	lp->dir = mem_strdup(log_dir);
	log_merkle_empty_root(lp->old_root); /* a new log */
	if (log_key_load(key_path, &lp->key, why, why_size) != 0)
		goto fail;
	log_note_verifier_of(&lp->key, &lp->verifier);
	if (mkdir(log_dir, 0755) != 0 && errno != EEXIST) {
		snprintf(why, why_size, "%s: %s", log_dir, strerror(errno));
		goto fail;
	}
	path = mem_printf("%s/checkpoint", log_dir);
	note = read_file(path, 1 << 16, &len);
	if (note == NULL && errno != ENOENT) {
		snprintf(why, why_size, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (note != NULL) {
		if (log_checkpoint_open(note, len, &lp->verifier, &cp, reason,
		        sizeof reason) != LOG_NOTE_VERIFIED) {
			snprintf(why, why_size,
			    "%s: the last checkpoint does not open with the "
			    "key of %s (%s); a log keeps its key",
			    path, key_path, reason);
			goto fail;
		}
		lp->old_size = cp.size;
		memcpy(lp->old_root, cp.root, LOG_HASH_SIZE);
	}
	/* What a publish that did not finish staged goes first. */
	lp->staging = mem_printf("%s/" STAGING, log_dir);
	remove_tree(lp->staging);
	lp->tree = log_tree_new();
	lp->bundler = log_tiles_bundler_new(lp->old_size, stage, lp);
	free(path);
	free(note);
	return lp;
fail:
	free(path);
	free(note);
	logpub_free(lp);
	return NULL;
}

int
logpub_event(struct logpub *lp, const struct db_event_row *row, char *why,
    size_t why_size)
{
	struct log_entry e = {
	    .seq = row->id,
	    .kind = row->kind,
	    .number = row->number,
	    .organisation_id = row->organisation_id,
	    .effective_on = row->effective_on,
	    .recorded_at = row->recorded_at,
	    .reason = row->reason,
	    .reference = row->reference,
	    .deadline = row->deadline,
	    .target_seq = row->target_id,
	    .old_value = row->old_value,
	    .new_value = row->new_value,
	    .other_organisation_id = row->other_organisation_id,
	    .other_number = row->other_number,
	};
	char reason[256];

	buf_reset(&lp->entry);
	if (log_entry_encode(&e, &lp->entry, reason, sizeof reason) != 0) {
		snprintf(why, why_size, "event %lld cannot enter the log: %s",
		    row->id, reason);
		return -1;
	}
	log_tree_append_entry(lp->tree, lp->entry.data, lp->entry.len);
	if (log_tiles_bundler_add(lp->bundler, lp->entry.data, lp->entry.len) !=
	    0) {
		snprintf(why, why_size, "%s",
		    lp->io_why[0] ? lp->io_why : "an entry bundle failed");
		return -1;
	}
	return 0;
}

int
logpub_check(struct logpub *lp, char *why, size_t why_size)
{
	char reason[512];

	if (log_tiles_bundler_finish(lp->bundler) != 0) {
		snprintf(why, why_size, "%s",
		    lp->io_why[0] ? lp->io_why : "an entry bundle failed");
		return -1;
	}
	if (log_tree_check_extends(lp->tree, lp->old_size, lp->old_root, reason,
	        sizeof reason) != 0) {
		snprintf(why, why_size,
		    "refusing to sign: %s/checkpoint was signed for %llu "
		    "entries and %s; the log is append-only, so a registry "
		    "whose history was rewritten is not published",
		    lp->dir, (unsigned long long)lp->old_size, reason);
		return -1;
	}
	return 0;
}

/* Every staged bundle into its place in the log, then the staging
 * folder's own folders away. */
static int
move_staged(struct logpub *lp, char *why, size_t why_size)
{
	for (size_t i = 0; i < lp->staged_count; i++) {
		char *from = mem_printf("%s/%s", lp->staging, lp->staged[i]);
		char *to = mem_printf("%s/%s", lp->dir, lp->staged[i]);
		int rc = make_parents(to) == 0 ? rename(from, to) : -1;

		if (rc != 0)
			snprintf(why, why_size, "%s: %s", to, strerror(errno));
		free(from);
		free(to);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Removes the staging folder and what is left in it. */
static void
remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (d == NULL) {
		unlink(path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *child;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		child = mem_printf("%s/%s", path, de->d_name);
		remove_tree(child);
		free(child);
	}
	closedir(d);
	rmdir(path);
}

int
logpub_sign(struct logpub *lp, int as_of, const char *sha256,
    struct logpub_summary *summary, char *why, size_t why_size)
{
	struct log_checkpoint cp = {0};
	struct buf note = BUF_INIT, key = BUF_INIT;
	char reason[512], *path = NULL;
	int rc = -1, fd;

	memset(summary, 0, sizeof *summary);
	snprintf(cp.origin, sizeof cp.origin, "%s", lp->key.name);
	cp.size = log_tree_size(lp->tree);
	cp.snapshot_date = as_of;
	snprintf(cp.snapshot_sha256, sizeof cp.snapshot_sha256, "%s", sha256);
	if (log_tree_root(lp->tree, cp.size, cp.root, reason, sizeof reason) !=
	        0 ||
	    log_checkpoint_sign(&cp, &lp->key, &note, reason, sizeof reason) !=
	        0) {
		snprintf(why, why_size, "signing the checkpoint: %s", reason);
		goto done;
	}
	if (move_staged(lp, why, why_size) != 0)
		goto done;
	if (log_tiles_write(lp->tree, lp->old_size, cp.size, put_tile, lp) !=
	    0) {
		snprintf(why, why_size, "%s",
		    lp->io_why[0] ? lp->io_why : "a tile failed");
		goto done;
	}
	log_note_verifier_format(&lp->verifier, &key);
	buf_putc(&key, '\n');
	path = mem_printf("%s/verifier-key", lp->dir);
	if (put_file(path, key.data, key.len, 0) != 0)
		goto io;
	free(path);
	path = mem_printf(
	    "%s/checkpoints/%llu", lp->dir, (unsigned long long)cp.size);
	if (put_file(path, note.data, note.len, 0) != 0)
		goto io;
	/* The tiles on disk before the checkpoint that names them. */
	if ((fd = open(lp->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		syncfs(fd);
		close(fd);
	}
	free(path);
	path = mem_printf("%s/checkpoint", lp->dir);
	if (put_file(path, note.data, note.len, 1) != 0)
		goto io;
	lp->signed_ = 1;
	summary->size = cp.size;
	summary->old_size = lp->old_size;
	snprintf(summary->verifier, sizeof summary->verifier, "%.*s",
	    (int)key.len - 1, key.data);
	rc = 0;
	goto done;
io:
	snprintf(why, why_size, "%s: %s", path, strerror(errno));
done:
	free(path);
	buf_free(&note);
	buf_free(&key);
	return rc;
}

void
logpub_free(struct logpub *lp)
{
	if (lp == NULL)
		return;
	if (lp->staging != NULL)
		remove_tree(lp->staging);
	for (size_t i = 0; i < lp->staged_count; i++)
		free(lp->staged[i]);
	free(lp->staged);
	log_tiles_bundler_free(lp->bundler);
	log_tree_free(lp->tree);
	log_note_signer_clear(&lp->key);
	buf_free(&lp->entry);
	free(lp->staging);
	free(lp->dir);
	free(lp);
}

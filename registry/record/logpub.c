/*
 * The signing step of a publish (see logpub.h).
 */
#define _GNU_SOURCE /* syncfs */
#include "registry/record/logpub.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/base/buf.h"
#include "registry/base/mem.h"
#include "registry/base/queue.h"
#include "registry/log/checkpoint.h"
#include "registry/log/entry.h"
#include "registry/log/key.h"
#include "registry/log/tiles.h"

#define STAGING ".staging"
#define BATCH_BYTES (64 * 1024) /* encoded entries handed over at once */

/*
 * The hasher: a thread that turns encoded entries into leaves, hash
 * tiles and entry bundles (and their staged files) while the publish
 * goes on writing the snapshot.  Batches of entries, each a 4-byte
 * length and the entry's bytes, pass through a queue (base/queue.h).
 * Only the hasher touches the tiles writer, the bundler and the staging
 * until it is joined; a failure it meets (the reason in io_why) stops
 * the queue, so the next hand-over fails.
 */
struct hasher {
	pthread_t thread;
	struct queue queue;
	int failed;  /* the hasher met an error (io_why); read once joined */
	int running; /* started and not joined yet */
};

struct logpub {
	char *dir, *staging;
	struct log_note_signer key;
	struct log_note_verifier verifier;
	struct log_tiles_writer *tiles;
	struct log_tiles_bundler *bundler;
	uint64_t old_size;
	uint8_t old_root[LOG_HASH_SIZE];
	struct buf entry;
	struct buf batch; /* entries not yet handed to the hasher */
	struct hasher hasher;
	char *made; /* the last folder of the staging made, or NULL */
	char io_why[512];
	int signed_;
	int lock_fd; /* LOG/.lock, held while it lives: one publish a log */
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

/* Writes `len` bytes to the new file `path`: 0, or -1 with errno. */
static int
write_new(const char *path, const void *data, size_t len)
{
	size_t done = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t n = write(fd, (const char *)data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int error = errno;

			close(fd);
			errno = error;
			return -1;
		}
		done += (size_t)n;
	}
	return close(fd);
}

/*
 * A tile or bundle into the staging folder.  No temporary file and
 * rename: the staging folder is the publish's own, and what a killed
 * publish left there is removed by the next.  Tiles go in the log's
 * order, so the folders are made once, when the path's folder changes.
 */
static int
stage(void *arg, const char *path, const void *data, size_t len)
{
	struct logpub *lp = arg;
	char *full = mem_printf("%s/%s", lp->staging, path);
	const char *slash = strrchr(full, '/');
	size_t folder = (size_t)(slash - full);
	int rc = 0;

	if (lp->made == NULL || strlen(lp->made) != folder ||
	    memcmp(lp->made, full, folder) != 0) {
		free(lp->made);
		lp->made = NULL;
		if ((rc = make_parents(full)) == 0)
			lp->made = mem_strndup(full, folder);
	}
	if (rc == 0)
		rc = write_new(full, data, len);
	free(full);
	if (rc != 0) {
		snprintf(lp->io_why, sizeof lp->io_why, "%s/%s/%s: %s", lp->dir,
		    STAGING, path, strerror(errno));
		return -1;
	}
	return 0;
}

/* One batch of entries into the tree and the bundles: 0, or -1. */
static int
hash_batch(struct logpub *lp, const struct buf *batch)
{
	const unsigned char *at = (const unsigned char *)batch->data;
	const unsigned char *end = at + batch->len;
	uint8_t leaf[LOG_HASH_SIZE];

	while (at < end) {
		uint32_t len;

		memcpy(&len, at, sizeof len);
		at += sizeof len;
		log_merkle_leaf_hash(at, len, leaf);
		if (log_tiles_writer_add(lp->tiles, leaf) != 0 ||
		    log_tiles_bundler_add(lp->bundler, at, len) != 0)
			return -1;
		at += len;
	}
	return 0;
}

static void *
hasher_run(void *arg)
{
	struct logpub *lp = arg;
	struct hasher *h = &lp->hasher;
	struct buf work = BUF_INIT;

	while (queue_take(&h->queue, &work))
		if (hash_batch(lp, &work) != 0) {
			h->failed = 1;
			queue_stop(&h->queue);
			break;
		}
	buf_free(&work);
	return NULL;
}

/* The batch being filled to the hasher: 0, or -1 when it has failed. */
static int
hasher_push(struct logpub *lp)
{
	return queue_put(&lp->hasher.queue, &lp->batch);
}

/* Tells the hasher that no more batches come and waits for it: 0, or -1
 * when it failed.  Does nothing when it is not running. */
static int
hasher_join(struct logpub *lp)
{
	struct hasher *h = &lp->hasher;

	if (!h->running)
		return h->failed ? -1 : 0;
	queue_close(&h->queue);
	pthread_join(h->thread, NULL);
	h->running = 0;
	return h->failed ? -1 : 0;
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
	lp->lock_fd = -1;
	log_merkle_empty_root(lp->old_root); /* a new log */
	if (log_key_load(key_path, &lp->key, why, why_size) != 0)
		goto fail;
	log_note_verifier_of(&lp->key, &lp->verifier);
	if (mkdir(log_dir, 0755) != 0 && errno != EEXIST) {
		snprintf(why, why_size, "%s: %s", log_dir, strerror(errno));
		goto fail;
	}
	path = mem_printf("%s/.lock", log_dir);
	lp->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lp->lock_fd < 0 || flock(lp->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(why, why_size, "%s: %s", path,
		    errno == EWOULDBLOCK ? "another publish is signing this "
		                           "log; try again when it is done"
		                         : strerror(errno));
		goto fail;
	}
	free(path);
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
	lp->tiles = log_tiles_writer_new(lp->old_size, stage, lp);
	lp->bundler = log_tiles_bundler_new(lp->old_size, stage, lp);
	queue_init(&lp->hasher.queue);
	if (pthread_create(&lp->hasher.thread, NULL, hasher_run, lp) != 0) {
		snprintf(why, why_size, "%s: cannot start the log's hasher: %s",
		    log_dir, strerror(errno));
		goto fail;
	}
	lp->hasher.running = 1;
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
	uint32_t len;

	buf_reset(&lp->entry);
	if (log_entry_encode(&e, &lp->entry, reason, sizeof reason) != 0) {
		snprintf(why, why_size, "event %lld cannot enter the log: %s",
		    row->id, reason);
		return -1;
	}
	/* log_entry_encode() keeps it within LOG_ENTRY_MAX bytes. */
	len = (uint32_t)lp->entry.len;
	buf_put(&lp->batch, &len, sizeof len);
	buf_put(&lp->batch, lp->entry.data, lp->entry.len);
	if (lp->batch.len >= BATCH_BYTES && hasher_push(lp) != 0) {
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

	if (hasher_push(lp) != 0 || hasher_join(lp) != 0 ||
	    log_tiles_bundler_finish(lp->bundler) != 0 ||
	    log_tiles_writer_finish(lp->tiles) != 0) {
		snprintf(why, why_size, "%s",
		    lp->io_why[0] ? lp->io_why : "an entry bundle failed");
		return -1;
	}
	if (log_tiles_writer_check_extends(
	        lp->tiles, lp->old_root, reason, sizeof reason) != 0) {
		snprintf(why, why_size,
		    "refusing to sign: %s/checkpoint was signed for %llu "
		    "entries and %s; the log is append-only, so a registry "
		    "whose history was rewritten is not published",
		    lp->dir, (unsigned long long)lp->old_size, reason);
		return -1;
	}
	return 0;
}

/*
 * Everything staged in the folder `from` into its place in `to`: a
 * folder `to` does not have yet is moved whole (one rename: the first
 * publish of a log moves its "tile" folder at once), the others entry by
 * entry.
 */
static int
move_staged(const char *from, const char *to, char *why, size_t why_size)
{
	DIR *d = opendir(from);
	struct dirent *de;
	int rc = 0;

	if (d == NULL && errno == ENOENT)
		return 0; /* nothing was staged: no new entries */
	if (d == NULL) {
		snprintf(why, why_size, "%s: %s", from, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char *src, *dst;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		src = mem_printf("%s/%s", from, de->d_name);
		dst = mem_printf("%s/%s", to, de->d_name);
		if (lstat(dst, &st) == 0 && S_ISDIR(st.st_mode))
			rc = move_staged(src, dst, why, why_size);
		else if (rename(src, dst) != 0) {
			snprintf(why, why_size, "%s: %s", dst, strerror(errno));
			rc = -1;
		}
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
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
	cp.size = log_tiles_writer_size(lp->tiles);
	cp.snapshot_date = as_of;
	snprintf(cp.snapshot_sha256, sizeof cp.snapshot_sha256, "%s", sha256);
	log_tiles_writer_root(lp->tiles, cp.root);
	if (log_checkpoint_sign(&cp, &lp->key, &note, reason, sizeof reason) !=
	    0) {
		snprintf(why, why_size, "signing the checkpoint: %s", reason);
		goto done;
	}
	/* The tiles and bundles, staged as the events went by. */
	if (move_staged(lp->staging, lp->dir, why, why_size) != 0)
		goto done;
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
	if (lp->bundler != NULL) { /* the hasher was set up */
		hasher_join(lp);
		queue_free(&lp->hasher.queue);
	}
	if (lp->staging != NULL)
		remove_tree(lp->staging);
	if (lp->lock_fd >= 0)
		close(lp->lock_fd); /* and with it the lock */
	free(lp->made);
	log_tiles_bundler_free(lp->bundler);
	log_tiles_writer_free(lp->tiles);
	log_note_signer_clear(&lp->key);
	buf_free(&lp->entry);
	buf_free(&lp->batch);
	free(lp->staging);
	free(lp->dir);
	free(lp);
}

/*
 * memo: the digests of the files the previous build wrote (memo.h).  Two
 * maps of output path to entry: the previous build's, read by the workers
 * without a lock, and the build going on's, filled under one.
 */
#include "site/memo.h"

#include <errno.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/base/mem.h"
#include "site/fs.h"
#include "site/strmap.h"

struct entry {
	unsigned char digest[MEMO_DIGEST];
	int staged; /* written into the staging folder by this build */
};

struct memo {
	struct strmap *previous, *next;   /* rel -> struct entry */
	char *out;                        /* the previous build's output */
	unsigned char theme[MEMO_DIGEST]; /* theme and base URL */
	int in_place; /* previous describes the output folder */
	size_t kept, written;
	pthread_mutex_t lock;
};

struct memo *
memo_new(void)
{
	struct memo *m = mem_calloc(1, sizeof *m);
	m->previous = strmap_new();
	m->next = strmap_new();
	pthread_mutex_init(&m->lock, NULL);
	return m;
}

static void
free_value(void *ctx, const char *key, void *value)
{
	(void)ctx;
	(void)key;
	free(value);
}

static void
map_free(struct strmap *map)
{
	strmap_each(map, free_value, NULL);
	strmap_free(map);
}

void
memo_free(struct memo *m)
{
	if (m == NULL)
		return;
	map_free(m->previous);
	map_free(m->next);
	free(m->out);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

/* A string with its length first, so that no two inputs run together. */
static void
hash_field(struct sha256_ctx *h, const char *s, size_t len)
{
	uint8_t n[8];
	for (int i = 0; i < 8; i++)
		n[i] = (uint8_t)((uint64_t)len >> (8 * i));
	sha256_update(h, sizeof n, n);
	sha256_update(h, len, (const uint8_t *)s);
}

void
memo_begin(struct memo *m, const char *out, const struct theme *theme,
    const char *base_url)
{
	struct sha256_ctx h;
	sha256_init(&h);
	for (size_t i = 0; i < theme->count; i++) {
		const struct theme_file *f = &theme->files[i];
		hash_field(&h, f->name, strlen(f->name));
		hash_field(&h, f->data, f->len);
	}
	const char *base = base_url ? base_url : "";
	hash_field(&h, base, strlen(base));
	sha256_digest(&h, MEMO_DIGEST, m->theme);
	struct stat st;
	if (m->out == NULL || strcmp(m->out, out) != 0 || stat(out, &st) != 0 ||
	    !S_ISDIR(st.st_mode)) {
		/* another output folder, or none: nothing of the last applies
		 */
		free(m->out);
		m->out = mem_strdup(out);
		map_free(m->previous);
		m->previous = strmap_new();
	}
	m->in_place = strmap_count(m->previous) > 0;
	map_free(m->next);
	m->next = strmap_new();
	m->kept = m->written = 0;
}

static int
hash_json(const char *buffer, size_t size, void *data)
{
	sha256_update(data, size, (const uint8_t *)buffer);
	return 0;
}

void
memo_digest_page(const struct memo *m, const char *name, json_t *ctx,
    unsigned char digest[MEMO_DIGEST])
{
	struct sha256_ctx h;
	sha256_init(&h);
	sha256_update(&h, MEMO_DIGEST, m->theme);
	hash_field(&h, name, strlen(name));
	json_dump_callback(ctx, hash_json, &h,
	    JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
	sha256_digest(&h, MEMO_DIGEST, digest);
}

void
memo_digest_bytes(
    const void *data, size_t len, unsigned char digest[MEMO_DIGEST])
{
	struct sha256_ctx h;
	sha256_init(&h);
	hash_field(&h, "bytes", 5);
	hash_field(&h, data, len);
	sha256_digest(&h, MEMO_DIGEST, digest);
}

static void
put(struct memo *m, const char *rel, const unsigned char digest[MEMO_DIGEST],
    int staged)
{
	struct entry *e = mem_alloc(sizeof *e);
	memcpy(e->digest, digest, MEMO_DIGEST);
	e->staged = staged;
	pthread_mutex_lock(&m->lock);
	free(strmap_get(m->next, rel));
	strmap_put(m->next, rel, e);
	if (staged)
		m->written++;
	else
		m->kept++;
	pthread_mutex_unlock(&m->lock);
}

int
memo_unchanged(
    struct memo *m, const char *rel, const unsigned char digest[MEMO_DIGEST])
{
	if (!m->in_place)
		return 0;
	const struct entry *had = strmap_get(m->previous, rel);
	if (had == NULL || memcmp(had->digest, digest, MEMO_DIGEST) != 0)
		return 0;
	put(m, rel, digest, 0);
	return 1;
}

void
memo_record(
    struct memo *m, const char *rel, const unsigned char digest[MEMO_DIGEST])
{
	put(m, rel, digest, 1);
}

static void
keep_one(void *ctx, const char *rel, void *value)
{
	struct memo *m = ctx;
	const struct entry *had = value;
	if (!strmap_has(m->next, rel))
		put(m, rel, had->digest, 0);
}

void
memo_keep_rest(struct memo *m)
{
	strmap_each(m->previous, keep_one, m);
}

int
memo_in_place(const struct memo *m)
{
	return m->in_place;
}

struct finish {
	struct memo *memo;
	const char *staging;
	struct buf *err;
	int failed;
};

/* A file written: from the staging folder into the output folder. */
static void
move_in(void *ctx, const char *rel, void *value)
{
	struct finish *f = ctx;
	const struct entry *e = value;
	if (f->failed || !e->staged)
		return;
	struct buf from = BUF_INIT, to = BUF_INIT;
	buf_printf(&from, "%s/%s", f->staging, rel);
	buf_printf(&to, "%s/%s", f->memo->out, rel);
	int rc = rename(from.data, to.data);
	if (rc != 0 && errno == ENOENT) { /* a new folder */
		char *slash = strrchr(to.data, '/');
		*slash = '\0';
		rc = fs_mkdir_p(to.data, f->err);
		*slash = '/';
		if (rc == 0)
			rc = rename(from.data, to.data);
	}
	/* and its precompressed copy, when the build wrote one (site/gzip.h) */
	if (rc == 0) {
		buf_puts(&from, ".gz");
		buf_puts(&to, ".gz");
		rc = rename(from.data, to.data);
		if (rc != 0 && errno == ENOENT)
			rc = unlink(to.data) != 0 && errno != ENOENT ? -1 : 0;
	}
	if (rc != 0) {
		if (f->err->len == 0)
			buf_printf(f->err, "%s: cannot move into place: %s",
			    to.data, strerror(errno));
		f->failed = 1;
	}
	buf_free(&from);
	buf_free(&to);
}

/* A file the build no longer writes: removed, and its folders if empty. */
static void
remove_stale(void *ctx, const char *rel, void *value)
{
	struct finish *f = ctx;
	(void)value;
	if (f->failed || strmap_has(f->memo->next, rel))
		return;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", f->memo->out, rel);
	if (unlink(path.data) != 0 && errno != ENOENT) {
		buf_printf(f->err, "%s: cannot remove: %s", path.data,
		    strerror(errno));
		f->failed = 1;
	}
	buf_puts(&path, ".gz"); /* its precompressed copy, if any */
	if (unlink(path.data) != 0 && errno != ENOENT) {
		buf_printf(f->err, "%s: cannot remove: %s", path.data,
		    strerror(errno));
		f->failed = 1;
	}
	path.data[path.len -= 3] = '\0';
	size_t base = strlen(f->memo->out);
	for (char *slash; (slash = strrchr(path.data, '/')) != NULL &&
	                  (size_t)(slash - path.data) > base;) {
		*slash = '\0';
		if (rmdir(path.data) != 0)
			break; /* not empty: the folders above are not either */
	}
	buf_free(&path);
}

int
memo_finish(struct memo *m, const char *staging, struct buf *err)
{
	struct finish f = {m, staging, err, 0};
	strmap_each(m->next, move_in, &f);
	strmap_each(m->previous, remove_stale, &f);
	if (fs_remove_tree(staging, err) != 0)
		f.failed = 1;
	if (f.failed) { /* the folder is not known any more */
		map_free(m->previous);
		m->previous = strmap_new();
		map_free(m->next);
		m->next = strmap_new();
		return -1;
	}
	return 0;
}

void
memo_end(struct memo *m, int ok)
{
	if (ok) {
		map_free(m->previous);
		m->previous = m->next;
	} else {
		map_free(m->next);
	}
	m->next = strmap_new();
}

void
memo_counts(const struct memo *m, size_t *kept, size_t *written)
{
	*kept = m->kept;
	*written = m->written;
}

/*
 * memo: the digests of the pages the previous build rendered (memo.h).
 * Two maps of output path to digest: the previous build's, read by the
 * workers without a lock, and the build going on's, filled under one.
 */
#include "site/memo.h"

#include <nettle/sha2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"
#include "site/strmap.h"

struct memo {
	struct strmap *previous, *next; /* rel -> unsigned char[MEMO_DIGEST] */
	char *out;                      /* the previous build's output */
	unsigned char theme[MEMO_DIGEST]; /* theme and base URL */
	size_t reused, rendered;
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
	unsigned char n[8];
	for (int i = 0; i < 8; i++)
		n[i] = (unsigned char)((uint64_t)len >> (8 * i));
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
	if (m->out == NULL || strcmp(m->out, out) != 0) {
		/* another output folder: nothing of the last one applies */
		free(m->out);
		m->out = mem_strdup(out);
		map_free(m->previous);
		m->previous = strmap_new();
	}
	map_free(m->next);
	m->next = strmap_new();
	m->reused = m->rendered = 0;
}

static int
hash_json(const char *buffer, size_t size, void *data)
{
	sha256_update(data, size, (const uint8_t *)buffer);
	return 0;
}

void
memo_digest(const struct memo *m, const char *name, json_t *ctx,
    unsigned char digest[MEMO_DIGEST])
{
	struct sha256_ctx h;
	sha256_init(&h);
	sha256_update(&h, MEMO_DIGEST, m->theme);
	hash_field(&h, name, strlen(name));
	json_dump_callback(
	    ctx, hash_json, &h, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
	sha256_digest(&h, MEMO_DIGEST, digest);
}

int
memo_same(const struct memo *m, const char *rel,
    const unsigned char digest[MEMO_DIGEST], struct buf *path)
{
	const unsigned char *had = strmap_get(m->previous, rel);
	if (had == NULL || memcmp(had, digest, MEMO_DIGEST) != 0)
		return 0;
	buf_printf(path, "%s/%s", m->out, rel);
	return 1;
}

void
memo_record(
    struct memo *m, const char *rel, const unsigned char digest[MEMO_DIGEST])
{
	unsigned char *copy = mem_alloc(MEMO_DIGEST);
	memcpy(copy, digest, MEMO_DIGEST);
	pthread_mutex_lock(&m->lock);
	free(strmap_get(m->next, rel));
	strmap_put(m->next, rel, copy);
	pthread_mutex_unlock(&m->lock);
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
memo_count(struct memo *m, int reused)
{
	if (reused)
		__atomic_fetch_add(&m->reused, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&m->rendered, 1, __ATOMIC_RELAXED);
}

void
memo_counts(const struct memo *m, size_t *reused, size_t *rendered)
{
	*reused = m->reused;
	*rendered = m->rendered;
}

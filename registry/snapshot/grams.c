/*
 * Building and reading the short-piece index of names (see grams.h).
 * The builder reads every name once in id order, keeps each gram's ids
 * in memory as varint differences (about a byte an id), and writes the
 * grams in their sort order, block by block, so the table is filled in
 * key order.
 */
#include "registry/snapshot/grams.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"

struct gram {
	char key[SNAPSHOT_GRAM_MAX]; /* "" for an empty slot */
	unsigned char *ids;          /* varint differences */
	size_t len, cap;
	long long last; /* the last id added */
};

struct table {
	struct gram *slots;
	size_t size, used; /* size a power of two */
};

static uint32_t
hash_key(const char *key)
{
	uint32_t h = 2166136261u;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h;
}

static struct gram *
lookup(struct table *t, const char *key)
{
	size_t i = hash_key(key) & (t->size - 1);

	while (t->slots[i].key[0] && strcmp(t->slots[i].key, key) != 0)
		i = (i + 1) & (t->size - 1);
	return &t->slots[i];
}

static void
grow(struct table *t)
{
	struct table bigger = {
	    mem_calloc(t->size * 2, sizeof(struct gram)), t->size * 2, t->used};

	for (size_t i = 0; i < t->size; i++)
		if (t->slots[i].key[0])
			*lookup(&bigger, t->slots[i].key) = t->slots[i];
	free(t->slots);
	*t = bigger;
}

static size_t
put_varint(unsigned char *out, unsigned long long v)
{
	size_t n = 0;

	do {
		out[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			out[n] |= 0x80;
		n++;
	} while (v);
	return n;
}

/* Adds organisation `id` to the gram of the `len` bytes at `start`
 * (shorter than SNAPSHOT_GRAM_MAX), unless it has it already: ids come
 * in ascending order, so the gram has it when its last id is `id`. */
static void
add(struct table *t, const char *start, size_t len, long long id)
{
	char key[SNAPSHOT_GRAM_MAX];
	struct gram *g;

	memcpy(key, start, len);
	key[len] = '\0';
	if (2 * (t->used + 1) > t->size)
		grow(t);
	g = lookup(t, key);
	if (!g->key[0]) {
		memcpy(g->key, key, len + 1);
		t->used++;
	} else if (g->len > 0 && g->last == id) {
		return;
	}
	if (g->len + 10 > g->cap) {
		g->cap = g->cap ? 2 * g->cap : 16;
		g->ids = mem_realloc(g->ids, g->cap);
	}
	g->len +=
	    put_varint(g->ids + g->len, (unsigned long long)(id - g->last));
	g->last = id;
}

/* Length of the UTF-8 character at s (a lead byte and what follows). */
static size_t
char_len(const char *s)
{
	size_t n = 1;

	while (s[n] && ((unsigned char)s[n] & 0xc0) == 0x80)
		n++;
	return n;
}

/* Every one- and two-character piece of `name`, ASCII in lower case,
 * into the grams of organisation `id` (pieces too long for a key are
 * left out). */
static void
add_pieces(struct table *t, const char *name, long long id)
{
	size_t len = strlen(name);
	char *lower = mem_alloc(len + 1);

	for (size_t i = 0; i <= len; i++)
		lower[i] = (name[i] >= 'A' && name[i] <= 'Z')
		               ? (char)(name[i] + 32)
		               : name[i];
	for (const char *c = lower; *c;) {
		size_t one = char_len(c), two;
		if (one < SNAPSHOT_GRAM_MAX)
			add(t, c, one, id);
		if (c[one] &&
		    (two = one + char_len(c + one)) < SNAPSHOT_GRAM_MAX)
			add(t, c, two, id);
		c += one;
	}
	free(lower);
}

static int
compare_grams(const void *a, const void *b)
{
	const struct gram *x = *(struct gram *const *)a,
	                  *y = *(struct gram *const *)b;
	return strcmp(x->key, y->key);
}

static int
get_varint(
    const unsigned char *data, size_t size, size_t *at, unsigned long long *out)
{
	unsigned long long v = 0;
	int shift = 0;

	while (*at < size && shift < 63) {
		unsigned char b = data[(*at)++];
		v |= (unsigned long long)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return 0;
		}
		shift += 7;
	}
	return -1;
}

/* The bytes of `v` as a varint. */
static size_t
varint_len(unsigned long long v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/*
 * Encodes the block ids[0..count) (ascending, count >= 1) into out[]
 * (room for SNAPSHOT_GRAMS_BLOCK * 10 bytes) as grams.h says: the
 * bitmap when it is smaller than the varints, or when the first id is 0
 * (whose varint would read as the bitmap's mark).  How many bytes.
 */
static size_t
encode_block(const long long *ids, int count, unsigned char *out)
{
	unsigned long long first = (unsigned long long)ids[0],
	                   span = (unsigned long long)(ids[count - 1] - ids[0]);
	size_t varints = varint_len(first), bitmap;

	for (int i = 1; i < count; i++)
		varints +=
		    varint_len((unsigned long long)(ids[i] - ids[i - 1]));
	bitmap = 1 + varint_len(first) + span / 8 + 1;
	if (bitmap < varints || first == 0) {
		size_t head = 1 + put_varint(out + 1, first);
		out[0] = 0;
		memset(out + head, 0, span / 8 + 1);
		for (int i = 0; i < count; i++) {
			unsigned long long bit =
			    (unsigned long long)ids[i] - first;
			out[head + bit / 8] |= (unsigned char)(1u << (bit % 8));
		}
		return bitmap;
	}
	varints = put_varint(out, first);
	for (int i = 1; i < count; i++)
		varints += put_varint(
		    out + varints, (unsigned long long)(ids[i] - ids[i - 1]));
	return varints;
}

/* Writes gram g's blocks; 0, or -1 with `why`. */
static int
write_gram(sqlite3 *db, sqlite3_stmt *insert, const struct gram *g, char *why,
    size_t why_size)
{
	unsigned char block[SNAPSHOT_GRAMS_BLOCK * 10];
	long long ids[SNAPSHOT_GRAMS_BLOCK];
	size_t at = 0;
	long long id = 0;
	int count = 0;

	while (at < g->len) {
		unsigned long long delta;
		if (get_varint(g->ids, g->len, &at, &delta) != 0)
			break;
		id += (long long)delta;
		ids[count++] = id;
		if (count == SNAPSHOT_GRAMS_BLOCK || at >= g->len) {
			size_t used = encode_block(ids, count, block);
			int rc = sqlite3_bind_text(
			             insert, 1, g->key, -1, SQLITE_STATIC) |
			         sqlite3_bind_int64(insert, 2, id) |
			         sqlite3_bind_blob(insert, 3, block, (int)used,
			             SQLITE_STATIC);
			if (rc != SQLITE_OK ||
			    sqlite3_step(insert) != SQLITE_DONE) {
				snprintf(why, why_size,
				    "writing name_grams: %s",
				    sqlite3_errmsg(db));
				sqlite3_reset(insert);
				return -1;
			}
			sqlite3_reset(insert);
			count = 0;
		}
	}
	return 0;
}

int
snapshot_grams_build(
    sqlite3 *db, sqlite3_stmt *insert, char *why, size_t why_size)
{
	struct table t = {mem_calloc(1024, sizeof(struct gram)), 1024, 0};
	struct gram **sorted = NULL;
	sqlite3_stmt *names = NULL;
	size_t n = 0;
	int rc, ok = 0;

	if (sqlite3_prepare_v2(db,
	        "SELECT id, name FROM organisations UNION ALL "
	        "SELECT organisation_id, name FROM former_names ORDER BY 1",
	        -1, &names, NULL) != SQLITE_OK)
		goto sql_error;
	while ((rc = sqlite3_step(names)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(names, 0);
		const char *name = (const char *)sqlite3_column_text(names, 1);
		add_pieces(&t, name ? name : "", id);
	}
	if (rc != SQLITE_DONE)
		goto sql_error;
	sorted = mem_alloc((t.used + 1) * sizeof *sorted);
	for (size_t i = 0; i < t.size; i++)
		if (t.slots[i].key[0])
			sorted[n++] = &t.slots[i];
	qsort(sorted, n, sizeof *sorted, compare_grams);
	for (size_t i = 0; i < n; i++)
		if (write_gram(db, insert, sorted[i], why, why_size) != 0)
			goto done;
	ok = 1;
	goto done;
sql_error:
	snprintf(why, why_size, "indexing names: %s", sqlite3_errmsg(db));
done:
	sqlite3_finalize(names);
	for (size_t i = 0; i < t.size; i++)
		free(t.slots[i].ids);
	free(t.slots);
	free(sorted);
	return ok ? 0 : -1;
}

/* Decodes a bitmap block (grams.h), its mark already read. */
static int
decode_bitmap(const unsigned char *data, size_t size, size_t at, long long *ids)
{
	unsigned long long first;
	int n = 0;

	if (get_varint(data, size, &at, &first) != 0 ||
	    first > (unsigned long long)LLONG_MAX - 8 * (size - at))
		return -1;
	for (size_t byte = 0; at + byte < size; byte++)
		for (int bit = 0; bit < 8; bit++) {
			if (!(data[at + byte] & (1u << bit)))
				continue;
			if (n == SNAPSHOT_GRAMS_BLOCK)
				return -1;
			ids[n++] =
			    (long long)(first + 8 * byte + (unsigned)bit);
		}
	return n;
}

int
snapshot_grams_decode(const unsigned char *data, size_t size, long long *ids)
{
	size_t at = 0;
	long long id = 0;
	int n = 0;

	if (size > 0 && data[0] == 0)
		return decode_bitmap(data, size, 1, ids);
	while (at < size) {
		unsigned long long v;
		if (n == SNAPSHOT_GRAMS_BLOCK ||
		    get_varint(data, size, &at, &v) != 0)
			return -1;
		id = n == 0 ? (long long)v : id + (long long)v;
		ids[n++] = id;
	}
	return n;
}

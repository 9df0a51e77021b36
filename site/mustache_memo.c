/*
 * mustache_memo: the tables behind mustache_render_memo (mustache.h).  A
 * set keeps the values its caller declared unchanging (a hash set of
 * pointers, each holding a reference, so that no other value can take a
 * kept one's address while the set lives); a memo maps (template, section
 * node, kept value, kind) to the bytes that section rendered, each with
 * the names it read from outside the value and what they were.  The
 * renderer (mustache_render.c) records and replays; these functions only
 * store and find.
 */
#include "site/mustache_template.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Renderings kept per key: one per set of outside values (a sidebar
 * entry has one per folder depth); a key whose outside values change at
 * every render stops being recorded when it has this many. */
#define MEMO_VARIANTS 8

static size_t
pointer_hash(const void *p, size_t mask)
{
	return (size_t)(((uintptr_t)p * 0x9E3779B97F4A7C15ULL) >> 17) & mask;
}

static size_t
kept_slot(json_t **slots, size_t n, const json_t *v)
{
	size_t mask = n - 1, i = pointer_hash(v, mask);
	while (slots[i] != NULL && slots[i] != v)
		i = (i + 1) & mask;
	return i;
}

void
mustache_set_keep(struct mustache_set *set, json_t *value)
{
	if (value == NULL)
		return;
	if ((set->kept_used + 1) * 2 > set->kept_slots) {
		size_t n = set->kept_slots ? set->kept_slots * 2 : 1024;
		json_t **slots = mem_calloc(n, sizeof *slots);
		for (size_t i = 0; i < set->kept_slots; i++)
			if (set->kept[i])
				slots[kept_slot(slots, n, set->kept[i])] =
				    set->kept[i];
		free(set->kept);
		set->kept = slots;
		set->kept_slots = n;
	}
	size_t i = kept_slot(set->kept, set->kept_slots, value);
	if (set->kept[i] == NULL) {
		set->kept[i] = json_incref(value);
		set->kept_used++;
	}
}

int
mustache_set_kept(const struct mustache_set *set, const json_t *value)
{
	if (set->kept_used == 0 || value == NULL)
		return 0;
	return set->kept[kept_slot(set->kept, set->kept_slots, value)] != NULL;
}

void
mustache_set_drop_kept(struct mustache_set *set)
{
	for (size_t i = 0; i < set->kept_slots; i++)
		json_decref(set->kept[i]);
	free(set->kept);
	set->kept = NULL;
	set->kept_slots = set->kept_used = 0;
}

/* One key's renderings. */
struct memo_key {
	const struct template *t;
	size_t node;
	const json_t *value;
	int kind;
	struct memo_entry *entries; /* newest first */
	size_t count;
};

struct mustache_memo {
	unsigned long serial; /* the set's, when the entries were made */
	struct memo_key *keys;
	size_t slots, used;
};

struct mustache_memo *
mustache_memo_new(void)
{
	return mem_calloc(1, sizeof(struct mustache_memo));
}

static void
entry_free(struct memo_entry *e)
{
	while (e) {
		struct memo_entry *next = e->next;
		free(e); /* its deps and bytes are in the same block */
		e = next;
	}
}

static void
memo_clear(struct mustache_memo *memo)
{
	for (size_t i = 0; i < memo->slots; i++)
		entry_free(memo->keys[i].entries);
	free(memo->keys);
	memo->keys = NULL;
	memo->slots = memo->used = 0;
}

void
mustache_memo_free(struct mustache_memo *memo)
{
	if (memo == NULL)
		return;
	memo_clear(memo);
	free(memo);
}

void
mustache_memo_use(struct mustache_memo *memo, const struct mustache_set *set)
{
	if (memo->serial != set->serial) {
		memo_clear(memo);
		memo->serial = set->serial;
	}
}

static size_t
key_slot(const struct memo_key *keys, size_t n, const struct template *t,
    size_t node, const json_t *value, int kind)
{
	size_t mask = n - 1;
	size_t i =
	    pointer_hash(value, mask) ^ ((node * 31 + (size_t)kind) & mask);
	while (keys[i].t != NULL &&
	       (keys[i].t != t || keys[i].node != node ||
	           keys[i].value != value || keys[i].kind != kind))
		i = (i + 1) & mask;
	return i;
}

struct memo_entry *
mustache_memo_find(const struct mustache_memo *memo, const struct template *t,
    size_t node, const json_t *value, int kind)
{
	if (memo->used == 0)
		return NULL;
	const struct memo_key *k = &memo->keys[key_slot(
	    memo->keys, memo->slots, t, node, value, kind)];
	return k->t ? k->entries : NULL;
}

void
mustache_memo_store(struct mustache_memo *memo, const struct template *t,
    size_t node, const json_t *value, int kind, struct memo_entry *e)
{
	if ((memo->used + 1) * 2 > memo->slots) {
		size_t n = memo->slots ? memo->slots * 2 : 1024;
		struct memo_key *keys = mem_calloc(n, sizeof *keys);
		for (size_t i = 0; i < memo->slots; i++) {
			struct memo_key *k = &memo->keys[i];
			if (k->t)
				keys[key_slot(keys, n, k->t, k->node, k->value,
				    k->kind)] = *k;
		}
		free(memo->keys);
		memo->keys = keys;
		memo->slots = n;
	}
	struct memo_key *k = &memo->keys[key_slot(
	    memo->keys, memo->slots, t, node, value, kind)];
	if (k->t == NULL) {
		*k = (struct memo_key){t, node, value, kind, NULL, 0};
		memo->used++;
	}
	if (k->count == MEMO_VARIANTS) {
		entry_free(e);
		return;
	}
	e->next = k->entries;
	k->entries = e;
	k->count++;
}

/*
 * search: tokenizer and index writer.  Postings are built in one pass over
 * the documents (document numbers only grow, so each list stays sorted and
 * a repeated token in one document is skipped by looking at the list's
 * last entry), then each shard's tokens are sorted before writing, so the
 * files depend only on the documents.
 */
#include "site/search.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site/strmap.h"

struct postings {
	char *token;
	uint32_t *docs;
	size_t count, cap;
};

struct search_index {
	struct strmap *tokens; /* word -> struct postings */
	struct postings **han; /* Chinese tokens by code points (open
	                          addressing on han_keys) */
	uint64_t *han_keys;
	size_t han_slots, han_used;
	struct postings **all; /* in order of first appearance */
	size_t ntokens, cap;
	json_t *docs;     /* array of [url, title, heading, text] */
	uint32_t current; /* the document being added */
};

/* Decodes one UTF-8 character; returns its length (1 for a bad byte). */
static size_t
decode(const unsigned char *p, uint32_t *cp)
{
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
		return 2;
	}
	if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 &&
	    (p[2] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(p[0] & 0x0F) << 12) |
		      ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
		return 3;
	}
	if ((p[0] & 0xF8) == 0xF0 && (p[1] & 0xC0) == 0x80 &&
	    (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(p[0] & 0x07) << 18) |
		      ((uint32_t)(p[1] & 0x3F) << 12) |
		      ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
		return 4;
	}
	*cp = 0xFFFD;
	return 1;
}

static int
is_han(uint32_t c)
{
	return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0x20000 && c <= 0x3134F);
}

static void
encode(uint32_t c, struct buf *out)
{
	if (c < 0x80) {
		buf_putc(out, (int)c);
	} else if (c < 0x800) {
		buf_putc(out, (int)(0xC0 | (c >> 6)));
		buf_putc(out, (int)(0x80 | (c & 0x3F)));
	} else if (c < 0x10000) {
		buf_putc(out, (int)(0xE0 | (c >> 12)));
		buf_putc(out, (int)(0x80 | ((c >> 6) & 0x3F)));
		buf_putc(out, (int)(0x80 | (c & 0x3F)));
	} else {
		buf_putc(out, (int)(0xF0 | (c >> 18)));
		buf_putc(out, (int)(0x80 | ((c >> 12) & 0x3F)));
		buf_putc(out, (int)(0x80 | ((c >> 6) & 0x3F)));
		buf_putc(out, (int)(0x80 | (c & 0x3F)));
	}
}

/*
 * The tokenizer, calling word() for words and han() for Chinese tokens by
 * code point (second is 0 for a single character); search_tokens() and the
 * index both use it, so they cannot disagree.
 */
static void
scan(const char *text, void (*word_fn)(void *, const char *, size_t),
    void (*han_fn)(void *, uint32_t, uint32_t), void *ctx)
{
	const unsigned char *p = (const unsigned char *)text;
	struct buf word = BUF_INIT;
	uint32_t prev_han = 0; /* the previous character when it was Chinese */
	for (;;) {
		uint32_t c = 0;
		size_t n = *p ? decode(p, &c) : 0;
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0; /* full-width ASCII */
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && word.len) {
			word_fn(ctx, word.data, word.len);
			buf_reset(&word);
		}
		if (n == 0)
			break;
		if (alnum) {
			buf_putc(&word, (int)c);
			prev_han = 0;
		} else if (is_han(c)) {
			han_fn(ctx, c, 0);
			if (prev_han)
				han_fn(ctx, prev_han, c);
			prev_han = c;
		} else {
			prev_han = 0;
		}
		p += n;
	}
	buf_free(&word);
}

struct emit_ctx {
	void (*emit)(void *, const char *, size_t);
	void *ctx;
};

static void
emit_word(void *arg, const char *token, size_t len)
{
	struct emit_ctx *e = arg;
	e->emit(e->ctx, token, len);
}

static void
emit_han(void *arg, uint32_t first, uint32_t second)
{
	struct emit_ctx *e = arg;
	struct buf b = BUF_INIT;
	encode(first, &b);
	if (second)
		encode(second, &b);
	e->emit(e->ctx, b.data, b.len);
	buf_free(&b);
}

void
search_tokens(
    const char *text, void (*emit)(void *, const char *, size_t), void *ctx)
{
	struct emit_ctx e = {emit, ctx};
	scan(text, emit_word, emit_han, &e);
}

uint32_t
search_hash(const char *token, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)token[i];
		h *= 16777619u;
	}
	return h;
}

struct search_index *
search_index_new(void)
{
	struct search_index *index = mem_calloc(1, sizeof *index);
	index->tokens = strmap_new();
	index->docs = json_array();
	return index;
}

void
search_index_free(struct search_index *index)
{
	if (index == NULL)
		return;
	for (size_t i = 0; i < index->ntokens; i++) {
		free(index->all[i]->token);
		free(index->all[i]->docs);
		free(index->all[i]);
	}
	free(index->all);
	free(index->han);
	free(index->han_keys);
	strmap_free(index->tokens);
	json_decref(index->docs);
	free(index);
}

static struct postings *
new_postings(struct search_index *index, char *token)
{
	struct postings *p = mem_calloc(1, sizeof *p);
	p->token = token;
	if (index->ntokens == index->cap) {
		index->cap = index->cap ? index->cap * 2 : 1024;
		index->all =
		    mem_realloc(index->all, index->cap * sizeof *index->all);
	}
	index->all[index->ntokens++] = p;
	return p;
}

static void
add_doc(struct search_index *index, struct postings *p)
{
	if (p->count && p->docs[p->count - 1] == index->current)
		return;
	if (p->count == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4;
		p->docs = mem_realloc(p->docs, p->cap * sizeof *p->docs);
	}
	p->docs[p->count++] = index->current;
}

static void
add_word(void *ctx, const char *token, size_t len)
{
	struct search_index *index = ctx;
	char key[64];
	if (len >= sizeof key)
		return; /* a word this long is no one's query */
	memcpy(key, token, len);
	key[len] = '\0';
	struct postings *p = strmap_get(index->tokens, key);
	if (p == NULL) {
		p = new_postings(index, mem_strdup(key));
		strmap_put(index->tokens, key, p);
	}
	add_doc(index, p);
}

static size_t
han_slot(const struct search_index *index, uint64_t key)
{
	size_t mask = index->han_slots - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask;
	while (index->han[i] != NULL && index->han_keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

/* Chinese tokens are looked up by their code points: no strings to make. */
static void
add_han(void *ctx, uint32_t first, uint32_t second)
{
	struct search_index *index = ctx;
	if ((index->han_used + 1) * 2 > index->han_slots) {
		struct postings **old = index->han;
		uint64_t *old_keys = index->han_keys;
		size_t n = index->han_slots;
		index->han_slots = n ? n * 2 : 4096;
		index->han = mem_calloc(index->han_slots, sizeof *index->han);
		index->han_keys =
		    mem_calloc(index->han_slots, sizeof *index->han_keys);
		for (size_t i = 0; i < n; i++) {
			if (old[i] == NULL)
				continue;
			size_t j = han_slot(index, old_keys[i]);
			index->han[j] = old[i];
			index->han_keys[j] = old_keys[i];
		}
		free(old);
		free(old_keys);
	}
	uint64_t key = ((uint64_t)first << 21) | second;
	size_t i = han_slot(index, key);
	if (index->han[i] == NULL) {
		struct buf token = BUF_INIT;
		encode(first, &token);
		if (second)
			encode(second, &token);
		index->han[i] = new_postings(index, buf_detach(&token));
		index->han_keys[i] = key;
		index->han_used++;
	}
	add_doc(index, index->han[i]);
}

void
search_index_add(struct search_index *index, const char *url, const char *title,
    const char *heading, const char *text)
{
	index->current = (uint32_t)json_array_size(index->docs);
	json_array_append_new(index->docs,
	    json_pack("[s,s,s,s]", url, title, heading ? heading : "", text));
	scan(title, add_word, add_han, index);
	if (heading)
		scan(heading, add_word, add_han, index);
	scan(text, add_word, add_han, index);
}

void
search_index_set_data(struct search_index *index, json_t *data)
{
	json_t *doc = json_array_get(index->docs, index->current);

	if (doc && json_array_size(doc) == 4)
		json_array_append(doc, data);
	json_decref(data);
}

/* The id of a heading block with this text: the next of the page's
 * headings, from *next on, with the same text. */
static const char *
heading_id(const struct md_result *md, size_t *next, const char *text)
{
	while (*next < md->nheadings) {
		const struct md_heading *h = &md->headings[(*next)++];
		if (strcmp(h->text, text) == 0)
			return h->id;
	}
	return NULL;
}

/* One section of a page: page_url#id, or page_url for the page's top. */
static void
add_section(struct search_index *index, const char *page_url, const char *id,
    const char *title, const char *heading, const struct buf *text)
{
	struct buf url = BUF_INIT;
	buf_puts(&url, page_url);
	if (id)
		buf_printf(&url, "#%s", id);
	search_index_add(index, buf_str(&url), title, heading, buf_str(text));
	buf_free(&url);
}

void
search_index_add_page(struct search_index *index, const char *url,
    const char *title, const struct md_result *md)
{
	struct buf text = BUF_INIT;
	const char *heading = NULL, *id = NULL;
	size_t next = 0;
	for (size_t k = 0; k < md->nblocks; k++) {
		const struct md_block *blk = &md->blocks[k];
		if (blk->kind != MD_HEADING || blk->level > 3) {
			if (text.len)
				buf_putc(&text, ' ');
			if (blk->id) /* found by its requirement id too */
				buf_printf(&text, "%s ", blk->id);
			buf_puts(&text, blk->text);
			continue;
		}
		/* This heading ends the section before it, if that has a
		 * heading or some text. */
		if (text.len || heading)
			add_section(index, url, id, title, heading, &text);
		buf_reset(&text);
		heading = blk->text;
		id = heading_id(md, &next, blk->text);
	}
	add_section(index, url, id, title, heading, &text);
	buf_free(&text);
}

size_t
search_index_count(const struct search_index *index)
{
	return json_array_size(index->docs);
}

static int
compare_postings(const void *a, const void *b)
{
	const struct postings *const *pa = a, *const *pb = b;
	return strcmp((*pa)->token, (*pb)->token);
}

static int
write_json(int (*write)(void *, const char *, const char *, size_t), void *ctx,
    const char *name, json_t *value, size_t *bytes)
{
	char *text = json_dumps(value, JSON_COMPACT);
	size_t len = strlen(text);
	int rc = write(ctx, name, text, len);
	*bytes += len;
	free(text);
	return rc;
}

/* Tokens hold only ASCII letters, digits and Chinese characters, so they
 * need no escaping inside a JSON string. */
static void
put_postings(struct buf *out, const struct postings *p)
{
	if (out->len > 1)
		buf_putc(out, ',');
	buf_printf(out, "\"%s\":[", p->token);
	uint32_t last = 0;
	for (size_t k = 0; k < p->count; k++) {
		/* gaps between document numbers: shorter to send */
		char num[16], *end = num + sizeof num, *d = end;
		uint32_t gap = p->docs[k] - last;
		do
			*--d = (char)('0' + gap % 10);
		while ((gap /= 10) != 0);
		if (k)
			*--d = ',';
		buf_put(out, d, (size_t)(end - d));
		last = p->docs[k];
	}
	buf_putc(out, ']');
}

int
search_index_write(struct search_index *index,
    int (*write)(void *, const char *, const char *, size_t), void *ctx,
    size_t *bytes)
{
	*bytes = 0;
	if (index->ntokens > 1)
		qsort(index->all, index->ntokens, sizeof *index->all,
		    compare_postings);
	struct buf shards[SEARCH_INDEX_SHARDS];
	for (int i = 0; i < SEARCH_INDEX_SHARDS; i++) {
		shards[i] = (struct buf)BUF_INIT;
		buf_putc(&shards[i], '{');
	}
	for (size_t i = 0; i < index->ntokens; i++) {
		struct postings *p = index->all[i];
		size_t shard = search_hash(p->token, strlen(p->token)) %
		               SEARCH_INDEX_SHARDS;
		put_postings(&shards[shard], p);
	}
	int rc = 0;
	char name[64];
	for (int i = 0; i < SEARCH_INDEX_SHARDS; i++) {
		buf_putc(&shards[i], '}');
		snprintf(name, sizeof name, "search/index-%02d.json", i);
		if (rc == 0)
			rc = write(ctx, name, shards[i].data, shards[i].len);
		*bytes += shards[i].len;
		buf_free(&shards[i]);
	}
	size_t ndocs = json_array_size(index->docs);
	for (size_t start = 0; rc == 0 && start < ndocs;
	     start += SEARCH_DOCS_PER_SHARD) {
		json_t *shard = json_array();
		for (size_t k = start;
		     k < ndocs && k < start + SEARCH_DOCS_PER_SHARD; k++)
			json_array_append(
			    shard, json_array_get(index->docs, k));
		snprintf(name, sizeof name, "search/docs-%03zu.json",
		    start / SEARCH_DOCS_PER_SHARD);
		rc = write_json(write, ctx, name, shard, bytes);
		json_decref(shard);
	}
	if (rc == 0) {
		json_t *meta =
		    json_pack("{s:i, s:I, s:i, s:i}", "version", 1, "documents",
		        (json_int_t)ndocs, "index_shards", SEARCH_INDEX_SHARDS,
		        "docs_per_shard", SEARCH_DOCS_PER_SHARD);
		rc = write_json(write, ctx, "search/meta.json", meta, bytes);
		json_decref(meta);
	}
	return rc;
}

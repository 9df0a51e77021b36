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

#include "site/pool.h"
#include "site/strmap.h"

struct postings {
	char *token;
	uint32_t *docs;
	size_t count, cap;
	unsigned shard; /* search_hash(token) % SEARCH_INDEX_SHARDS */
	uint32_t seen;  /* search_index_replace_page's marks */
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
	/* what search_index_replace_page changed, for
	 * search_index_write_changed */
	unsigned char index_dirty[SEARCH_INDEX_SHARDS];
	unsigned char *docs_dirty; /* per docs shard */
	size_t docs_dirty_n;
	uint32_t stamp; /* the last mark given to postings.seen */
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
	free(index->docs_dirty);
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
	p->shard = search_hash(token, strlen(token)) % SEARCH_INDEX_SHARDS;
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

/* The postings of a word, made when missing; NULL for a word too long
 * to be anyone's query. */
static struct postings *
find_word(struct search_index *index, const char *token, size_t len)
{
	char key[64];
	if (len >= sizeof key)
		return NULL;
	memcpy(key, token, len);
	key[len] = '\0';
	struct postings *p = strmap_get(index->tokens, key);
	if (p == NULL) {
		p = new_postings(index, mem_strdup(key));
		strmap_put(index->tokens, key, p);
	}
	return p;
}

static void
add_word(void *ctx, const char *token, size_t len)
{
	struct search_index *index = ctx;
	struct postings *p = find_word(index, token, len);
	if (p)
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
static struct postings *
find_han(struct search_index *index, uint32_t first, uint32_t second)
{
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
	return index->han[i];
}

static void
add_han(void *ctx, uint32_t first, uint32_t second)
{
	struct search_index *index = ctx;
	add_doc(index, find_han(index, first, second));
}

/* A document; with from_markdown, heading and text are cmark-gfm's plain
 * text of input it read as UTF-8, so they are not checked again. */
static void
add_document(struct search_index *index, const char *url, const char *title,
    const char *heading, const char *text, int from_markdown)
{
	index->current = (uint32_t)json_array_size(index->docs);
	if (heading == NULL)
		heading = "";
	json_array_append_new(index->docs,
	    from_markdown ? json_pack("[s,s,o,o]", url, title,
	                        json_stringn_nocheck(heading, strlen(heading)),
	                        json_stringn_nocheck(text, strlen(text)))
	                  : json_pack("[s,s,s,s]", url, title, heading, text));
	scan(title, add_word, add_han, index);
	scan(heading, add_word, add_han, index);
	scan(text, add_word, add_han, index);
}

void
search_index_add(struct search_index *index, const char *url, const char *title,
    const char *heading, const char *text)
{
	add_document(index, url, title, heading, text, 0);
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

/* Calls fn(ctx, url, heading, text) for each section of a page: its url
 * page_url#id, or page_url for the page's top (search.h). */
static void
each_section(const char *page_url, const struct md_result *md,
    void (*fn)(
        void *ctx, const char *url, const char *heading, const char *text),
    void *ctx)
{
	struct buf text = BUF_INIT, url = BUF_INIT;
	const char *heading = NULL, *id = NULL;
	size_t next = 0;
	for (size_t k = 0; k <= md->nblocks; k++) {
		const struct md_block *blk =
		    k < md->nblocks ? &md->blocks[k] : NULL;
		if (blk && (blk->kind != MD_HEADING || blk->level > 3)) {
			if (text.len)
				buf_putc(&text, ' ');
			if (blk->id) /* found by its requirement id too */
				buf_printf(&text, "%s ", blk->id);
			buf_puts(&text, blk->text);
			continue;
		}
		/* This heading ends the section before it, if that has a
		 * heading or some text; the last section always ends. */
		if (blk == NULL || text.len || heading) {
			buf_reset(&url);
			buf_puts(&url, page_url);
			if (id)
				buf_printf(&url, "#%s", id);
			fn(ctx, buf_str(&url), heading, buf_str(&text));
		}
		if (blk == NULL)
			break;
		buf_reset(&text);
		heading = blk->text;
		id = heading_id(md, &next, blk->text);
	}
	buf_free(&text);
	buf_free(&url);
}

struct add_ctx {
	struct search_index *index;
	const char *title;
};

static void
add_section(void *ctx, const char *url, const char *heading, const char *text)
{
	struct add_ctx *a = ctx;
	add_document(a->index, url, a->title, heading, text, 1);
}

void
search_index_add_page(struct search_index *index, const char *url,
    const char *title, const struct md_result *md)
{
	struct add_ctx a = {index, title};
	each_section(url, md, add_section, &a);
}

/* The sections of a page as documents, for search_index_replace_page. */
struct collect_ctx {
	json_t *docs;
	const char *title;
};

static void
collect_section(
    void *ctx, const char *url, const char *heading, const char *text)
{
	struct collect_ctx *c = ctx;
	json_array_append_new(c->docs, json_pack("[s,s,s,s]", url, c->title,
	                                   heading ? heading : "", text));
}

/* Marks the postings of a document's tokens (postings.seen = mark), and
 * lists those not marked `both` before (for the old document, both is 0:
 * all of them). */
struct mark_ctx {
	struct search_index *index;
	uint32_t mark, both;
	struct postings **list;
	size_t n, cap;
};

static void
mark_postings(struct mark_ctx *m, struct postings *p)
{
	if (p == NULL || p->seen == m->mark)
		return;
	int in_both = m->both && p->seen == m->both;
	p->seen = m->mark;
	if (in_both)
		return;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->list = mem_realloc(m->list, m->cap * sizeof *m->list);
	}
	m->list[m->n++] = p;
}

static void
mark_word(void *ctx, const char *token, size_t len)
{
	struct mark_ctx *m = ctx;
	mark_postings(m, find_word(m->index, token, len));
}

static void
mark_han(void *ctx, uint32_t first, uint32_t second)
{
	struct mark_ctx *m = ctx;
	mark_postings(m, find_han(m->index, first, second));
}

/* Every token of a document [url, title, heading, text], marked. */
static void
mark_doc(struct mark_ctx *m, json_t *doc)
{
	for (size_t f = 1; f < 4; f++)
		scan(json_string_value(json_array_get(doc, f)), mark_word,
		    mark_han, m);
}

static void
remove_doc(struct postings *p, uint32_t doc)
{
	for (size_t k = 0; k < p->count; k++)
		if (p->docs[k] == doc) {
			memmove(&p->docs[k], &p->docs[k + 1],
			    (p->count - k - 1) * sizeof *p->docs);
			p->count--;
			return;
		}
}

static void
insert_doc(struct postings *p, uint32_t doc)
{
	size_t k = p->count;
	while (k > 0 && p->docs[k - 1] > doc)
		k--;
	if (k > 0 && p->docs[k - 1] == doc)
		return;
	if (p->count == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4;
		p->docs = mem_realloc(p->docs, p->cap * sizeof *p->docs);
	}
	memmove(&p->docs[k + 1], &p->docs[k], (p->count - k) * sizeof *p->docs);
	p->docs[k] = doc;
	p->count++;
}

int
search_index_replace_page(struct search_index *index, size_t first,
    size_t count, const char *url, const char *title,
    const struct md_result *md)
{
	json_t *docs = json_array();
	struct collect_ctx c = {docs, title};
	each_section(url, md, collect_section, &c);
	if (json_array_size(docs) != count ||
	    first + count > json_array_size(index->docs)) {
		json_decref(docs);
		return -1;
	}
	size_t nshards =
	    (json_array_size(index->docs) + SEARCH_DOCS_PER_SHARD - 1) /
	    SEARCH_DOCS_PER_SHARD;
	if (index->docs_dirty_n < nshards) {
		index->docs_dirty = mem_realloc(index->docs_dirty, nshards);
		memset(index->docs_dirty + index->docs_dirty_n, 0,
		    nshards - index->docs_dirty_n);
		index->docs_dirty_n = nshards;
	}
	for (size_t k = 0; k < count; k++) {
		uint32_t d = (uint32_t)(first + k);
		json_t *old = json_array_get(index->docs, d);
		json_t *now = json_array_get(docs, k);
		if (json_equal(old, now))
			continue;
		/* the old document's tokens, then the new one's: a token in
		 * both keeps its list, one in the old only loses d, one in
		 * the new only gains it */
		struct mark_ctx was = {index, ++index->stamp, 0, NULL, 0, 0};
		mark_doc(&was, old);
		struct mark_ctx is = {
		    index, ++index->stamp, was.mark, NULL, 0, 0};
		mark_doc(&is, now);
		for (size_t i = 0; i < is.n; i++) {
			insert_doc(is.list[i], d);
			index->index_dirty[is.list[i]->shard] = 1;
		}
		for (size_t i = 0; i < was.n; i++) {
			struct postings *p = was.list[i];
			if (p->seen != was.mark)
				continue; /* in the new one too */
			remove_doc(p, d);
			index->index_dirty[p->shard] = 1;
		}
		free(was.list);
		free(is.list);
		json_array_set(index->docs, d, now);
		index->docs_dirty[d / SEARCH_DOCS_PER_SHARD] = 1;
	}
	json_decref(docs);
	return 0;
}

size_t
search_index_count(const struct search_index *index)
{
	return json_array_size(index->docs);
}

/* By shard, then token: each shard's tokens in order, one after the
 * other. */
static int
compare_postings(const void *a, const void *b)
{
	const struct postings *const *pa = a, *const *pb = b;
	if ((*pa)->shard != (*pb)->shard)
		return (*pa)->shard < (*pb)->shard ? -1 : 1;
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

/* Writes index shard `shard` from its n tokens in list (sorted). */
static int
write_index_shard(unsigned shard, struct postings *const *list, size_t n,
    int (*write)(void *, const char *, const char *, size_t), void *ctx,
    size_t *bytes)
{
	struct buf out = BUF_INIT;
	char name[64];
	buf_putc(&out, '{');
	for (size_t i = 0; i < n; i++)
		if (list[i]->count) /* a token no document has now */
			put_postings(&out, list[i]);
	buf_putc(&out, '}');
	snprintf(name, sizeof name, "search/index-%02u.json", shard);
	int rc = write(ctx, name, out.data, out.len);
	*bytes += out.len;
	buf_free(&out);
	return rc;
}

/* json_dump_callback's writer into a struct buf. */
static int
append_json(const char *text, size_t len, void *out)
{
	buf_put(out, text, len);
	return 0;
}

/* Writes the docs shard that begins at document `start`: each document as
 * Jansson writes it (straight into the shard, no copy of its own), in an
 * array, which is the bytes json_dumps gives for the array itself.  It only
 * reads the documents, so shards can be written on several threads at once. */
static int
write_docs_shard(struct search_index *index, size_t start,
    int (*write)(void *, const char *, const char *, size_t), void *ctx,
    size_t *bytes)
{
	size_t ndocs = json_array_size(index->docs);
	char name[64];
	struct buf out = BUF_INIT;
	buf_putc(&out, '[');
	for (size_t k = start; k < ndocs && k < start + SEARCH_DOCS_PER_SHARD;
	     k++) {
		if (k > start)
			buf_putc(&out, ',');
		json_dump_callback(json_array_get(index->docs, k), append_json,
		    &out, JSON_COMPACT);
	}
	buf_putc(&out, ']');
	snprintf(name, sizeof name, "search/docs-%03zu.json",
	    start / SEARCH_DOCS_PER_SHARD);
	int rc = write(ctx, name, out.data, out.len);
	*bytes += out.len;
	buf_free(&out);
	return rc;
}

/* The files of search_index_write, one item each for pool_each: the index
 * shards 0 .. SEARCH_INDEX_SHARDS - 1, then the docs shards. */
struct shards_job {
	struct search_index *index;
	int (*write)(void *, const char *, const char *, size_t);
	void *ctx;
	size_t from[SEARCH_INDEX_SHARDS + 1]; /* shard s: index->all[from[s]]
	                                         .. [from[s + 1] - 1] */
	int *rc;                              /* per item */
	size_t *bytes;                        /* per item */
};

static void
write_shard_item(void *arg, size_t item)
{
	struct shards_job *job = arg;
	if (item < SEARCH_INDEX_SHARDS) {
		size_t from = job->from[item], to = job->from[item + 1];
		job->rc[item] =
		    write_index_shard((unsigned)item, job->index->all + from,
		        to - from, job->write, job->ctx, &job->bytes[item]);
	} else {
		job->rc[item] = write_docs_shard(job->index,
		    (item - SEARCH_INDEX_SHARDS) * SEARCH_DOCS_PER_SHARD,
		    job->write, job->ctx, &job->bytes[item]);
	}
}

/* Writes every index and docs shard on up to `threads` threads; the
 * result is the first failed file's, in the order of the files. */
static int
write_all_shards(struct search_index *index,
    int (*write)(void *, const char *, const char *, size_t), void *ctx,
    size_t *bytes, int threads)
{
	if (index->ntokens > 1)
		qsort(index->all, index->ntokens, sizeof *index->all,
		    compare_postings);
	struct shards_job job = {index, write, ctx, {0}, NULL, NULL};
	size_t at = 0;
	for (unsigned shard = 0; shard < SEARCH_INDEX_SHARDS; shard++) {
		job.from[shard] = at;
		while (at < index->ntokens && index->all[at]->shard == shard)
			at++;
	}
	job.from[SEARCH_INDEX_SHARDS] = at;
	size_t ndocs = json_array_size(index->docs);
	size_t n = SEARCH_INDEX_SHARDS +
	           (ndocs + SEARCH_DOCS_PER_SHARD - 1) / SEARCH_DOCS_PER_SHARD;
	job.rc = mem_calloc(n, sizeof *job.rc);
	job.bytes = mem_calloc(n, sizeof *job.bytes);
	struct pool_run run = {n, write_shard_item, &job, NULL, NULL};
	pool_each(&run, threads);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		*bytes += job.bytes[i];
		if (rc == 0)
			rc = job.rc[i];
	}
	free(job.rc);
	free(job.bytes);
	return rc;
}

/* Writes the shards marked in index_dirty: their tokens gathered in one
 * pass and sorted, shard by shard (not the whole index). */
static int
write_dirty_shards(struct search_index *index,
    int (*write)(void *, const char *, const char *, size_t), void *ctx,
    size_t *bytes)
{
	struct postings **list[SEARCH_INDEX_SHARDS] = {0};
	size_t n[SEARCH_INDEX_SHARDS] = {0}, cap[SEARCH_INDEX_SHARDS] = {0};
	for (size_t i = 0; i < index->ntokens; i++) {
		struct postings *p = index->all[i];
		unsigned s = p->shard;
		if (!index->index_dirty[s])
			continue;
		if (n[s] == cap[s]) {
			cap[s] = cap[s] ? cap[s] * 2 : 256;
			list[s] =
			    mem_realloc(list[s], cap[s] * sizeof *list[s]);
		}
		list[s][n[s]++] = p;
	}
	int rc = 0;
	for (unsigned s = 0; s < SEARCH_INDEX_SHARDS; s++) {
		if (rc == 0 && index->index_dirty[s]) {
			if (n[s] > 1)
				qsort(list[s], n[s], sizeof *list[s],
				    compare_postings);
			rc = write_index_shard(
			    s, list[s], n[s], write, ctx, bytes);
		}
		free(list[s]);
	}
	return rc;
}

static void
clear_dirty(struct search_index *index)
{
	memset(index->index_dirty, 0, sizeof index->index_dirty);
	if (index->docs_dirty)
		memset(index->docs_dirty, 0, index->docs_dirty_n);
}

int
search_index_write(struct search_index *index,
    int (*write)(void *, const char *, const char *, size_t), void *ctx,
    size_t *bytes, int threads)
{
	*bytes = 0;
	int rc = write_all_shards(index, write, ctx, bytes, threads);
	size_t ndocs = json_array_size(index->docs);
	if (rc == 0) {
		json_t *meta =
		    json_pack("{s:i, s:I, s:i, s:i}", "version", 1, "documents",
		        (json_int_t)ndocs, "index_shards", SEARCH_INDEX_SHARDS,
		        "docs_per_shard", SEARCH_DOCS_PER_SHARD);
		rc = write_json(write, ctx, "search/meta.json", meta, bytes);
		json_decref(meta);
	}
	clear_dirty(index);
	return rc;
}

int
search_index_write_changed(struct search_index *index,
    int (*write)(void *, const char *, const char *, size_t), void *ctx)
{
	size_t bytes = 0;
	int any = 0;
	for (size_t i = 0; i < SEARCH_INDEX_SHARDS; i++)
		any |= index->index_dirty[i];
	int rc = any ? write_dirty_shards(index, write, ctx, &bytes) : 0;
	for (size_t i = 0; rc == 0 && i < index->docs_dirty_n; i++)
		if (index->docs_dirty[i])
			rc = write_docs_shard(index, i * SEARCH_DOCS_PER_SHARD,
			    write, ctx, &bytes);
	clear_dirty(index);
	return rc;
}

/*
 * Unit tests of registryd's answer cache (registry/http/cache.c), and the
 * main of build/tests/unit_http_cache: every part of the key tells answers
 * apart (the snapshot's generation, the day, gzip, the path, the query and
 * a missing query from an empty one); a newer generation empties the cache
 * and an older one is refused; the bound holds, least recently used first
 * out; too large an answer is not kept; and eight threads storing and
 * reading at once only ever read what was stored for their key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/http/cache.h"

static struct http_cache_key
key_of(
    unsigned generation, int day, int gzip, const char *path, const char *query)
{
	struct http_cache_key key = {generation, day, gzip, path, query};
	return key;
}

/* Stores "H:<text>" / "B:<text>" for key. */
static int
put_text(struct http_cache *c, struct http_cache_key key, const char *text)
{
	char headers[256], body[256];

	snprintf(headers, sizeof headers, "H:%s\r\n", text);
	snprintf(body, sizeof body, "B:%s", text);
	return http_cache_put(
	    c, &key, 200, headers, strlen(headers), body, strlen(body));
}

/* The body kept for key ("" when none: then *found is 0). */
static const char *
get_text(struct http_cache *c, struct http_cache_key key, int *found)
{
	static struct buf headers, body;
	int status = 0;

	buf_reset(&headers);
	buf_reset(&body);
	*found = http_cache_get(c, &key, &status, &headers, &body);
	if (*found)
		assert_int_equal(status, 200);
	return buf_str(&body);
}

static void
test_round_trip(void **state)
{
	struct http_cache *c = http_cache_new(1 << 20);
	struct buf headers = BUF_INIT, body = BUF_INIT;
	struct http_cache_key key = key_of(1, 20000, 0, "/v1/meta", NULL);
	int status = 0;

	(void)state;
	assert_int_equal(http_cache_get(c, &key, &status, &headers, &body), 0);
	assert_int_equal(
	    http_cache_put(c, &key, 200, "ETag: \"x\"\r\n", 11, "{\"a\":1}", 7),
	    1);
	/* Appended to what the buffers hold. */
	buf_puts(&headers, "Before: 1\r\n");
	assert_int_equal(http_cache_get(c, &key, &status, &headers, &body), 1);
	assert_int_equal(status, 200);
	assert_string_equal(buf_str(&headers), "Before: 1\r\nETag: \"x\"\r\n");
	assert_string_equal(buf_str(&body), "{\"a\":1}");
	/* Binary bodies (gzip) keep their NUL bytes. */
	assert_int_equal(
	    http_cache_put(c, &key, 200, "", 0, "\x1f\x8b\0\0z", 5), 1);
	buf_reset(&body);
	buf_reset(&headers);
	assert_int_equal(http_cache_get(c, &key, &status, &headers, &body), 1);
	assert_int_equal(body.len, 5);
	assert_memory_equal(body.data, "\x1f\x8b\0\0z", 5);
	assert_int_equal(headers.len, 0);
	buf_free(&headers);
	buf_free(&body);
	http_cache_free(c);
	http_cache_free(NULL);
}

static void
test_key_parts(void **state)
{
	struct http_cache *c = http_cache_new(1 << 20);
	const char *path = "/v1/certificates/CNITSEC-CS1-2024-0001";
	struct http_cache_key keys[] = {
	    key_of(1, 20000, 0, path, NULL),
	    key_of(1, 20000, 1, path, NULL),               /* gzip */
	    key_of(1, 20001, 0, path, NULL),               /* another day */
	    key_of(1, 20000, 0, path, ""),                 /* "?" */
	    key_of(1, 20000, 0, path, "as_of=2025-01-01"), /* a query */
	    key_of(1, 20000, 0, path, "as_of=2025-01-02"),
	    key_of(1, 20000, 0, "/v1/certificates/CNITSEC-CS1-2024-0002", NULL),
	    /* The path and query do not run into each other. */
	    key_of(1, 20000, 0, "/v1/certificates", "q=a"),
	    key_of(1, 20000, 0, "/v1/certificatesq=a", NULL),
	    key_of(1, 20000, 0, "/v1/certificatesq", "=a"),
	};
	size_t n = sizeof keys / sizeof keys[0];
	char text[32];
	int found;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		snprintf(text, sizeof text, "%zu", i);
		assert_int_equal(put_text(c, keys[i], text), 1);
	}
	for (size_t i = 0; i < n; i++) {
		char want[40];
		snprintf(want, sizeof want, "B:%zu", i);
		assert_string_equal(get_text(c, keys[i], &found), want);
		assert_int_equal(found, 1);
	}
	/* The same key stored again replaces its answer. */
	assert_int_equal(put_text(c, keys[0], "again"), 1);
	assert_string_equal(get_text(c, keys[0], &found), "B:again");
	{
		struct http_cache_stats st;
		http_cache_stats(c, &st);
		assert_int_equal(st.entries, n);
	}
	http_cache_free(c);
}

static void
test_generations(void **state)
{
	struct http_cache *c = http_cache_new(1 << 20);
	struct http_cache_stats st;
	int found;

	(void)state;
	assert_int_equal(put_text(c, key_of(1, 1, 0, "/a", NULL), "one"), 1);
	assert_int_equal(put_text(c, key_of(1, 1, 0, "/b", NULL), "one"), 1);
	/* A newer snapshot: its key misses, and storing for it empties the
	 * cache of the old one. */
	get_text(c, key_of(2, 1, 0, "/a", NULL), &found);
	assert_int_equal(found, 0);
	assert_int_equal(put_text(c, key_of(2, 1, 0, "/a", NULL), "two"), 1);
	http_cache_stats(c, &st);
	assert_int_equal(st.entries, 1);
	get_text(c, key_of(1, 1, 0, "/b", NULL), &found);
	assert_int_equal(found, 0);
	assert_string_equal(
	    get_text(c, key_of(2, 1, 0, "/a", NULL), &found), "B:two");
	/* A request still on the old snapshot does not store its answer. */
	assert_int_equal(put_text(c, key_of(1, 1, 0, "/c", NULL), "old"), 0);
	get_text(c, key_of(1, 1, 0, "/c", NULL), &found);
	assert_int_equal(found, 0);
	http_cache_stats(c, &st);
	assert_int_equal(st.dropped, 1);
	http_cache_clear(c);
	http_cache_stats(c, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.bytes, 0);
	http_cache_free(c);
}

static void
test_bound(void **state)
{
	/* The smallest cache: 16 stripes of 64 KiB. */
	struct http_cache *c = http_cache_new(0);
	struct http_cache_stats st;
	char path[32], body[4000];
	int found, kept = 0;

	(void)state;
	memset(body, 'x', sizeof body);
	for (int i = 0; i < 2000; i++) {
		struct http_cache_key key;
		snprintf(path, sizeof path, "/v1/organisations/%d", i);
		key = key_of(1, 1, 0, path, NULL);
		assert_int_equal(
		    http_cache_put(c, &key, 200, "", 0, body, sizeof body), 1);
		/* The first one is asked for all the time: never the least
		 * recently used, it stays. */
		get_text(
		    c, key_of(1, 1, 0, "/v1/organisations/0", NULL), &found);
		assert_int_equal(found, 1);
	}
	http_cache_stats(c, &st);
	assert_true(st.bytes <= 16 * 64 * 1024);
	assert_true(st.entries < 2000);
	assert_int_equal(st.stored, 2000);
	assert_int_equal(st.evicted, 2000 - st.entries);
	/* The newest are there, the oldest (but the first) are not. */
	for (int i = 1990; i < 2000; i++) {
		snprintf(path, sizeof path, "/v1/organisations/%d", i);
		get_text(c, key_of(1, 1, 0, path, NULL), &found);
		kept += found;
	}
	assert_int_equal(kept, 10);
	get_text(c, key_of(1, 1, 0, "/v1/organisations/1", NULL), &found);
	assert_int_equal(found, 0);
	/* Larger than an eighth of a stripe: not kept. */
	{
		static char big[9000];
		struct http_cache_key key = key_of(1, 1, 0, "/big", NULL);
		assert_int_equal(
		    http_cache_put(c, &key, 200, "", 0, big, sizeof big), 0);
		get_text(c, key, &found);
		assert_int_equal(found, 0);
	}
	http_cache_free(c);
}

struct worker_arg {
	struct http_cache *cache;
	int id;
	int wrong; /* answers read that were not their key's */
};

static void *
hammer(void *p)
{
	struct worker_arg *a = p;
	struct buf headers = BUF_INIT, body = BUF_INIT;
	char path[32], want[64];

	for (int i = 0; i < 20000; i++) {
		int n = (i * 7 + a->id) % 300;
		unsigned generation = 1 + (unsigned)(i / 5000);
		struct http_cache_key key;
		snprintf(path, sizeof path, "/v1/organisations/%d", n);
		snprintf(want, sizeof want, "%u:%d", generation, n);
		key = key_of(generation, 1, n & 1, path, NULL);
		buf_reset(&headers);
		buf_reset(&body);
		if (http_cache_get(
		        a->cache, &key, &(int){0}, &headers, &body)) {
			if (strcmp(buf_str(&body), want) != 0)
				a->wrong++;
		} else {
			http_cache_put(
			    a->cache, &key, 200, "", 0, want, strlen(want));
		}
	}
	buf_free(&headers);
	buf_free(&body);
	return NULL;
}

static void
test_threads(void **state)
{
	struct http_cache *c = http_cache_new(256 * 1024);
	pthread_t threads[8];
	struct worker_arg args[8];
	struct http_cache_stats st;

	(void)state;
	for (int i = 0; i < 8; i++) {
		args[i] = (struct worker_arg){c, i, 0};
		assert_int_equal(
		    pthread_create(&threads[i], NULL, hammer, &args[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(args[i].wrong, 0);
	}
	http_cache_stats(c, &st);
	assert_true(st.hits > 0);
	assert_true(st.bytes <= 16 * 64 * 1024);
	http_cache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_key_parts),
	    cmocka_unit_test(test_generations),
	    cmocka_unit_test(test_bound),
	    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests_name("http_cache", tests, NULL, NULL);
}

/*
 * Precompressed copies (see gzip.h).  libdeflate compresses a whole buffer
 * at once, which is what a built file is; each thread keeps its own
 * compressor (they are not shared), made at its first file and freed when
 * the thread ends.
 */
#include "site/gzip.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

int
site_gzip_wanted(const char *rel, size_t len)
{
	static const char *const SUFFIXES[] = {".html", ".css", ".js", ".json",
	    ".xml", ".svg", ".txt", ".csv", ".webmanifest", ".atom"};
	size_t n = strlen(rel);

	if (len < SITE_GZIP_MIN)
		return 0;
	for (size_t i = 0; i < sizeof SUFFIXES / sizeof SUFFIXES[0]; i++) {
		size_t s = strlen(SUFFIXES[i]);
		if (n > s && strcmp(rel + n - s, SUFFIXES[i]) == 0)
			return 1;
	}
	return 0;
}

static pthread_key_t compressor_key;
static pthread_once_t compressor_once = PTHREAD_ONCE_INIT;

static void
free_compressor(void *c)
{
	libdeflate_free_compressor(c);
}

static void
make_key(void)
{
	if (pthread_key_create(&compressor_key, free_compressor) != 0)
		abort();
}

/* This thread's compressor, or NULL when none can be made. */
static struct libdeflate_compressor *
thread_compressor(void)
{
	pthread_once(&compressor_once, make_key);
	struct libdeflate_compressor *c = pthread_getspecific(compressor_key);
	if (c == NULL) {
		c = libdeflate_alloc_compressor(SITE_GZIP_LEVEL);
		if (c != NULL && pthread_setspecific(compressor_key, c) != 0) {
			libdeflate_free_compressor(c);
			c = NULL;
		}
	}
	return c;
}

int
site_gzip(const void *data, size_t len, struct buf *out)
{
	buf_reset(out);
	struct libdeflate_compressor *c = thread_compressor();
	if (c == NULL)
		return -1;
	/* libdeflate's gzip header holds no name and time 0. */
	size_t bound = libdeflate_gzip_compress_bound(c, len);
	buf_grow(out, bound);
	size_t n = libdeflate_gzip_compress(c, data, len, out->data, bound);
	if (n == 0)
		return -1;
	out->len = n;
	return 0;
}

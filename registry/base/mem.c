/*
 * Allocation helpers that abort on exhaustion (see mem.h).
 */
#include "registry/base/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
exhausted(size_t size)
{
	fprintf(stderr, "out of memory (%zu bytes)\n", size);
	abort();
}

void *
mem_alloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (p == NULL)
		exhausted(size);
	return p;
}

void *
mem_calloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (p == NULL)
		exhausted(count * size);
	return p;
}

void *
mem_realloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (p == NULL)
		exhausted(size);
	return p;
}

char *
mem_strndup(const char *text, size_t len)
{
	char *copy;

	if (text == NULL)
		return NULL;
	copy = mem_alloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	return copy;
}

char *
mem_strdup(const char *text)
{
	return text == NULL ? NULL : mem_strndup(text, strlen(text));
}

char *
mem_printf(const char *format, ...)
{
	va_list ap;
	int len;
	char *text;

	va_start(ap, format);
	len = vsnprintf(NULL, 0, format, ap);
	va_end(ap);
	if (len < 0)
		abort();
	text = mem_alloc((size_t)len + 1);
	va_start(ap, format);
	vsnprintf(text, (size_t)len + 1, format, ap);
	va_end(ap);
	return text;
}

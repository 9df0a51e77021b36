/*
 * Growable byte buffers (see api_buf.h).
 */
#include "registry/api_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/mem.h"

static void
reserve(struct api_buf *b, size_t more)
{
	size_t need = b->len + more + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 256;
	while (b->cap < need)
		b->cap *= 2;
	b->data = mem_realloc(b->data, b->cap);
}

void
api_buf_add(struct api_buf *b, const void *data, size_t len)
{
	reserve(b, len);
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
api_buf_puts(struct api_buf *b, const char *text)
{
	api_buf_add(b, text, strlen(text));
}

void
api_buf_putc(struct api_buf *b, char c)
{
	api_buf_add(b, &c, 1);
}

void
api_buf_printf(struct api_buf *b, const char *format, ...)
{
	va_list ap;
	int n;

	reserve(b, 64);
	va_start(ap, format);
	n = vsnprintf(b->data + b->len, b->cap - b->len, format, ap);
	va_end(ap);
	if (n < 0)
		abort();
	if ((size_t)n >= b->cap - b->len) {
		reserve(b, (size_t)n);
		va_start(ap, format);
		vsnprintf(b->data + b->len, b->cap - b->len, format, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

const char *
api_buf_str(const struct api_buf *b)
{
	return b->data ? b->data : "";
}

void
api_buf_reset(struct api_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
api_buf_free(struct api_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

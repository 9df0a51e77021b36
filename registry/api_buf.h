/*
 * A growable byte buffer for building response bodies and header blocks.
 * Allocation failure aborts (registry/mem.h), so appending cannot fail.
 * The data is always NUL-terminated after `len` bytes once anything has
 * been added, so it can be used as a C string.
 */
#ifndef REGISTRY_API_BUF_H
#define REGISTRY_API_BUF_H

#include <stddef.h>

struct api_buf {
	char *data; /* NULL until the first append; owned */
	size_t len;
	size_t cap;
};

void api_buf_add(struct api_buf *b, const void *data, size_t len);
void api_buf_puts(struct api_buf *b, const char *text);
void api_buf_putc(struct api_buf *b, char c);
void api_buf_printf(struct api_buf *b, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* The contents as a C string ("" when empty); owned by b. */
const char *api_buf_str(const struct api_buf *b);

/* Empties b, keeping its memory for reuse. */
void api_buf_reset(struct api_buf *b);

/* Frees the memory; b is then empty and reusable.  Accepts a zeroed b. */
void api_buf_free(struct api_buf *b);

#endif

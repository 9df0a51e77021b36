/*
 * buf: a growable byte buffer, always NUL-terminated, used to assemble
 * pages, response bodies, paths and messages.  Allocation failure aborts
 * (mem.h), so callers have no out-of-memory branches.  A zeroed struct buf
 * is empty and valid; buf_reset() empties it keeping its memory for reuse;
 * buf_free() releases it and leaves it empty again.
 */
#ifndef BASE_BUF_H
#define BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* NUL-terminated when len > 0 or after any put */
	size_t len; /* bytes used, not counting the NUL */
	size_t cap; /* bytes allocated */
};

#define BUF_INIT                                                               \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

#include "registry/base/mem.h"

void buf_grow(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, int c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends s with & < > " ' escaped for HTML text and attribute values. */
void buf_put_html(struct buf *b, const char *s, size_t len);
void buf_puts_html(struct buf *b, const char *s);
void buf_reset(struct buf *b);
/* Returns the contents as a string the caller frees; b is left empty. */
char *buf_detach(struct buf *b);
/* The contents as a string, "" when empty; valid until the next put. */
const char *buf_str(const struct buf *b);
void buf_free(struct buf *b);

#endif

/*
 * mem: allocation that never returns NULL.  On exhaustion the program
 * prints a message and aborts, so callers need no out-of-memory branches.
 * Every function that takes a string accepts NULL and returns NULL for it,
 * as free() accepts NULL: one contract for sitegen, registryctl and
 * registryd alike.
 */
#ifndef BASE_MEM_H
#define BASE_MEM_H

#include <stddef.h>

void *mem_alloc(size_t size);                /* caller frees */
void *mem_calloc(size_t count, size_t size); /* caller frees */
void *mem_realloc(void *ptr, size_t size);   /* caller frees */
char *mem_strdup(const char *text);          /* caller frees; NULL -> NULL */
/* The first len bytes of text as a string; caller frees; NULL -> NULL. */
char *mem_strndup(const char *text, size_t len);

/* printf into a new string; caller frees. */
char *mem_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif

/*
 * Allocation that never returns NULL: on exhaustion the program prints a
 * message and aborts, so callers need no out-of-memory branches.
 */
#ifndef REGISTRY_MEM_H
#define REGISTRY_MEM_H

#include <stddef.h>

void *mem_alloc(size_t size);                /* caller frees */
void *mem_calloc(size_t count, size_t size); /* caller frees */
void *mem_realloc(void *ptr, size_t size);   /* caller frees */
char *mem_strdup(const char *text);          /* caller frees; NULL -> NULL */

/* printf into a new string; caller frees. */
char *mem_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif

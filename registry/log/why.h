/*
 * The messages the log's modules leave for their callers: every function
 * that can fail takes a buffer `why` of `why_size` bytes (0 for none) and
 * writes there what went wrong.
 */
#ifndef REGISTRY_LOG_WHY_H
#define REGISTRY_LOG_WHY_H

#include <stddef.h>

/* Writes the printf-style message into `why` when why_size > 0; returns
 * -1, so that `return log_why(...)` fails with the message. */
int log_why(char *why, size_t why_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

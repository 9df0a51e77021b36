/*
 * Failure messages of the log's modules (see why.h).
 */
#include "registry/log/why.h"

#include <stdarg.h>
#include <stdio.h>

int
log_why(char *why, size_t why_size, const char *fmt, ...)
{
	va_list ap;

	if (why_size > 0) {
		va_start(ap, fmt);
		vsnprintf(why, why_size, fmt, ap);
		va_end(ap);
	}
	return -1;
}

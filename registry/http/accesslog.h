/*
 * The access log's writer: worker threads hand it whole lines, and one
 * thread of its own writes them to the file, many lines a write, so that
 * an answer costs no system call for its log line.
 *
 * A line is written at once when the log was idle, and otherwise with the
 * lines that came after it, at most one write a millisecond; so a line
 * reaches the file within about a millisecond of its answer, and under
 * load a write carries the lines of a millisecond.  Lines keep their
 * order and are never cut or mixed.  Nothing is dropped: when the file
 * cannot keep up and 4 MiB wait, the threads that add lines wait too.
 * http_accesslog_free() writes what is left before it returns, so a
 * server that stops on SIGTERM or SIGINT leaves a complete log.  A write
 * that fails drops its lines (as the direct write did).
 */
#ifndef REGISTRY_HTTP_ACCESSLOG_H
#define REGISTRY_HTTP_ACCESSLOG_H

#include <stddef.h>

struct http_accesslog;

/*
 * A writer of lines to `fd` (which stays the caller's to close, after
 * http_accesslog_free()).  NULL, with the reason in `why`, when its
 * thread cannot start.
 */
struct http_accesslog *http_accesslog_new(int fd, char *why, size_t why_size);

/* Writes every line added, then stops the thread.  Accepts NULL. */
void http_accesslog_free(struct http_accesslog *log);

/* Adds `len` bytes, one or more whole lines.  Any thread. */
void http_accesslog_add(
    struct http_accesslog *log, const char *line, size_t len);

#endif

/*
 * The access log's writer (see accesslog.h): a buffer the workers append
 * to under a mutex, and a thread that swaps it for an empty one and
 * writes it outside the lock.  The workers wake the thread only when it
 * waits with nothing to write, so under load the thread gathers lines
 * for up to a millisecond and wakes for them no oftener.
 */
#include "registry/http/accesslog.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "registry/base/buf.h"
#include "registry/base/mem.h"

#define LOG_GATHER_NS 1000000L     /* at most one write per millisecond */
#define LOG_SOON (256 * 1024)      /* this much waiting is written at once */
#define LOG_MOST (4 * 1024 * 1024) /* beyond this the workers wait */

enum writer_state {
	WRITER_IDLE,      /* waiting for a line */
	WRITER_GATHERING, /* waiting for the millisecond to end */
	WRITER_WRITING,
};

struct http_accesslog {
	int fd;
	pthread_mutex_t lock;
	pthread_cond_t wake; /* for the writer */
	pthread_cond_t room; /* for workers waiting for the buffer */
	struct buf pending;  /* lines not yet handed to write() */
	enum writer_state state;
	int stopping;
	pthread_t thread;
};

/* Writes all of data; a failure drops the rest. */
static void
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		data += n;
		len -= (size_t)n;
	}
}

static void
add_ns(struct timespec *t, long ns)
{
	t->tv_nsec += ns;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static void *
writer(void *arg)
{
	struct http_accesslog *log = arg;
	struct buf out = BUF_INIT;
	struct timespec next = {0, 0}, now;

	pthread_mutex_lock(&log->lock);
	for (;;) {
		log->state = WRITER_IDLE;
		while (log->pending.len == 0 && !log->stopping)
			pthread_cond_wait(&log->wake, &log->lock);
		if (log->pending.len == 0)
			break; /* stopping, and all written */
		/* The last write was less than a millisecond ago: gather
		 * until it is one, unless a lot is waiting or we stop. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		log->state = WRITER_GATHERING;
		while (!log->stopping && log->pending.len < LOG_SOON &&
		       (now.tv_sec < next.tv_sec ||
		           (now.tv_sec == next.tv_sec &&
		               now.tv_nsec < next.tv_nsec))) {
			pthread_cond_timedwait(&log->wake, &log->lock, &next);
			clock_gettime(CLOCK_MONOTONIC, &now);
		}
		log->state = WRITER_WRITING;
		{
			struct buf swap = log->pending;
			log->pending = out;
			out = swap;
		}
		pthread_cond_broadcast(&log->room);
		pthread_mutex_unlock(&log->lock);
		write_all(log->fd, out.data, out.len);
		buf_reset(&out);
		if (out.cap > LOG_MOST)
			buf_free(&out);
		clock_gettime(CLOCK_MONOTONIC, &next);
		add_ns(&next, LOG_GATHER_NS);
		pthread_mutex_lock(&log->lock);
	}
	pthread_mutex_unlock(&log->lock);
	buf_free(&out);
	return NULL;
}

struct http_accesslog *
http_accesslog_new(int fd, char *why, size_t why_size)
{
	struct http_accesslog *log = mem_calloc(1, sizeof *log);
	pthread_condattr_t attr;
	int rc;

	log->fd = fd;
	pthread_mutex_init(&log->lock, NULL);
	/* The gathering wait counts on the monotonic clock. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&log->wake, &attr);
	pthread_condattr_destroy(&attr);
	pthread_cond_init(&log->room, NULL);
	log->state = WRITER_WRITING; /* until the thread waits */
	if ((rc = pthread_create(&log->thread, NULL, writer, log)) != 0) {
		snprintf(why, why_size,
		    "cannot start the access log's thread: %s", strerror(rc));
		pthread_cond_destroy(&log->wake);
		pthread_cond_destroy(&log->room);
		pthread_mutex_destroy(&log->lock);
		free(log);
		return NULL;
	}
	return log;
}

void
http_accesslog_add(struct http_accesslog *log, const char *line, size_t len)
{
	pthread_mutex_lock(&log->lock);
	while (log->pending.len >= LOG_MOST && !log->stopping)
		pthread_cond_wait(&log->room, &log->lock);
	buf_put(&log->pending, line, len);
	if (log->state == WRITER_IDLE ||
	    (log->state == WRITER_GATHERING && log->pending.len >= LOG_SOON))
		pthread_cond_signal(&log->wake);
	pthread_mutex_unlock(&log->lock);
}

void
http_accesslog_free(struct http_accesslog *log)
{
	if (log == NULL)
		return;
	pthread_mutex_lock(&log->lock);
	log->stopping = 1;
	pthread_cond_signal(&log->wake);
	pthread_cond_broadcast(&log->room);
	pthread_mutex_unlock(&log->lock);
	pthread_join(log->thread, NULL);
	buf_free(&log->pending);
	pthread_cond_destroy(&log->wake);
	pthread_cond_destroy(&log->room);
	pthread_mutex_destroy(&log->lock);
	free(log);
}

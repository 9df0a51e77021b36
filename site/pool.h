/*
 * pool: runs one function over the numbers 0..n-1 on a few threads.  The
 * calling thread works too, so a pool of one thread is a plain loop.  Items
 * are handed out one at a time from a shared counter, so a slow item does
 * not hold up a whole share.  Nothing is kept between runs: threads start
 * and end with each pool_each.
 */
#ifndef POOL_H
#define POOL_H

#include <pthread.h>
#include <stddef.h>

/* Most threads a run uses, whatever it is asked for. */
#define POOL_MAX_THREADS 8

struct pool_run {
	size_t n;                           /* items: 0 .. n-1 */
	void (*fn)(void *ctx, size_t item); /* may run on any thread */
	void *ctx;
	const int *stop; /* when *stop becomes non-zero, no item is started;
	                    read atomically; may be NULL */
	/* Called on the calling thread after each item it finished, with how
	 * many are finished in all (any thread's); may be NULL. */
	void (*finished)(void *ctx, size_t done);
};

/*
 * Runs run->fn for every item on up to `threads` threads (the calling one
 * included; a thread that cannot be started only leaves more for the
 * others) and returns when all have ended.  Returns how many items were
 * finished: run->n unless *run->stop stopped the run.
 */
size_t pool_each(const struct pool_run *run, int threads);

/* One function run beside the calling thread (pool_aside). */
struct pool_aside {
	void (*fn)(void *ctx);
	void *ctx;
	pthread_t thread;
	int started; /* 1 while fn runs on a thread of its own */
};

/*
 * Starts fn(ctx) on a thread of its own when threads > 1, so the caller
 * goes on at once; with one thread, or when no thread can be started, runs
 * it here and returns when it has.  pool_aside_wait() waits for it to end;
 * until then the caller may not touch what fn writes.
 *
 *   struct pool_aside a;
 *   pool_aside_start(&a, make_index, &job, b->threads);
 *   ... work that leaves job's inputs as they are ...
 *   pool_aside_wait(&a);
 */
void pool_aside_start(
    struct pool_aside *a, void (*fn)(void *ctx), void *ctx, int threads);
void pool_aside_wait(struct pool_aside *a);

#endif

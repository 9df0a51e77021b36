/*
 * pool: every thread, the calling one included, takes the next item from
 * an atomic counter until none is left or the run is stopped; and one
 * function run on a thread beside the caller's.
 */
#include "site/pool.h"

struct pool_state {
	const struct pool_run *run;
	size_t next;    /* the next item to hand out */
	size_t done;    /* items finished */
	pthread_t main; /* the calling thread, which reports progress */
};

static void *
work(void *arg)
{
	struct pool_state *s = arg;
	const struct pool_run *run = s->run;
	for (;;) {
		size_t i = __atomic_fetch_add(&s->next, 1, __ATOMIC_RELAXED);
		if (i >= run->n ||
		    (run->stop && __atomic_load_n(run->stop, __ATOMIC_RELAXED)))
			break;
		run->fn(run->ctx, i);
		size_t done = __atomic_add_fetch(&s->done, 1, __ATOMIC_RELAXED);
		if (run->finished && pthread_equal(pthread_self(), s->main))
			run->finished(run->ctx, done);
	}
	return NULL;
}

size_t
pool_each(const struct pool_run *run, int threads)
{
	struct pool_state s = {run, 0, 0, pthread_self()};
	pthread_t tid[POOL_MAX_THREADS];
	int started = 0;
	for (int t = 1;
	     t < threads && t < POOL_MAX_THREADS && (size_t)t < run->n; t++)
		if (pthread_create(&tid[started], NULL, work, &s) == 0)
			started++;
	work(&s);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	return s.done;
}

static void *
aside(void *arg)
{
	struct pool_aside *a = arg;
	a->fn(a->ctx);
	return NULL;
}

void
pool_aside_start(
    struct pool_aside *a, void (*fn)(void *ctx), void *ctx, int threads)
{
	a->fn = fn;
	a->ctx = ctx;
	a->started =
	    threads > 1 && pthread_create(&a->thread, NULL, aside, a) == 0;
	if (!a->started)
		fn(ctx);
}

void
pool_aside_wait(struct pool_aside *a)
{
	if (a->started)
		pthread_join(a->thread, NULL);
	a->started = 0;
}

/*
 * The bounded queue of batches (see queue.h).
 */
#include "registry/base/queue.h"

#include <string.h>

void
queue_init(struct queue *q)
{
	memset(q, 0, sizeof *q);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->filled, NULL);
	pthread_cond_init(&q->emptied, NULL);
}

void
queue_free(struct queue *q)
{
	for (unsigned i = 0; i < QUEUE_DEPTH; i++)
		buf_free(&q->slots[i]);
	pthread_cond_destroy(&q->filled);
	pthread_cond_destroy(&q->emptied);
	pthread_mutex_destroy(&q->lock);
}

int
queue_put(struct queue *q, struct buf *batch)
{
	int stopped;

	pthread_mutex_lock(&q->lock);
	while (q->count == QUEUE_DEPTH && !q->stopped)
		pthread_cond_wait(&q->emptied, &q->lock);
	stopped = q->stopped;
	if (!stopped && batch->len > 0) {
		unsigned tail = (q->head + q->count) % QUEUE_DEPTH;
		struct buf empty = q->slots[tail];

		q->slots[tail] = *batch;
		*batch = empty;
		q->count++;
		pthread_cond_signal(&q->filled);
	}
	pthread_mutex_unlock(&q->lock);
	buf_reset(batch);
	return stopped ? -1 : 0;
}

void
queue_close(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = 1;
	pthread_cond_signal(&q->filled);
	pthread_mutex_unlock(&q->lock);
}

int
queue_take(struct queue *q, struct buf *batch)
{
	int got = 0;

	pthread_mutex_lock(&q->lock);
	while (q->count == 0 && !q->closed)
		pthread_cond_wait(&q->filled, &q->lock);
	if (q->count > 0) {
		struct buf full = q->slots[q->head];

		buf_reset(batch);
		q->slots[q->head] = *batch;
		*batch = full;
		q->head = (q->head + 1) % QUEUE_DEPTH;
		q->count--;
		pthread_cond_signal(&q->emptied);
		got = 1;
	}
	pthread_mutex_unlock(&q->lock);
	return got;
}

void
queue_stop(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->stopped = 1;
	pthread_cond_signal(&q->emptied);
	pthread_mutex_unlock(&q->lock);
}

int
queue_ready(struct queue *q)
{
	int ready;

	pthread_mutex_lock(&q->lock);
	ready = q->count > 0 || q->closed;
	pthread_mutex_unlock(&q->lock);
	return ready;
}

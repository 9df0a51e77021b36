/*
 * A bounded queue of byte batches between one producer thread and one
 * consumer thread: a ring of QUEUE_DEPTH buffers, swapped rather than
 * copied, so memory stays at QUEUE_DEPTH batches whatever goes through.
 * Either side may give up: the producer closes the queue (the consumer
 * takes what is left, then sees the end), the consumer stops it (the
 * producer's next put fails, and it should finish).
 */
#ifndef REGISTRY_BASE_QUEUE_H
#define REGISTRY_BASE_QUEUE_H

#include <pthread.h>

#include "registry/base/buf.h"

/* Batches waiting: deep enough that a side's bursts (a publish's writer
 * at an index, its feed at a slow stretch of the registry) seldom stop
 * the other; 64 of the publish's 64 KB batches are 4 MB. */
#define QUEUE_DEPTH 64

struct queue {
	pthread_mutex_t lock;
	pthread_cond_t filled, emptied;
	struct buf slots[QUEUE_DEPTH];
	unsigned head, count; /* the oldest full slot; how many are full */
	int closed;           /* the producer puts no more */
	int stopped;          /* the consumer takes no more */
};

void queue_init(struct queue *q);
void queue_free(struct queue *q);

/* Producer: hands `batch` over (it comes back empty), waiting while the
 * queue is full; an empty batch is not handed over.  0, or -1 when the
 * consumer has stopped. */
int queue_put(struct queue *q, struct buf *batch);

/* Producer: no more batches. */
void queue_close(struct queue *q);

/* Consumer: the oldest batch into `batch` (what it held is recycled),
 * waiting while the queue is empty: 1, or 0 when it is closed and
 * empty. */
int queue_take(struct queue *q, struct buf *batch);

/* Consumer: 1 when queue_take() would not wait (a batch is waiting, or
 * the queue is closed), else 0. */
int queue_ready(struct queue *q);

/* Consumer: takes no more; the producer's puts fail from now on. */
void queue_stop(struct queue *q);

#endif

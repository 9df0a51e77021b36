/*
 * The queue between a publish's threads (registry/base/queue.h): batches
 * come out in the order they went in, whole, however many the ring holds;
 * queue_ready() says when a take would not wait; a closed queue gives
 * what is left and then its end; a stopped one refuses the producer.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "registry/base/queue.h"
#include "tests/unit/test_registry.h"

#define BATCHES (3 * QUEUE_DEPTH + 5) /* more than the ring holds */

static void *
produce(void *arg)
{
	struct queue *q = arg;
	struct buf batch = BUF_INIT;

	for (uint32_t i = 0; i < BATCHES; i++) {
		/* Batch i: i + 1 copies of i. */
		for (uint32_t k = 0; k <= i; k++)
			buf_put(&batch, &i, sizeof i);
		if (queue_put(q, &batch) != 0)
			break;
	}
	queue_close(q);
	buf_free(&batch);
	return NULL;
}

static void
test_queue_order(void **state)
{
	struct queue q;
	struct buf batch = BUF_INIT;
	pthread_t thread;
	uint32_t next = 0;

	(void)state;
	queue_init(&q);
	assert_int_equal(queue_ready(&q), 0); /* empty and open: a take waits */
	assert_int_equal(pthread_create(&thread, NULL, produce, &q), 0);
	while (queue_take(&q, &batch)) {
		uint32_t v;
		assert_int_equal(batch.len, (size_t)(next + 1) * sizeof v);
		for (size_t at = 0; at < batch.len; at += sizeof v) {
			memcpy(&v, batch.data + at, sizeof v);
			assert_int_equal(v, next);
		}
		next++;
	}
	pthread_join(thread, NULL);
	assert_int_equal(next, BATCHES);
	assert_int_equal(queue_ready(&q), 1); /* closed: a take returns */
	assert_int_equal(queue_take(&q, &batch), 0);
	buf_free(&batch);
	queue_free(&q);
}

static void
test_queue_ready_and_stop(void **state)
{
	struct queue q;
	struct buf batch = BUF_INIT;

	(void)state;
	queue_init(&q);
	buf_put(&batch, "x", 1);
	assert_int_equal(queue_put(&q, &batch), 0);
	assert_int_equal(batch.len, 0); /* handed over: it comes back empty */
	assert_int_equal(queue_ready(&q), 1);
	assert_int_equal(queue_take(&q, &batch), 1);
	assert_int_equal(batch.len, 1);
	assert_int_equal(queue_ready(&q), 0);
	queue_stop(&q);
	buf_reset(&batch);
	buf_put(&batch, "y", 1);
	assert_int_equal(queue_put(&q, &batch), -1);
	buf_free(&batch);
	queue_free(&q);
}

int
test_registry_queue(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_queue_order),
	    cmocka_unit_test(test_queue_ready_and_stop),
	};
	return cmocka_run_group_tests_name("registry_queue", tests, NULL, NULL);
}

/* ring_wait_batch: waits on the futex like ring_wait_any until wake-ups come
 * closer than batch_ns; then, while they find records, it sleeps out
 * batch_ns from the last wake-up (a publish does not cut that short: nobody
 * announced a sleep to the producer); a wake-up that found nothing puts the
 * reader back on the futex, where a publish from another process wakes it
 * at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm/ring.h"

#define BATCH_MS 300

static char name[64];
static struct ring *ring;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int setup(void **state)
{
	char err[256] = "";

	(void)state;
	snprintf(name, sizeof(name), "/spreadbus.ut%d.batch", (int)getpid());
	segment_unlink(name);
	assert_int_equal(ring_create_or_attach(&ring, name, "b", 1024, 0600, err, sizeof(err)), 0);
	ring_producer_open(ring);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ring_close(ring);
	segment_unlink(name);
	return 0;
}

static void publish_one(void)
{
	struct tick t;

	memset(&t, 0, sizeof(t));
	ring_publish(ring, &t, 1);
}

/* Reads what is there; returns how many ticks. */
static size_t drain(struct ring_reader *r)
{
	struct tick buf[16];
	uint64_t first, lost;
	size_t n, all = 0;

	while ((n = ring_reader_read(r, buf, 16, &first, &lost)) > 0)
		all += n;
	ring_reader_commit(r, ring_reader_position(r));
	return all;
}

/* A child that attaches like a collector and publishes one tick after
 * delay_ms, so that the parent is (very likely) asleep by then. */
static pid_t publish_later(int delay_ms)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct ring *other = NULL;
		struct tick t;
		char err[256];
		struct timespec d = { 0, delay_ms * 1000000L };

		memset(&t, 0, sizeof(t));
		if (ring_attach(&other, name, err, sizeof(err)) < 0)
			_exit(1);
		nanosleep(&d, NULL);
		ring_producer_open(other);
		ring_publish(other, &t, 1);
		_exit(0);
	}
	return pid;
}

static void reap(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void test_batches_while_busy_then_back_on_the_futex(void **state)
{
	struct ring_batch_wait bw = { .batch_ns = BATCH_MS * 1000000LL };
	struct ring_reader *r;
	int64_t start, took;
	pid_t pid;

	(void)state;
	assert_int_equal(ring_reader_open(&r, ring, "a"), 0);
	/* nothing read yet: a plain wait, which times out */
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 20, 0), 0);
	/* two wake-ups in quick succession that find records (the second
	 * already sleeps out batch_ns) */
	publish_one();
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 5000, 0), 1);
	assert_int_equal(drain(r), 1);
	publish_one();
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 5000, 1), 1);
	assert_int_equal(drain(r), 1);
	/* now batching: a tick published at once does not end the sleep */
	start = now_ms();
	publish_one();
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 5000, 1), 1);
	took = now_ms() - start;
	assert_true(took >= BATCH_MS - 20);
	assert_true(took < BATCH_MS + 2000);
	assert_int_equal(drain(r), 1);
	/* the next batch found records: still batching, one batch_ns later */
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 5000, 1), 1);
	assert_int_equal(drain(r), 0);
	/* found nothing: back on the futex, woken by another process's publish
	 * long before the timeout */
	pid = publish_later(100);
	start = now_ms();
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 10000, 0), 1);
	took = now_ms() - start;
	assert_true(took < 5000);
	reap(pid);
	assert_int_equal(drain(r), 1);
	ring_reader_close(r);
}

static void test_zero_batch_is_ring_wait_any(void **state)
{
	struct ring_batch_wait bw = { .batch_ns = 0 };
	struct ring_reader *r;
	int64_t start;

	(void)state;
	assert_int_equal(ring_reader_open(&r, ring, "a"), 0);
	publish_one();
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 5000, 1), 1);
	assert_int_equal(drain(r), 1);
	publish_one();
	start = now_ms();
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 5000, 1), 1);
	assert_true(now_ms() - start < 1000);
	assert_int_equal(drain(r), 1);
	start = now_ms();
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 50, 1), 0);
	assert_true(now_ms() - start >= 49);
	ring_reader_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_batches_while_busy_then_back_on_the_futex, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_batch_is_ring_wait_any, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

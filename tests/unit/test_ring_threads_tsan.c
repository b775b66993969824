/* The ring under ThreadSanitizer: a producer thread and reader threads in
 * one process, two readers that must see every record (the producer keeps
 * within half a ring of them), one sleeping in ring_wait_any, and one on a
 * small ring that is lapped again and again and must never see a torn one. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm/ring.h"
#include "tests/tools/ring_pattern.h"

#define COUNT 400000ULL
#define BIG_CAP 4096
#define SMALL_CAP 1024

struct reader_arg {
	struct ring *ring;
	const char *name;
	int use_wait;   /* sleep in ring_wait_any when idle */
	int allow_lost; /* the lapped reader */
	uint64_t read, lost;
	int failed;
};

static struct ring *big, *small;
static char big_name[64], small_name[64];

static void *producer(void *unused)
{
	struct tick t[16];
	uint64_t next = ring_producer_open(big), i;

	(void)unused;
	ring_producer_open(small);
	while (next < COUNT) {
		uint64_t k = COUNT - next < 16 ? COUNT - next : 16;
		if (next + k > ring_slowest_cursor(big) + BIG_CAP / 2) {
			sched_yield();
			continue;
		}
		for (i = 0; i < k; i++)
			ring_pattern_fill(&t[i], next + i);
		ring_publish(big, t, k);
		ring_publish(small, t, k);
		next += k;
	}
	return NULL;
}

static void *reader(void *p)
{
	struct reader_arg *a = p;
	struct ring_reader *r = NULL;
	struct tick batch[64];
	uint64_t first, lost, i;

	if (ring_reader_open(&r, a->ring, a->name) < 0) {
		a->failed = 1;
		return NULL;
	}
	while (ring_reader_position(r) < COUNT) {
		size_t n = ring_reader_read(r, batch, 64, &first, &lost);
		if (lost && !a->allow_lost) {
			a->failed = 1;
			break;
		}
		a->lost += lost;
		for (i = 0; i < n; i++)
			if (ring_pattern_check(&batch[i], first + i) != 0)
				a->failed = 1;
		a->read += n;
		if (n || lost)
			ring_reader_commit(r, ring_reader_position(r));
		else if (a->use_wait)
			ring_wait_any(&r, 1, 50);
		else
			sched_yield();
		if (a->allow_lost && n) {
			/* Fall behind now and then, so that the producer laps us. */
			struct timespec d = { 0, 200000 };
			nanosleep(&d, NULL);
		}
	}
	ring_reader_close(r);
	return NULL;
}

static void test_threads_see_whole_records(void **state)
{
	struct reader_arg args[3] = {
		{ .name = "strict-wait", .use_wait = 1 },
		{ .name = "strict-spin" },
		{ .name = "lapped", .allow_lost = 1 },
	};
	struct ring_reader *open_first[3];
	pthread_t th[4];
	char err[256];
	int i;

	(void)state;
	snprintf(big_name, sizeof(big_name), "/spreadbus.ut%d.tsanbig", (int)getpid());
	snprintf(small_name, sizeof(small_name), "/spreadbus.ut%d.tsansmall", (int)getpid());
	segment_unlink(big_name);
	segment_unlink(small_name);
	assert_int_equal(ring_create_or_attach(&big, big_name, "big", BIG_CAP, 0600, err, sizeof(err)), 0);
	assert_int_equal(ring_create_or_attach(&small, small_name, "small", SMALL_CAP, 0600, err, sizeof(err)), 0);
	args[0].ring = args[1].ring = big;
	args[2].ring = small;
	/* Claim every slot before the producer starts, so that each starts at
	 * 0 and the lapped one's read + lost can be checked against COUNT. */
	assert_int_equal(ring_reader_open(&open_first[0], big, "strict-wait"), 0);
	assert_int_equal(ring_reader_open(&open_first[1], big, "strict-spin"), 0);
	assert_int_equal(ring_reader_open(&open_first[2], small, "lapped"), 0);
	for (i = 0; i < 3; i++)
		ring_reader_close(open_first[i]);
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&th[i], NULL, reader, &args[i]), 0);
	assert_int_equal(pthread_create(&th[3], NULL, producer, NULL), 0);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 2; i++) {
		assert_false(args[i].failed);
		assert_int_equal(args[i].read, COUNT);
		assert_int_equal(args[i].lost, 0);
	}
	assert_false(args[2].failed);
	assert_int_equal(args[2].read + args[2].lost, COUNT);
	printf("lapped reader: read %llu, lost %llu\n", (unsigned long long)args[2].read,
	       (unsigned long long)args[2].lost);
	ring_close(big);
	ring_close(small);
	segment_unlink(big_name);
	segment_unlink(small_name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_see_whole_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* An imported ring's origin (ring_origin_set/get): it counts only once the
 * record at its local_seq is published, so a producer that dies between
 * setting it and publishing leaves the previous one in force; a record a
 * dead producer wrote completely (kept by ring_producer_open) makes it
 * count. The record writes of a dead producer go through a raw mapping. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm/ring.h"
#include "tests/tools/ring_fixture.h"

#define CAP 1024
#define SLOTS_OFFSET (64 + 64 + RING_MAX_READERS * 64)
#define REMOTE_A 1111
#define REMOTE_B 2222

static char ring_name[64];

static int setup(void **state)
{
	*state = ring_fixture_create(ring_name, sizeof(ring_name), "origin", "okx", CAP);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	ring_fixture_destroy(*state, ring_name);
	return 0;
}

/* A complete record in slot seq, head not moved: a producer killed after
 * its last store to the record. */
static void write_complete_record_raw(uint64_t seq)
{
	int fd = shm_open(ring_name, O_RDWR, 0);
	size_t size = ring_segment_size(CAP);
	struct tick t = { .seq_lo = (uint32_t)seq, .kind = TICK_GAP };
	char *p;

	assert_true(fd >= 0);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	memcpy(p + SLOTS_OFFSET + (seq % CAP) * 64, &t, sizeof(t));
	munmap(p, size);
	close(fd);
}

static void publish(struct ring *ring, size_t n)
{
	struct tick t[8];
	memset(t, 0, sizeof(t));
	assert_true(n <= 8);
	ring_publish(ring, t, n);
}

static void set_origin(struct ring *ring, int64_t created, uint64_t remote_next)
{
	struct ring_origin o = { .remote_created_ns = created, .local_seq = ring_head(ring), .remote_next = remote_next };
	ring_origin_set(ring, &o);
}

static void assert_origin(struct ring *ring, int64_t created, uint64_t local_seq, uint64_t remote_next)
{
	struct ring_origin o;
	assert_int_equal(ring_origin_get(ring, &o), 0);
	assert_int_equal(o.remote_created_ns, created);
	assert_int_equal(o.local_seq, local_seq);
	assert_int_equal(o.remote_next, remote_next);
}

static void test_a_ring_no_bridge_fills_has_no_origin(void **state)
{
	struct ring_origin o;
	ring_producer_open(*state);
	publish(*state, 3);
	assert_int_equal(ring_origin_get(*state, &o), -ENOENT);
}

static void test_origin_counts_once_its_record_is_published(void **state)
{
	struct ring *ring = *state;
	struct ring_origin o;

	ring_producer_open(ring);
	set_origin(ring, REMOTE_A, 100);
	assert_int_equal(ring_origin_get(ring, &o), -ENOENT);
	publish(ring, 1); /* the gap record at local 0 */
	publish(ring, 5); /* remote 100..104 at local 1..5 */
	assert_origin(ring, REMOTE_A, 0, 100);
	/* next remote wanted: remote_next + (head - 1 - local_seq) */
	assert_int_equal(ring_origin_get(ring, &o), 0);
	assert_int_equal(o.remote_next + (ring_head(ring) - 1 - o.local_seq), 105);
}

static void test_producer_dead_before_its_record_keeps_the_old_origin(void **state)
{
	struct ring *ring = *state, *again = NULL;
	char err[256];

	ring_producer_open(ring);
	set_origin(ring, REMOTE_A, 100);
	publish(ring, 4);
	set_origin(ring, REMOTE_A, 500); /* a jump: its gap record never written */
	assert_origin(ring, REMOTE_A, 0, 100);

	/* The successor sees the old origin, and may set a new one. */
	assert_int_equal(ring_attach(&again, ring_name, err, sizeof(err)), 0);
	assert_int_equal(ring_producer_open(again), 4);
	assert_origin(again, REMOTE_A, 0, 100);
	set_origin(again, REMOTE_B, 7);
	publish(again, 2);
	assert_origin(again, REMOTE_B, 4, 7);
	/* and once more: the entry written is never the one in force */
	set_origin(again, REMOTE_B, 50);
	assert_origin(again, REMOTE_B, 4, 7);
	publish(again, 1);
	assert_origin(again, REMOTE_B, 6, 50);
	ring_close(again);
}

static void test_a_complete_record_left_by_a_dead_producer_makes_it_count(void **state)
{
	struct ring *ring = *state, *again = NULL;
	char err[256];

	ring_producer_open(ring);
	set_origin(ring, REMOTE_A, 100);
	publish(ring, 3);
	set_origin(ring, REMOTE_A, 900);
	write_complete_record_raw(3); /* the gap record, written; head not moved */
	assert_origin(ring, REMOTE_A, 0, 100);

	assert_int_equal(ring_attach(&again, ring_name, err, sizeof(err)), 0);
	assert_int_equal(ring_producer_open(again), 4);
	assert_origin(again, REMOTE_A, 3, 900);
	ring_close(again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_ring_no_bridge_fills_has_no_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_origin_counts_once_its_record_is_published, setup, teardown),
		cmocka_unit_test_setup_teardown(test_producer_dead_before_its_record_keeps_the_old_origin, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_complete_record_left_by_a_dead_producer_makes_it_count, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

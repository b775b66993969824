/* Reader slots: a reopened slot resumes from its committed cursor (also
 * through another mapping of the ring), slots are limited, names checked. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm/ring.h"
#include "tests/tools/ring_fixture.h"

static char ring_name[64];

static int setup(void **state)
{
	*state = ring_fixture_create(ring_name, sizeof(ring_name), "slots", "bybit", 2048);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	ring_fixture_destroy(*state, ring_name);
	return 0;
}

static void publish_n(struct ring *ring, unsigned n)
{
	struct tick t;
	unsigned i;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < n; i++) {
		t.update_id = ring_head(ring);
		ring_publish(ring, &t, 1);
	}
}

static void test_reopened_slot_resumes_from_commit(void **state)
{
	struct ring *ring = *state, *again = NULL;
	struct ring_reader *r = NULL;
	struct tick out[32];
	uint64_t first, lost;
	char err[256] = "";

	publish_n(ring, 5);
	assert_int_equal(ring_reader_open(&r, ring, "writer"), 0);
	assert_int_equal(ring_reader_position(r), 5);
	publish_n(ring, 20);
	assert_int_equal(ring_reader_read(r, out, 10, &first, &lost), 10);
	ring_reader_commit(r, first + 10);
	/* Read further without committing: a restart replays from the commit. */
	assert_int_equal(ring_reader_read(r, out, 10, &first, &lost), 10);
	ring_reader_close(r);

	assert_int_equal(ring_attach(&again, ring_name, err, sizeof(err)), 0);
	assert_int_equal(ring_capacity(again), 2048);
	assert_string_equal(ring_label(again), "bybit");
	assert_true(ring_created_ns(again) > 0);
	assert_int_equal(ring_created_ns(again), ring_created_ns(ring));
	assert_int_equal(ring_reader_open(&r, again, "writer"), 0);
	assert_int_equal(ring_reader_position(r), 15);
	assert_int_equal(ring_reader_read(r, out, 32, &first, &lost), 10);
	assert_int_equal(first, 15);
	assert_int_equal(out[0].update_id, 15);
	assert_int_equal(lost, 0);
	ring_reader_close(r);
	ring_close(again);
}

/* A recorder's new slot is claimed at the oldest tick the ring holds: a
 * recorder that dies before its first commit must not skip what was
 * published before it attached. */
static void test_new_slot_from_oldest_survives_a_crash_before_commit(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *r = NULL;
	struct tick out[4];
	uint64_t first, lost;

	publish_n(ring, 7);
	assert_int_equal(ring_reader_open_from(&r, ring, "writer", RING_START_AT_OLDEST), 0);
	assert_int_equal(ring_reader_position(r), 0);
	ring_reader_close(r); /* dies without committing */
	assert_int_equal(ring_reader_open_from(&r, ring, "writer", RING_START_AT_HEAD), 0);
	assert_int_equal(ring_reader_position(r), 0);
	assert_int_equal(ring_reader_read(r, out, 4, &first, &lost), 4);
	assert_int_equal(first, 0);
	assert_int_equal(lost, 0);
	ring_reader_close(r);

	/* Once the ring has wrapped, the oldest is head - capacity. */
	publish_n(ring, 2 * 2048);
	assert_int_equal(ring_reader_open_from(&r, ring, "late", RING_START_AT_OLDEST), 0);
	assert_int_equal(ring_reader_position(r), 7 + 2 * 2048 - 2048);
	ring_reader_close(r);
	assert_int_equal(ring_reader_open_from(&r, ring, "live", RING_START_AT_HEAD), 0);
	assert_int_equal(ring_reader_position(r), 7 + 2 * 2048);
	ring_reader_close(r);
}

static void test_slots_are_limited_and_named(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *r[RING_MAX_READERS + 1];
	struct ring_reader_info info[RING_MAX_READERS];
	char name[RING_READER_NAME_MAX + 8];
	unsigned i;

	assert_int_equal(ring_reader_open(&r[0], ring, ""), -EINVAL);
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(ring_reader_open(&r[0], ring, name), -EINVAL);
	name[RING_READER_NAME_MAX - 1] = '\0';
	assert_int_equal(ring_reader_open(&r[0], ring, name), 0);
	ring_reader_close(r[0]);
	for (i = 1; i < RING_MAX_READERS; i++) {
		snprintf(name, sizeof(name), "reader%u", i);
		assert_int_equal(ring_reader_open(&r[i], ring, name), 0);
	}
	assert_int_equal(ring_reader_open(&r[0], ring, "one-too-many"), -ENOSPC);
	/* An existing name still opens when the table is full. */
	assert_int_equal(ring_reader_open(&r[0], ring, "reader3"), 0);
	assert_int_equal(ring_readers_info(ring, info, RING_MAX_READERS), RING_MAX_READERS);
	assert_int_equal(ring_readers_info(ring, info, 2), 2);
	ring_reader_close(r[0]);
	for (i = 1; i < RING_MAX_READERS; i++)
		ring_reader_close(r[i]);
}

static void test_slowest_cursor_is_the_laggard(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *a = NULL, *b = NULL;

	publish_n(ring, 10);
	assert_int_equal(ring_slowest_cursor(ring), 10);
	assert_int_equal(ring_reader_open(&a, ring, "a"), 0);
	assert_int_equal(ring_reader_open(&b, ring, "b"), 0);
	publish_n(ring, 10);
	ring_reader_commit(a, 17);
	ring_reader_commit(b, 12);
	assert_int_equal(ring_slowest_cursor(ring), 12);
	ring_reader_commit(b, 20);
	assert_int_equal(ring_slowest_cursor(ring), 17);
	ring_reader_close(a);
	ring_reader_close(b);
}

static void test_private_reader_leaves_no_trace(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *p = NULL;
	struct ring_reader_info info[RING_MAX_READERS];
	struct tick out[4];
	uint64_t first, lost;

	publish_n(ring, 2048 + 30);
	assert_int_equal(ring_reader_open_private(&p, ring, 5), 0);
	assert_int_equal(ring_reader_position(p), 5);
	assert_int_equal(ring_reader_read(p, out, 4, &first, &lost), 4);
	assert_int_equal(lost, 30 - 5);
	assert_int_equal(first, 30);
	assert_int_equal(out[0].update_id, 30);
	ring_reader_commit(p, 34);
	assert_int_equal(ring_readers_info(ring, info, RING_MAX_READERS), 0);
	assert_int_equal(ring_slowest_cursor(ring), 2048 + 30);
	ring_reader_close(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reopened_slot_resumes_from_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_slot_from_oldest_survives_a_crash_before_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slots_are_limited_and_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slowest_cursor_is_the_laggard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_private_reader_leaves_no_trace, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

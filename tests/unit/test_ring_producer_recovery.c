/* ring_producer_open after a producer died mid-publish: complete records
 * past head are kept (head moves over them), a half-written one is not.
 * The dead producer's slot writes are reproduced through a raw mapping. */
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
/* Segment header, producer line, 8 reader slots: 10 cache lines. */
#define SLOTS_OFFSET (64 + 64 + RING_MAX_READERS * 64)

static char ring_name[64];

static int setup(void **state)
{
	*state = ring_fixture_create(ring_name, sizeof(ring_name), "recovery", "okx", CAP);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	ring_fixture_destroy(*state, ring_name);
	return 0;
}

/* Writes a record into slot seq as a producer would, without moving head;
 * in_progress leaves word 0 with the in-progress mark (bit 31 flipped). */
static void write_slot_raw(uint64_t seq, int in_progress)
{
	int fd = shm_open(ring_name, O_RDWR, 0);
	size_t size = ring_segment_size(CAP);
	struct tick t;
	char *p;

	assert_true(fd >= 0);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	memset(&t, 0, sizeof(t));
	t.seq_lo = (uint32_t)seq ^ (in_progress ? 0x80000000u : 0);
	t.update_id = seq;
	t.kind = TICK_TRADE;
	memcpy(p + SLOTS_OFFSET + (seq % CAP) * 64, &t, sizeof(t));
	munmap(p, size);
	close(fd);
}

static void test_fresh_ring_starts_at_zero(void **state)
{
	assert_int_equal(ring_producer_open(*state), 0);
	assert_int_equal(ring_head(*state), 0);
}

static void test_complete_records_past_head_are_kept(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *r = NULL;
	struct tick t[3], out[8];
	uint64_t first, lost;

	memset(t, 0, sizeof(t));
	assert_int_equal(ring_reader_open(&r, ring, "reader"), 0);
	ring_publish(ring, t, 3);
	write_slot_raw(3, 0);
	write_slot_raw(4, 0);
	write_slot_raw(5, 1);
	assert_int_equal(ring_head(ring), 3);
	assert_int_equal(ring_reader_read(r, out, 8, &first, &lost), 3);
	/* The successor keeps 3 and 4 and overwrites the half-written 5. */
	assert_int_equal(ring_producer_open(ring), 5);
	assert_int_equal(ring_head(ring), 5);
	t[0].update_id = 555;
	assert_int_equal(ring_publish(ring, t, 1), 5);
	assert_int_equal(ring_reader_read(r, out, 8, &first, &lost), 3);
	assert_int_equal(first, 3);
	assert_int_equal(lost, 0);
	assert_int_equal(out[0].update_id, 3);
	assert_int_equal(out[1].update_id, 4);
	assert_int_equal(out[2].update_id, 555);
	assert_int_equal(out[2].seq_lo, 5);
	ring_reader_close(r);
}

static void test_half_written_record_is_invisible_and_dropped(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *r = NULL;
	struct tick t, out[4];
	uint64_t first, lost;

	memset(&t, 0, sizeof(t));
	assert_int_equal(ring_reader_open(&r, ring, "reader"), 0);
	write_slot_raw(0, 1);
	assert_int_equal(ring_reader_read(r, out, 4, &first, &lost), 0);
	assert_int_equal(ring_producer_open(ring), 0);
	t.update_id = 77;
	assert_int_equal(ring_publish(ring, &t, 1), 0);
	assert_int_equal(ring_reader_read(r, out, 4, &first, &lost), 1);
	assert_int_equal(out[0].update_id, 77);
	ring_reader_close(r);
}

static void test_wrapped_slot_is_not_taken_for_a_record(void **state)
{
	struct ring *ring = *state;
	struct tick t[64];
	unsigned i;

	memset(t, 0, sizeof(t));
	for (i = 0; i < CAP / 64 + 3; i++)
		ring_publish(ring, t, 64);
	/* The slot at head holds seq head - CAP: not a record for head. */
	assert_int_equal(ring_producer_open(ring), CAP + 3 * 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_ring_starts_at_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_records_past_head_are_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_half_written_record_is_invisible_and_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrapped_slot_is_not_taken_for_a_record, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

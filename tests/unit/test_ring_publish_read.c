/* Ring basics: what is published is read back in order with its sequence,
 * commit makes the cursor visible, seek moves the local position. */
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

static struct tick make_tick(uint64_t i)
{
	struct tick t;

	memset(&t, 0, sizeof(t));
	t.symbol_id = (uint16_t)(i % 7 + 1);
	t.exchange_id = 3;
	t.kind = TICK_QUOTE;
	t.ts_exchange_ns = (int64_t)i * 1000;
	t.ts_recv_ns = (int64_t)i * 1000 + 5;
	t.update_id = i * 3;
	t.u.quote.bid_px = 100.0 + (double)i;
	t.u.quote.ask_px = 101.0 + (double)i;
	t.u.quote.bid_qty = 1.5;
	t.u.quote.ask_qty = 2.5;
	return t;
}

static int setup(void **state)
{
	*state = ring_fixture_create(ring_name, sizeof(ring_name), "ringbasic", "binance", 1024);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	ring_fixture_destroy(*state, ring_name);
	return 0;
}

static void test_published_ticks_read_back_in_order(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *r = NULL;
	struct tick in[10], out[16];
	uint64_t first = 99, lost = 99, i;

	assert_int_equal(ring_producer_open(ring), 0);
	assert_int_equal(ring_reader_open(&r, ring, "aggregator"), 0);
	assert_int_equal(ring_reader_read(r, out, 16, &first, &lost), 0);
	for (i = 0; i < 10; i++)
		in[i] = make_tick(i);
	assert_int_equal(ring_publish(ring, in, 4), 0);
	assert_int_equal(ring_publish(ring, in + 4, 6), 4);
	assert_int_equal(ring_head(ring), 10);
	assert_int_equal(ring_reader_read(r, out, 16, &first, &lost), 10);
	assert_int_equal(first, 0);
	assert_int_equal(lost, 0);
	for (i = 0; i < 10; i++) {
		struct tick want = make_tick(i);
		want.seq_lo = (uint32_t)i;
		assert_memory_equal(&out[i], &want, sizeof(want));
	}
	assert_int_equal(ring_reader_position(r), 10);
	assert_int_equal(ring_reader_read(r, out, 16, &first, &lost), 0);
	assert_int_equal(first, 10);
	ring_reader_close(r);
}

static void test_read_respects_max(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *r = NULL;
	struct tick in[5], out[2];
	uint64_t first, lost, i;

	assert_int_equal(ring_reader_open(&r, ring, "writer"), 0);
	for (i = 0; i < 5; i++)
		in[i] = make_tick(i);
	ring_publish(ring, in, 5);
	assert_int_equal(ring_reader_read(r, out, 2, &first, &lost), 2);
	assert_int_equal(first, 0);
	assert_int_equal(ring_reader_read(r, out, 2, &first, &lost), 2);
	assert_int_equal(first, 2);
	assert_int_equal(out[1].seq_lo, 3);
	assert_int_equal(ring_reader_read(r, out, 2, &first, &lost), 1);
	assert_int_equal(first, 4);
	ring_reader_close(r);
}

static void test_commit_is_visible_and_seek_moves_position(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *r = NULL;
	struct ring_reader_info info[RING_MAX_READERS];
	struct tick in[8], out[8];
	uint64_t first, lost, i;

	for (i = 0; i < 8; i++)
		in[i] = make_tick(i);
	ring_publish(ring, in, 8);
	assert_int_equal(ring_reader_open(&r, ring, "writer"), 0);
	assert_ptr_equal(ring_reader_ring(r), ring);
	/* A new reader starts at head. */
	assert_int_equal(ring_reader_position(r), 8);
	ring_reader_seek(r, 3);
	assert_int_equal(ring_reader_read(r, out, 8, &first, &lost), 5);
	assert_int_equal(first, 3);
	assert_int_equal(out[0].update_id, 9);
	assert_int_equal(ring_readers_info(ring, info, RING_MAX_READERS), 1);
	assert_string_equal(info[0].name, "writer");
	assert_int_equal(info[0].cursor, 8);
	assert_int_equal(info[0].pid, getpid());
	ring_reader_commit(r, 6);
	assert_int_equal(ring_readers_info(ring, info, RING_MAX_READERS), 1);
	assert_int_equal(info[0].cursor, 6);
	assert_int_equal(info[0].lost_total, 0);
	ring_reader_close(r);
}

static void test_ring_identity(void **state)
{
	struct ring *ring = *state;

	assert_int_equal(ring_capacity(ring), 1024);
	assert_string_equal(ring_label(ring), "binance");
	assert_int_equal(ring_segment_size(1024), 640 + 1024 * 64);
	assert_int_equal(ring_segment_size(1000), 0);
	assert_int_equal(ring_segment_size(512), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_published_ticks_read_back_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_respects_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_is_visible_and_seek_moves_position, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ring_identity, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

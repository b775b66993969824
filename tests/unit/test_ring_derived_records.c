/* Derived rings (_spreads): records larger than a tick go through the same
 * protocol: published and read back whole, a lapped reader is told exactly
 * how many it lost, and a ring is attached only with its own record size
 * (a tick ring is not a derived ring, nor the other way round). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm/ring.h"
#include "shm/spreads.h"

#define RECORD 4096
#define CAP 1024

static char ring_name[64];
static unsigned char rec[RECORD], got[4][RECORD];

static int setup(void **state)
{
	(void)state;
	snprintf(ring_name, sizeof(ring_name), "/spreadbus.ut%d._spreads", (int)getpid());
	segment_unlink(ring_name);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	segment_unlink(ring_name);
	return 0;
}

/* Record seq's bytes, every one derived from seq (beyond the ring's seq_lo). */
static void fill(unsigned char *r, uint64_t seq)
{
	for (size_t i = 4; i < RECORD; i++)
		r[i] = (unsigned char)(seq * 31 + i * 7);
}

static void check(const unsigned char *r, uint64_t seq)
{
	uint32_t lo;
	memcpy(&lo, r, sizeof(lo));
	assert_int_equal(lo, (uint32_t)seq);
	for (size_t i = 4; i < RECORD; i++)
		if (r[i] != (unsigned char)(seq * 31 + i * 7))
			fail_msg("record %llu: byte %zu differs", (unsigned long long)seq, i);
}

static void test_records_published_and_read_whole(void **state)
{
	(void)state;
	char err[256];
	struct ring *w, *r;
	struct ring_reader *reader;
	uint64_t first, lost;
	assert_int_equal(ring_create_or_attach_records(&w, ring_name, "_spreads", CAP, RECORD, 0600, err, sizeof(err)), 0);
	assert_int_equal(ring_record_size(w), RECORD);
	assert_int_equal(ring_attach_records(&r, ring_name, RECORD, err, sizeof(err)), 0);
	assert_int_equal(ring_reader_open(&reader, r, "gateway"), 0);
	for (uint64_t s = 0; s < 3; s++) {
		fill(rec, s);
		assert_int_equal(ring_publish_records(w, rec, 1), s);
	}
	assert_int_equal(ring_reader_read_records(reader, got, 4, &first, &lost), 3);
	assert_int_equal(first, 0);
	assert_int_equal(lost, 0);
	for (uint64_t s = 0; s < 3; s++)
		check(got[s], s);
	ring_reader_close(reader);
	ring_close(r);
	ring_close(w);
}

static void test_lapped_reader_counts_losses(void **state)
{
	(void)state;
	char err[256];
	struct ring *w;
	struct ring_reader *reader;
	uint64_t first, lost;
	assert_int_equal(ring_create_or_attach_records(&w, ring_name, "_spreads", CAP, RECORD, 0600, err, sizeof(err)), 0);
	assert_int_equal(ring_reader_open(&reader, w, "gateway"), 0);
	for (uint64_t s = 0; s < CAP + 10; s++) {
		fill(rec, s);
		ring_publish_records(w, rec, 1);
	}
	/* 10 records were written over before the reader came */
	assert_int_equal(ring_reader_read_records(reader, got, 4, &first, &lost), 4);
	assert_int_equal(lost, 10);
	assert_int_equal(first, 10);
	for (uint64_t k = 0; k < 4; k++)
		check(got[k], first + k);
	ring_reader_close(reader);
	ring_close(w);
}

static void test_record_size_must_match(void **state)
{
	(void)state;
	char err[256];
	struct ring *w, *r;
	assert_int_equal(ring_create_or_attach_records(&w, ring_name, "_spreads", CAP, RECORD, 0600, err, sizeof(err)), 0);
	assert_int_equal(ring_attach(&r, ring_name, err, sizeof(err)), -EPROTO); /* as a tick ring */
	assert_non_null(strstr(err, "record size 4096, expected 64"));
	assert_int_equal(ring_attach_records(&r, ring_name, 2 * RECORD, err, sizeof(err)), -EPROTO);
	/* the supervisor re-creating it with another size is refused too (bus.c then unlinks it) */
	assert_int_equal(ring_create_or_attach_records(&r, ring_name, "_spreads", CAP, 2 * RECORD, 0600, err, sizeof(err)),
			 -EPROTO);
	ring_close(w);
	/* sizes that are not a multiple of 64, or too large */
	segment_unlink(ring_name);
	assert_int_equal(ring_create_or_attach_records(&w, ring_name, "_spreads", CAP, 100, 0600, err, sizeof(err)), -EINVAL);
	assert_int_equal(ring_create_or_attach_records(&w, ring_name, "_spreads", CAP, RING_RECORD_MAX * 2, 0600, err,
						       sizeof(err)),
			 -EINVAL);
}

/* The record holds the largest update with every ordered pair of the
 * exchanges: 3 exchanges, 6 pairs, 4 KiB; 6 exchanges, 30 pairs, 16 KiB. */
static void test_spreads_record_size_from_exchanges(void **state)
{
	(void)state;
	assert_int_equal(spreads_max_pairs(3), 6);
	assert_int_equal(spreads_record_size(spreads_max_pairs(3)), 4096);
	assert_true(spreads_json_room(4096) >= SPREADS_PAIRS_FIXED_MAX + 6 * SPREADS_PAIRS_ENTRY_MAX);
	assert_true(spreads_json_room(spreads_record_size(spreads_max_pairs(1))) >= SPREADS_UPDATE_JSON_MAX);
	assert_int_equal(spreads_record_size(spreads_max_pairs(6)), 16384);
	assert_int_equal(spreads_ring_capacity(4096), 8192);
	assert_int_equal(spreads_ring_capacity(RING_RECORD_MAX), 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_records_published_and_read_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lapped_reader_counts_losses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_size_must_match, setup, teardown),
		cmocka_unit_test(test_spreads_record_size_from_exchanges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* A reader the producer laps loses exactly the overwritten records, counts
 * them in *lost and in its slot, and continues with the oldest still held. */
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

static char ring_name[64];

static int setup(void **state)
{
	*state = ring_fixture_create(ring_name, sizeof(ring_name), "lapped", "okx", CAP);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	ring_fixture_destroy(*state, ring_name);
	return 0;
}

static void publish_n(struct ring *ring, uint64_t n)
{
	struct tick t[64];
	uint64_t done = 0;

	while (done < n) {
		uint64_t head = ring_head(ring), k = n - done < 64 ? n - done : 64, i;
		for (i = 0; i < k; i++) {
			memset(&t[i], 0, sizeof(t[i]));
			t[i].update_id = head + i; /* payload derived from seq */
		}
		ring_publish(ring, t, k);
		done += k;
	}
}

static uint64_t lost_total(struct ring *ring, const char *name)
{
	struct ring_reader_info info[RING_MAX_READERS];
	size_t n = ring_readers_info(ring, info, RING_MAX_READERS), i;

	for (i = 0; i < n; i++)
		if (strcmp(info[i].name, name) == 0)
			return info[i].lost_total;
	fail_msg("no reader %s", name);
	return 0;
}

static void test_lapped_reader_counts_exact_loss(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *r = NULL;
	struct tick out[256];
	uint64_t first, lost, expect = 0, total_lost = 0;
	size_t n;

	assert_int_equal(ring_reader_open(&r, ring, "slow"), 0);
	publish_n(ring, 3 * CAP + 100);
	n = ring_reader_read(r, out, 256, &first, &lost);
	assert_int_equal(lost, 2 * CAP + 100);
	assert_int_equal(first, 2 * CAP + 100);
	assert_int_equal(n, 256);
	total_lost += lost;
	expect = first;
	for (;;) {
		size_t i;
		for (i = 0; i < n; i++)
			assert_int_equal(out[i].update_id, expect + i);
		expect += n;
		n = ring_reader_read(r, out, 256, &first, &lost);
		if (n == 0)
			break;
		assert_int_equal(first, expect);
		assert_int_equal(lost, 0);
	}
	assert_int_equal(expect, 3 * CAP + 100);
	assert_int_equal(lost_total(ring, "slow"), total_lost);
	ring_reader_close(r);
}

static void test_lap_in_the_middle_of_reading(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *r = NULL;
	struct tick out[16];
	uint64_t first, lost;

	assert_int_equal(ring_reader_open(&r, ring, "mid"), 0);
	publish_n(ring, 100);
	assert_int_equal(ring_reader_read(r, out, 16, &first, &lost), 16);
	assert_int_equal(first, 0);
	/* Head moves to 16 + CAP + 5: records 16 .. 20 are overwritten. */
	publish_n(ring, CAP - 100 + 16 + 5);
	assert_int_equal(ring_head(ring), 16 + CAP + 5);
	assert_int_equal(ring_reader_read(r, out, 16, &first, &lost), 16);
	assert_int_equal(lost, 5);
	assert_int_equal(first, 21);
	assert_int_equal(out[0].update_id, 21);
	assert_int_equal(out[15].update_id, 36);
	assert_int_equal(ring_reader_position(r), 37);
	assert_int_equal(lost_total(ring, "mid"), 5);
	ring_reader_close(r);
}

static void test_seek_before_oldest_counts_loss(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *r = NULL;
	struct tick out[4];
	uint64_t first, lost;

	publish_n(ring, 2 * CAP);
	assert_int_equal(ring_reader_open(&r, ring, "seeker"), 0);
	ring_reader_seek(r, 10);
	assert_int_equal(ring_reader_read(r, out, 4, &first, &lost), 4);
	assert_int_equal(lost, CAP - 10);
	assert_int_equal(first, CAP);
	assert_int_equal(out[0].update_id, CAP);
	ring_reader_close(r);
}

static void test_exactly_full_ring_loses_nothing(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *r = NULL;
	struct tick out[CAP];
	uint64_t first, lost;

	assert_int_equal(ring_reader_open(&r, ring, "full"), 0);
	publish_n(ring, CAP);
	assert_int_equal(ring_reader_read(r, out, CAP, &first, &lost), CAP);
	assert_int_equal(lost, 0);
	assert_int_equal(first, 0);
	assert_int_equal(out[CAP - 1].update_id, CAP - 1);
	publish_n(ring, CAP + 1);
	assert_int_equal(ring_reader_read(r, out, CAP, &first, &lost), CAP);
	assert_int_equal(lost, 1);
	assert_int_equal(first, CAP + 1);
	ring_reader_close(r);
}

/* Sets head as a producer 2^32 records further on would have, through a raw
 * mapping (the head is the first word after the 64-byte header). */
static void poke_head(uint64_t head)
{
	int fd = shm_open(ring_name, O_RDWR, 0);
	char *p;

	assert_true(fd >= 0);
	p = mmap(NULL, 128, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	memcpy(p + 64, &head, sizeof(head));
	munmap(p, 128);
	close(fd);
}

/* A reader stopped while the producer wrote exactly 2^32 records finds
 * slots whose 32-bit seq_lo matches what it expects: they belong to seq +
 * 2^32. The check against head discards them as lost. */
static void test_reader_stopped_for_2_pow_32_records_is_not_fooled(void **state)
{
	struct ring *ring = *state;
	struct ring_reader *r = NULL;
	struct tick out[64];
	uint64_t first, lost;
	const uint64_t wrap = 1ULL << 32;

	assert_int_equal(ring_reader_open(&r, ring, "sleeper"), 0);
	publish_n(ring, 10);
	/* Slots 0..9 now stand for records wrap+0 .. wrap+9. */
	poke_head(wrap + 10);
	assert_int_equal(ring_reader_read(r, out, 64, &first, &lost), 10);
	assert_int_equal(lost, wrap);
	assert_int_equal(first, wrap);
	assert_int_equal(out[0].seq_lo, 0);
	assert_int_equal(out[9].update_id, 9);
	assert_int_equal(ring_reader_position(r), wrap + 10);
	assert_int_equal(lost_total(ring, "sleeper"), wrap);
	ring_reader_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lapped_reader_counts_exact_loss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lap_in_the_middle_of_reading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seek_before_oldest_counts_loss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exactly_full_ring_loses_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_stopped_for_2_pow_32_records_is_not_fooled, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

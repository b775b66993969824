/* Journal segments: what is appended reads back record for record; a torn
 * or corrupt tail is cut off at the last checksummed record; a header of
 * another layout version or exchange is refused and left as it was. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "writer/journal.h"

struct collected {
	uint64_t ticks;
	uint64_t lost_rows;
	uint64_t cuts;
	uint64_t next_seq;
	int bad;
};

static int collect(void *ctx, const struct journal_record *rec)
{
	struct collected *c = ctx;
	if (rec->seq != c->next_seq)
		c->bad = 1;
	for (uint32_t i = 0; i < rec->count; i++) {
		struct tick t;
		memcpy(&t, rec->payload + i * sizeof(t), sizeof(t));
		if (rec->type == JREC_TICKS && t.update_id != rec->seq + i)
			c->bad = 1;
	}
	if (rec->type == JREC_TICKS) {
		c->ticks += rec->count;
		c->next_seq += rec->count;
	} else if (rec->type == JREC_LOST) {
		struct tick t;
		memcpy(&t, rec->payload, sizeof(t));
		c->lost_rows++;
		c->next_seq += t.update_id;
	} else {
		c->cuts++;
	}
	return 0;
}

static char dir[64];
static const struct journal_segment_id seg_id = {1767225600123456789, 100}; /* ring generation, first bus_seq */

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_journal.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A segment at 100: 300 ticks, a lost range of 7, 50 ticks; synced. */
static void write_segment(struct journal *j, int cut)
{
	journal_init(j);
	assert_int_equal(journal_create(j, dir, "binance", &seg_id), 0);
	struct tick t[300];
	memset(t, 0, sizeof(t));
	for (int i = 0; i < 300; i++) {
		t[i].kind = TICK_QUOTE;
		t[i].update_id = 100 + (uint64_t)i;
	}
	assert_int_equal(journal_append_ticks(j, 100, t, 200), 0);
	assert_int_equal(journal_append_ticks(j, 300, t + 200, 100), 0); /* joins the same record */
	struct tick gap;
	memset(&gap, 0, sizeof(gap));
	gap.kind = TICK_GAP;
	gap.u.gap.reason = GAP_READER_LAPPED;
	gap.update_id = 7;
	assert_int_equal(journal_append_lost(j, 400, &gap), 0);
	for (int i = 0; i < 50; i++)
		t[i].update_id = 407 + (uint64_t)i;
	assert_int_equal(journal_append_ticks(j, 407, t, 50), 0);
	assert_int_equal(journal_append_ticks(j, 999, t, 1), -EINVAL); /* not contiguous */
	if (cut)
		assert_int_equal(journal_append_cut(j), 0);
	assert_int_equal(journal_sync(j), 0);
	assert_int_equal(j->written_seq, 457);
}

/* write_segment, closed again; path receives the segment's file name. */
static void make_segment(char *path, size_t n, int cut)
{
	struct journal j;
	write_segment(&j, cut);
	journal_close(&j);
	bytebuf_free(&j.buf);
	assert_int_equal(journal_segment_path(path, n, dir, &seg_id), 0);
}

static void test_records_read_back(void **state)
{
	(void)state;
	char path[256];
	make_segment(path, sizeof(path), 1);
	struct journal_scan scan;
	struct collected c = {.next_seq = 100};
	assert_int_equal(journal_recover_file(path, "binance", 1, &scan, collect, &c), 0);
	assert_false(c.bad);
	assert_int_equal(c.ticks, 350);
	assert_int_equal(c.lost_rows, 1);
	assert_int_equal(c.cuts, 1);
	assert_int_equal(scan.records, 4); /* 300 ticks, lost, 50 ticks, cut */
	assert_int_equal(scan.start_seq, 100);
	assert_true(scan.ring_created_ns == seg_id.ring_created_ns);
	assert_int_equal(scan.end_seq, 457);
	assert_true(scan.closed);
	assert_int_equal(scan.torn_bytes, 0);

	/* Listing sorts by ring generation first: a recreated ring's segments
	 * (bus_seq restarting at 0) come after the old ring's. */
	struct journal j2;
	journal_init(&j2);
	const struct journal_segment_id newer = {seg_id.ring_created_ns + 1, 0};
	assert_int_equal(journal_create(&j2, dir, "binance", &newer), 0);
	journal_close(&j2);
	struct journal_segment_id *ids;
	size_t n;
	assert_int_equal(journal_list(dir, &ids, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0].start_seq, 100);
	assert_true(ids[1].ring_created_ns == newer.ring_created_ns && ids[1].start_seq == 0);
	free(ids);
}

static void append_bytes(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
}

static off_t file_size(const char *path)
{
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	return sb.st_size;
}

static void test_torn_tail_is_truncated(void **state)
{
	(void)state;
	char path[256];
	make_segment(path, sizeof(path), 0);
	off_t good = file_size(path);
	uint8_t junk[100];
	memset(junk, 0xab, sizeof(junk));
	append_bytes(path, junk, sizeof(junk));

	struct journal_scan scan;
	struct collected c = {.next_seq = 100};
	assert_int_equal(journal_recover_file(path, "binance", 0, &scan, collect, &c), 0);
	assert_int_equal(scan.torn_bytes, 100);
	assert_int_equal(file_size(path), good + 100); /* without truncate: untouched */
	c = (struct collected){.next_seq = 100};
	assert_int_equal(journal_recover_file(path, "binance", 1, &scan, collect, &c), 0);
	assert_int_equal(file_size(path), good);
	assert_int_equal(scan.end_seq, 457);
	assert_false(scan.closed);
	assert_int_equal(c.ticks, 350);

	/* The open segment continues after the cut-off tail. */
	struct journal j;
	journal_init(&j);
	assert_int_equal(journal_open_append(&j, dir, "binance", &scan), 0);
	struct tick t;
	memset(&t, 0, sizeof(t));
	t.update_id = 457;
	assert_int_equal(journal_append_ticks(&j, 457, &t, 1), 0);
	assert_int_equal(journal_sync(&j), 0);
	journal_close(&j);
	c = (struct collected){.next_seq = 100};
	assert_int_equal(journal_recover_file(path, "binance", 1, &scan, collect, &c), 0);
	assert_int_equal(scan.end_seq, 458);
	assert_false(c.bad);
	bytebuf_free(&j.buf);
}

static void test_corrupt_record_ends_the_valid_part(void **state)
{
	(void)state;
	char path[256];
	make_segment(path, sizeof(path), 1);
	/* Flip one byte inside the first tick of the first record. */
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	uint8_t b;
	off_t at = JOURNAL_HEADER_SIZE + JOURNAL_RECORD_HEADER_SIZE + 10;
	assert_int_equal(pread(fd, &b, 1, at), 1);
	b ^= 0x40;
	assert_int_equal(pwrite(fd, &b, 1, at), 1);
	close(fd);
	struct journal_scan scan;
	struct collected c = {.next_seq = 100};
	assert_int_equal(journal_recover_file(path, "binance", 1, &scan, collect, &c), 0);
	assert_int_equal(scan.records, 0);
	assert_int_equal(c.ticks, 0);
	assert_int_equal(scan.end_seq, 100);
	assert_int_equal(file_size(path), JOURNAL_HEADER_SIZE);
}

static void test_other_version_or_exchange_refused_untouched(void **state)
{
	(void)state;
	char path[256];
	make_segment(path, sizeof(path), 0);
	off_t size = file_size(path);
	struct journal_scan scan;
	assert_int_equal(journal_recover_file(path, "okx", 1, &scan, NULL, NULL), -EXDEV);

	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	uint8_t v[4] = {2, 0, 0, 0}; /* layout version 2 */
	assert_int_equal(pwrite(fd, v, 4, 8), 4);
	close(fd);
	assert_int_equal(journal_recover_file(path, "binance", 1, &scan, NULL, NULL), -EPROTO);
	assert_int_equal(file_size(path), size);

	fd = open(path, O_RDWR);
	assert_int_equal(pwrite(fd, "XXXX", 4, 0), 4); /* not a journal at all */
	close(fd);
	assert_int_equal(journal_recover_file(path, "binance", 1, &scan, NULL, NULL), -EBADMSG);
	assert_int_equal(file_size(path), size);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_records_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_is_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_record_ends_the_valid_part, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_version_or_exchange_refused_untouched, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

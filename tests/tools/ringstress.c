/* spreadbus-ringstress: producer and verifying reader processes over one
 * ring, for the multi-process, crash and lapping tests. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shm/ring.h"
#include "tests/tools/ring_pattern.h"
#include "tests/tools/tool_args.h"

#define READ_BATCH 256
#define MAX_BATCH 1024
#define STALL_LIMIT_S 60

static volatile sig_atomic_t stop_requested;

static void usage(void)
{
	fprintf(stderr,
		"usage: spreadbus-ringstress create RING CAPACITY | unlink RING | head RING | cursor RING READER\n"
		"       spreadbus-ringstress produce RING [--count N] [--batch B] [--max-ahead K]\n"
		"       spreadbus-ringstress read RING --reader NAME [--count N] [--from SEQ] [--allow-lost]\n"
		"read exits after --count records, or on SIGTERM after draining to head; it prints\n"
		"\"read=R lost=L next=S\" and fails on any torn, misplaced or (without --allow-lost) lost record.\n");
}

static int64_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void on_term(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static struct ring *attach_or_die(const char *name)
{
	struct ring *ring = NULL;
	char err[256];
	int rc = ring_attach(&ring, name, err, sizeof(err));

	if (rc < 0) {
		fprintf(stderr, "ringstress: %s\n", err);
		exit(1);
	}
	return ring;
}

/* Publishes the pattern until head reaches count. With max_ahead, waits
 * while the slowest reader is further behind (tests that must lose
 * nothing); the ring itself never makes a producer wait. */
static int produce(const char *name, uint64_t count, uint64_t batch, uint64_t max_ahead)
{
	static struct tick ticks[MAX_BATCH];
	struct ring *ring = attach_or_die(name);
	uint64_t before = ring_head(ring), next = ring_producer_open(ring), i;
	uint64_t limit = 0;

	if (next != before)
		fprintf(stderr, "ringstress: recovered %" PRIu64 " complete records past head %" PRIu64 "\n",
			next - before, before);
	while (next < count) {
		uint64_t k = count - next < batch ? count - next : batch;
		if (max_ahead && next + k > limit) {
			limit = ring_slowest_cursor(ring) + max_ahead;
			if (next + k > limit) {
				struct timespec d = { 0, 20000 };
				nanosleep(&d, NULL);
				continue;
			}
		}
		for (i = 0; i < k; i++)
			ring_pattern_fill(&ticks[i], next + i);
		if (ring_publish(ring, ticks, k) != next) {
			fprintf(stderr, "ringstress: publish did not start at %" PRIu64 "\n", next);
			ring_close(ring);
			return 1;
		}
		next += k;
	}
	ring_close(ring);
	return 0;
}

static int verify_batch(const struct tick *t, size_t n, uint64_t first)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int rc = ring_pattern_check(&t[i], first + i);
		if (rc < 0) {
			fprintf(stderr, "ringstress: record %" PRIu64 " is %s (seq_lo %u update_id %" PRIu64 ")\n",
				first + i, rc == -EBADMSG ? "torn or corrupt" : "not the record for that sequence",
				t[i].seq_lo, t[i].update_id);
			return -1;
		}
	}
	return 0;
}

static int read_verify(const char *name, const char *reader, uint64_t count, int have_from, uint64_t from,
		       int allow_lost)
{
	static struct tick batch[READ_BATCH];
	struct ring *ring = attach_or_die(name);
	struct ring_reader *r = NULL;
	uint64_t read_total = 0, lost_total = 0, first, lost, drain_to = UINT64_MAX;
	int64_t last_progress = now_s();
	int rc = ring_reader_open(&r, ring, reader), status = 1;

	if (rc < 0) {
		fprintf(stderr, "ringstress: open reader %s: %s\n", reader, strerror(-rc));
		goto out;
	}
	if (have_from) {
		ring_reader_seek(r, from);
		ring_reader_commit(r, from);
	}
	for (;;) {
		uint64_t pos = ring_reader_position(r);
		size_t n;

		if (pos >= count || pos >= drain_to)
			break;
		if (stop_requested && drain_to == UINT64_MAX)
			drain_to = ring_head(ring);
		n = ring_reader_read(r, batch, READ_BATCH, &first, &lost);
		if (lost) {
			if (!allow_lost) {
				fprintf(stderr, "ringstress: lost %" PRIu64 " records before %" PRIu64 "\n", lost, first);
				goto out;
			}
			lost_total += lost;
		}
		if (n && first != pos + lost) {
			fprintf(stderr, "ringstress: batch starts at %" PRIu64 ", expected %" PRIu64 "\n", first,
				pos + lost);
			goto out;
		}
		if (verify_batch(batch, n, first) < 0)
			goto out;
		read_total += n;
		if (n || lost) {
			ring_reader_commit(r, ring_reader_position(r));
			last_progress = now_s();
			continue;
		}
		if (now_s() - last_progress > STALL_LIMIT_S) {
			fprintf(stderr, "ringstress: no progress for %ds at %" PRIu64 "\n", STALL_LIMIT_S, pos);
			goto out;
		}
		ring_wait_any(&r, 1, 100);
	}
	ring_reader_commit(r, ring_reader_position(r));
	printf("read=%" PRIu64 " lost=%" PRIu64 " next=%" PRIu64 "\n", read_total, lost_total, ring_reader_position(r));
	status = 0;
out:
	ring_reader_close(r);
	ring_close(ring);
	return status;
}

static int create(const char *name, const char *cap_s)
{
	struct ring *ring = NULL;
	uint64_t cap;
	char err[256];

	if (tool_args_parse_u64(cap_s, &cap) < 0) {
		usage();
		return 2;
	}
	if (ring_create_or_attach(&ring, name, "stress", cap, 0600, err, sizeof(err)) < 0) {
		fprintf(stderr, "ringstress: %s\n", err);
		return 1;
	}
	ring_close(ring);
	return 0;
}

static int cursor(const char *name, const char *reader)
{
	struct ring_reader_info info[RING_MAX_READERS];
	struct ring *ring = attach_or_die(name);
	size_t n = ring_readers_info(ring, info, RING_MAX_READERS), i;

	int rc = 1;

	for (i = 0; i < n && rc; i++)
		if (strcmp(info[i].name, reader) == 0) {
			printf("%" PRIu64 " %" PRIu64 "\n", info[i].cursor, info[i].lost_total);
			rc = 0;
		}
	ring_close(ring);
	return rc;
}

int main(int argc, char **argv)
{
	uint64_t count = UINT64_MAX, batch = 32, max_ahead = 0, from = 0;
	const char *reader = NULL;
	int have_from = 0, allow_lost = 0, i;
	struct sigaction sa;

	if (argc < 3) {
		usage();
		return 2;
	}
	for (i = 3; i < argc; i++) {
		int bad = 0;
		if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
			bad = tool_args_parse_u64(argv[++i], &count);
		else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc)
			bad = tool_args_parse_u64(argv[++i], &batch) || batch == 0 || batch > MAX_BATCH;
		else if (strcmp(argv[i], "--max-ahead") == 0 && i + 1 < argc)
			bad = tool_args_parse_u64(argv[++i], &max_ahead);
		else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
			bad = tool_args_parse_u64(argv[++i], &from), have_from = 1;
		else if (strcmp(argv[i], "--reader") == 0 && i + 1 < argc)
			reader = argv[++i];
		else if (strcmp(argv[i], "--allow-lost") == 0)
			allow_lost = 1;
		else if (strcmp(argv[1], "create") != 0 && strcmp(argv[1], "cursor") != 0)
			bad = 1;
		if (bad) {
			usage();
			return 2;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	if (strcmp(argv[1], "create") == 0 && argc == 4)
		return create(argv[2], argv[3]);
	if (strcmp(argv[1], "unlink") == 0)
		return segment_unlink(argv[2]) < 0 ? 1 : 0;
	if (strcmp(argv[1], "head") == 0) {
		struct ring *ring = attach_or_die(argv[2]);
		printf("%" PRIu64 "\n", ring_head(ring));
		ring_close(ring);
		return 0;
	}
	if (strcmp(argv[1], "cursor") == 0 && argc == 4)
		return cursor(argv[2], argv[3]);
	if (strcmp(argv[1], "produce") == 0)
		return produce(argv[2], count, batch, max_ahead);
	if (strcmp(argv[1], "read") == 0 && reader)
		return read_verify(argv[2], reader, count, have_from, from, allow_lost);
	usage();
	return 2;
}

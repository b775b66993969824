/* Ring benchmark, across processes (fork): throughput with one and two
 * readers, and the wake latency of a reader asleep in ring_wait_any. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "shm/ring.h"

#define CAPACITY (1ULL << 20) /* the configured default */
#define TICKS_PER_RUN 20000000ULL
#define RUNS 5
#define READ_BATCH 256
#define MAX_PUBLISH_BATCH 64
#define WAKE_SAMPLES 2000
#define WAKE_RUNS 3

static char ring_name[64];

static void die(const char *what, int rc)
{
	fprintf(stderr, "bench_ring: %s: %s\n", what, strerror(rc < 0 ? -rc : rc));
	segment_unlink(ring_name);
	exit(1);
}

static struct ring *fresh_ring(void)
{
	struct ring *ring = NULL;
	char err[256];
	int rc;

	segment_unlink(ring_name);
	rc = ring_create_or_attach(&ring, ring_name, "bench", CAPACITY, 0600, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "bench_ring: %s\n", err);
		exit(1);
	}
	return ring;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* A reader process: reads until count, committing each batch (the
 * producer's flow control looks at the commits); sleeps when idle. */
static void reader_child(const char *name, uint64_t count, int ready_fd)
{
	static struct tick batch[READ_BATCH];
	struct ring *ring = NULL;
	struct ring_reader *r = NULL;
	uint64_t first, lost, sum = 0, lost_total = 0;
	char err[256];
	unsigned idle = 0;

	if (ring_attach(&ring, ring_name, err, sizeof(err)) < 0 || ring_reader_open(&r, ring, name) < 0)
		_exit(1);
	if (write(ready_fd, "r", 1) != 1)
		_exit(1);
	while (ring_reader_position(r) < count) {
		size_t n = ring_reader_read(r, batch, READ_BATCH, &first, &lost), i;
		lost_total += lost;
		for (i = 0; i < n; i++)
			sum += batch[i].update_id;
		if (n) {
			ring_reader_commit(r, ring_reader_position(r));
			idle = 0;
		} else if (++idle > 64) {
			ring_wait_any(&r, 1, 1);
		}
	}
	/* Exit status 0 only if nothing was lost (the figure would be wrong). */
	_exit(lost_total == 0 && sum != 1 ? 0 : 3);
}

/* One run: ticks/s from the producer's first publish until every reader
 * has read all. The producer keeps within half a ring of the slowest reader
 * so that the figure is for delivered ticks, none lost. */
static double throughput_run(int readers, uint64_t batch)
{
	static const char *names[] = { "bench-a", "bench-b" };
	struct tick ticks[MAX_PUBLISH_BATCH];
	struct ring *ring = fresh_ring();
	struct ring_reader *pre;
	uint64_t next, limit = 0, i;
	pid_t pids[2];
	int fds[2], k, status, ok = 1;
	int64_t start, end;
	char c;

	memset(ticks, 0, sizeof(ticks));
	for (i = 0; i < MAX_PUBLISH_BATCH; i++) {
		ticks[i].kind = TICK_QUOTE;
		ticks[i].update_id = i;
		ticks[i].u.quote.bid_px = 100.0;
	}
	if (pipe(fds) < 0)
		die("pipe", errno);
	for (k = 0; k < readers; k++) {
		/* Claim the slot here so that it starts at 0 before any publish. */
		if (ring_reader_open(&pre, ring, names[k]) < 0)
			die("reader slot", EBUSY);
		ring_reader_close(pre);
		pids[k] = fork();
		if (pids[k] < 0)
			die("fork", errno);
		if (pids[k] == 0)
			reader_child(names[k], TICKS_PER_RUN, fds[1]);
	}
	for (k = 0; k < readers; k++)
		if (read(fds[0], &c, 1) != 1)
			die("reader start", EIO);
	next = ring_producer_open(ring);
	start = clock_monotonic_ns();
	while (next < TICKS_PER_RUN) {
		uint64_t n = TICKS_PER_RUN - next < batch ? TICKS_PER_RUN - next : batch;
		if (next + n > limit) {
			limit = ring_slowest_cursor(ring) + CAPACITY / 2;
			if (next + n > limit)
				continue;
		}
		ring_publish(ring, ticks, n);
		next += n;
	}
	for (k = 0; k < readers; k++) {
		if (waitpid(pids[k], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			ok = 0;
	}
	end = clock_monotonic_ns();
	close(fds[0]);
	close(fds[1]);
	ring_close(ring);
	segment_unlink(ring_name);
	if (!ok) {
		fprintf(stderr, "bench_ring: a reader failed or lost ticks\n");
		exit(1);
	}
	return (double)TICKS_PER_RUN / ((double)(end - start) / 1e9);
}

/* Median of RUNS runs; the spread goes to a comment line, because on a
 * shared machine the runs differ with how the processes get scheduled. */
static double throughput(int readers, uint64_t batch)
{
	double v[RUNS], m;
	int i;

	for (i = 0; i < RUNS; i++)
		v[i] = throughput_run(readers, batch);
	m = median(v, RUNS);
	printf("# %d reader(s), %llu ticks per publish: runs from %.0f to %.0f ticks/s\n", readers,
	       (unsigned long long)batch, v[0], v[RUNS - 1]);
	return m;
}

/* One run: the producer publishes one tick carrying CLOCK_MONOTONIC every
 * 100 us - 1 ms; the reader, asleep in ring_wait_any, records how long
 * after the publish it holds the tick. p50 and p99 in ns. */
static void wake_run(double *p50, double *p99)
{
	double *lat = mmap(NULL, WAKE_SAMPLES * sizeof(double), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			   -1, 0);
	struct ring *ring = fresh_ring();
	struct ring_reader *pre;
	struct tick t;
	int fds[2], status, i;
	pid_t pid;
	char c;

	if (lat == MAP_FAILED)
		die("mmap", errno);
	if (pipe(fds) < 0)
		die("pipe", errno);
	if (ring_reader_open(&pre, ring, "wake") < 0)
		die("reader slot", EBUSY);
	ring_reader_close(pre);
	pid = fork();
	if (pid < 0)
		die("fork", errno);
	if (pid == 0) {
		struct ring *cr = NULL;
		struct ring_reader *r = NULL;
		struct tick got[8];
		uint64_t first, lost;
		char err[256];
		int n = 0;

		if (ring_attach(&cr, ring_name, err, sizeof(err)) < 0 || ring_reader_open(&r, cr, "wake") < 0)
			_exit(1);
		if (write(fds[1], "r", 1) != 1)
			_exit(1);
		while (n < WAKE_SAMPLES) {
			size_t k = ring_reader_read(r, got, 8, &first, &lost), j;
			int64_t now = clock_monotonic_ns();
			for (j = 0; j < k && n < WAKE_SAMPLES; j++)
				lat[n++] = (double)(now - got[j].ts_recv_ns);
			if (k == 0 && ring_wait_any(&r, 1, 5000) == 0)
				_exit(2);
		}
		_exit(0);
	}
	if (read(fds[0], &c, 1) != 1)
		die("reader start", EIO);
	memset(&t, 0, sizeof(t));
	ring_producer_open(ring);
	srand(12345);
	for (i = 0; i < WAKE_SAMPLES; i++) {
		struct timespec d = { 0, (100 + rand() % 900) * 1000L };
		nanosleep(&d, NULL);
		t.ts_recv_ns = clock_monotonic_ns();
		ring_publish(ring, &t, 1);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_ring: wake reader failed\n");
		exit(1);
	}
	qsort(lat, WAKE_SAMPLES, sizeof(double), cmp_double);
	*p50 = lat[WAKE_SAMPLES / 2];
	*p99 = lat[WAKE_SAMPLES * 99 / 100];
	munmap(lat, WAKE_SAMPLES * sizeof(double));
	close(fds[0]);
	close(fds[1]);
	ring_close(ring);
	segment_unlink(ring_name);
}

int main(void)
{
	double p50[WAKE_RUNS], p99[WAKE_RUNS];
	int i;

	snprintf(ring_name, sizeof(ring_name), "/spreadbus.bench%d.ring", (int)getpid());
	printf("# ring capacity %llu, %llu ticks of 64 bytes per run, median of %d runs, %ld CPUs\n",
	       (unsigned long long)CAPACITY, (unsigned long long)TICKS_PER_RUN, RUNS, sysconf(_SC_NPROCESSORS_ONLN));
	printf("BENCH ring_1p1r_ticks_per_s %.0f ticks/s\n", throughput(1, 32));
	printf("# (ring_1p1r_ticks_per_s: 32 ticks per ring_publish call)\n");
	printf("BENCH ring_1p1r_single_ticks_per_s %.0f ticks/s\n", throughput(1, 1));
	printf("BENCH ring_1p2r_ticks_per_s %.0f ticks/s\n", throughput(2, 32));
	fflush(stdout);
	for (i = 0; i < WAKE_RUNS; i++)
		wake_run(&p50[i], &p99[i]);
	printf("BENCH ring_wake_p50_ns %.0f ns\n", median(p50, WAKE_RUNS));
	printf("BENCH ring_wake_p99_ns %.0f ns\n", median(p99, WAKE_RUNS));
	return 0;
}

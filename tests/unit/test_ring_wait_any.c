/* ring_wait_any: returns at once when data is there, is woken by a publish
 * from another process on any of its rings, times out, and reports EINTR.
 * ring_wait_batch: waits like it until wake-ups come closer than batch_ns;
 * then, while they find records, sleeps out batch_ns from the last wake-up
 * (a publish does not cut that short: no sleep was announced to the
 * producer); a wake-up that found nothing puts it back on the futex. A
 * burst of publishes makes one wake, and a reader killed asleep costs one. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm/ring.h"

static char names[2][64];
static struct ring *rings[2];

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int setup(void **state)
{
	char err[256] = "";
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		snprintf(names[i], sizeof(names[i]), "/spreadbus.ut%d.wait%d", (int)getpid(), i);
		segment_unlink(names[i]);
		assert_int_equal(ring_create_or_attach(&rings[i], names[i], "w", 1024, 0600, err, sizeof(err)), 0);
	}
	return 0;
}

static int teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		ring_close(rings[i]);
		segment_unlink(names[i]);
	}
	return 0;
}

static void test_returns_at_once_with_data(void **state)
{
	struct ring_reader *r[2];
	struct tick t;
	int64_t start;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(ring_reader_open(&r[0], rings[0], "a"), 0);
	assert_int_equal(ring_reader_open(&r[1], rings[1], "a"), 0);
	ring_publish(rings[1], &t, 1);
	start = now_ms();
	assert_int_equal(ring_wait_any(r, 2, 10000), 1);
	assert_true(now_ms() - start < 5000);
	ring_reader_close(r[0]);
	ring_reader_close(r[1]);
}

static void test_times_out_without_data(void **state)
{
	struct ring_reader *r[2];
	int64_t start, took;

	(void)state;
	assert_int_equal(ring_reader_open(&r[0], rings[0], "a"), 0);
	assert_int_equal(ring_reader_open(&r[1], rings[1], "a"), 0);
	start = now_ms();
	assert_int_equal(ring_wait_any(r, 2, 150), 0);
	took = now_ms() - start;
	assert_true(took >= 149);
	assert_true(took < 5000);
	assert_int_equal(ring_wait_any(r, 2, 0), 0);
	ring_reader_close(r[0]);
	ring_reader_close(r[1]);
}

/* The child attaches like a collector and publishes one tick into ring idx
 * after a short delay, so that the parent is (very likely) asleep. */
static pid_t publish_later(int idx)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct ring *ring = NULL;
		struct tick t;
		char err[256];
		struct timespec d = { 0, 100 * 1000000L };

		memset(&t, 0, sizeof(t));
		if (ring_attach(&ring, names[idx], err, sizeof(err)) < 0)
			_exit(1);
		nanosleep(&d, NULL);
		ring_producer_open(ring);
		ring_publish(ring, &t, 1);
		_exit(0);
	}
	return pid;
}

static void test_woken_by_other_process_on_either_ring(void **state)
{
	struct ring_reader *r[2];
	int idx, status;

	(void)state;
	assert_int_equal(ring_reader_open(&r[0], rings[0], "a"), 0);
	assert_int_equal(ring_reader_open(&r[1], rings[1], "a"), 0);
	for (idx = 0; idx < 2; idx++) {
		pid_t pid = publish_later(idx);
		int64_t start = now_ms();
		int rc;

		do
			rc = ring_wait_any(r, 2, 20000);
		while (rc == 1 && ring_head(rings[idx]) == ring_reader_position(r[idx]));
		assert_int_equal(rc, 1);
		assert_true(now_ms() - start < 10000);
		assert_int_equal(ring_head(rings[idx]), ring_reader_position(r[idx]) + 1);
		ring_reader_seek(r[idx], ring_head(rings[idx]));
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ring_reader_close(r[0]);
	ring_reader_close(r[1]);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_signal_interrupts_wait(void **state)
{
	struct ring_reader *r;
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART */
	assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
	assert_int_equal(ring_reader_open(&r, rings[0], "a"), 0);
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	assert_int_equal(ring_wait_any(&r, 1, -1), -EINTR);
	ring_reader_close(r);
}

/* The producer line's words after head, read through a raw mapping (not
 * part of the API): the wake request, then the futex word. */
static uint32_t producer_word(int idx, size_t offset)
{
	int fd = shm_open(names[idx], O_RDONLY, 0);
	uint32_t v;
	char *p;

	assert_true(fd >= 0);
	p = mmap(NULL, 128, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	v = __atomic_load_n((uint32_t *)(p + 64 + offset), __ATOMIC_SEQ_CST);
	munmap(p, 128);
	close(fd);
	return v;
}

static uint32_t wake_wanted(int idx)
{
	return producer_word(idx, 8);
}

static uint32_t wake_word(int idx)
{
	return producer_word(idx, 12);
}

/* A request left by a reader that timed out is taken by the next publish,
 * with one wake; the rest of the burst makes none. */
static void test_burst_wakes_once(void **state)
{
	struct ring_reader *r = NULL;
	struct tick t;
	uint32_t before;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(ring_reader_open(&r, rings[0], "a"), 0);
	assert_int_equal(wake_wanted(0), 0);
	assert_int_equal(ring_wait_any(&r, 1, 0), 0);
	assert_int_equal(wake_wanted(0), 1);
	before = wake_word(0);
	for (int i = 0; i < 100; i++)
		ring_publish(rings[0], &t, 1);
	assert_int_equal(wake_word(0) - before, 1);
	assert_int_equal(wake_wanted(0), 0);
	ring_reader_close(r);
}

/* A reader killed asleep leaves its request: the next publish takes it
 * (one wake for nobody), later ones make no wake. */
static void test_reader_killed_asleep_costs_one_wake(void **state)
{
	struct ring_reader *r = NULL;
	struct timespec d = { 0, 5 * 1000000L };
	int64_t deadline = now_ms() + 10000;
	struct tick t;
	uint32_t before;
	int status;
	pid_t pid;

	(void)state;
	memset(&t, 0, sizeof(t));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct ring *ring = NULL;
		char err[256];

		if (ring_attach(&ring, names[0], err, sizeof(err)) < 0 || ring_reader_open(&r, ring, "crashy") < 0)
			_exit(1);
		ring_wait_any(&r, 1, -1);
		_exit(2);
	}
	while (wake_wanted(0) != 1 && now_ms() < deadline)
		nanosleep(&d, NULL);
	assert_int_equal(wake_wanted(0), 1);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(wake_wanted(0), 1);
	before = wake_word(0);
	ring_publish(rings[0], &t, 1);
	ring_publish(rings[0], &t, 1);
	assert_int_equal(wake_word(0) - before, 1);
	assert_int_equal(wake_wanted(0), 0);
	/* The restarted reader reopens its slot and waits as before. */
	assert_int_equal(ring_reader_open(&r, rings[0], "crashy"), 0);
	assert_int_equal(ring_wait_any(&r, 1, 1), 1);
	ring_reader_close(r);
}

/* Makes futex_waitv fail with ENOSYS in this process, as on kernels
 * before 5.16. */
static int deny_futex_waitv(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_futex_waitv, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

/* In a child without futex_waitv: a timeout still takes its time (in 10 ms
 * steps), and a publish from another process still wakes the reader. */
static void test_fallback_without_futex_waitv(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct ring_reader *r = NULL;
		int64_t start;
		pid_t pub;
		int rc;

		if (deny_futex_waitv() < 0 || syscall(SYS_futex_waitv, NULL, 0, 0, NULL, 0) != -1 || errno != ENOSYS)
			_exit(10);
		if (ring_reader_open(&r, rings[0], "fallback") < 0)
			_exit(11);
		start = now_ms();
		if (ring_wait_any(&r, 1, 120) != 0 || now_ms() - start < 119)
			_exit(12);
		pub = publish_later(0);
		start = now_ms();
		do
			rc = ring_wait_any(&r, 1, 20000);
		while (rc == 1 && ring_head(rings[0]) == ring_reader_position(r));
		if (rc != 1 || now_ms() - start > 10000 || waitpid(pub, &status, 0) != pub)
			_exit(13);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

#define BATCH_MS 300

/* Records waiting for reader r (then takes them). */
static uint64_t take(struct ring_reader *r, struct ring *ring)
{
	uint64_t n = ring_head(ring) - ring_reader_position(r);

	ring_reader_seek(r, ring_head(ring));
	return n;
}

static void test_batch_sleeps_out_batch_ns_while_busy(void **state)
{
	struct ring_batch_wait bw = { .batch_ns = BATCH_MS * 1000000LL };
	struct ring_reader *r;
	struct tick t;
	int64_t start, took;
	int status;
	pid_t pid;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(ring_reader_open(&r, rings[0], "a"), 0);
	/* nothing read yet: a plain wait, which times out */
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 20, 0), 0);
	/* two wake-ups in quick succession that find records (the second
	 * already sleeps out batch_ns) */
	ring_publish(rings[0], &t, 1);
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 5000, 0), 1);
	assert_int_equal(take(r, rings[0]), 1);
	ring_publish(rings[0], &t, 1);
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 5000, 1), 1);
	assert_int_equal(take(r, rings[0]), 1);
	/* batching: a tick published now does not end the sleep */
	start = now_ms();
	ring_publish(rings[0], &t, 1);
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 5000, 1), 1);
	took = now_ms() - start;
	assert_true(took >= BATCH_MS - 20);
	assert_true(took < BATCH_MS + 2000);
	assert_int_equal(take(r, rings[0]), 1);
	/* that batch found a record: still batching */
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 5000, 1), 1);
	assert_int_equal(take(r, rings[0]), 0);
	/* found nothing: back on the futex, woken by another process's
	 * publish long before the timeout */
	pid = publish_later(0);
	start = now_ms();
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 20000, 0), 1);
	assert_true(now_ms() - start < 10000);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(take(r, rings[0]), 1);
	ring_reader_close(r);
}

static void test_batch_zero_is_ring_wait_any(void **state)
{
	struct ring_batch_wait bw = { .batch_ns = 0 };
	struct ring_reader *r;
	struct tick t;
	int64_t start;
	int i;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(ring_reader_open(&r, rings[0], "a"), 0);
	for (i = 0; i < 2; i++) {
		ring_publish(rings[0], &t, 1);
		start = now_ms();
		assert_int_equal(ring_wait_batch(&bw, &r, 1, 5000, 1), 1);
		assert_true(now_ms() - start < 1000);
		assert_int_equal(take(r, rings[0]), 1);
	}
	start = now_ms();
	assert_int_equal(ring_wait_batch(&bw, &r, 1, 50, 1), 0);
	assert_true(now_ms() - start >= 49);
	ring_reader_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_returns_at_once_with_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_times_out_without_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_woken_by_other_process_on_either_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_interrupts_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst_wakes_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_killed_asleep_costs_one_wake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_without_futex_waitv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_sleeps_out_batch_ns_while_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_zero_is_ring_wait_any, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Child liveness and exit reasons: a heartbeat older than the timeout means
 * hung, a child without a first heartbeat gets the startup grace, a
 * heartbeat of a previous process does not count, and wait statuses are
 * described with code, signal and core. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "supervisor/child.h"

#define MS 1000000LL
#define S 1000000000LL

static void running_child(struct child *c, struct status_block *b)
{
	child_init(c, "binance", ROLE_COLLECTOR, 1000, 0);
	c->state = CHILD_RUN_RUNNING;
	c->pid = 4242;
	c->started_mono_ns = 100 * S;
	c->started_real_ns = 1700000000 * S;
	memset(b, 0, sizeof(*b));
}

static void test_fresh_heartbeat_is_alive(void **state)
{
	(void)state;
	struct child c;
	struct status_block b;
	running_child(&c, &b);
	b.heartbeat_ns = c.started_real_ns + 5 * S;
	int64_t now_real = b.heartbeat_ns + 999 * MS;
	assert_int_equal(child_heartbeat_age_ms(&c, &b, now_real), 999);
	assert_false(child_is_hung(&c, &b, c.started_mono_ns + 6 * S, now_real));
}

static void test_stale_heartbeat_is_hung(void **state)
{
	(void)state;
	struct child c;
	struct status_block b;
	running_child(&c, &b);
	b.heartbeat_ns = c.started_real_ns + 5 * S;
	assert_true(child_is_hung(&c, &b, c.started_mono_ns + 7 * S, b.heartbeat_ns + 1001 * MS));
}

static void test_startup_grace_before_first_heartbeat(void **state)
{
	(void)state;
	struct child c;
	struct status_block b;
	running_child(&c, &b);
	/* a heartbeat from the previous process (before this one started) */
	b.heartbeat_ns = c.started_real_ns - 3 * S;
	assert_int_equal(child_heartbeat_age_ms(&c, &b, c.started_real_ns + S), -1);
	/* timeout 1 s + 10 s grace */
	assert_false(child_is_hung(&c, &b, c.started_mono_ns + 10 * S, c.started_real_ns + 10 * S));
	assert_true(child_is_hung(&c, &b, c.started_mono_ns + 11 * S + MS, c.started_real_ns + 11 * S));
}

static void test_only_running_children_can_hang(void **state)
{
	(void)state;
	struct child c;
	struct status_block b;
	running_child(&c, &b);
	c.state = CHILD_RUN_STOPPING;
	assert_false(child_is_hung(&c, &b, c.started_mono_ns + 100 * S, c.started_real_ns + 100 * S));
	c.state = CHILD_RUN_HELD;
	c.pid = 0;
	assert_false(child_is_hung(&c, &b, c.started_mono_ns + 100 * S, c.started_real_ns + 100 * S));
	assert_int_equal(child_heartbeat_age_ms(&c, &b, c.started_real_ns), -1);
}

static void test_wait_status_descriptions(void **state)
{
	(void)state;
	char buf[64];
	child_describe_wait_status(3 << 8, buf, sizeof(buf)); /* exited with 3 */
	assert_string_equal(buf, "exit code 3");
	child_describe_wait_status(SIGKILL, buf, sizeof(buf));
	assert_string_equal(buf, "signal 9 (KILL)");
	child_describe_wait_status(SIGSEGV | 0x80, buf, sizeof(buf)); /* core dumped */
	assert_string_equal(buf, "signal 11 (SEGV, core dumped)");
}

static void test_crash_then_requested_restart(void **state)
{
	(void)state;
	struct child c;
	struct status_block b;
	struct config_restart rc = { .backoff_initial_ms = 500, .backoff_max_ms = 30000, .burst_count = 5,
				     .burst_window_s = 60, .hold_ms = 60000, .hold_max_ms = 600000,
				     .stop_timeout_ms = 3000 };
	running_child(&c, &b);
	/* a crash after 2.5 s: logged reason, immediate restart (backoff, due now) */
	assert_int_equal(child_exited(&c, SIGKILL, &rc, c.started_mono_ns + 2500 * MS, 0.5), 0);
	assert_int_equal(c.state, CHILD_RUN_BACKOFF);
	assert_int_equal(c.next_start_ns, c.started_mono_ns + 2500 * MS);
	assert_string_equal(c.last_exit, "signal 9 (KILL) after 2.5 s");
	assert_int_equal(c.pid, 0);
	/* an operator stop of a child without a process: stopped at once */
	assert_int_equal(child_stop(&c, CHILD_AFTER_STOP, 3000, 200 * S), 0);
	assert_int_equal(c.state, CHILD_RUN_STOPPED);
	/* removal of a child without a process: remove now */
	assert_int_equal(child_stop(&c, CHILD_AFTER_REMOVE, 3000, 200 * S), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_heartbeat_is_alive),
		cmocka_unit_test(test_stale_heartbeat_is_hung),
		cmocka_unit_test(test_startup_grace_before_first_heartbeat),
		cmocka_unit_test(test_only_running_children_can_hang),
		cmocka_unit_test(test_wait_status_descriptions),
		cmocka_unit_test(test_crash_then_requested_restart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

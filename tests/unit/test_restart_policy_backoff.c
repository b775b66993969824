/* Restart policy: immediate first restart, exponential backoff with jitter
 * capped at backoff_max_ms, circuit opening after a burst, doubling holds,
 * and a stable run forgetting the past. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "supervisor/restart_policy.h"

#define S 1000000000LL

static const struct config_restart cfg = {
	.backoff_initial_ms = 500,
	.backoff_max_ms = 30000,
	.burst_count = 5,
	.burst_window_s = 60,
	.hold_ms = 60000,
	.hold_max_ms = 600000,
	.stop_timeout_ms = 3000,
};

static void test_first_restart_is_immediate(void **state)
{
	(void)state;
	struct restart_policy p;
	restart_policy_reset(&p);
	struct restart_decision d = restart_policy_on_crash(&p, &cfg, 100 * S, 5000, 0.5);
	assert_false(d.held);
	assert_int_equal(d.delay_ms, 0);
}

static void test_backoff_doubles_with_jitter_and_caps(void **state)
{
	(void)state;
	/* The full delay of crashes 2, 3, ... written out from the contract
	 * (backoff_initial_ms 500, doubling, capped at backoff_max_ms 30000),
	 * not computed the way the policy computes it. */
	static const int64_t full_ms[] = { 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000 };
	struct restart_policy p;
	restart_policy_reset(&p);
	struct config_restart wide = cfg;
	wide.burst_count = 50; /* keep the circuit closed: only backoff here */
	int64_t now = 1000 * S;
	assert_int_equal(restart_policy_on_crash(&p, &wide, now, 10, 0.0).delay_ms, 0);
	for (size_t i = 0; i < sizeof(full_ms) / sizeof(full_ms[0]); i++) {
		now += S;
		/* jitter 0 gives the lower half, jitter -> 1 the full delay */
		struct restart_policy copy = p;
		struct restart_decision lo = restart_policy_on_crash(&p, &wide, now, 10, 0.0);
		struct restart_decision hi = restart_policy_on_crash(&copy, &wide, now, 10, 0.999999);
		assert_false(lo.held);
		assert_false(hi.held);
		assert_int_equal(lo.delay_ms, full_ms[i] / 2);
		assert_in_range(hi.delay_ms, full_ms[i] - 1, full_ms[i]);
	}
}

static void test_burst_opens_circuit_and_hold_doubles(void **state)
{
	(void)state;
	struct restart_policy p;
	restart_policy_reset(&p);
	int64_t now = 1000 * S;
	for (unsigned i = 0; i < cfg.burst_count; i++) {
		struct restart_decision d = restart_policy_on_crash(&p, &cfg, now, 10, 0.5);
		assert_false(d.held);
		now += S;
	}
	/* burst_count + 1 crashes within the window: held for hold_ms */
	struct restart_decision d = restart_policy_on_crash(&p, &cfg, now, 10, 0.5);
	assert_true(d.held);
	assert_int_equal(d.delay_ms, 60000);
	/* after the hold, one more quick crash re-opens it for twice as long */
	now += 61 * S;
	d = restart_policy_on_crash(&p, &cfg, now, 100, 0.5);
	assert_true(d.held);
	assert_int_equal(d.delay_ms, 120000);
	for (int i = 0; i < 10; i++) {
		now += 700 * S;
		d = restart_policy_on_crash(&p, &cfg, now, 100, 0.5);
	}
	assert_true(d.held);
	assert_int_equal(d.delay_ms, 600000); /* hold_max_ms */
}

static void test_crashes_spread_over_time_do_not_hold(void **state)
{
	(void)state;
	struct restart_policy p;
	restart_policy_reset(&p);
	int64_t now = 1000 * S;
	/* 20 crashes 30 s apart: never more than 2 in a 60 s window */
	for (int i = 0; i < 20; i++) {
		struct restart_decision d = restart_policy_on_crash(&p, &cfg, now, 29000, 0.5);
		assert_false(d.held);
		now += 30 * S;
	}
}

static void test_stable_run_resets_backoff_and_probation(void **state)
{
	(void)state;
	struct restart_policy p;
	restart_policy_reset(&p);
	int64_t now = 1000 * S;
	for (int i = 0; i < 6; i++)
		restart_policy_on_crash(&p, &cfg, now += S, 10, 0.5);
	assert_true(p.probation);
	/* ran for the whole burst window: a fresh start, immediate restart */
	struct restart_decision d = restart_policy_on_crash(&p, &cfg, now += 200 * S, 61000, 0.5);
	assert_false(d.held);
	assert_int_equal(d.delay_ms, 0);
	assert_int_equal(p.holds, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_restart_is_immediate),
		cmocka_unit_test(test_backoff_doubles_with_jitter_and_caps),
		cmocka_unit_test(test_burst_opens_circuit_and_hold_doubles),
		cmocka_unit_test(test_crashes_spread_over_time_do_not_hold),
		cmocka_unit_test(test_stable_run_resets_backoff_and_probation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

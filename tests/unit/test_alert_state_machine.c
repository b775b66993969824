/* The alert state machine on hand-made sequences: an alert opens only after
 * min_duration of qualifying evaluations, a break restarts the hold, it
 * closes at the first evaluation without a qualifying pair, and no hold
 * starts during the cool-down; alert_match picks the best qualifying pair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "aggregator/alert.h"

#define MS 1000000LL

/* exchanges 0 and 1 only, 5 bps net, 1000 notional, 500 ms hold, 2 s cool-down */
static const struct alert_rule rule = {
	.exchange_mask = 0x3, .min_net_bps = 5.0, .min_notional = 1000.0,
	.min_duration_ns = 500 * MS, .cooldown_ns = 2000 * MS,
};

static struct alert_pair pair(double net_bps)
{
	return (struct alert_pair){.buy_ex = 0, .sell_ex = 1, .net_spread_bps = net_bps, .notional = 5000.0};
}

static int step(struct alert_state *s, int64_t t_ms, double net_bps, struct alert_event *ev)
{
	struct alert_pair q = pair(net_bps);
	return alert_step(s, &rule, t_ms * MS, net_bps > 0 ? &q : NULL, ev);
}

static void opens_only_after_min_duration(void **state)
{
	(void)state;
	struct alert_state s = {0};
	struct alert_event ev;
	assert_int_equal(step(&s, 0, 6.0, &ev), 0);
	assert_int_equal(s.phase, ALERT_HOLDING);
	assert_int_equal(step(&s, 300, 7.0, &ev), 0);
	assert_int_equal(alert_due(&s, &rule, 499 * MS, &ev), 0);
	assert_int_equal(alert_due(&s, &rule, 500 * MS, &ev), 1);
	assert_int_equal(ev.kind, ALERT_EVENT_OPEN);
	assert_true(ev.opened_ns == 500 * MS && ev.ts_ns == 500 * MS);
	assert_true(ev.pair.net_spread_bps == 7.0 && ev.peak_net_bps == 7.0);
	assert_int_equal(s.phase, ALERT_OPEN);
	/* open stays open, no second open */
	assert_int_equal(step(&s, 600, 6.0, &ev), 0);
	assert_int_equal(alert_due(&s, &rule, 5000 * MS, &ev), 0);
}

static void a_break_restarts_the_hold(void **state)
{
	(void)state;
	struct alert_state s = {0};
	struct alert_event ev;
	assert_int_equal(step(&s, 0, 6.0, &ev), 0);
	assert_int_equal(step(&s, 400, 0, &ev), 0); /* no qualifying pair: no close, nothing was open */
	assert_int_equal(s.phase, ALERT_IDLE);
	assert_int_equal(step(&s, 600, 6.0, &ev), 0);
	assert_int_equal(alert_due(&s, &rule, 1000 * MS, &ev), 0); /* 400 ms since 600 */
	assert_int_equal(step(&s, 1100, 6.5, &ev), 1);            /* 500 ms: opens on the evaluation */
	assert_true(ev.kind == ALERT_EVENT_OPEN && ev.opened_ns == 1100 * MS);
}

static void closes_when_the_spread_falls(void **state)
{
	(void)state;
	struct alert_state s = {0};
	struct alert_event ev;
	assert_int_equal(step(&s, 0, 6.0, &ev), 0);
	assert_int_equal(step(&s, 500, 8.0, &ev), 1);
	assert_int_equal(step(&s, 800, 9.0, &ev), 0);
	assert_int_equal(step(&s, 900, 5.5, &ev), 0);
	assert_int_equal(step(&s, 1000, 0, &ev), 1);
	assert_int_equal(ev.kind, ALERT_EVENT_CLOSE);
	assert_true(ev.opened_ns == 500 * MS && ev.ts_ns == 1000 * MS);
	assert_true(ev.peak_net_bps == 9.0);           /* highest while open */
	assert_true(ev.pair.net_spread_bps == 5.5);    /* the last qualifying evaluation */
	assert_int_equal(s.phase, ALERT_IDLE);
	assert_int_equal(step(&s, 1100, 0, &ev), 0);   /* closes once */
}

static void cooldown_is_honoured(void **state)
{
	(void)state;
	struct alert_state s = {0};
	struct alert_event ev;
	assert_int_equal(step(&s, 0, 6.0, &ev), 0);
	assert_int_equal(step(&s, 500, 6.0, &ev), 1);
	assert_int_equal(step(&s, 1000, 0, &ev), 1); /* closed: cool-down until 3000 */
	assert_int_equal(step(&s, 1500, 9.0, &ev), 0);
	assert_int_equal(s.phase, ALERT_IDLE);
	assert_int_equal(alert_due(&s, &rule, 2500 * MS, &ev), 0);
	assert_int_equal(step(&s, 2999, 9.0, &ev), 0);
	assert_int_equal(s.phase, ALERT_IDLE);
	assert_int_equal(step(&s, 3000, 9.0, &ev), 0); /* the hold starts at the cool-down's end */
	assert_int_equal(s.phase, ALERT_HOLDING);
	assert_int_equal(alert_due(&s, &rule, 3499 * MS, &ev), 0);
	assert_int_equal(alert_due(&s, &rule, 3500 * MS, &ev), 1);
	assert_true(ev.kind == ALERT_EVENT_OPEN && ev.opened_ns == 3500 * MS && ev.peak_net_bps == 9.0);
}

static void zero_duration_opens_at_once(void **state)
{
	(void)state;
	struct alert_rule r = rule;
	r.min_duration_ns = 0;
	struct alert_state s = {0};
	struct alert_event ev;
	struct alert_pair q = pair(5.0);
	assert_int_equal(alert_step(&s, &r, 10 * MS, &q, &ev), 1);
	assert_true(ev.kind == ALERT_EVENT_OPEN && ev.opened_ns == 10 * MS);
}

static struct spread_pair_view view(unsigned buy, unsigned sell, double net_bps, double notional)
{
	return (struct spread_pair_view){.buy_ex = buy, .sell_ex = sell, .net_spread_bps = net_bps, .notional = notional};
}

static void match_takes_the_best_qualifying_pair(void **state)
{
	(void)state;
	struct spread_pair_view v[] = {
		view(0, 2, 20.0, 9000.0), /* exchange 2 is not in the rule */
		view(1, 0, 6.0, 999.0),   /* notional below 1000 */
		view(0, 1, 5.0, 1000.0),  /* qualifies: exactly at both bounds */
		view(1, 0, 7.0, 2000.0),  /* qualifies, best */
		view(0, 1, 4.9, 8000.0),  /* below 5 bps */
	};
	assert_int_equal(alert_match(&rule, v, 5), 3);
	assert_int_equal(alert_match(&rule, v, 3), 2);
	assert_int_equal(alert_match(&rule, v, 2), -1);
	assert_int_equal(alert_match(&rule, v, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opens_only_after_min_duration),
		cmocka_unit_test(a_break_restarts_the_hold),
		cmocka_unit_test(closes_when_the_spread_falls),
		cmocka_unit_test(cooldown_is_honoured),
		cmocka_unit_test(zero_duration_opens_at_once),
		cmocka_unit_test(match_takes_the_best_qualifying_pair),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

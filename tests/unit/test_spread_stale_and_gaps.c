/* A quote older than stale_quote_ms, or cut off by a gap marker, takes no
 * part in spreads until a fresh quote arrives: no phantom spread. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "aggregator/spread.h"

#define MS 1000000LL
#define T0 (1700000000000LL * MS)

static unsigned updates;

static void on_update(void *ctx, unsigned sym)
{
	(void)ctx;
	(void)sym;
	updates++;
}

struct fixture {
	struct config *cfg;
	struct spread_core *core;
};

/* a, b, c list BTC-USDT; a and b also ETH-USDT. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->cfg = calloc(1, sizeof(*f->cfg));
	f->cfg->aggregator.window_s = 900;
	f->cfg->aggregator.window_buckets = 900;
	f->cfg->aggregator.max_window_memory_mb = 256;
	f->cfg->aggregator.stale_quote_ms = 5000;
	f->cfg->exchange_count = 3;
	const char *names[3] = {"a", "b", "c"};
	for (int e = 0; e < 3; e++) {
		struct config_exchange *x = &f->cfg->exchanges[e];
		snprintf(x->name, sizeof(x->name), "%s", names[e]);
		x->enabled = true;
		snprintf(x->symbols[x->symbol_count++], CONFIG_NAME_MAX, "BTC-USDT");
		if (e < 2)
			snprintf(x->symbols[x->symbol_count++], CONFIG_NAME_MAX, "ETH-USDT");
	}
	assert_int_equal(spread_core_create(&f->core, f->cfg, on_update, NULL), 0);
	updates = 0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	spread_core_free(f->core);
	free(f->cfg);
	free(f);
	return 0;
}

static int quote(struct fixture *f, const char *sym, unsigned ex, double bid, double ask, int64_t t)
{
	struct tick tk = {.kind = TICK_QUOTE, .ts_recv_ns = t, .ts_exchange_ns = t};
	tk.u.quote.bid_px = bid;
	tk.u.quote.ask_px = ask;
	return spread_core_on_quote(f->core, (unsigned)spread_core_symbol_index(f->core, sym), ex, &tk);
}

static size_t pairs(struct fixture *f, const char *sym, int64_t now, struct spread_pair_view *v)
{
	return spread_core_pairs(f->core, (unsigned)spread_core_symbol_index(f->core, sym), now, v, 6);
}

static void stale_counterpart_gives_no_spread(void **state)
{
	struct fixture *f = *state;
	struct spread_pair_view v[6];
	assert_int_equal(quote(f, "BTC-USDT", 0, 100.0, 100.5, T0), 0);
	assert_int_equal(updates, 0);
	assert_int_equal(quote(f, "BTC-USDT", 1, 101.0, 101.5, T0 + 1000 * MS), 2);
	assert_int_equal(updates, 1);
	assert_int_equal(pairs(f, "BTC-USDT", T0 + 1000 * MS, v), 2);
	int best = spread_core_best(v, 2);
	assert_int_equal(v[best].buy_ex, 0);
	assert_int_equal(v[best].sell_ex, 1);
	assert_true(v[best].spread == 101.0 - 100.5);
	/* exactly stale_quote_ms old: still fresh */
	assert_int_equal(quote(f, "BTC-USDT", 1, 101.0, 101.6, T0 + 5000 * MS), 2);
	/* a's quote is now 5001 ms old: b's new price makes no spread */
	assert_int_equal(quote(f, "BTC-USDT", 1, 102.0, 102.5, T0 + 5001 * MS), 0);
	assert_int_equal(updates, 3); /* the pairs vanished */
	assert_int_equal(pairs(f, "BTC-USDT", T0 + 5001 * MS, v), 0);
	/* c joins: only b-c */
	assert_int_equal(quote(f, "BTC-USDT", 2, 99.0, 99.5, T0 + 6000 * MS), 2);
	assert_int_equal(pairs(f, "BTC-USDT", T0 + 6000 * MS, v), 2);
	for (int i = 0; i < 2; i++)
		assert_true(v[i].buy_ex != 0 && v[i].sell_ex != 0);
	/* a comes back fresh: all six pairs */
	assert_int_equal(quote(f, "BTC-USDT", 0, 100.0, 100.5, T0 + 6500 * MS), 4);
	assert_int_equal(pairs(f, "BTC-USDT", T0 + 6500 * MS, v), 6);
}

static void quiet_exchange_expires_without_ticks(void **state)
{
	struct fixture *f = *state;
	struct spread_pair_view v[6];
	quote(f, "ETH-USDT", 0, 10.0, 10.1, T0);
	quote(f, "ETH-USDT", 1, 10.2, 10.3, T0 + 100 * MS);
	assert_int_equal(updates, 1);
	spread_core_expire_stale(f->core, T0 + 5000 * MS);
	assert_int_equal(updates, 1);
	assert_int_equal(pairs(f, "ETH-USDT", T0 + 5000 * MS, v), 2);
	spread_core_expire_stale(f->core, T0 + 5001 * MS);
	assert_int_equal(updates, 2);
	assert_int_equal(pairs(f, "ETH-USDT", T0 + 5001 * MS, v), 0);
	spread_core_expire_stale(f->core, T0 + 9000 * MS);
	assert_int_equal(updates, 2);
}

/* BTC-USDT on a, b (and c if with_c), ETH-USDT on a and b, all fresh. */
static void quote_both_symbols(struct fixture *f, bool with_c)
{
	quote(f, "BTC-USDT", 0, 100.0, 100.5, T0);
	quote(f, "BTC-USDT", 1, 101.0, 101.5, T0);
	if (with_c)
		quote(f, "BTC-USDT", 2, 101.0, 101.5, T0);
	quote(f, "ETH-USDT", 0, 10.0, 10.1, T0);
	quote(f, "ETH-USDT", 1, 10.2, 10.3, T0);
}

static void gap_on_one_symbol(void **state)
{
	struct fixture *f = *state;
	struct spread_pair_view v[6];
	quote_both_symbols(f, false);
	assert_int_equal(updates, 2);
	spread_core_invalidate(f->core, 0, spread_core_symbol_index(f->core, "BTC-USDT"), T0 + MS);
	assert_int_equal(updates, 3);
	assert_int_equal(pairs(f, "BTC-USDT", T0 + MS, v), 0);
	assert_int_equal(pairs(f, "ETH-USDT", T0 + MS, v), 2);
	/* b keeps quoting: nothing against a's old price */
	assert_int_equal(quote(f, "BTC-USDT", 1, 101.5, 102.0, T0 + 2 * MS), 0);
	assert_int_equal(quote(f, "BTC-USDT", 0, 100.0, 100.5, T0 + 3 * MS), 2);
	assert_int_equal(pairs(f, "BTC-USDT", T0 + 3 * MS, v), 2);
}

static void connection_wide_gap(void **state)
{
	struct fixture *f = *state;
	struct spread_pair_view v[6];
	quote_both_symbols(f, true);
	unsigned before = updates;
	spread_core_invalidate(f->core, 0, -1, T0 + MS);
	assert_int_equal(updates, before + 2);
	assert_int_equal(pairs(f, "BTC-USDT", T0 + MS, v), 2); /* b-c remain */
	assert_int_equal(pairs(f, "ETH-USDT", T0 + MS, v), 0);
	/* a second gap changes nothing and reports nothing */
	spread_core_invalidate(f->core, 0, -1, T0 + 2 * MS);
	assert_int_equal(updates, before + 2);
}

static void unlisted_exchange_is_refused(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(quote(f, "ETH-USDT", 2, 10.0, 10.1, T0), -ENOENT);
	assert_int_equal(updates, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(stale_counterpart_gives_no_spread, setup, teardown),
		cmocka_unit_test_setup_teardown(quiet_exchange_expires_without_ticks, setup, teardown),
		cmocka_unit_test_setup_teardown(gap_on_one_symbol, setup, teardown),
		cmocka_unit_test_setup_teardown(connection_wide_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(unlisted_exchange_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Candles of symbols added at run time (candles_grow): the new symbols'
 * trades make candles, and every candle open before the growth goes on
 * where it was, on every exchange. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "aggregator/candles.h"

#define MS 1000000LL
#define T0 (1700000100000LL * MS) /* a minute boundary */

static struct candle last[4][8]; /* [ex][sym]: the last emitted */
static unsigned emitted;

static void emit(void *ctx, unsigned ex, unsigned sym, unsigned iv, const struct candle *c)
{
	(void)ctx;
	(void)iv;
	last[ex][sym] = *c;
	emitted++;
}

static void trade(struct candles *c, unsigned ex, unsigned sym, int64_t ts, uint64_t id, double px)
{
	struct tick t = {.kind = TICK_TRADE_BUY, .ts_exchange_ns = ts, .ts_recv_ns = ts, .update_id = id};
	t.u.trade.px = px;
	t.u.trade.qty = 1;
	candles_tick(c, ex, (int)sym, &t);
}

static void grown_symbols_make_candles_and_open_ones_go_on(void **state)
{
	(void)state;
	const int64_t minute = 60000 * MS;
	struct candles *c;
	assert_int_equal(candles_create(&c, 3, 2, &minute, 1, 2000 * MS, emit, NULL), 0);
	for (unsigned ex = 0; ex < 3; ex++)
		for (unsigned sym = 0; sym < 2; sym++)
			trade(c, ex, sym, T0 + 1000 * MS, 1, 100 + ex * 10 + sym);
	assert_int_equal(candles_grow(c, 5), 0);
	assert_int_equal(candles_grow(c, 4), 0); /* never shrinks */
	for (unsigned ex = 0; ex < 3; ex++)
		for (unsigned sym = 0; sym < 5; sym++)
			trade(c, ex, sym, T0 + 2000 * MS, 2, 200 + ex * 10 + sym);
	for (unsigned ex = 0; ex < 3; ex++) {
		for (unsigned sym = 0; sym < 5; sym++) {
			const struct candle *k = &last[ex][sym];
			assert_int_equal(k->start_ns, T0);
			assert_false(k->closed);
			/* the first two symbols' candles kept their first trade */
			assert_int_equal(k->trades, sym < 2 ? 2 : 1);
			assert_true(k->open == (sym < 2 ? 100.0 + ex * 10 + sym : 200.0 + ex * 10 + sym));
			assert_true(k->close == 200.0 + ex * 10 + sym);
		}
	}
	assert_int_equal(emitted, 3 * 2 + 3 * 5);
	candles_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grown_symbols_make_candles_and_open_ones_go_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

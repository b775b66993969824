/* The windows of a real universe fit the default cap: 10 exchanges x 500
 * symbols (45,000 ordered pairs), every pair ticking for a whole window,
 * take at most 256 MB with nothing refused, and every pair has statistics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aggregator/spread.h"

#define EXCHANGES 10
#define SYMBOLS 500
#define SEC 1000000000LL
#define QUOTE_EVERY_NS (10 * SEC) /* each (symbol, exchange) */
#define SECONDS 960               /* the 900 s window and one more slice */
#define CAP_BYTES (256u << 20)

static void on_update(void *ctx, unsigned sym)
{
	(void)ctx;
	(void)sym;
}

/* xorshift: the test's own prices, nothing shared with the code */
static uint64_t rng = 88172645463325252ULL;
static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static void universe_fits_default_cap(void **state)
{
	(void)state;
	struct config *cfg = calloc(1, sizeof(*cfg));
	assert_non_null(cfg);
	cfg->aggregator.window_s = 900;
	cfg->aggregator.window_buckets = 60;
	cfg->aggregator.stale_quote_ms = 20000; /* counterparts quoted within the last round stay fresh */
	cfg->aggregator.max_window_memory_mb = 256;
	cfg->exchange_count = EXCHANGES;
	for (unsigned e = 0; e < EXCHANGES; e++) {
		struct config_exchange *x = &cfg->exchanges[e];
		snprintf(x->name, sizeof(x->name), "x%u", e);
		x->enabled = true;
		for (unsigned s = 0; s < SYMBOLS; s++)
			snprintf(x->symbols[x->symbol_count++], CONFIG_NAME_MAX, "U%u-USDT", s);
	}
	struct spread_core *core;
	assert_int_equal(spread_core_create(&core, cfg, on_update, NULL), 0);
	assert_int_equal(spread_core_pair_count(core), 45000);

	int64_t t0 = 1700000000LL * SEC;
	const int64_t step = QUOTE_EVERY_NS / (EXCHANGES * SYMBOLS);
	for (int64_t round = 0; round * QUOTE_EVERY_NS < SECONDS * SEC; round++)
		for (unsigned i = 0; i < EXCHANGES * SYMBOLS; i++) {
			unsigned s = i / EXCHANGES, e = i % EXCHANGES;
			/* mid 1 + s, each quote within +-30 bps of it, half-spread 1 to 5 bps */
			double mid = (1.0 + s) * (1.0 + (uniform() - 0.5) * 6e-3);
			double half = (1.0 + 4.0 * uniform()) * 1e-4;
			struct tick t;
			memset(&t, 0, sizeof(t));
			t.kind = TICK_QUOTE;
			t.exchange_id = (uint8_t)e;
			t.u.quote.bid_px = mid * (1.0 - half);
			t.u.quote.ask_px = mid * (1.0 + half);
			t.u.quote.bid_qty = t.u.quote.ask_qty = 1.0;
			t.ts_recv_ns = t.ts_exchange_ns = t0 + round * QUOTE_EVERY_NS + (int64_t)i * step;
			assert_true(spread_core_on_quote(core, s, e, &t) >= 0);
		}

	static struct spread_pair_view pairs[EXCHANGES * (EXCHANGES - 1)];
	int64_t now = t0 + (int64_t)SECONDS * SEC;
	size_t seen = 0;
	for (unsigned s = 0; s < SYMBOLS; s++) {
		size_t n = spread_core_pairs(core, s, now, pairs, EXCHANGES * (EXCHANGES - 1));
		assert_int_equal(n, EXCHANGES * (EXCHANGES - 1));
		for (size_t k = 0; k < n; k++) {
			/* a pair gets a sample per quote of either exchange: two per
			 * round, 90 rounds in the 900 s window (give or take a bucket) */
			assert_true(pairs[k].stats.count >= 170 && pairs[k].stats.count <= 182);
			assert_int_equal(pairs[k].stats.pct_count >= pairs[k].stats.count, 1);
		}
		seen += n;
	}
	assert_int_equal(seen, 45000);
	struct window_pool_usage u;
	spread_core_window_usage(core, &u);
	fprintf(stderr, "universe windows: %zu of %zu bytes, %llu windows\n", u.bytes_used, u.bytes_max,
		(unsigned long long)u.windows);
	assert_int_equal(u.bytes_max, CAP_BYTES);
	assert_true(u.bytes_used <= CAP_BYTES);
	assert_int_equal(u.windows, 45000);
	assert_int_equal(u.windows_refused, 0);
	assert_int_equal(u.pct_refused, 0);
	spread_core_free(core);
	free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(universe_fits_default_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

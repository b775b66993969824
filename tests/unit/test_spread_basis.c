/* [aggregator] basis: the SPOT/PERP symbol's pairs are every fresh spot
 * quote against every fresh perpetual quote, both ways (never spot-spot or
 * perp-perp), an exchange listing both having one quote in each leg; the
 * spot and perp symbols keep their own pairs. Checked against a model
 * computed here on random quote streams, with gaps and stale quotes. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aggregator/spread.h"
#include "common/basis_pairs.h"

#define NEX 4
#define STALE_MS 1500
#define MS 1000000LL

enum { SPOT, PERP, LEGS };
static const char *const leg_name[LEGS] = {"BTC-USDT", "BTC-USDT-PERP"};
/* Exchange e lists leg l if bit e of listed[l]: exchange 3 lists both,
 * as OKX does. */
static const unsigned listed[LEGS] = {0xb, 0xc};
static const double fee_bps[NEX] = {10.0, 2.5, 4.0, 0.0};

struct model_quote {
	int valid;
	double bid, ask, bid_qty, ask_qty;
	int64_t recv;
};

static struct model_quote model[LEGS][NEX];

static void on_update(void *ctx, unsigned sym)
{
	(void)ctx;
	(void)sym;
}

static struct config *make_config(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	assert_non_null(cfg);
	cfg->aggregator.window_s = 20;
	cfg->aggregator.window_buckets = 20;
	cfg->aggregator.max_window_memory_mb = 64;
	cfg->aggregator.stale_quote_ms = STALE_MS;
	char why[160];
	assert_int_equal(basis_pairs_parse("BTC-USDT/BTC-USDT-PERP", cfg->aggregator.basis_pairs, why, sizeof(why)), 1);
	cfg->aggregator.basis_count = 1;
	cfg->exchange_count = NEX;
	for (unsigned e = 0; e < NEX; e++) {
		struct config_exchange *x = &cfg->exchanges[e];
		snprintf(x->name, sizeof(x->name), "ex%u", e);
		x->enabled = true;
		x->taker_fee_bps = fee_bps[e];
		for (unsigned l = 0; l < LEGS; l++)
			if (listed[l] & (1u << e))
				snprintf(x->symbols[x->symbol_count++], CONFIG_NAME_MAX, "%s", leg_name[l]);
	}
	return cfg;
}

static int fresh(const struct model_quote *q, int64_t now)
{
	return q->valid && now - q->recv <= STALE_MS * MS;
}

struct want {
	unsigned buy_ex, sell_ex;
	double ask, bid, net_bps;
	int seen;
};

/* The basis pairs as of now: buy one leg's ask, sell the other's bid. */
static size_t model_pairs(int64_t now, struct want *w)
{
	size_t n = 0;
	for (unsigned bl = 0; bl < LEGS; bl++)
		for (unsigned b = 0; b < NEX; b++)
			for (unsigned s = 0; s < NEX; s++) {
				const struct model_quote *buy = &model[bl][b], *sell = &model[1 - bl][s];
				if (!fresh(buy, now) || !fresh(sell, now))
					continue;
				double cost = buy->ask * (1.0 + fee_bps[b] * 1e-4);
				double net = sell->bid * (1.0 - fee_bps[s] * 1e-4) - cost;
				w[n++] = (struct want){ b, s, buy->ask, sell->bid, net / cost * 1e4, 0 };
			}
	/* no pairs unless both legs have a fresh quote */
	return n;
}

static size_t model_leg_pairs(unsigned l, int64_t now)
{
	size_t k = 0;
	for (unsigned e = 0; e < NEX; e++)
		k += (size_t)fresh(&model[l][e], now);
	return k > 1 ? k * (k - 1) : 0;
}

/* The basis is evaluated at every tick of either leg, so as of now; the
 * legs only at their own, so theirs are compared after an expiry at now. */
static void check(struct spread_core *c, unsigned basis, const unsigned sym[LEGS], int64_t now, int legs)
{
	struct want w[2 * NEX * NEX];
	struct spread_pair_view v[2 * NEX * NEX];
	size_t want = model_pairs(now, w);
	size_t got = spread_core_pairs_now(c, basis, v, 2 * NEX * NEX);
	assert_int_equal(got, want);
	int best = spread_core_best(v, got);
	double best_bps = -INFINITY;
	for (size_t i = 0; i < want; i++)
		best_bps = fmax(best_bps, w[i].net_bps);
	for (size_t i = 0; i < got; i++) {
		size_t j = 0;
		while (j < want && (w[j].seen || w[j].buy_ex != v[i].buy_ex || w[j].sell_ex != v[i].sell_ex ||
				    w[j].ask != v[i].buy->ask || w[j].bid != v[i].sell->bid))
			j++;
		if (j == want)
			fail_msg("pair buy ex%u at %.2f, sell ex%u at %.2f is not a basis pair", v[i].buy_ex, v[i].buy->ask,
				 v[i].sell_ex, v[i].sell->bid);
		w[j].seen = 1;
		assert_true(fabs(v[i].net_spread_bps - w[j].net_bps) < 1e-9);
	}
	if (want)
		assert_true(fabs(v[best].net_spread_bps - best_bps) < 1e-9);
	else
		assert_int_equal(best, -1);
	/* the legs' own spreads: spot against spot, perp against perp */
	if (legs)
		spread_core_expire_stale(c, now);
	for (unsigned l = 0; legs && l < LEGS; l++)
		assert_int_equal(spread_core_pairs_now(c, sym[l], v, 2 * NEX * NEX), model_leg_pairs(l, now));
}

static void test_basis_against_model(void **state)
{
	(void)state;
	struct config *cfg = make_config();
	struct spread_core *c;
	assert_int_equal(spread_core_create(&c, cfg, on_update, NULL), 0);
	int basis = spread_core_symbol_index(c, "BTC-USDT/BTC-USDT-PERP");
	assert_true(basis >= 0);
	assert_true(spread_core_symbol_listed(c, (unsigned)basis));
	unsigned sym[LEGS];
	for (unsigned l = 0; l < LEGS; l++) {
		int s = spread_core_symbol_index(c, leg_name[l]);
		assert_true(s >= 0);
		sym[l] = (unsigned)s;
	}
	/* listed pairs: spot 3 exchanges (6), perp 2 (2), basis 3 x 2 both ways (12) */
	assert_int_equal(spread_core_pair_count(c), 6 + 2 + 12);
	srand(14);
	memset(model, 0, sizeof(model));
	int64_t now = 1700000000LL * 1000000000LL;
	for (int i = 0; i < 20000; i++) {
		now += (rand() % 400) * MS;
		unsigned l = (unsigned)rand() % LEGS, e = (unsigned)rand() % NEX;
		if (!(listed[l] & (1u << e))) {
			struct tick t = { .kind = TICK_QUOTE, .ts_recv_ns = now };
			assert_int_equal(spread_core_on_quote(c, sym[l], e, &t), -ENOENT);
			continue;
		}
		if (rand() % 50 == 0) {
			/* a gap of this leg on this exchange: the other leg there stays */
			spread_core_invalidate(c, e, (int)sym[l], now);
			model[l][e].valid = 0;
		} else {
			double mid = 30000.0 + (rand() % 2000) * 0.5 + (l == PERP ? 15.0 : 0.0);
			double half = 0.5 + (rand() % 20) * 0.5;
			struct tick t = { .kind = TICK_QUOTE, .ts_recv_ns = now, .ts_exchange_ns = now - MS };
			t.u.quote.bid_px = mid - half;
			t.u.quote.ask_px = mid + half;
			t.u.quote.bid_qty = 1.0 + rand() % 7;
			t.u.quote.ask_qty = 1.0 + rand() % 5;
			assert_true(spread_core_on_quote(c, sym[l], e, &t) >= 0);
			model[l][e] = (struct model_quote){ 1, t.u.quote.bid_px, t.u.quote.ask_px, t.u.quote.bid_qty,
							    t.u.quote.ask_qty, now };
		}
		check(c, (unsigned)basis, sym, now, i % 2);
	}
	/* a connection-wide gap of exchange 3: both its legs go */
	spread_core_invalidate(c, 3, -1, now);
	model[SPOT][3].valid = model[PERP][3].valid = 0;
	check(c, (unsigned)basis, sym, now, 1);
	spread_core_free(c);
	free(cfg);
}

/* A basis whose derivative nobody lists is no symbol; once listed, it is. */
static void test_basis_waits_for_both_legs(void **state)
{
	(void)state;
	struct config *cfg = make_config();
	for (unsigned e = 0; e < NEX; e++)
		cfg->exchanges[e].symbol_count = 0;
	snprintf(cfg->exchanges[0].symbols[cfg->exchanges[0].symbol_count++], CONFIG_NAME_MAX, "BTC-USDT");
	struct spread_core *c;
	assert_int_equal(spread_core_create(&c, cfg, on_update, NULL), 0);
	assert_int_equal(spread_core_symbol_index(c, "BTC-USDT/BTC-USDT-PERP"), -ENOENT);
	snprintf(cfg->exchanges[0].symbols[cfg->exchanges[0].symbol_count++], CONFIG_NAME_MAX, "BTC-USDT-PERP");
	struct spread_listing l;
	assert_int_equal(spread_core_list(c, cfg, &l), 0);
	int basis = spread_core_symbol_index(c, "BTC-USDT/BTC-USDT-PERP");
	assert_true(basis >= 0);
	/* one exchange, both legs: buy spot sell perp, and the reverse */
	assert_int_equal(spread_core_pair_count(c), 2);
	int64_t now = 1700000000LL * 1000000000LL;
	struct tick t = { .kind = TICK_QUOTE, .ts_recv_ns = now, .u.quote = { 100.0, 1.0, 101.0, 1.0 } };
	assert_int_equal(spread_core_on_quote(c, (unsigned)spread_core_symbol_index(c, "BTC-USDT"), 0, &t), 0);
	t.u.quote.bid_px = 103.0;
	t.u.quote.ask_px = 104.0;
	assert_int_equal(spread_core_on_quote(c, (unsigned)spread_core_symbol_index(c, "BTC-USDT-PERP"), 0, &t), 2);
	struct spread_pair_view v[4];
	assert_int_equal(spread_core_pairs_now(c, (unsigned)basis, v, 4), 2);
	int best = spread_core_best(v, 2);
	assert_true(v[best].buy->ask == 101.0 && v[best].sell->bid == 103.0);
	/* the perp unlisted again: the basis has no pairs, its symbol stays */
	cfg->exchanges[0].symbol_count = 1;
	assert_int_equal(spread_core_list(c, cfg, &l), 0);
	assert_false(spread_core_symbol_listed(c, (unsigned)basis));
	assert_int_equal(spread_core_pairs_now(c, (unsigned)basis, v, 4), 0);
	spread_core_free(c);
	free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basis_against_model),
		cmocka_unit_test(test_basis_waits_for_both_legs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Spreads of every ordered exchange pair, gross and net of each exchange's
 * taker fee, the best pair by net spread, the executable quantity, staleness
 * and the per-pair windows, against a brute-force model on random quote
 * streams. */
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
#include "tests/unit/test_window_brute.h"

#define SEC 1000000000LL
#define NEX 4
#define NSYM 4
#define STALE_MS 2000

/* Symbol s is listed by the exchanges whose bit is set. */
static const unsigned listed[NSYM] = {0xf, 0x7, 0x9, 0x2};
static const char *const sym_names[NSYM] = {"BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT"};
/* Taker fees in bps per exchange: large enough next to the random spreads
 * (up to ~40 bps) that the best net pair often is not the best gross one. */
static const double fee_bps[NEX] = {10.0, 2.5, 0.0, 7.5};

struct model_quote {
	int valid;
	double bid, ask, bid_qty, ask_qty;
	int64_t recv;
};

struct model {
	struct model_quote q[NSYM][NEX];
	struct brute_window *win[NSYM][NEX][NEX]; /* [buy][sell] */
	unsigned updates[NSYM];
};

static unsigned reported[NSYM];

static void on_update(void *ctx, unsigned sym)
{
	(void)ctx;
	reported[sym]++;
}

static struct config *make_config(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	assert_non_null(cfg);
	cfg->aggregator.window_s = 20;
	cfg->aggregator.window_buckets = 20;
	cfg->aggregator.max_window_memory_mb = 256;
	cfg->aggregator.stale_quote_ms = STALE_MS;
	cfg->exchange_count = NEX + 1;
	for (unsigned e = 0; e <= NEX; e++) {
		/* exchange index NEX is configured but disabled */
		struct config_exchange *x = &cfg->exchanges[e == NEX ? 2 : (e < 2 ? e : e + 1)];
		snprintf(x->name, sizeof(x->name), "ex%u", e);
		x->enabled = e != NEX;
		x->taker_fee_bps = e == NEX ? 99.0 : fee_bps[e];
		for (unsigned s = 0; s < NSYM; s++)
			if (e == NEX || (listed[s] & (1u << e)))
				snprintf(x->symbols[x->symbol_count++], CONFIG_NAME_MAX, "%s", sym_names[s]);
	}
	return cfg;
}

/* Fresh exchanges of symbol s at time now in the model. */
static unsigned model_fresh(const struct model *m, unsigned s, int64_t now)
{
	unsigned mask = 0;
	for (unsigned e = 0; e < NEX; e++)
		if (m->q[s][e].valid && now - m->q[s][e].recv <= STALE_MS * 1000000LL)
			mask |= 1u << e;
	return mask;
}

static void compare_pairs(struct spread_core *c, struct model *m, unsigned s, unsigned fresh, int64_t now)
{
	struct spread_pair_view v[NEX * NEX];
	size_t n = spread_core_pairs(c, s, now, v, NEX * NEX);
	unsigned bits = (unsigned)__builtin_popcount(fresh);
	size_t want = bits >= 2 ? bits * (bits - 1) : 0;
	assert_int_equal(n, want);
	double best_net_bps = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		unsigned a = v[i].buy_ex, b = v[i].sell_ex;
		assert_true(fresh & (1u << a));
		assert_true(fresh & (1u << b));
		assert_true(v[i].buy->ask == m->q[s][a].ask);
		assert_true(v[i].sell->bid == m->q[s][b].bid);
		double spread = m->q[s][b].bid - m->q[s][a].ask;
		assert_true(fabs(v[i].spread - spread) <= 1e-12 * fabs(m->q[s][a].ask));
		assert_true(fabs(v[i].spread_bps - spread / m->q[s][a].ask * 1e4) <= 1e-9);
		/* net: pay the ask plus a's fee, get the bid minus b's fee */
		double pay = m->q[s][a].ask + m->q[s][a].ask * fee_bps[a] / 10000.0;
		double get = m->q[s][b].bid - m->q[s][b].bid * fee_bps[b] / 10000.0;
		assert_true(v[i].buy_fee_bps == fee_bps[a] && v[i].sell_fee_bps == fee_bps[b]);
		assert_true(fabs(v[i].net_spread - (get - pay)) <= 1e-12 * pay);
		assert_true(fabs(v[i].net_spread_bps - (get - pay) / pay * 10000.0) <= 1e-9);
		double qty = m->q[s][a].ask_qty < m->q[s][b].bid_qty ? m->q[s][a].ask_qty : m->q[s][b].bid_qty;
		assert_true(v[i].qty == qty);
		assert_true(fabs(v[i].notional - qty * m->q[s][a].ask) <= 1e-12 * qty * m->q[s][a].ask);
		if ((get - pay) / pay * 10000.0 > best_net_bps)
			best_net_bps = (get - pay) / pay * 10000.0;
		struct brute_stats bs;
		brute_query(m->win[s][a][b], now, &bs);
		assert_int_equal(v[i].stats.count, bs.count);
		if (bs.count) {
			assert_true(v[i].stats.min == bs.min && v[i].stats.max == bs.max);
			assert_true(v[i].stats.last == bs.last);
			assert_true(fabs(v[i].stats.mean - bs.mean) <= 1e-9 * (1 + fabs(bs.mean)));
			assert_true(fabs(v[i].stats.std - bs.std) <= 1e-7 * (1 + bs.std));
			assert_true(v[i].stats.p50 == window_bin_value(bs.p50));
			assert_true(v[i].stats.p95 == window_bin_value(bs.p95));
		}
	}
	int best = spread_core_best(v, n);
	if (n == 0)
		assert_int_equal(best, -1);
	else
		assert_true(fabs(v[best].net_spread_bps - best_net_bps) <= 1e-9);
}

static void run(unsigned seed, int steps)
{
	srand(seed);
	memset(reported, 0, sizeof(reported));
	struct config *cfg = make_config();
	struct spread_core *c;
	assert_int_equal(spread_core_create(&c, cfg, on_update, NULL), 0);
	assert_int_equal(spread_core_exchange_count(c), NEX);
	assert_int_equal(spread_core_symbol_count(c), NSYM);
	assert_int_equal(spread_core_pair_count(c), 12 + 6 + 2);
	assert_int_equal(spread_core_max_pairs(c), 12);
	int idx[NSYM];
	for (unsigned s = 0; s < NSYM; s++)
		idx[s] = spread_core_symbol_index(c, sym_names[s]);
	struct model *m = calloc(1, sizeof(*m));
	assert_non_null(m);
	for (unsigned s = 0; s < NSYM; s++)
		for (unsigned a = 0; a < NEX; a++)
			for (unsigned b = 0; b < NEX; b++) {
				m->win[s][a][b] = malloc(sizeof(struct brute_window));
				brute_init(m->win[s][a][b], 20, 20);
			}
	int64_t t = 1700000000LL * SEC;
	unsigned prev_fresh[NSYM] = {0};
	for (int i = 0; i < steps; i++) {
		t += (int64_t)(rand() % 700) * 1000000LL;
		unsigned s = (unsigned)(rand() % NSYM), e = (unsigned)(rand() % NEX);
		unsigned sym = (unsigned)idx[s];
		if (rand() % 50 == 0) {
			/* gap: one symbol or the whole exchange */
			int whole = rand() % 2;
			spread_core_invalidate(c, e, whole ? -1 : (int)sym, t);
			for (unsigned k = 0; k < NSYM; k++)
				if ((whole || k == s) && m->q[k][e].valid) {
					m->q[k][e].valid = 0;
					unsigned fresh = model_fresh(m, k, t) & prev_fresh[k];
					unsigned before = __builtin_popcount(prev_fresh[k]) >= 2 ? prev_fresh[k] : 0;
					unsigned after = __builtin_popcount(fresh) >= 2 ? fresh : 0;
					if (before != after)
						m->updates[k]++;
					prev_fresh[k] = fresh;
				}
			continue;
		}
		struct tick tk = {.kind = TICK_QUOTE, .ts_recv_ns = t, .ts_exchange_ns = t - 1000};
		double mid = 100.0 + (rand() % 200) / 100.0;
		tk.u.quote.bid_px = rand() % 4 == 0 && m->q[s][e].valid ? m->q[s][e].bid : mid - (rand() % 10) / 100.0;
		tk.u.quote.ask_px = rand() % 4 == 0 && m->q[s][e].valid ? m->q[s][e].ask : mid + (1 + rand() % 10) / 100.0;
		tk.u.quote.bid_qty = (1 + rand() % 40) / 8.0;
		tk.u.quote.ask_qty = (1 + rand() % 40) / 8.0;
		int rc = spread_core_on_quote(c, sym, e, &tk);
		if (!(listed[s] & (1u << e))) {
			assert_int_equal(rc, -ENOENT);
			continue;
		}
		struct model_quote *q = &m->q[s][e];
		int changed = !q->valid || q->bid != tk.u.quote.bid_px || q->ask != tk.u.quote.ask_px;
		*q = (struct model_quote){1, tk.u.quote.bid_px, tk.u.quote.ask_px, tk.u.quote.bid_qty, tk.u.quote.ask_qty, t};
		unsigned fresh = model_fresh(m, s, t);
		int want = 0;
		for (unsigned o = 0; o < NEX; o++) {
			if (o == e || !(fresh & (1u << o)))
				continue;
			brute_add(m->win[s][e][o], t, (m->q[s][o].bid - q->ask) / q->ask * 1e4);
			brute_add(m->win[s][o][e], t, (q->bid - m->q[s][o].ask) / m->q[s][o].ask * 1e4);
			want += 2;
		}
		assert_int_equal(rc, want);
		unsigned before = __builtin_popcount(prev_fresh[s]) >= 2 ? prev_fresh[s] : 0;
		unsigned after = __builtin_popcount(fresh) >= 2 ? fresh : 0;
		if (before != after || (changed && after))
			m->updates[s]++;
		prev_fresh[s] = fresh;
		assert_int_equal(reported[sym], m->updates[s]);
		compare_pairs(c, m, sym, fresh, t + (rand() % 3 == 0 ? (int64_t)(rand() % 30) * SEC : 0));
	}
	for (unsigned s = 0; s < NSYM; s++)
		for (unsigned a = 0; a < NEX; a++)
			for (unsigned b = 0; b < NEX; b++)
				free(m->win[s][a][b]);
	free(m);
	spread_core_free(c);
	free(cfg);
}

static void random_quote_streams(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 12; seed++)
		run(seed, 4000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_quote_streams),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The spread messages of schema 2: an update message stays within 400 bytes
 * for 3 exchanges with worst-case values; every message and matrix fits the
 * _spreads bounds with the longest names and numbers; the XADD values are
 * spans of the message's text; and an encoded update says, field by field,
 * what a spread core fed known quotes computes by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aggregator/spread_json.h"
#include "shm/registry.h"

#define SEC 1000000000LL

static void fill_name(char *buf, size_t n, char c)
{
	memset(buf, c, n);
	buf[n] = '\0';
}

/* Every double field of the pair at value v. */
static void pair_at(struct spread_pair_view *p, struct spread_quote *buy, struct spread_quote *sell, double px,
		    double qty, double bps_v, uint64_t count)
{
	buy->ask = sell->bid = px;
	buy->ask_qty = sell->bid_qty = qty;
	p->buy = buy;
	p->sell = sell;
	p->qty = qty;
	p->spread_bps = p->net_spread_bps = bps_v;
	p->stats = (struct window_stats){ .count = count, .min = bps_v, .max = bps_v, .mean = bps_v, .std = bps_v,
					  .last = bps_v, .p50 = bps_v, .p95 = bps_v, .pct_count = count };
}

/*
 * The worst case with 3 exchanges: the longest symbol a registry takes (23
 * characters), the best pair on the two longest exchange names we have
 * (binance-usdm, coinbase), a 12-digit update counter (a year at 10,000
 * updates/s), 19-digit timestamps, prices and quantities of 15 characters
 * (8 decimals, the most the exchanges quote), 9-digit window counts, and
 * every bps value at 12 characters (-1234.567891: a 12 % spread at the
 * 1e-6 bps the message rounds to).
 */
static void update_fits_400_bytes_for_3_exchanges(void **state)
{
	(void)state;
	char sym[REGISTRY_NAME_MAX];
	fill_name(sym, REGISTRY_NAME_MAX - 1, 'W');
	struct spread_quote buy = { 0 }, sell = { 0 };
	struct spread_pair_view p = { 0 };
	pair_at(&p, &buy, &sell, 123456.12345678, 12345678.123456, -1234.567891, 999999999);
	struct spread_json_update u = { .symbol = sym, .update = 999999999999ULL, .ts_recv_ns = 1999999999999999999LL,
					.pair_count = spreads_max_pairs(3), .best = &p, .buy = "binance-usdm",
					.sell = "coinbase" };
	static struct spread_msg m;
	assert_int_equal(spread_json_format(&m, &u), 0);
	printf("worst-case update message, 3 exchanges: %u bytes\n", m.len);
	assert_true(m.len <= 400);
	assert_int_equal(m.field_count, SPREAD_JSON_FIELDS);
}

/* Names of 23 characters and every number at its longest: within the
 * record bound of shm/spreads.h. */
static void update_fits_its_bound_at_the_extremes(void **state)
{
	(void)state;
	char sym[REGISTRY_NAME_MAX], a[REGISTRY_NAME_MAX], b[REGISTRY_NAME_MAX];
	fill_name(sym, REGISTRY_NAME_MAX - 1, 'S');
	fill_name(a, REGISTRY_NAME_MAX - 1, 'a');
	fill_name(b, REGISTRY_NAME_MAX - 1, 'b');
	struct spread_quote buy = { 0 }, sell = { 0 };
	struct spread_pair_view p = { 0 };
	/* 24 characters: the longest shortest-round-trip double */
	pair_at(&p, &buy, &sell, -2.2250738585072014e-308, -2.2250738585072014e-308, -1.2345678901234567e+300,
		UINT64_MAX);
	struct spread_json_update u = { .symbol = sym, .update = UINT64_MAX, .ts_recv_ns = INT64_MIN,
					.pair_count = spreads_max_pairs(CONFIG_MAX_EXCHANGES), .best = &p, .buy = a,
					.sell = b };
	static struct spread_msg m;
	assert_int_equal(spread_json_format(&m, &u), 0);
	printf("largest update message: %u of %d bytes\n", m.len, SPREADS_UPDATE_JSON_MAX);
}

/* Each XADD value is the text of its field in the message. */
static void xadd_values_are_spans_of_the_message(void **state)
{
	(void)state;
	struct spread_quote buy = { 0 }, sell = { 0 };
	struct spread_pair_view p = { 0 };
	pair_at(&p, &buy, &sell, 65113.9, 1.5, 0.383943, 2);
	p.stats.min = 0.337869;
	struct spread_json_update u = { .symbol = "BTC-USDT", .update = 3, .ts_recv_ns = 1795464164603667285LL,
					.pair_count = 6, .best = &p, .buy = "bybit", .sell = "okx" };
	static struct spread_msg m;
	assert_int_equal(spread_json_format(&m, &u), 0);
	static const char *const want[SPREAD_JSON_FIELDS] = {
		"2", "BTC-USDT", "3", "1795464164603667285", "6", "bybit", "okx", "65113.9", "65113.9",
		"1.5", "0.383943", "0.383943", "2", "0.337869", "0.383943", "0.383943", "0.383943", "0.383943"};
	assert_int_equal(m.field_count, SPREAD_JSON_FIELDS);
	for (size_t i = 0; i < m.field_count; i++) {
		char v[64];
		snprintf(v, sizeof(v), "%.*s", (int)m.value[i].len, m.json + m.value[i].off);
		assert_string_equal(v, want[i]);
	}
	/* no pair: the five head fields only */
	u.pair_count = 0;
	u.best = NULL;
	assert_int_equal(spread_json_format(&m, &u), 0);
	assert_int_equal(m.field_count, 5);
	assert_string_equal(m.json, "{\"schema\":2,\"symbol\":\"BTC-USDT\",\"update\":3,\"ts_recv_ns\":1795464164603667285,"
				    "\"pairs\":0}");
}

static struct config *make_config(unsigned exchanges, size_t name_len, double fee_bps)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	assert_non_null(cfg);
	cfg->aggregator.window_s = 60;
	cfg->aggregator.window_buckets = 60;
	cfg->aggregator.max_window_memory_mb = 64;
	cfg->aggregator.stale_quote_ms = 5000;
	cfg->exchange_count = exchanges;
	for (unsigned e = 0; e < exchanges; e++) {
		struct config_exchange *x = &cfg->exchanges[e];
		if (name_len)
			snprintf(x->name, sizeof(x->name), "%c%0*u", 'a' + e, (int)name_len - 1, e);
		else
			snprintf(x->name, sizeof(x->name), "%s", e == 0 ? "binance" : e == 1 ? "okx" : "bybit");
		x->enabled = true;
		x->taker_fee_bps = fee_bps * e;
		fill_name(x->symbols[x->symbol_count++], CONFIG_NAME_MAX - 1, 'S');
		snprintf(x->symbols[x->symbol_count++], CONFIG_NAME_MAX, "BTC-USDT");
	}
	return cfg;
}

static struct tick quote(double bid, double ask, double bid_qty, double ask_qty, int64_t t)
{
	struct tick k = { 0 };
	k.kind = TICK_QUOTE;
	k.ts_exchange_ns = t;
	k.ts_recv_ns = t;
	k.u.quote.bid_px = bid;
	k.u.quote.ask_px = ask;
	k.u.quote.bid_qty = bid_qty;
	k.u.quote.ask_qty = ask_qty;
	return k;
}

static void on_update(void *ctx, unsigned sym)
{
	(void)ctx;
	(void)sym;
}

/* The matrix of the most exchanges, with the longest names and numbers,
 * within the record bound (a fixed part and an entry per pair). */
static void matrix_fits_its_bound_at_the_extremes(void **state)
{
	(void)state;
	struct config *cfg = make_config(CONFIG_MAX_EXCHANGES, CONFIG_NAME_MAX - 1, -1.2345678901234567e+300);
	struct spread_core *c;
	assert_int_equal(spread_core_create(&c, cfg, on_update, NULL), 0);
	int sym = spread_core_symbol_index(c, cfg->exchanges[0].symbols[0]);
	assert_true(sym >= 0);
	for (unsigned e = 0; e < CONFIG_MAX_EXCHANGES; e++) {
		struct tick t = quote(100.0 + e, 101.0 + e, 1, 1, 1700000000 * SEC + e);
		spread_core_on_quote(c, (unsigned)sym, e, &t);
	}
	size_t max_pairs = spreads_max_pairs(CONFIG_MAX_EXCHANGES);
	struct spread_pair_view *pairs = calloc(max_pairs, sizeof(*pairs));
	size_t n = spread_core_pairs(c, (unsigned)sym, 1700000000 * SEC + CONFIG_MAX_EXCHANGES, pairs, max_pairs);
	/* then every number of every pair at its longest */
	struct spread_quote buy = { 0 }, sell = { 0 };
	for (size_t i = 0; i < n; i++)
		pair_at(&pairs[i], &buy, &sell, -2.2250738585072014e-308, -2.2250738585072014e-308,
			-1.2345678901234567e+300, UINT64_MAX);
	size_t cap = SPREADS_PAIRS_FIXED_MAX + max_pairs * SPREADS_PAIRS_ENTRY_MAX, len = 0, fixed = 0;
	char *buf = malloc(cap);
	assert_int_equal(spread_json_format_pairs(buf, cap, &fixed, c, (unsigned)sym, INT64_MIN, pairs, 0), 0);
	assert_true(fixed <= SPREADS_PAIRS_FIXED_MAX);
	assert_int_equal(spread_json_format_pairs(buf, cap, &len, c, (unsigned)sym, INT64_MIN, pairs, n), 0);
	printf("largest matrix: %zu pairs, fixed part %zu of %d bytes, %.1f of %d bytes per pair\n", n, fixed,
	       SPREADS_PAIRS_FIXED_MAX, (double)(len - fixed) / (double)n, SPREADS_PAIRS_ENTRY_MAX);
	assert_int_equal(n, max_pairs);
	assert_true((len - fixed) <= n * SPREADS_PAIRS_ENTRY_MAX);
	free(buf);
	free(pairs);
	spread_core_free(c);
	free(cfg);
}

static bool span_is(const struct spread_msg *m, size_t i, const char *want)
{
	return m->value[i].len == strlen(want) && memcmp(m->json + m->value[i].off, want, m->value[i].len) == 0;
}

/* Quotes of 3 exchanges with fees 0, 5 and 10 bps through a real core:
 * the update names the pair a hand computation picks, with its prices and
 * spreads, and its matrix holds the 6 pairs. */
static void encoded_update_says_what_the_core_computed(void **state)
{
	(void)state;
	struct config *cfg = make_config(3, 0, 5.0); /* binance 0, okx 5, bybit 10 bps */
	struct spread_core *c;
	assert_int_equal(spread_core_create(&c, cfg, on_update, NULL), 0);
	static struct spread_json j;
	assert_int_equal(spread_json_init(&j, c, 0), 0);
	int sym = spread_core_symbol_index(c, "BTC-USDT");
	assert_true(sym >= 0);
	int64_t t0 = 1700000000 * SEC;
	struct tick q[3] = { quote(100.0, 100.5, 3, 4, t0), quote(101.0, 101.5, 2, 1, t0 + 1),
			     quote(100.9, 101.0, 0.5, 0.25, t0 + 2) };
	for (unsigned e = 0; e < 3; e++)
		spread_core_on_quote(c, (unsigned)sym, e, &q[e]);
	assert_int_equal(spread_json_encode(&j, c, (unsigned)sym, t0 + 3), 0);
	/* by hand: buy binance at 100.5 (fee 0), sell at okx 101 * (1 - 5e-4)
	 * = 100.9495: net 0.4495 / 100.5; buy binance, sell bybit 100.9 *
	 * (1 - 1e-3) = 100.7991: net 0.2991 / 100.5; every other pair is worse. */
	double net_bps = nearbyint(0.4495 / 100.5 * 1e4 * 1e6) / 1e6, gross_bps = nearbyint(0.5 / 100.5 * 1e4 * 1e6) / 1e6;
	char want_net[32], want_gross[32];
	snprintf(want_net, sizeof(want_net), "%.6f", net_bps);
	snprintf(want_gross, sizeof(want_gross), "%.6f", gross_bps);
	const struct spread_msg *m = j.msg;
	assert_int_equal(m->field_count, SPREAD_JSON_FIELDS);
	assert_true(span_is(m, 0, "2"));
	assert_true(span_is(m, 1, "BTC-USDT"));
	assert_true(span_is(m, 2, "2"));      /* the second and third quotes made updates */
	assert_true(span_is(m, 4, "6"));      /* pairs */
	assert_true(span_is(m, 5, "binance"));
	assert_true(span_is(m, 6, "okx"));
	assert_true(span_is(m, 7, "100.5"));  /* ask */
	assert_true(span_is(m, 8, "101"));    /* bid */
	assert_true(span_is(m, 9, "2"));      /* qty: min(ask qty 4, bid qty 2) */
	assert_true(span_is(m, 10, want_gross));
	assert_true(span_is(m, 11, want_net));
	assert_true(span_is(m, 12, "1"));     /* window count: one evaluation of the pair */
	for (size_t i = 13; i < 18; i++)      /* one sample: min = max = mean, p50 and p95 its bin */
		assert_true(i > 15 ? fabs(strtod(m->json + m->value[i].off, NULL) - gross_bps) <= gross_bps / 32
				   : span_is(m, i, want_gross));
	/* the matrix is due (interval 0) and has every ordered pair */
	assert_true(j.pairs_len > 0);
	size_t entries = 0;
	for (const char *p = j.pairs_json; (p = strstr(p, "{\"buy\":")); p++)
		entries++;
	assert_int_equal(entries, 6);
	assert_non_null(strstr(j.pairs_json, "\"fees_bps\":{\"binance\":0,\"okx\":5,\"bybit\":10}"));
	assert_non_null(strstr(j.pairs_json, "{\"buy\":\"binance\",\"sell\":\"okx\",\"ask\":100.5,\"bid\":101,\"qty\":2,"));
	spread_json_free(&j);
	spread_core_free(c);
	free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(update_fits_400_bytes_for_3_exchanges),
		cmocka_unit_test(update_fits_its_bound_at_the_extremes),
		cmocka_unit_test(xadd_values_are_spans_of_the_message),
		cmocka_unit_test(matrix_fits_its_bound_at_the_extremes),
		cmocka_unit_test(encoded_update_says_what_the_core_computed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

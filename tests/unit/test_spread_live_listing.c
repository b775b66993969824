/* Symbols listed at run time (spread_core_list): new symbols and new
 * exchanges of a symbol get pairs while the others keep their quotes and
 * windows, a removed listing stops without an update and gives its windows
 * back, and the memory cap refuses what it has no room for. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aggregator/spread.h"

#define MS 1000000LL
#define T0 (1700000000000LL * MS)

static unsigned updates;
static uint32_t buckets = 60;

static void on_update(void *ctx, unsigned sym)
{
	(void)ctx;
	(void)sym;
	updates++;
}

/* Exchanges a, b, c; exchange e lists the symbols of lists[e]. */
static struct config *config_of(uint32_t max_mb, const char *const lists[3])
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	assert_non_null(cfg);
	cfg->aggregator.window_s = 60;
	cfg->aggregator.window_buckets = buckets;
	cfg->aggregator.max_window_memory_mb = max_mb;
	cfg->aggregator.stale_quote_ms = 5000;
	cfg->exchange_count = 3;
	for (int e = 0; e < 3; e++) {
		struct config_exchange *x = &cfg->exchanges[e];
		snprintf(x->name, sizeof(x->name), "%c", 'a' + e);
		x->enabled = true;
		char *names = strdup(lists[e]);
		assert_non_null(names);
		for (char *save = NULL, *t = strtok_r(names, " ", &save); t; t = strtok_r(NULL, " ", &save))
			snprintf(x->symbols[x->symbol_count++], CONFIG_NAME_MAX, "%s", t);
		free(names);
	}
	return cfg;
}

static void list(struct spread_core *c, uint32_t max_mb, const char *const lists[3], struct spread_listing *l)
{
	struct config *cfg = config_of(max_mb, lists);
	assert_int_equal(spread_core_list(c, cfg, l), 0);
	free(cfg);
}

static int quote(struct spread_core *c, const char *sym, unsigned ex, double bid, double ask, int64_t t)
{
	struct tick tk = {.kind = TICK_QUOTE, .ts_recv_ns = t, .ts_exchange_ns = t};
	tk.u.quote.bid_px = bid;
	tk.u.quote.ask_px = ask;
	int i = spread_core_symbol_index(c, sym);
	assert_true(i >= 0);
	return spread_core_on_quote(c, (unsigned)i, ex, &tk);
}

static size_t pairs(struct spread_core *c, const char *sym, int64_t now, struct spread_pair_view *v)
{
	return spread_core_pairs(c, (unsigned)spread_core_symbol_index(c, sym), now, v, 6);
}

static struct spread_core *create(uint32_t max_mb, const char *const lists[3])
{
	struct config *cfg = config_of(max_mb, lists);
	struct spread_core *c;
	assert_int_equal(spread_core_create(&c, cfg, on_update, NULL), 0);
	free(cfg);
	updates = 0;
	return c;
}

static void added_symbols_stream_and_the_others_keep_their_state(void **state)
{
	(void)state;
	struct spread_core *c = create(64, (const char *const[]){ "BTC-USDT", "BTC-USDT", "" });
	assert_int_equal(quote(c, "BTC-USDT", 0, 100, 101, T0), 0);
	assert_int_equal(quote(c, "BTC-USDT", 1, 102, 103, T0 + MS), 2);
	char more[3000] = "BTC-USDT";
	for (int i = 0; i < 100; i++)
		snprintf(more + strlen(more), sizeof(more) - strlen(more), " N%03d-USDT", i);
	struct spread_listing l;
	list(c, 64, (const char *const[]){ more, more, "" }, &l);
	assert_int_equal(l.added, 200);
	assert_int_equal(l.removed, 0);
	assert_int_equal(l.refused, 0);
	assert_int_equal(l.symbols, 101);
	assert_int_equal(spread_core_symbol_count(c), 101);
	assert_int_equal(spread_core_symbol_index(c, "BTC-USDT"), 0); /* indices never move */
	assert_int_equal(spread_core_symbol_index(c, "N099-USDT"), 100);
	assert_int_equal(spread_core_pair_count(c), 202);
	struct spread_pair_view v[6];
	/* BTC-USDT's quotes and windows went through the listing */
	assert_int_equal(pairs(c, "BTC-USDT", T0 + 2 * MS, v), 2);
	assert_int_equal(v[0].stats.count + v[1].stats.count, 2);
	unsigned before = updates;
	assert_int_equal(quote(c, "N042-USDT", 0, 10, 11, T0 + 3 * MS), 0);
	assert_int_equal(quote(c, "N042-USDT", 1, 12, 13, T0 + 4 * MS), 2);
	assert_int_equal(updates, before + 1);
	assert_int_equal(pairs(c, "N042-USDT", T0 + 5 * MS, v), 2);
	assert_int_equal(quote(c, "N042-USDT", 2, 12, 13, T0 + 4 * MS), -ENOENT); /* c does not list it */
	spread_core_free(c);
}

static void new_exchange_of_a_symbol_keeps_its_windows(void **state)
{
	(void)state;
	struct spread_core *c = create(64, (const char *const[]){ "BTC-USDT", "BTC-USDT", "" });
	assert_int_equal(quote(c, "BTC-USDT", 0, 100, 101, T0), 0);
	assert_int_equal(quote(c, "BTC-USDT", 1, 102, 103, T0 + MS), 2);
	assert_int_equal(quote(c, "BTC-USDT", 2, 102, 103, T0 + MS), -ENOENT);
	struct spread_listing l;
	list(c, 64, (const char *const[]){ "BTC-USDT", "BTC-USDT", "BTC-USDT" }, &l);
	assert_int_equal(l.added, 1);
	assert_int_equal(spread_core_max_pairs(c), 6);
	assert_int_equal(quote(c, "BTC-USDT", 2, 104, 105, T0 + 2 * MS), 4);
	struct spread_pair_view v[6];
	assert_int_equal(pairs(c, "BTC-USDT", T0 + 3 * MS, v), 6);
	uint64_t samples = 0;
	for (int i = 0; i < 6; i++) {
		if (v[i].buy_ex == 0 && v[i].sell_ex == 1)
			assert_int_equal(v[i].stats.count, 1); /* from before the listing */
		samples += v[i].stats.count;
	}
	assert_int_equal(samples, 6);
	spread_core_free(c);
}

static void removed_listing_stops_without_an_update(void **state)
{
	(void)state;
	struct spread_core *c = create(64, (const char *const[]){ "BTC-USDT ETH-USDT", "BTC-USDT ETH-USDT", "" });
	for (int e = 0; e < 2; e++) {
		assert_true(quote(c, "BTC-USDT", (unsigned)e, 100 + e, 101 + e, T0 + e) >= 0);
		assert_true(quote(c, "ETH-USDT", (unsigned)e, 10 + e, 11 + e, T0 + e) >= 0);
	}
	struct window_pool_usage u0, u1, u2;
	spread_core_window_usage(c, &u0);
	assert_int_equal(u0.windows, 4);
	unsigned before = updates;
	struct spread_listing l;
	list(c, 64, (const char *const[]){ "BTC-USDT", "BTC-USDT", "" }, &l);
	assert_int_equal(l.removed, 2);
	assert_int_equal(l.symbols, 1);
	assert_int_equal(updates, before); /* nothing more is published for it */
	int eth = spread_core_symbol_index(c, "ETH-USDT");
	assert_false(spread_core_symbol_listed(c, (unsigned)eth));
	assert_true(spread_core_symbol_listed(c, 0));
	assert_int_equal(quote(c, "ETH-USDT", 0, 10, 11, T0 + MS), -ENOENT);
	struct spread_pair_view v[6];
	assert_int_equal(pairs(c, "ETH-USDT", T0 + MS, v), 0);
	spread_core_window_usage(c, &u1);
	assert_int_equal(u1.windows, 2); /* its two windows went back */
	assert_int_equal(u1.bytes_used, u0.bytes_used);
	/* listed again: same index, fresh windows from the ones given back */
	list(c, 64, (const char *const[]){ "BTC-USDT ETH-USDT", "BTC-USDT ETH-USDT", "" }, &l);
	assert_int_equal(l.added, 2);
	assert_int_equal(spread_core_symbol_index(c, "ETH-USDT"), eth);
	assert_int_equal(quote(c, "ETH-USDT", 0, 10, 11, T0 + 2 * MS), 0);
	assert_int_equal(quote(c, "ETH-USDT", 1, 12, 13, T0 + 2 * MS), 2);
	assert_int_equal(pairs(c, "ETH-USDT", T0 + 3 * MS, v), 2);
	assert_int_equal(v[0].stats.count, 1); /* nothing from before the removal */
	spread_core_window_usage(c, &u2);
	assert_int_equal(u2.windows, 4);
	assert_int_equal(u2.bytes_used, u0.bytes_used);
	spread_core_free(c);
}

static void cap_refuses_what_it_cannot_hold(void **state)
{
	(void)state;
	buckets = 7000; /* a window takes about 281 KB: two of the 1 MB cap */
	struct spread_core *c = create(1, (const char *const[]){ "BTC-USDT", "BTC-USDT", "" });
	assert_int_equal(quote(c, "BTC-USDT", 0, 100, 101, T0), 0);
	assert_int_equal(quote(c, "BTC-USDT", 1, 102, 103, T0), 2);
	/* a symbol's tables take about a kilobyte: not 1023 more in what is left */
	static char many[CONFIG_MAX_SYMBOLS * 12] = "BTC-USDT";
	for (int i = 1; i < CONFIG_MAX_SYMBOLS; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), " S%04d-USDT", i);
	struct spread_listing l;
	list(c, 1, (const char *const[]){ many, many, "" }, &l);
	assert_true(l.refused > 0);
	assert_true(l.added > 0);
	assert_int_equal(l.added + l.refused, 2 * (CONFIG_MAX_SYMBOLS - 1));
	assert_int_equal(l.symbols, 1 + l.added / 2); /* refused whole: none listed on one exchange alone */
	struct window_pool_usage u;
	spread_core_window_usage(c, &u);
	assert_true(u.bytes_used <= u.bytes_max);
	assert_int_equal(u.bytes_max, 1 << 20);
	/* what was listed works, BTC-USDT is untouched, the refused are not listed */
	struct spread_pair_view v[6];
	assert_int_equal(pairs(c, "BTC-USDT", T0, v), 2);
	assert_int_equal(v[0].stats.count, 1);
	assert_int_equal(quote(c, "S0001-USDT", 0, 100, 101, T0), 0);
	assert_true(spread_core_symbol_index(c, "S1023-USDT") < 0);
	spread_core_free(c);
	buckets = 60;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(added_symbols_stream_and_the_others_keep_their_state),
		cmocka_unit_test(new_exchange_of_a_symbol_keeps_its_windows),
		cmocka_unit_test(removed_listing_stops_without_an_update),
		cmocka_unit_test(cap_refuses_what_it_cannot_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

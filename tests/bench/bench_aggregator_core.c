/* BENCH aggregator_ticks_per_s: quotes through the spread core (pair
 * spreads, staleness, window updates), 3 exchanges x 50 symbols, Redis off,
 * default 900 s / 60-bucket windows. BENCH aggregator_universe_*: the
 * windows of 10 exchanges x 500 symbols (45,000 ordered pairs) after a
 * whole window of quotes on every pair, against the default 256 MB cap. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregator/spread.h"
#include "common/clock.h"

#define EXCHANGES 3
#define SYMBOLS 50
#define TICKS (1u << 20)
#define TICK_SPACING_NS 1000 /* 1M ticks per simulated second */
#define RUNS 5
#define U_EXCHANGES 10
#define U_SYMBOLS 500
#define U_QUOTE_EVERY_NS 2000000000LL /* each (symbol, exchange) quotes every 2 s */
#define U_SECONDS 960                 /* a 900 s window and one more slice */

static uint64_t updates;

static void on_update(void *ctx, unsigned sym)
{
	(void)ctx;
	(void)sym;
	updates++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void set_universe(struct config *cfg, unsigned exchanges, unsigned symbols)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->aggregator.window_s = 900;
	cfg->aggregator.window_buckets = 60;
	cfg->aggregator.stale_quote_ms = 5000;
	cfg->aggregator.max_window_memory_mb = 256;
	cfg->exchange_count = exchanges;
	for (unsigned e = 0; e < exchanges; e++) {
		struct config_exchange *x = &cfg->exchanges[e];
		snprintf(x->name, sizeof(x->name), "ex%u", e);
		x->enabled = true;
		for (unsigned s = 0; s < symbols; s++)
			snprintf(x->symbols[x->symbol_count++], CONFIG_NAME_MAX, "S%u-USDT", s);
	}
}

/* Every (symbol, exchange) quotes every 2 s, in turn, for 16 minutes: each
 * exchange has its own basis and half-spread around a random-walk mid, so
 * every pair's spread wanders over a few tens of bps. */
static int bench_universe(struct config *cfg)
{
	set_universe(cfg, U_EXCHANGES, U_SYMBOLS);
	struct spread_core *core;
	if (spread_core_create(&core, cfg, on_update, NULL) < 0)
		return -1;
	static double mid[U_SYMBOLS], basis[U_EXCHANGES];
	for (unsigned s = 0; s < U_SYMBOLS; s++)
		mid[s] = 1.0 + s;
	for (unsigned e = 0; e < U_EXCHANGES; e++)
		basis[e] = (e % 5) * 2e-4 - 4e-4;
	srand(2);
	int64_t t0 = 1700000000LL * 1000000000LL;
	const unsigned per_round = U_EXCHANGES * U_SYMBOLS;
	const int64_t step = U_QUOTE_EVERY_NS / per_round;
	static struct spread_pair_view pairs[U_EXCHANGES * (U_EXCHANGES - 1)];
	const size_t max_pairs = sizeof(pairs) / sizeof(pairs[0]);
	uint64_t quotes = 0, reads = 0, read_ns = 0;
	int64_t start = clock_monotonic_ns();
	for (int64_t round = 0; round * U_QUOTE_EVERY_NS < U_SECONDS * 1000000000LL; round++) {
		/* in the last round, read the symbol's pairs after each quote as
		 * the publisher does (publish_interval_ms = 0) */
		int read_back = (round + 1) * U_QUOTE_EVERY_NS >= U_SECONDS * 1000000000LL;
		for (unsigned i = 0; i < per_round; i++) {
			unsigned s = i / U_EXCHANGES, e = i % U_EXCHANGES;
			mid[s] *= 1.0 + ((rand() % 21) - 10) * 2e-6;
			double m = mid[s] * (1.0 + basis[e] + ((rand() % 11) - 5) * 2e-5);
			double half = (rand() % 5 + 1) * 5e-5;
			struct tick t;
			memset(&t, 0, sizeof(t));
			t.kind = TICK_QUOTE;
			t.exchange_id = (uint8_t)e;
			t.u.quote.bid_px = m * (1.0 - half);
			t.u.quote.ask_px = m * (1.0 + half);
			t.u.quote.bid_qty = t.u.quote.ask_qty = 1.0;
			t.ts_recv_ns = t.ts_exchange_ns = t0 + round * U_QUOTE_EVERY_NS + (int64_t)i * step;
			spread_core_on_quote(core, s, e, &t);
			quotes++;
			if (read_back) {
				int64_t r0 = clock_monotonic_ns();
				spread_core_pairs(core, s, t.ts_recv_ns, pairs, max_pairs);
				read_ns += (uint64_t)(clock_monotonic_ns() - r0);
				reads++;
			}
		}
	}
	double secs = (clock_monotonic_ns() - start) / 1e9;
	/* every pair's statistics, once more after the stream */
	uint64_t empty = 0, samples = 0, pct_samples = 0;
	int64_t now = t0 + (int64_t)U_SECONDS * 1000000000LL;
	uint64_t queried = 0;
	start = clock_monotonic_ns();
	for (unsigned s = 0; s < U_SYMBOLS; s++) {
		size_t n = spread_core_pairs(core, s, now, pairs, max_pairs);
		for (size_t k = 0; k < n; k++) {
			empty += pairs[k].stats.count == 0;
			samples += pairs[k].stats.count;
			pct_samples += pairs[k].stats.pct_count;
		}
		queried += n;
	}
	double query_ns = (double)(clock_monotonic_ns() - start) / (double)queried;
	struct window_pool_usage u;
	spread_core_window_usage(core, &u);
	fprintf(stderr,
		"universe: %zu pairs, %llu quotes in %.1f s, %llu windows, %llu refused, %llu left out of percentiles, "
		"%llu empty pairs, %llu samples in windows (%llu in percentiles), %zu of %zu bytes\n",
		spread_core_pair_count(core), (unsigned long long)quotes, secs, (unsigned long long)u.windows,
		(unsigned long long)u.windows_refused, (unsigned long long)u.pct_refused, (unsigned long long)empty,
		(unsigned long long)samples, (unsigned long long)pct_samples, u.bytes_used, u.bytes_max);
	printf("BENCH aggregator_universe_window_memory_bytes %zu bytes\n", u.bytes_used);
	printf("BENCH aggregator_universe_window_bytes_per_pair %.0f bytes\n",
	       (double)u.bytes_used / (double)spread_core_pair_count(core));
	printf("BENCH aggregator_universe_window_query_ns %.0f ns\n", query_ns);
	printf("BENCH aggregator_universe_update_read_ns %.0f ns\n", (double)read_ns / (double)reads);
	printf("BENCH aggregator_universe_window_refusals %llu\n",
	       (unsigned long long)(u.windows_refused + u.pct_refused));
	int rc = u.bytes_used <= u.bytes_max && u.windows_refused == 0 && u.pct_refused == 0 && empty == 0 ? 0 : -1;
	spread_core_free(core);
	return rc;
}

int main(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	struct tick *ticks = malloc(TICKS * sizeof(*ticks));
	unsigned *sym_of = malloc(TICKS * sizeof(unsigned));
	if (!cfg || !ticks || !sym_of)
		return 1;
	set_universe(cfg, EXCHANGES, SYMBOLS);
	struct spread_core *core;
	if (spread_core_create(&core, cfg, on_update, NULL) < 0)
		return 1;
	double mid[SYMBOLS];
	for (unsigned s = 0; s < SYMBOLS; s++)
		mid[s] = 10.0 + s;
	srand(1);
	for (unsigned i = 0; i < TICKS; i++) {
		unsigned s = (unsigned)rand() % SYMBOLS;
		mid[s] *= 1.0 + ((rand() % 21) - 10) * 1e-5;
		struct tick *t = &ticks[i];
		memset(t, 0, sizeof(*t));
		t->kind = TICK_QUOTE;
		t->exchange_id = (uint8_t)(rand() % EXCHANGES);
		t->u.quote.bid_px = mid[s] * (1.0 - (rand() % 5 + 1) * 1e-4);
		t->u.quote.ask_px = mid[s] * (1.0 + (rand() % 5 + 1) * 1e-4);
		t->u.quote.bid_qty = t->u.quote.ask_qty = 1.0;
		sym_of[i] = s;
	}
	int64_t t0 = 1700000000LL * 1000000000LL;
	double rates[RUNS];
	uint64_t spreads = 0;
	for (int run = 0; run < RUNS; run++) {
		int64_t start = clock_monotonic_ns();
		for (unsigned i = 0; i < TICKS; i++) {
			struct tick *t = &ticks[i];
			t->ts_recv_ns = t->ts_exchange_ns = t0 + ((int64_t)run * TICKS + i) * TICK_SPACING_NS;
			spreads += (uint64_t)spread_core_on_quote(core, sym_of[i], t->exchange_id, t);
		}
		double secs = (clock_monotonic_ns() - start) / 1e9;
		rates[run] = TICKS / secs;
	}
	qsort(rates, RUNS, sizeof(double), cmp_double);
	struct window_pool_usage u;
	spread_core_window_usage(core, &u);
	fprintf(stderr, "%u runs of %u ticks, %llu spreads, %llu updates, window memory %zu bytes\n", RUNS, TICKS,
		(unsigned long long)spreads, (unsigned long long)updates, u.bytes_used);
	printf("BENCH aggregator_ticks_per_s %.0f ticks/s\n", rates[RUNS / 2]);
	printf("BENCH aggregator_window_memory_bytes %zu bytes\n", u.bytes_used);
	spread_core_free(core);
	int rc = bench_universe(cfg);
	free(sym_of);
	free(ticks);
	free(cfg);
	return rc < 0 ? 1 : 0;
}

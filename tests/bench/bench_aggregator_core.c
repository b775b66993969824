/* BENCH aggregator_ticks_per_s: quotes through the spread core (pair
 * spreads, staleness, window updates), 3 exchanges x 50 symbols, Redis off,
 * default 900 s / 900-bucket windows. */
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

int main(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	struct tick *ticks = malloc(TICKS * sizeof(*ticks));
	unsigned *sym_of = malloc(TICKS * sizeof(unsigned));
	if (!cfg || !ticks || !sym_of)
		return 1;
	cfg->aggregator.window_s = 900;
	cfg->aggregator.window_buckets = 900;
	cfg->aggregator.stale_quote_ms = 5000;
	cfg->exchange_count = EXCHANGES;
	for (unsigned e = 0; e < EXCHANGES; e++) {
		struct config_exchange *x = &cfg->exchanges[e];
		snprintf(x->name, sizeof(x->name), "ex%u", e);
		x->enabled = true;
		for (unsigned s = 0; s < SYMBOLS; s++)
			snprintf(x->symbols[x->symbol_count++], CONFIG_NAME_MAX, "S%u-USDT", s);
	}
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
	fprintf(stderr, "%u runs of %u ticks, %llu spreads, %llu updates, window memory %zu bytes\n", RUNS, TICKS,
		(unsigned long long)spreads, (unsigned long long)updates, spread_core_window_memory(core));
	printf("BENCH aggregator_ticks_per_s %.0f ticks/s\n", rates[RUNS / 2]);
	printf("BENCH aggregator_window_memory_bytes %zu bytes\n", spread_core_window_memory(core));
	spread_core_free(core);
	free(sym_of);
	free(ticks);
	free(cfg);
	return 0;
}

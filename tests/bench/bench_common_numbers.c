/* Benchmark of the number helpers on the tick path: decimal_parse against
 * strtod on exchange-style prices, fmt_double against "%.17g". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/decimal.h"
#include "common/fmt.h"
#include "tests/unit/test_common_rng.h"

#define SAMPLES 4096
#define ROUNDS 500

static char text[SAMPLES][32];
static size_t text_len[SAMPLES];
static double values[SAMPLES];

static uint64_t rng_state = 0x853c49e6748fea9bULL;
static uint64_t rng(void)
{
	return test_rng_next(&rng_state);
}

/* Prices and quantities as Binance sends them: 8 decimals, zero padded. */
static void make_samples(void)
{
	for (int i = 0; i < SAMPLES; i++) {
		uint64_t units = rng() % 100000;
		uint64_t frac = (rng() % 10000) * 10000;
		text_len[i] = (size_t)snprintf(text[i], sizeof(text[i]), "%llu.%08llu", (unsigned long long)units,
					       (unsigned long long)frac);
		values[i] = strtod(text[i], NULL);
	}
}

static void report(const char *name, int64_t t0, int rounds, double sink)
{
	double ns = (double)(clock_monotonic_ns() - t0) / ((double)SAMPLES * rounds);
	printf("BENCH %s %.1f ns/op\n", name, ns);
	if (sink == 0.12345)
		printf("#\n"); /* keeps the loops from being optimised away */
}

int main(void)
{
	double sink = 0;
	char buf[FMT_NUM_MAX + 8];
	make_samples();

	int64_t t0 = clock_monotonic_ns();
	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < SAMPLES; i++) {
			double v;
			if (decimal_parse(text[i], text_len[i], &v) != 0)
				return 1;
			sink += v;
		}
	report("decimal_parse", t0, ROUNDS, sink);

	t0 = clock_monotonic_ns();
	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < SAMPLES; i++)
			sink += strtod(text[i], NULL);
	report("strtod_reference", t0, ROUNDS, sink);

	t0 = clock_monotonic_ns();
	for (int r = 0; r < ROUNDS / 10; r++)
		for (int i = 0; i < SAMPLES; i++)
			sink += (double)fmt_double(buf, sizeof(buf), values[i]);
	report("fmt_double", t0, ROUNDS / 10, sink);

	t0 = clock_monotonic_ns();
	for (int r = 0; r < ROUNDS / 10; r++)
		for (int i = 0; i < SAMPLES; i++)
			sink += snprintf(buf, sizeof(buf), "%.17g", values[i]);
	report("snprintf_17g_reference", t0, ROUNDS / 10, sink);
	return 0;
}

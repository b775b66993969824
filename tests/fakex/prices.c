/* fakex: correlated random walks (shared per symbol, per-exchange noise)
 * turned into fixed-point quotes and trades with increasing ids. */
#include "tests/fakex/prices.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The shared walk: a slow component (2.4 bp per 1 s step, reverting over an
 * hour: about 1% standard deviation) and a fast one (0.02 bp per 1 ms step,
 * reverting over 10 s: about 1.4 bp). Each step's noise
 * is drawn from (key, step index), so the value at a given time does not
 * depend on when the walk was started; starting WARMUP steps back leaves an
 * error of e^-8 of one standard deviation. */
#define SLOW_SIGMA 2.4e-4
#define SLOW_KEEP (1.0 - 1.0 / 3600)
#define SLOW_WARMUP_STEPS (8 * 3600)
#define FAST_SIGMA 2e-6
#define FAST_KEEP (1.0 - 1.0 / 10000)
#define FAST_WARMUP_STEPS (8 * 10000)
/* Per-ms noise of the exchange offset, whose AR(1) factor keeps it within a
 * few bp of the walk: enough for cross-exchange spreads to cross now and
 * then. */
#define OFFSET_SIGMA 2e-6
#define OFFSET_KEEP 0.999
#define MAX_CATCHUP_MS 60000

static const struct {
	const char *base;
	double px;
} known_prices[] = {
	{ "BTC", 65000 }, { "ETH", 3000 },  { "SOL", 150 },  { "BNB", 600 },
	{ "XRP", 0.6 },   { "DOGE", 0.15 }, { "ADA", 0.45 }, { "LTC", 80 },
};

uint64_t prices_rand(uint64_t *state)
{
	/* splitmix64: tiny, fast, good enough for test data */
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Roughly standard normal: the sum of four uniforms, rescaled. */
static double normalish(uint64_t *state)
{
	double sum = 0;
	for (int i = 0; i < 4; i++)
		sum += (double)(prices_rand(state) >> 11) * 0x1.0p-53;
	return (sum - 2.0) * 1.7320508075688772;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

int prices_symbol_init(struct fx_symbol *s, const char *spec, uint64_t seed)
{
	const char *eq = strchr(spec, '=');
	size_t n = eq ? (size_t)(eq - spec) : strlen(spec);
	size_t dash = 0, j = 0;

	memset(s, 0, sizeof *s);
	if (n == 0 || n >= FX_SYMBOL_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = spec[i];
		if (c == '-' && !dash && i > 0 && i + 1 < n) {
			dash = i;
		} else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			s->compact[j] = c;
			s->lower[j] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			j++;
		} else {
			return -EINVAL;
		}
		s->canon[i] = c;
	}
	if (!dash)
		return -EINVAL;
	s->base_px = 100;
	for (size_t k = 0; k < sizeof known_prices / sizeof known_prices[0]; k++)
		if (strlen(known_prices[k].base) == dash && memcmp(known_prices[k].base, spec, dash) == 0)
			s->base_px = known_prices[k].px;
	if (eq) {
		char *end;
		errno = 0;
		double px = strtod(eq + 1, &end);
		if (errno || *end || !(px > 1e-6 && px < 1e9))
			return -EINVAL;
		s->base_px = px;
	}
	/* about six significant digits, like real tick sizes (0.1 for BTC) */
	int d = 5 - (int)floor(log10(s->base_px));
	s->px_decimals = d < 0 ? 0 : d > 8 ? 8 : d;
	s->key = seed ^ fnv1a(s->canon);
	return 0;
}

void prices_market_init(struct fx_market *m, const struct fx_symbol *s, const char *exchange, uint64_t seed)
{
	memset(m, 0, sizeof *m);
	m->rng = seed ^ fnv1a(s->canon) ^ (fnv1a(exchange) * 31);
	/* ids start somewhere plausible and differ per exchange */
	m->update_id = 1000000 + prices_rand(&m->rng) % 1000000000;
	m->trade_id = 100000 + prices_rand(&m->rng) % 100000000;
	m->seq = 10000000000ULL + prices_rand(&m->rng) % 1000000000;
}

/* One mean-reverting component advanced to step now; a component more than
 * its warm-up behind restarts from zero that many steps back. */
static void advance_component(double *x, int64_t *at, int64_t now, double keep, double sigma, int64_t warmup,
			      uint64_t key)
{
	if (*at == 0 || now - *at > warmup) {
		*x = 0;
		*at = now - warmup;
	}
	while (*at < now) {
		uint64_t state = key ^ ((uint64_t)++ * at * 0xd1342543de82ef95ULL);
		*x = *x * keep + sigma * normalish(&state);
	}
}

double prices_walk(struct fx_symbol *s, int64_t now_ms)
{
	advance_component(&s->slow, &s->slow_s, now_ms / 1000, SLOW_KEEP, SLOW_SIGMA, SLOW_WARMUP_STEPS, s->key);
	advance_component(&s->fast, &s->fast_ms, now_ms, FAST_KEEP, FAST_SIGMA, FAST_WARMUP_STEPS, ~s->key);
	return s->slow + s->fast;
}

static void advance(struct fx_market *m, int64_t now_ms)
{
	if (m->offset_ms == 0 || now_ms - m->offset_ms > MAX_CATCHUP_MS)
		m->offset_ms = now_ms - 1;
	for (; m->offset_ms < now_ms; m->offset_ms++)
		m->offset = m->offset * OFFSET_KEEP + OFFSET_SIGMA * normalish(&m->rng);
}

static int64_t random_qty(uint64_t *rng)
{
	return 1 + (int64_t)(prices_rand(rng) % 500000); /* 0.00001 .. 5 */
}

static int64_t mid_mantissa(struct fx_symbol *s, struct fx_market *m, int64_t now_ms)
{
	double walk = prices_walk(s, now_ms);
	advance(m, now_ms);
	return llround(s->base_px * exp(walk + m->offset) * pow(10, s->px_decimals));
}

void prices_quote(struct fx_symbol *s, struct fx_market *m, int64_t now_ms, struct fx_quote *q)
{
	int64_t spread = 1 + (int64_t)(prices_rand(&m->rng) % 3);
	int64_t bid = mid_mantissa(s, m, now_ms) - spread / 2;
	if (bid < 1)
		bid = 1;
	*q = (struct fx_quote){
		.sym = s,
		.bid = bid,
		.ask = bid + spread,
		.bid_qty = random_qty(&m->rng),
		.ask_qty = random_qty(&m->rng),
		.update_id = ++m->update_id,
		.seq = m->seq += 1 + prices_rand(&m->rng) % 7,
		.ts_ms = now_ms,
	};
}

void prices_trade(struct fx_symbol *s, struct fx_market *m, int64_t now_ms, struct fx_trade *t)
{
	int64_t px = mid_mantissa(s, m, now_ms);
	*t = (struct fx_trade){
		.sym = s,
		.px = px < 1 ? 1 : px,
		.qty = random_qty(&m->rng),
		.buy = prices_rand(&m->rng) & 1,
		.trade_id = ++m->trade_id,
		.seq = m->seq += 1 + prices_rand(&m->rng) % 7,
		.ts_ms = now_ms,
	};
}

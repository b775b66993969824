/* fakex: correlated random walks (shared per symbol, per-exchange noise)
 * turned into fixed-point quotes and trades with increasing ids. */
#include "tests/fakex/prices.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Per-ms volatility of the shared walk (about 1 bp per second) and of the
 * exchange offset, whose AR(1) factor keeps it within a few bp of the walk:
 * enough for cross-exchange spreads to cross now and then. */
#define WALK_SIGMA 3e-6
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
	s->rng = seed ^ fnv1a(s->canon);
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

static void advance(struct fx_symbol *s, struct fx_market *m, int64_t now_ms)
{
	if (s->walk_ms == 0 || now_ms - s->walk_ms > MAX_CATCHUP_MS)
		s->walk_ms = now_ms - 1;
	for (; s->walk_ms < now_ms; s->walk_ms++)
		s->walk += WALK_SIGMA * normalish(&s->rng);
	if (m->offset_ms == 0 || now_ms - m->offset_ms > MAX_CATCHUP_MS)
		m->offset_ms = now_ms - 1;
	for (; m->offset_ms < now_ms; m->offset_ms++)
		m->offset = m->offset * OFFSET_KEEP + OFFSET_SIGMA * normalish(&m->rng);
}

static int64_t random_qty(uint64_t *rng)
{
	return 1 + (int64_t)(prices_rand(rng) % 500000); /* 0.00001 .. 5 */
}

static int64_t mid_mantissa(const struct fx_symbol *s, const struct fx_market *m)
{
	return llround(s->base_px * exp(s->walk + m->offset) * pow(10, s->px_decimals));
}

void prices_quote(struct fx_symbol *s, struct fx_market *m, int64_t now_ms, struct fx_quote *q)
{
	advance(s, m, now_ms);
	int64_t spread = 1 + (int64_t)(prices_rand(&m->rng) % 3);
	int64_t bid = mid_mantissa(s, m) - spread / 2;
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
	advance(s, m, now_ms);
	int64_t px = mid_mantissa(s, m);
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

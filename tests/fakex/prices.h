/* fakex: correlated prices. Each symbol's walk is a function of the seed and
 * the wall-clock time alone, so every exchange, in this process or another
 * with the same seed, sees the same one; each exchange adds its own
 * mean-reverting offset, so cross-exchange spreads open and close. */
#ifndef SPREADBUS_FAKEX_PRICES_H
#define SPREADBUS_FAKEX_PRICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FX_SYMBOL_MAX 24
#define FX_QTY_DECIMALS 5 /* quantities are mantissas of 10^-5 */

struct fx_symbol {
	char canon[FX_SYMBOL_MAX];   /* BTC-USDT (OKX instId) */
	char compact[FX_SYMBOL_MAX]; /* BTCUSDT (Binance "s", Bybit) */
	char lower[FX_SYMBOL_MAX];   /* btcusdt (Binance stream names) */
	int px_decimals;             /* price tick is 10^-px_decimals */
	double base_px;
	/* log deviation from base_px: a slow component stepped once per
	 * second and a fast one stepped once per ms, both mean-reverting */
	double slow, fast;
	int64_t slow_s, fast_ms; /* the step each was last advanced to */
	uint64_t key;            /* keys the counter-based step noise */
};

/* One exchange's view of one symbol: its offset and its id counters. */
struct fx_market {
	double offset;
	int64_t offset_ms;
	uint64_t rng;
	uint64_t update_id;
	uint64_t trade_id;
	uint64_t seq;
};

/* Misbehaviour: raw JSON in place of the (bid) price or of the bid size
 * (Binance only), no price at all, or an extra padding field of this many
 * bytes. Zero means a good frame. */
struct fx_taint {
	const char *px_raw;
	const char *qty_raw;
	bool omit_px;
	size_t pad_bytes;
};

/* Prices are mantissas at sym->px_decimals, quantities at FX_QTY_DECIMALS. */
struct fx_quote {
	const struct fx_symbol *sym;
	int64_t bid, ask, bid_qty, ask_qty;
	uint64_t update_id, seq;
	int64_t ts_ms;
	struct fx_taint taint;
};

struct fx_trade {
	const struct fx_symbol *sym;
	int64_t px, qty;
	bool buy;
	uint64_t trade_id, seq;
	int64_t ts_ms;
	struct fx_taint taint;
};

uint64_t prices_rand(uint64_t *state);
/* spec: "BTC-USDT" or "BTC-USDT=65000" (start price). 0 or -EINVAL. */
int prices_symbol_init(struct fx_symbol *s, const char *spec, uint64_t seed);
void prices_market_init(struct fx_market *m, const struct fx_symbol *s, const char *exchange, uint64_t seed);
void prices_quote(struct fx_symbol *s, struct fx_market *m, int64_t now_ms, struct fx_quote *q);
void prices_trade(struct fx_symbol *s, struct fx_market *m, int64_t now_ms, struct fx_trade *t);
/* The symbol's shared log deviation from its base price at now_ms. */
double prices_walk(struct fx_symbol *s, int64_t now_ms);

#endif

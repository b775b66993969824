/* The fake exchanges' instrument universe: N instruments per exchange drawn
 * from one pool of pairs, deterministic per seed, so that exchanges overlap
 * partly; Zipf-like volumes, some halted pairs, some odd tick sizes. */
#ifndef SPREADBUS_TESTS_FAKEX_REST_UNIVERSE_H
#define SPREADBUS_TESTS_FAKEX_REST_UNIVERSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The exchanges served: binance, bybit, okx (indexes 0-2), binance-usdm,
 * gateio, bitget, kraken, coinbase, deribit, htx. Spot exchanges list pairs
 * of one pool; binance-usdm and deribit list USDT- and USDC-margined
 * perpetuals and dated futures of the same pool's pairs. */
#define REST_UNIVERSE_EXCHANGES 10
/* The index of an exchange by name, or -1. */
int rest_universe_exchange(const char *name);
const char *rest_universe_name(int e);
/* Which answer a request for path?query gets from exchange e: 0 the
 * instruments, 1 the tickers, -1 none; *weight: its Binance request weight. */
int rest_universe_route(int e, const char *path, const char *query, unsigned *weight);
/* Whether e reports used request weight (X-MBX-USED-WEIGHT-1M). */
bool rest_universe_weighted(int e);
/* e's own error answer (sent with 200 by misbehave what=code). */
const char *rest_universe_error_body(int e);

/* The REST answers of one exchange, rendered once:
 * instruments and 24 h tickers. Returns 0, -EINVAL (unknown exchange) or
 * -ENOMEM. */
struct rest_bodies {
	char *info;
	size_t info_len;
	char *tickers;
	size_t tickers_len;
	size_t count; /* instruments listed */
};

/* pins: NULL, or comma-separated BASE-QUOTE pairs listed first on every
 * exchange, trading, with a 24 h volume of about REST_UNIVERSE_PINNED_VOLUME
 * (above any generated pair's, at most about 1.5e10): the demo's universe. */
#define REST_UNIVERSE_MAX_PINS 64
#define REST_UNIVERSE_PINNED_VOLUME 5e10
int rest_universe_render(const char *exchange, size_t instruments, uint64_t seed, const char *pins,
			 struct rest_bodies *out);
void rest_universe_free(struct rest_bodies *b);

#endif

/* The fake exchanges' instrument universe: N instruments per exchange drawn
 * from one pool of pairs, deterministic per seed, so that exchanges overlap
 * partly; Zipf-like volumes, some halted pairs, some odd tick sizes. */
#ifndef SPREADBUS_TESTS_FAKEX_REST_UNIVERSE_H
#define SPREADBUS_TESTS_FAKEX_REST_UNIVERSE_H

#include <stddef.h>
#include <stdint.h>

/* The REST answers of one exchange (binance, bybit or okx), rendered once:
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

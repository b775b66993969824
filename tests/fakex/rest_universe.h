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

int rest_universe_render(const char *exchange, size_t instruments, uint64_t seed, struct rest_bodies *out);
void rest_universe_free(struct rest_bodies *b);

#endif

/* The fake exchanges' trade-history REST answers (backfill, issue 13):
 * Binance /api/v3/historicalTrades by fromId, OKX
 * /api/v5/market/history-trades paginated by trade id, Bybit
 * /v5/market/recent-trade (the newest trades only).
 *
 * Why no shared tape with spreadbus-fakex: the trades a backfill asks for
 * are the ids a stream skipped while nobody listened (docs/fakex.md: a
 * feed's ids jump by one per 10 ms of silence), which the WebSocket side
 * never generated. Every id therefore gets a trade that is a pure function
 * of (exchange, symbol, id), so both servers agree on any id without
 * talking to each other, and a test knows exactly which ids a hole holds
 * from the `sent` log of spreadbus-fakex. Where the newest id matters (Bybit
 * answers only its newest trades; a history depth counts back from the
 * newest), it is asked of spreadbus-fakex's control port (`sent`). */
#ifndef SPREADBUS_TESTS_FAKEX_REST_TRADES_H
#define SPREADBUS_TESTS_FAKEX_REST_TRADES_H

#include <stddef.h>
#include <stdint.h>

/* Page limits the real exchanges document. */
#define REST_TRADES_BINANCE_MAX 1000
#define REST_TRADES_OKX_MAX 100
#define REST_TRADES_BYBIT_SPOT_MAX 60

/* Once, before any request: the control port of the spreadbus-fakex that
 * streams these symbols (0: none; Bybit then answers 400), and how many
 * of a symbol's newest trades the histories hold (0: every id). */
void rest_trades_configure(int fakex_control_port, uint64_t history_depth);

/* A path this module answers: 0 Binance, 1 Bybit, 2 OKX (rest_main.c's
 * exchange index), -1 otherwise. */
int rest_trades_route(const char *path);

/* Render the answer to a trade-history query of exchange ex at now_ms into
 * a malloc'ed body. Returns the HTTP status (200, or 400 with an error body
 * in the exchange's format for a missing or bad parameter), or -ENOMEM. */
int rest_trades_render(int ex, const char *query, int64_t now_ms, char **body, size_t *len);

#endif

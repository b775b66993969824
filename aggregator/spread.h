/* The aggregation core: latest quote per (symbol, exchange), the spread of
 * every ordered exchange pair (buy at A's ask, sell at B's bid), gross and
 * net of taker fees, staleness and gap handling, and one rolling window per
 * pair. No I/O. */
#ifndef SPREADBUS_AGGREGATOR_SPREAD_H
#define SPREADBUS_AGGREGATOR_SPREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregator/window.h"
#include "common/config.h"
#include "shm/tick.h"

/* Symbol indices stay below this, however many are listed at run time. */
#define SPREAD_MAX_SYMBOLS (CONFIG_MAX_EXCHANGES * CONFIG_MAX_SYMBOLS)

struct spread_quote {
	double bid, ask, bid_qty, ask_qty;
	int64_t ts_exchange_ns, ts_recv_ns;
	bool valid; /* false until the first quote, and after a gap */
};

/* One ordered pair as seen at the symbol's last evaluation. */
struct spread_pair_view {
	unsigned buy_ex, sell_ex; /* exchange indices (config order of enabled exchanges) */
	const struct spread_quote *buy, *sell;
	double spread;     /* sell.bid - buy.ask, in quote currency */
	double spread_bps; /* spread / buy.ask * 1e4 */
	/* Net of taker fees: buy at ask * (1 + buy fee), sell at
	 * bid * (1 - sell fee), per unit of base. */
	double buy_fee_bps, sell_fee_bps;
	double net_spread;     /* bid * (1 - sell fee) - ask * (1 + buy fee) */
	double net_spread_bps; /* net_spread / (ask * (1 + buy fee)) * 1e4 */
	double qty;            /* executable now: min(buy.ask_qty, sell.bid_qty) */
	double notional;       /* qty * buy.ask, quote currency */
	struct window_stats stats; /* of the gross spread_bps */
	struct window *window;     /* the pair's window, NULL if it has none */
};

/* Called once for every spread update: a symbol whose fresh pairs or their
 * prices changed. */
typedef void spread_update_fn(void *ctx, unsigned symbol);

struct spread_core;

/* The enabled exchanges of cfg, a window pool of [aggregator]
 * max_window_memory_mb, and the symbols cfg lists (spread_core_list).
 * Returns 0 or -errno. */
int spread_core_create(struct spread_core **out, const struct config *cfg, spread_update_fn *on_update,
		       void *ctx);
void spread_core_free(struct spread_core *c);

/* What a listing changed, in (symbol, exchange) listings. */
struct spread_listing {
	size_t added, removed;
	size_t refused; /* new ones the memory cap had no room for: not listed */
	size_t symbols; /* symbols listed now on at least one exchange */
};
/* The symbols each exchange of the core lists in cfg (its section's list,
 * or its share of the universe in auto mode) become the listed ones, at run
 * time: new symbols are appended (an index never moves and is never
 * reused), a new listing's tables are charged to the window pool (refused
 * at its cap), and an unlisted one's quote is forgotten without an update
 * and its windows go back to the pool. Exchanges cfg enables that the core
 * does not have are ignored. Returns 0 or -errno (the listing as before,
 * apart from symbols appended unlisted). Not on the tick path: it
 * allocates. */
int spread_core_list(struct spread_core *c, const struct config *cfg, struct spread_listing *out);
/* The last listing's result (create's included). */
const struct spread_listing *spread_core_listing(const struct spread_core *c);

size_t spread_core_exchange_count(const struct spread_core *c);
const char *spread_core_exchange_name(const struct spread_core *c, unsigned ex);
/* [exchange.NAME] taker_fee_bps of exchange ex. */
double spread_core_fee_bps(const struct spread_core *c, unsigned ex);
/* Symbols ever listed: indices 0 to count - 1. */
size_t spread_core_symbol_count(const struct spread_core *c);
/* Whether any exchange lists symbol sym now. */
bool spread_core_symbol_listed(const struct spread_core *c, unsigned sym);
const char *spread_core_symbol_name(const struct spread_core *c, unsigned sym);
/* Index of a canonical symbol, or -ENOENT. */
int spread_core_symbol_index(const struct spread_core *c, const char *name);
size_t spread_core_pair_count(const struct spread_core *c);
/* [aggregator] basis pairs configured: each is a symbol named SPOT/PERP
 * once both legs are listed, fed by their ticks, its pairs only spot
 * against derivative (buy_ex and sell_ex may then be the same exchange). */
size_t spread_core_basis_count(const struct spread_core *c);
/* Largest number of ordered pairs any one symbol has had. */
size_t spread_core_max_pairs(const struct spread_core *c);
/* The window pool's use, the symbols' tables included (memory and cap). */
void spread_core_window_usage(const struct spread_core *c, struct window_pool_usage *u);
uint32_t spread_core_window_s(const struct spread_core *c);

/* A quote of symbol sym from exchange ex. Its receive time is the clock of
 * the evaluation: counterparts older than stale_quote_ms take no part.
 * Returns the number of pair spreads computed (each also added to its
 * window), or -ENOENT if ex does not list sym. */
int spread_core_on_quote(struct spread_core *c, unsigned sym, unsigned ex, const struct tick *t);
/* Forget exchange ex's quotes: of symbol sym, or of all its symbols when
 * sym < 0 (a connection-wide gap or lost records). */
void spread_core_invalidate(struct spread_core *c, unsigned ex, int sym, int64_t now_ns);
/* Drop quotes that went stale by now_ns without a newer tick. */
void spread_core_expire_stale(struct spread_core *c, int64_t now_ns);

/* The symbol's fresh pairs at its last evaluation, window statistics as of
 * now_ns; returns how many were written (at most max). */
size_t spread_core_pairs(struct spread_core *c, unsigned sym, int64_t now_ns, struct spread_pair_view *out,
			 size_t max);
/* The same without window statistics (stats zero): what choosing the best
 * pair needs, without a window query per pair. */
size_t spread_core_pairs_now(struct spread_core *c, unsigned sym, struct spread_pair_view *out, size_t max);
/* One pair's window statistics as of now_ns, into v->stats. */
void spread_core_pair_stats(struct spread_core *c, struct spread_pair_view *v, int64_t now_ns);
/* Index in a pairs array of the best pair (highest net_spread_bps, the
 * first of equals), -1 if none. */
int spread_core_best(const struct spread_pair_view *pairs, size_t n);
/* Receive and exchange time of the newest quote that changed the symbol. */
void spread_core_trigger(const struct spread_core *c, unsigned sym, int64_t *ts_recv_ns, int64_t *ts_exchange_ns);
/* The core exchange of that quote. */
unsigned spread_core_trigger_exchange(const struct spread_core *c, unsigned sym);
uint64_t spread_core_updates(const struct spread_core *c, unsigned sym);

#endif

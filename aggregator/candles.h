/* OHLCV candles from trades, per (exchange, symbol, interval), aligned to
 * exchange time. Fixed state per slot, allocated once: no allocation after
 * candles_create. The rules are in docs/redis.md ("Candles"). */
#ifndef SPREADBUS_AGGREGATOR_CANDLES_H
#define SPREADBUS_AGGREGATOR_CANDLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "shm/tick.h"
#include "shm/trade_id.h"

struct candle {
	int64_t start_ns;     /* interval start, exchange time */
	double open, high, low, close;
	double volume;        /* base quantity */
	double quote_volume;  /* sum of price * quantity */
	double buy_volume;    /* base quantity of trades whose aggressor bought */
	int64_t open_ts_ns, close_ts_ns; /* exchange times of the open and close trades */
	uint64_t trades;
	struct trade_id first_id, last_id; /* exact trade ids of the open and close trades */
	uint32_t gaps;        /* gap markers read while the candle was open */
	uint32_t revision;    /* 0 at the first close, +1 per re-emission */
	bool closed;
};

/* A candle changed: an open one (closed false) or a closed one, emitted
 * once when it closes and again, revision + 1, for each late trade. */
typedef void (*candles_emit_fn)(void *ctx, unsigned ex, unsigned sym, unsigned iv, const struct candle *c);

struct candles_counters {
	uint64_t closed;     /* closed emissions, revisions included */
	uint64_t revisions;  /* re-emissions of a closed candle */
	uint64_t too_late;   /* trades older than the two newest candles of their slot: left out */
};

struct candles;

/* interval_ns: 1 to CONFIG_MAX_CANDLE_INTERVALS lengths (common/candle_interval.h). */
int candles_create(struct candles **out, size_t exchanges, size_t symbols, const int64_t *interval_ns,
		   size_t intervals, int64_t grace_ns, candles_emit_fn emit, void *ctx);
void candles_free(struct candles *c);
/* Room for symbols symbols (more listed at run time), every slot kept.
 * Returns 0 or -ENOMEM (c unchanged). Allocates: not on the tick path. */
int candles_grow(struct candles *c, size_t symbols);

size_t candles_interval_count(const struct candles *c);
int64_t candles_grace_ns(const struct candles *c);
int64_t candles_interval_ns(const struct candles *c, unsigned iv);

/* A trade of core exchange ex, core symbol sym (t->ts_exchange_ns, or the
 * receive time when the exchange sends none). */
void candles_on_trade(struct candles *c, unsigned ex, unsigned sym, const struct tick *t);
/* Any tick with an exchange time moves that exchange's clock forward; the
 * candles it passes (end + grace) close. */
void candles_observe(struct candles *c, unsigned ex, int64_t ts_exchange_ns);
/* Gap mark (gaps + 1) on every candle of exchange ex kept that starts
 * before before_ns: it may miss trades (a restart that found them no
 * longer in the ring). */
void candles_mark_partial(struct candles *c, unsigned ex, int64_t before_ns);
/* A gap marker: sym < 0 for every symbol of the exchange. */
void candles_on_gap(struct candles *c, unsigned ex, int sym);
/* Any tick of core exchange ex: sym is its core symbol, or -1 when it is
 * none of ours (a connection-wide gap marker, or a symbol not configured). */
void candles_tick(struct candles *c, unsigned ex, int sym, const struct tick *t);

void candles_counters(const struct candles *c, struct candles_counters *out);

#endif

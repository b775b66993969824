/* The tick record: what every collector appends to its ring and every reader
 * gets back. Fixed 64 bytes, one cache line. */
#ifndef SPREADBUS_SHM_TICK_H
#define SPREADBUS_SHM_TICK_H

#include <stdint.h>

enum tick_kind {
	TICK_QUOTE = 1,      /* best bid/ask */
	TICK_TRADE_BUY = 2,  /* trade, aggressor bought */
	TICK_TRADE_SELL = 3, /* trade, aggressor sold */
	TICK_TRADE = 4,      /* trade, aggressor side unknown */
	TICK_GAP = 5,        /* marker: data missing between gap.ts_start_ns and gap.ts_end_ns */
};

/* Why a gap marker was written. Stable numbers: they are recorded in Parquet. */
enum tick_gap_reason {
	GAP_DISCONNECT = 1,      /* connection closed or failed */
	GAP_STALL = 2,           /* connection open but silent past its timeout */
	GAP_SERVER_SHUTDOWN = 3, /* the exchange announced a disconnect */
	GAP_COLLECTOR_START = 4, /* a collector (re)started: anything before is unknown */
	GAP_READER_LAPPED = 5,   /* a reader was lapped and lost records (written by readers, not collectors) */
	GAP_RECONNECT_PLANNED = 6, /* planned reconnect (e.g. Binance 24 h limit) */
	GAP_BACKFILL = 7,        /* not a hole: the repair of the hole between the same times (collector/backfill.h) */
	GAP_SEQUENCE = 8,        /* the connection skipped a message number (Coinbase sequence_num) */
};

/* trade.flags */
#define TICK_TRADE_BACKFILLED 1u /* fetched from REST trade history after a gap, not from the live feed */

/*
 * seq_lo is the low 32 bits of the record's bus sequence number; the full
 * 64-bit number is the ring position, returned by ring reads. The first
 * 8 bytes (seq_lo, symbol_id, exchange_id, kind) are published last by the
 * ring, so a reader never sees a record whose seq_lo it expects but whose
 * body is half written.
 */
struct tick {
	uint32_t seq_lo;
	uint16_t symbol_id;
	uint8_t exchange_id;
	uint8_t kind;           /* enum tick_kind */
	int64_t ts_exchange_ns; /* exchange event time, ns since epoch UTC; 0 if the exchange sends none */
	int64_t ts_recv_ns;     /* local receive time, ns since epoch UTC */
	uint64_t update_id;     /* quote: exchange update id; trade: trade id's low 64 bits; gap: records known lost (0 = unknown) */
	union {
		struct {
			double bid_px, bid_qty, ask_px, ask_qty;
		} quote;
		/* The trade id is update_id (low 64 bits) and id_hi, in the
		 * form id_form (shm/trade_id.h: only that file reads them) */
		struct {
			double px, qty;
			uint32_t flags; /* TICK_TRADE_* bits (0 for live trades: the collector pipeline clears it) */
			uint8_t id_form;  /* enum trade_id_form; 0 (decimal) in ticks older than it */
			uint8_t id_zeros; /* leading zeros of the id's digits */
			uint64_t id_hi;   /* high 64 bits of the id */
		} trade;
		struct {
			int64_t ts_start_ns; /* last data seen before the hole; 0 = unknown */
			int64_t ts_end_ns;   /* first moment data flows again */
			uint32_t reason;     /* enum tick_gap_reason */
			uint32_t recovered;  /* GAP_BACKFILL: trades recovered (update_id: still missing) */
		} gap;
	} u;
};

_Static_assert(sizeof(struct tick) == 64, "a tick is one cache line");

static inline int tick_is_trade(const struct tick *t)
{
	return t->kind == TICK_TRADE_BUY || t->kind == TICK_TRADE_SELL || t->kind == TICK_TRADE;
}

/* Names used in JSON (busctl dump) and Parquet string columns. */
static inline const char *tick_kind_name(const struct tick *t)
{
	return t->kind == TICK_QUOTE ? "quote" : tick_is_trade(t) ? "trade" : t->kind == TICK_GAP ? "gap" : "unknown";
}

static inline const char *tick_trade_side_name(const struct tick *t)
{
	return t->kind == TICK_TRADE_BUY ? "buy" : t->kind == TICK_TRADE_SELL ? "sell" : "unknown";
}

static inline const char *tick_gap_reason_name(uint32_t reason)
{
	switch (reason) {
	case GAP_DISCONNECT: return "disconnect";
	case GAP_STALL: return "stall";
	case GAP_SERVER_SHUTDOWN: return "server_shutdown";
	case GAP_COLLECTOR_START: return "collector_start";
	case GAP_READER_LAPPED: return "reader_lapped";
	case GAP_RECONNECT_PLANNED: return "reconnect_planned";
	case GAP_BACKFILL: return "backfill";
	case GAP_SEQUENCE: return "sequence";
	}
	return "unknown";
}

/* A gap marker that says data is missing: every TICK_GAP but a
 * GAP_BACKFILL record, which reports a repair and invalidates nothing. */
static inline int tick_is_hole(const struct tick *t)
{
	return t->kind == TICK_GAP && t->u.gap.reason != GAP_BACKFILL;
}

/* A GAP_BACKFILL record's outcome: "repaired" (nothing missing),
 * "partly_repaired", or "not_repairable" (nothing recovered). */
static inline const char *tick_backfill_status_name(const struct tick *t)
{
	return t->update_id == 0 ? "repaired" : t->u.gap.recovered ? "partly_repaired" : "not_repairable";
}

#endif

/* Trade backfill (issue 13): when a symbol's trade ids jump on the live
 * feed (a reconnect, a stall, a slow-consumer drop), the ids in between
 * are fetched from the exchange's REST trade history in a thread of its
 * own and handed back to the WebSocket loop, which dedups them against
 * what the feed delivered and appends them to the ring marked
 * TICK_TRADE_BACKFILLED, followed by a GAP_BACKFILL record saying how many
 * were recovered and how many are still missing (docs/backfill.md).
 *
 * Two lock-free single-producer single-consumer queues connect the two
 * threads, so the loop never waits on REST: holes go one way, recovered
 * ticks the other. */
#ifndef SPREADBUS_COLLECTOR_BACKFILL_H
#define SPREADBUS_COLLECTOR_BACKFILL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "collector/dedup.h"
#include "collector/json_scan.h"
#include "collector/rest.h"
#include "collector/symbols.h"
#include "common/config.h"
#include "shm/ring.h"
#include "shm/status.h"
#include "shm/tick.h"

#define BACKFILL_HOLES 256         /* holes waiting for the thread; more are counted as not repairable */
#define BACKFILL_TICKS 16384       /* recovered ticks waiting for the loop */
#define BACKFILL_MAX_HOLE 1000000  /* ids; a larger jump is a sequence reset, not a hole */
#define BACKFILL_PAGE_MAX 1000     /* trades per page, the largest any exchange serves */
#define BACKFILL_ATTEMPTS 4        /* REST tries per page before the rest of a hole is given up */
#define BACKFILL_RETRY_MS 500      /* first wait after a failed page, doubled per try */

/* One missing range of one symbol. */
struct backfill_hole {
	uint16_t symbol_id;
	char native[SYMBOL_NATIVE_MAX];
	uint64_t from_id, to_id;         /* inclusive */
	int64_t ts_start_ns, ts_end_ns;  /* exchange times of the trades either side */
};

/* One trade of a page, as the exchange's history answers it. */
struct backfill_trade {
	uint64_t id;
	double px, qty;
	int64_t ts_ns;
	uint8_t kind; /* TICK_TRADE_BUY / _SELL / TICK_TRADE */
};

/* A history that answers with an array of trade objects (OKX, Bybit):
 * where the array is (a path of keys from the top object, and the status
 * member that must hold code_ok), how the fields are named (a js_field
 * table over struct backfill_spans) and the words of the taker side. */
struct backfill_spans {
	struct js_span id, px, qty, ts_ms, side;
};
struct backfill_format {
	const char *const *path;
	size_t path_len;
	const char *code_key, *code_ok;
	const struct js_field *fields;
	size_t nfields;
	const char *buy, *sell; /* any other side is TICK_TRADE */
};

/* An exchange's trade-history endpoint. A page is asked for the part of
 * the hole still open, [lo, hi]; the answer may hold ids outside it. */
struct backfill_api {
	const char *adapter;
	bool newest_first; /* pages walk down from hi (OKX) rather than up from lo (Binance) */
	/* The endpoint serves only the newest trades, without paging (Bybit's
	 * recent-trade): one page per hole, and the hole's ids older than its
	 * oldest trade are known missing. */
	bool recent_only;
	int (*page_path)(const char *native, uint64_t lo, uint64_t hi, char *out, size_t out_len);
	/* How a page is read: by format when set, else by parse_page, which
	 * puts the trades into out (at most max) and returns the count, or -1
	 * with why for an answer that is not a page. */
	const struct backfill_format *format;
	int (*parse_page)(const char *body, size_t len, struct backfill_trade *out, size_t max, char *why,
			  size_t why_len);
};

const struct backfill_api *backfill_api_find(const char *adapter);

/* Where a page parser puts its trades. */
struct backfill_page {
	struct backfill_trade *out;
	size_t max, n;
};

/* The next trade of pg filled from the exchange's id (a decimal number or
 * numeric string), price, size and time in ms; the caller sets its kind
 * and then counts it (pg->n++). NULL if the page is full or a field is
 * absent, not a number, or not positive. */
struct backfill_trade *backfill_page_trade(struct backfill_page *pg, const struct js_span *id, const struct js_span *px,
					   const struct js_span *qty, const struct js_span *ts_ms);

struct backfill {
	pthread_t thread;
	bool running;
	atomic_bool stop;
	const char *exchange;
	const struct backfill_api *api;
	struct rest_limits limits;
	char rest_url[CONFIG_STR_MAX];
	uint32_t timeout_ms;
	bool tls_verify;
	uint8_t exchange_id;
	/* loop thread only: per bus symbol id, the last live trade id and time */
	uint64_t *last_id;
	int64_t *last_ts_ns;
	struct backfill_resume *resume; /* the last ids kept across a restart (collector/backfill_resume.h) */
	/* holes: loop -> thread */
	struct backfill_hole holes[BACKFILL_HOLES];
	_Atomic uint32_t holes_head, holes_tail;
	/* recovered ticks and GAP_BACKFILL records: thread -> loop */
	struct tick ticks[BACKFILL_TICKS];
	_Atomic uint32_t ticks_head, ticks_tail;
	struct backfill_trade page[BACKFILL_PAGE_MAX];
	/* metrics */
	atomic_uint_fast64_t backfills, recovered, missing, rest_errors;
};

/* Whether the collector of cx backfills: its adapter has a history
 * endpoint and it has a REST URL (as discovery: instruments_thread_wanted). */
bool backfill_wanted(const struct config *cfg, const struct config_exchange *cx, const char *adapter);

/* Allocates and starts it. 0, -ENOTSUP (no history endpoint), or -errno.
 * Before the loop's first trade, backfill_resume_load() gives it the last
 * ids from before the start. */
int backfill_start(struct backfill **out, const struct config *cfg, const struct config_exchange *cx,
		   const char *adapter, uint8_t exchange_id);
/* Stops the thread (a call in flight is aborted), writes the last ids of
 * the symbols for the next start and frees it; NULL is fine. */
void backfill_stop(struct backfill *b);

/* Loop thread, for every trade published live: a jump in the symbol's ids
 * queues the hole. */
void backfill_observe(struct backfill *b, const struct symmap_entry *e, const struct tick *t);

/* Loop thread: publishes what the thread recovered, minus trades the feed
 * already delivered (dedup), and counts both in the collector's status
 * block with the thread's own counters. */
void backfill_drain(struct backfill *b, struct dedup *d, struct ring *ring, struct status_block *st);

#endif

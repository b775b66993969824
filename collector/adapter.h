/* The exchange adapter contract: one table of function pointers per
 * exchange (collector/exchange_<name>.c), listed once in adapters.c. */
#ifndef SPREADBUS_COLLECTOR_ADAPTER_H
#define SPREADBUS_COLLECTOR_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/json_scan.h"
#include "shm/tick.h"

struct symmap;

/* Why a frame or a tick was refused; each maps to one SM_REJECT_* metric. */
enum reject_reason {
	REJECT_NONE = 0,
	REJECT_JSON,          /* malformed JSON */
	REJECT_MISSING_FIELD, /* a required field is absent (also: one-sided book) */
	REJECT_NON_NUMERIC,   /* a number field does not hold a number */
	REJECT_NON_POSITIVE,  /* price or quantity <= 0 */
	REJECT_CROSSED,       /* bid > ask */
	REJECT_CLOCK_SKEW,    /* exchange time too far from local time */
	REJECT_UNKNOWN_SYMBOL,
	REJECT_OVERSIZE,      /* frame longer than max_frame_bytes */
	REJECT_BINARY,        /* binary frame where text is expected */
	REJECT_DUPLICATE,     /* not a reject metric: counted as SM_DUPLICATES */
	REJECT_OFF_TICK,      /* a price not a multiple of the instrument's tick size (collector/validate.h) */
	REJECT_OFF_LOT,       /* a quantity not a multiple of its lot size */
	REJECT_PRICE_JUMP,    /* a quote's mid beyond max_price_jump_pct of the last accepted one */
	REJECT_COUNT
};

/* What a non-data frame was. */
enum control_kind {
	CONTROL_NONE = 0,
	CONTROL_SUBSCRIBED,      /* subscription acknowledged */
	CONTROL_PONG,            /* answer to our keepalive */
	CONTROL_ERROR,           /* the exchange refused a request; detail holds its message */
	CONTROL_SERVER_SHUTDOWN, /* the exchange will close this connection soon */
	CONTROL_NOTICE,          /* informational event; detail holds it */
	CONTROL_UNSUPPORTED,     /* a channel or event we do not use; detail names it */
	CONTROL_REPLY,           /* the exchange asks for an answer (its app-level ping): detail is the text to send */
};

enum frame_kind { FRAME_DATA = 1, FRAME_CONTROL = 2, FRAME_REJECT = 3 };

#define FRAME_DETAIL_MAX 120

/* A parser's result. ticks/cap are provided by the caller; the parser fills
 * symbol_id, kind, ts_exchange_ns, update_id and the prices. */
struct frame_out {
	enum frame_kind kind;
	enum control_kind control;
	enum reject_reason reject;
	char detail[FRAME_DETAIL_MAX];
	struct tick *ticks;
	size_t cap;
	size_t n;
	/* The message's number on its connection, where every message has one
	 * (Coinbase sequence_num): the live loop writes a gap marker when one
	 * is skipped. Only valid with has_conn_seq. */
	uint64_t conn_seq;
	bool has_conn_seq;
};

/* Which entries of a connection's share a request names: the wanted ones
 * (a new connection), or those a live change added or removed after a
 * symbol generation (struct symmap_entry gen). */
enum sub_pick { SUB_PICK_WANTED = 0, SUB_PICK_ADDED, SUB_PICK_REMOVED };

/* One connection's share of the symbols: entries [first, first + count)
 * of the symbol map. */
struct sub_request {
	const struct symmap *symbols;
	size_t first;
	size_t count;
	bool quotes;
	bool trades;
	bool unsubscribe; /* build_subscribe writes the exchange's unsubscribe (adapters with live_symbols) */
	enum sub_pick pick;
	uint32_t since_gen; /* SUB_PICK_ADDED, SUB_PICK_REMOVED: changes after this generation */
	uint64_t req_id; /* increasing per message, for exchanges that echo it */
};

struct adapter {
	const char *name;
	const char *default_url;        /* the exchange's public endpoint, path included */
	uint32_t max_symbols_per_conn;  /* documented limit, both channels counted */
	uint32_t ping_interval_ms;      /* 0 = the server pings (protocol level) */
	bool ping_when_idle;            /* ping only after this long without any frame (OKX) */
	uint32_t subscribe_interval_ms; /* minimum spacing of subscribe messages */
	uint32_t connection_lifetime_s; /* planned reconnect after this long; 0 = none */
	uint32_t connect_interval_ms;   /* minimum spacing of connection attempts (per-IP limits) */

	/* Native name as it appears in frames for a canonical BASE-QUOTE. */
	int (*native_symbol)(const char *canonical, char *out, size_t out_len);
	/* Canonical name for a native one by the exchange's conventions
	 * (used when no config lists the symbols). */
	int (*canonical_symbol)(const char *native, size_t len, char *out, size_t out_len);
	/* The request path for a connection given the endpoint's path; may put
	 * the first *consumed symbols in the path itself (Binance). */
	int (*build_path)(const struct sub_request *req, const char *base_path, char *out, size_t out_len,
			  size_t *consumed);
	/* One subscribe message for the picked symbols from req->first + start
	 * on; sets *consumed to the entries looked at (0 = nothing left).
	 * Returns its length, 0 when none of them was picked, or -errno. */
	int (*build_subscribe)(const struct sub_request *req, size_t start, char *out, size_t out_len,
			       size_t *consumed);
	/* A subscribe message names one channel (Gate.io, Kraken, Coinbase):
	 * build_subscribe is called with quotes or trades alone, all symbols'
	 * quotes first, then all symbols' trades. */
	bool one_channel_per_subscribe;
	/* build_subscribe honours req->unsubscribe: the collector subscribes
	 * and unsubscribes on live connections when its symbols change;
	 * without, a change restarts the collector (docs/universe.md). */
	bool live_symbols;
	/* Every frame is one gzip member in a binary frame (HTX): inflated before parse. */
	bool gzip_frames;
	/* The application keepalive text, or NULL when the exchange has none. */
	const char *ping_text;

	enum frame_kind (*parse)(struct symmap *symbols, const char *frame, size_t len, struct frame_out *out);
};

const struct adapter *adapter_find(const char *name);

/* Helpers for parsers: record a reject or a control result. */
enum frame_kind adapter_frame_reject(struct frame_out *out, enum reject_reason r);
enum frame_kind adapter_frame_control(struct frame_out *out, enum control_kind c, const char *detail,
				      size_t detail_len);

/* build_path for exchanges that take the endpoint path as it is. */
int adapter_plain_path(const struct sub_request *req, const char *base_path, char *out, size_t out_len,
		       size_t *consumed);

/* Subscribe-message builder shared by adapters: head, then for each picked
 * symbol from req->first + start on the items item() writes for each wanted
 * channel (CHANNEL_QUOTES, CHANNEL_TRADES) separated by commas, then tail;
 * stops before max_items or when out is full. */
enum sub_channel { CHANNEL_QUOTES = 0, CHANNEL_TRADES = 1 };
struct sbuf;
struct symmap_entry;
/* Whether req names e (req->pick). */
bool adapter_sub_picks(const struct sub_request *req, const struct symmap_entry *e);
int adapter_build_batch(const struct sub_request *req, size_t start, char *out, size_t out_len, size_t *consumed,
			const char *head, const char *tail, size_t max_items,
			void (*item)(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch));
/* item() for exchanges whose subscribe lists bare names, one channel per
 * message (Gate.io, Kraken, Coinbase): the native name as a JSON string. */
void adapter_put_quoted_native(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch);

/* The "data" member of a frame: parsed in place when the members it
 * depends on came first (as in every capture), else its start is kept and
 * it is parsed after the walk. For js_object() hooks. */
struct deferred_data {
	const char *start;
	bool done;
	enum frame_kind result;
};
typedef enum frame_kind (*data_parser)(struct js *j, void *ctx);
/* Hook part: returns 1 (parsed), 0 (skip it for now) or -1 (bad JSON). */
int adapter_deferred_data_hook(struct deferred_data *d, struct js *j, bool ready, data_parser parse, void *ctx,
			       struct frame_out *out);
/* After the walk: the in-place result, or the deferred parse. */
enum frame_kind adapter_deferred_data_finish(struct deferred_data *d, const char *frame, size_t len,
					     data_parser parse, void *ctx, struct frame_out *out);

/* The start of every JSON parser: out emptied and checked for room for a
 * tick (REJECT_OVERSIZE), then the frame walked as one object with
 * js_object(keys, fields, hook, ctx) and nothing after it (REJECT_JSON).
 * False when refused: out holds the reject. Inline: as a call it cost the
 * parsers 4-10 % of their frames per second (tests/bench/bench_decode.c). */
static inline bool adapter_walk_frame(const char *frame, size_t len, const struct js_field *keys, size_t nkeys,
				      void *fields, int (*hook)(struct js *j, const struct js_span *key, void *ctx),
				      void *ctx, struct frame_out *out)
{
	struct js j;
	out->n = 0;
	if (out->cap < 1) {
		adapter_frame_reject(out, REJECT_OVERSIZE);
		return false;
	}
	js_init(&j, frame, len);
	if (js_object(&j, keys, nkeys, fields, hook, ctx) < 0 || !js_at_end(&j)) {
		adapter_frame_reject(out, REJECT_JSON);
		return false;
	}
	return true;
}

/* The best level of an element's "asks" and "bids", each an array of
 * [px, size, ...] levels (OKX, Bitget books1). */
struct adapter_top_levels {
	struct js_span ask_px, ask_sz, bid_px, bid_sz;
	size_t asks, bids; /* levels per side */
	bool asks_seen, bids_seen;
};
/* js_object() hook, ctx the struct adapter_top_levels: 1 for a side
 * (parsed), 0 for any other key, -1 on bad JSON. */
int adapter_top_levels_hook(struct js *j, const struct js_span *key, void *ctx);
/* The quote's prices and sizes: REJECT_MISSING_FIELD when a side is absent
 * or empty (a one-sided book gives no quote), REJECT_NON_NUMERIC. */
enum reject_reason adapter_top_levels_quote(const struct adapter_top_levels *l, struct tick *t);

/* The keepalive of exchanges that ping with the bare text "ping" (OKX,
 * Bitget): their "pong" answers ours, a "ping" of theirs is a notice.
 * True when frame was one of them, out filled. */
bool adapter_text_keepalive(const char *frame, size_t len, struct frame_out *out);

/* A trade's aggressor from the taker side the exchange names "buy" or
 * "sell" (Gate.io, Bitget, Kraken, Coinbase's upper-case BUY/SELL too);
 * REJECT_NON_NUMERIC for anything else. */
enum reject_reason adapter_taker_side(const struct js_span *side, struct tick *t);

/* A frame whose one tick is complete but for its symbol: look the native
 * name up (REJECT_UNKNOWN_SYMBOL) and finish the frame as data. */
enum frame_kind adapter_single_tick(struct symmap *m, const struct js_span *native, struct frame_out *out);

/* The symbol of one element of a frame whose elements each name theirs
 * (Kraken, Coinbase): *last caches the previous one's entry. Sets
 * t->symbol_id or returns REJECT_UNKNOWN_SYMBOL. */
enum reject_reason adapter_item_symbol(struct symmap *m, const struct js_span *native, struct symmap_entry **last,
				       struct tick *t);

/* An array of objects, one tick each: item() parses the element at the
 * cursor (returns -1 on bad JSON) and, when t is not NULL, fills *t and
 * sets *why (REJECT_NONE = a tick). One bad element refuses the whole
 * frame, so that a frame is never half published; the rest is still
 * checked for syntax. */
typedef int (*adapter_item_fn)(struct js *j, void *ctx, struct tick *t, enum reject_reason *why);
enum frame_kind adapter_parse_items(struct js *j, struct frame_out *out, adapter_item_fn item, void *ctx);

/* The end of an items loop (rc: the scanner's last result, bad: the first
 * bad item's reason): a syntax error, a bad item or no item at all refuses
 * the frame, else it is data. Inline: OKX keeps its own loop for speed. */
static inline enum frame_kind adapter_items_done(struct frame_out *out, int rc, enum reject_reason bad)
{
	if (rc < 0)
		return adapter_frame_reject(out, REJECT_JSON);
	if (bad != REJECT_NONE)
		return adapter_frame_reject(out, bad);
	if (out->n == 0)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	out->kind = FRAME_DATA;
	return FRAME_DATA;
}

const char *adapter_reject_reason_name(enum reject_reason r);
const char *adapter_control_kind_name(enum control_kind c);

#endif

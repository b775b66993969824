/* Coinbase Advanced Trade adapter: ticker (best bid/ask with sizes) and
 * market_trades, one channel per subscribe message; the heartbeats
 * channel keeps the subscriptions open. Times are RFC 3339 with ns. */
#include <string.h>

#include "collector/adapter.h"
#include "collector/json_scan.h"
#include "collector/rfc3339.h"
#include "collector/sbuf.h"
#include "collector/symbols.h"
#include "shm/trade_id.h"

/* Market-data connections: 8 requests per second per IP (bursts of 20):
 * attempts and subscribe messages 150 ms apart. */
#define COINBASE_CONNECT_INTERVAL_MS 150
#define COINBASE_SUBSCRIBE_INTERVAL_MS 150
#define COINBASE_MAX_SYMBOLS 100
#define COINBASE_MAX_PRODUCTS_PER_MESSAGE 100
/* Channels without updates close after 60-90 s unless heartbeats is
 * subscribed: the keepalive message subscribes it (again: idempotent). */
#define COINBASE_HEARTBEATS_EVERY_MS 20000

/* Product ids are BASE-QUOTE already; two parts, upper case. */
static int coinbase_native(const char *canonical, char *out, size_t out_len)
{
	return symbol_join_sep(canonical, '-', out, out_len);
}

static int coinbase_canonical(const char *native, size_t len, char *out, size_t out_len)
{
	return symbol_split_sep(native, len, '-', out, out_len);
}

/* {"type":"subscribe"|"unsubscribe","product_ids":[...],"channel":"ticker"|"market_trades"} */
static int coinbase_subscribe(const struct sub_request *req, size_t start, char *out, size_t out_len,
			      size_t *consumed)
{
	return adapter_build_batch(req, start, out, out_len, consumed,
				   req->unsubscribe ? "{\"type\":\"unsubscribe\",\"product_ids\":["
						    : "{\"type\":\"subscribe\",\"product_ids\":[",
				   req->quotes ? "],\"channel\":\"ticker\"}" : "],\"channel\":\"market_trades\"}",
				   COINBASE_MAX_PRODUCTS_PER_MESSAGE, adapter_put_quoted_native);
}

enum cb_channel { CB_NONE, CB_TICKER, CB_TRADES, CB_OTHER };

struct cb_top {
	struct js_span channel, timestamp, type, message, reason, sequence_num;
	enum cb_channel kind;
	int64_t ts_ns; /* the envelope's time: the ticker's exchange time */
	struct symmap *m;
	struct frame_out *out;
	struct symmap_entry *last; /* the previous element's product */
	enum reject_reason bad;    /* an event refused: the whole frame is */
	struct deferred_data data;
};

#define F(member, key) JS_FIELD(struct cb_top, member, key)
static const struct js_field top_keys[] = {
	F(channel, "channel"), F(timestamp, "timestamp"), F(type, "type"), F(message, "message"), F(reason, "reason"),
	F(sequence_num, "sequence_num"),
};
#undef F

/* An element of events[].tickers or events[].trades. */
struct cb_item {
	struct js_span product, best_bid, best_bid_qty, best_ask, best_ask_qty, trade_id, price, size, time, side;
};

#define F(member, key) JS_FIELD(struct cb_item, member, key)
static const struct js_field item_keys[] = {
	F(product, "product_id"), F(best_bid, "best_bid"), F(best_bid_qty, "best_bid_quantity"),
	F(best_ask, "best_ask"), F(best_ask_qty, "best_ask_quantity"), F(trade_id, "trade_id"), F(price, "price"),
	F(size, "size"), F(time, "time"), F(side, "side"),
};
#undef F

static enum reject_reason fill_quote(const struct cb_top *top, const struct cb_item *it, struct tick *t)
{
	if (!it->best_bid.s || !it->best_bid_qty.s || !it->best_ask.s || !it->best_ask_qty.s)
		return REJECT_MISSING_FIELD;
	/* sequence_num counts every message of the connection and restarts
	 * with it: no per-product id, so dedup uses time and values */
	t->update_id = 0;
	t->ts_exchange_ns = top->ts_ns;
	if (js_span_decimal(&it->best_bid, &t->u.quote.bid_px) < 0 ||
	    js_span_decimal(&it->best_bid_qty, &t->u.quote.bid_qty) < 0 ||
	    js_span_decimal(&it->best_ask, &t->u.quote.ask_px) < 0 ||
	    js_span_decimal(&it->best_ask_qty, &t->u.quote.ask_qty) < 0)
		return REJECT_NON_NUMERIC;
	t->kind = TICK_QUOTE;
	return REJECT_NONE;
}

static enum reject_reason fill_trade(const struct cb_item *it, struct tick *t)
{
	if (!it->trade_id.s || !it->price.s || !it->size.s || !it->time.s || !it->side.s)
		return REJECT_MISSING_FIELD;
	if (rfc3339_to_ns(it->time.s, it->time.len, &t->ts_exchange_ns) < 0 ||
	    trade_id_set(t, it->trade_id.s, it->trade_id.len) < 0 || js_span_decimal(&it->price, &t->u.trade.px) < 0 ||
	    js_span_decimal(&it->size, &t->u.trade.qty) < 0 || adapter_taker_side(&it->side, t) != REJECT_NONE)
		return REJECT_NON_NUMERIC;
	/* public market trades carry the maker's side: the aggressor is the other */
	t->kind = t->kind == TICK_TRADE_BUY ? TICK_TRADE_SELL : TICK_TRADE_BUY;
	return REJECT_NONE;
}

static int parse_item(struct js *j, void *ctx, struct tick *t, enum reject_reason *why)
{
	struct cb_top *top = ctx;
	struct cb_item it;
	memset(&it, 0, sizeof(it));
	if (js_object(j, item_keys, sizeof(item_keys) / sizeof(item_keys[0]), &it, NULL, NULL) < 0)
		return -1;
	if (!t)
		return 0;
	*why = !it.product.s ? REJECT_MISSING_FIELD : top->kind == CB_TICKER ? fill_quote(top, &it, t) : fill_trade(&it, t);
	if (*why == REJECT_NONE)
		*why = adapter_item_symbol(top->m, &it.product, &top->last, t);
	return 0;
}

/* One event: its "tickers" or "trades" array adds ticks to the frame. */
static int event_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct cb_top *top = ctx;
	if (!(JS_IS(key, "tickers") && top->kind == CB_TICKER) && !(JS_IS(key, "trades") && top->kind == CB_TRADES))
		return 0;
	if (adapter_parse_items(j, top->out, parse_item, top) == FRAME_REJECT) {
		if (top->out->reject == REJECT_JSON)
			return -1;
		top->bad = top->out->reject;
	}
	return 1;
}

/* events: [{"type":"snapshot"|"update","tickers"|"trades":[...]}, ...];
 * after a refused event the rest is only checked for syntax. */
static enum frame_kind parse_events(struct js *j, void *ctx)
{
	struct cb_top *top = ctx;
	struct frame_out *out = top->out;
	bool first;
	int rc;
	if (!top->timestamp.s)
		top->bad = REJECT_MISSING_FIELD;
	else if (rfc3339_to_ns(top->timestamp.s, top->timestamp.len, &top->ts_ns) < 0)
		top->bad = REJECT_NON_NUMERIC;
	if (js_arr_begin(j, &first) < 0)
		return adapter_frame_reject(out, REJECT_JSON);
	while ((rc = js_arr_next(j, &first)) == 1)
		if (js_object(j, NULL, 0, NULL, top->bad == REJECT_NONE ? event_hook : NULL, top) < 0)
			return adapter_frame_reject(out, REJECT_JSON);
	if (rc < 0)
		return adapter_frame_reject(out, REJECT_JSON);
	if (top->bad != REJECT_NONE)
		return adapter_frame_reject(out, top->bad);
	if (out->n == 0)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	out->kind = FRAME_DATA;
	return FRAME_DATA;
}

static enum cb_channel classify(const struct js_span *ch)
{
	if (JS_IS(ch, "ticker") || JS_IS(ch, "ticker_batch"))
		return CB_TICKER;
	if (JS_IS(ch, "market_trades"))
		return CB_TRADES;
	return CB_OTHER;
}

static int top_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct cb_top *f = ctx;
	if (!JS_IS(key, "events"))
		return 0;
	if (f->channel.s)
		f->kind = classify(&f->channel);
	/* in place when channel and timestamp came first, as in every capture */
	return adapter_deferred_data_hook(&f->data, j, f->kind != CB_NONE && f->kind != CB_OTHER && f->timestamp.s,
					  parse_events, f, f->out);
}

/* sequence_num numbers every message of the connection (data, heartbeats,
 * subscriptions): the live loop checks that none is skipped. */
static void take_sequence(const struct cb_top *f, struct frame_out *out)
{
	out->has_conn_seq = f->sequence_num.s && js_span_u64(&f->sequence_num, &out->conn_seq) == 0;
}

static enum frame_kind coinbase_parse(struct symmap *m, const char *frame, size_t len, struct frame_out *out)
{
	struct cb_top f = {.m = m, .out = out};
	bool walked = adapter_walk_frame(frame, len, top_keys, sizeof(top_keys) / sizeof(top_keys[0]), &f, top_hook, &f,
					 out);
	take_sequence(&f, out);
	if (!walked)
		return out->kind;
	/* {"type":"error","message":...,"reason":...} and requests (captures
	 * hold both directions); then the legacy Exchange feed's typed messages */
	if (f.type.s && JS_IS(&f.type, "error"))
		return f.reason.s ? adapter_frame_control(out, CONTROL_ERROR, f.reason.s, f.reason.len)
				  : adapter_frame_control(out, CONTROL_ERROR, f.message.s, f.message.len);
	if (f.type.s && (JS_IS(&f.type, "subscribe") || JS_IS(&f.type, "unsubscribe")))
		return adapter_frame_control(out, CONTROL_NOTICE, f.type.s, f.type.len);
	if (!f.channel.s)
		return f.type.s ? adapter_frame_control(out, CONTROL_UNSUPPORTED, f.type.s, f.type.len)
				: adapter_frame_reject(out, REJECT_MISSING_FIELD);
	f.kind = classify(&f.channel);
	/* the answer to every subscribe lists all current subscriptions */
	if (JS_IS(&f.channel, "subscriptions"))
		return adapter_frame_control(out, CONTROL_SUBSCRIBED, NULL, 0);
	/* heartbeats (our keepalive), candles, level2, ...: nothing to publish */
	if (f.kind == CB_OTHER)
		return adapter_frame_control(out, CONTROL_UNSUPPORTED, f.channel.s, f.channel.len);
	return adapter_deferred_data_finish(&f.data, frame, len, parse_events, &f, out);
}

const struct adapter adapter_coinbase = {
	.name = "coinbase",
	/* the root path spelled out: the upgrade request needs one */
	.default_url = "wss://advanced-trade-ws.coinbase.com/",
	.max_symbols_per_conn = COINBASE_MAX_SYMBOLS,
	.ping_interval_ms = COINBASE_HEARTBEATS_EVERY_MS,
	.ping_when_idle = false,
	.subscribe_interval_ms = COINBASE_SUBSCRIBE_INTERVAL_MS,
	.connect_interval_ms = COINBASE_CONNECT_INTERVAL_MS,
	.connection_lifetime_s = 0,
	.native_symbol = coinbase_native,
	.canonical_symbol = coinbase_canonical,
	.build_path = adapter_plain_path,
	.build_subscribe = coinbase_subscribe,
	.one_channel_per_subscribe = true,
	.live_symbols = true,
	.ping_text = "{\"type\":\"subscribe\",\"channel\":\"heartbeats\"}",
	.parse = coinbase_parse,
};

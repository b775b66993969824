/* Kraken spot WebSocket v2 adapter: ticker with event_trigger "bbo" (best
 * bid/ask with sizes) and trade, one channel per subscribe request; prices
 * are JSON numbers, read from their text (never through a double first). */
#include <string.h>

#include "collector/adapter.h"
#include "collector/json_scan.h"
#include "collector/rfc3339.h"
#include "collector/sbuf.h"
#include "collector/symbols.h"
#include "shm/trade_id.h"

/* Kraken's v2 pages give no connection or subscription limits for public
 * data: links of 100 symbols, attempts 500 ms apart, requests 100 ms apart. */
#define KRAKEN_CONNECT_INTERVAL_MS 500
#define KRAKEN_MAX_SYMBOLS 100
#define KRAKEN_SUBSCRIBE_INTERVAL_MS 100
#define KRAKEN_MAX_SYMBOLS_PER_REQUEST 100
/* The server sends a heartbeat each second without other traffic, so a
 * dead peer shows anyway; the application ping checks the session itself. */
#define KRAKEN_PING_MS 30000

static int kraken_native(const char *canonical, char *out, size_t out_len)
{
	return symbol_join_sep(canonical, '/', out, out_len);
}

static int kraken_canonical(const char *native, size_t len, char *out, size_t out_len)
{
	return symbol_split_sep(native, len, '/', out, out_len);
}

/* {"method":"subscribe","params":{"channel":"ticker","symbol":[...],"event_trigger":"bbo"},"req_id":N}
 * or the same for "trade" (no snapshot of past trades); "unsubscribe" takes
 * the same params but snapshot, which only a subscribe has. */
static int kraken_subscribe(const struct sub_request *req, size_t start, char *out, size_t out_len,
			    size_t *consumed)
{
	char head[96], tail[96];
	struct sbuf h, t;
	sbuf_init(&h, head, sizeof(head));
	sbuf_put(&h, req->unsubscribe ? "{\"method\":\"unsubscribe\"" : "{\"method\":\"subscribe\"");
	sbuf_put(&h, req->quotes ? ",\"params\":{\"channel\":\"ticker\",\"symbol\":["
				 : ",\"params\":{\"channel\":\"trade\",\"symbol\":[");
	sbuf_init(&t, tail, sizeof(tail));
	sbuf_put(&t, req->quotes ? "],\"event_trigger\":\"bbo\"}"
		     : req->unsubscribe ? "]}"
					 : "],\"snapshot\":false}");
	sbuf_put(&t, ",\"req_id\":");
	sbuf_u64(&t, req->req_id);
	sbuf_put(&t, "}");
	return adapter_build_batch(req, start, out, out_len, consumed, head, tail, KRAKEN_MAX_SYMBOLS_PER_REQUEST,
				   adapter_put_quoted_native);
}

enum kr_channel { KR_NONE, KR_TICKER, KR_TRADE, KR_STATUS, KR_OTHER };

struct kr_top {
	struct js_span channel, method, success, error;
	enum kr_channel kind;
	struct symmap *m;
	struct symmap_entry *last; /* the previous element's symbol */
	struct frame_out *out;
	struct deferred_data data;
};

#define F(member, key) JS_FIELD(struct kr_top, member, key)
static const struct js_field top_keys[] = {F(channel, "channel"), F(method, "method"), F(success, "success"),
					   F(error, "error")};
#undef F

/* One element of "data": a ticker, a trade or a status. */
struct kr_item {
	struct js_span symbol, bid, bid_qty, ask, ask_qty, timestamp, side, price, qty, trade_id, system;
};

#define F(member, key) JS_FIELD(struct kr_item, member, key)
static const struct js_field item_keys[] = {
	F(symbol, "symbol"), F(bid, "bid"), F(bid_qty, "bid_qty"), F(ask, "ask"), F(ask_qty, "ask_qty"),
	F(timestamp, "timestamp"), F(side, "side"), F(price, "price"), F(qty, "qty"), F(trade_id, "trade_id"),
	F(system, "system"),
};
#undef F

static enum reject_reason fill_ticker(const struct kr_item *it, struct tick *t)
{
	if (!it->bid.s || !it->bid_qty.s || !it->ask.s || !it->ask_qty.s)
		return REJECT_MISSING_FIELD;
	/* no sequence number: dedup falls back to time and values; a ticker
	 * without timestamp (older servers) has no exchange time */
	t->update_id = 0;
	t->ts_exchange_ns = 0;
	if ((it->timestamp.s && rfc3339_to_ns(it->timestamp.s, it->timestamp.len, &t->ts_exchange_ns) < 0) ||
	    js_span_decimal(&it->bid, &t->u.quote.bid_px) < 0 || js_span_decimal(&it->bid_qty, &t->u.quote.bid_qty) < 0 ||
	    js_span_decimal(&it->ask, &t->u.quote.ask_px) < 0 || js_span_decimal(&it->ask_qty, &t->u.quote.ask_qty) < 0)
		return REJECT_NON_NUMERIC;
	t->kind = TICK_QUOTE;
	return REJECT_NONE;
}

static enum reject_reason fill_trade(const struct kr_item *it, struct tick *t)
{
	if (!it->price.s || !it->qty.s || !it->side.s || !it->trade_id.s || !it->timestamp.s)
		return REJECT_MISSING_FIELD;
	if (rfc3339_to_ns(it->timestamp.s, it->timestamp.len, &t->ts_exchange_ns) < 0 ||
	    trade_id_set(t, it->trade_id.s, it->trade_id.len) < 0 || js_span_decimal(&it->price, &t->u.trade.px) < 0 ||
	    js_span_decimal(&it->qty, &t->u.trade.qty) < 0)
		return REJECT_NON_NUMERIC;
	return adapter_taker_side(&it->side, t);
}

/* A ticker or trade element: each names its symbol. */
static int parse_item(struct js *j, void *ctx, struct tick *t, enum reject_reason *why)
{
	struct kr_top *top = ctx;
	struct kr_item it;
	memset(&it, 0, sizeof(it));
	if (js_object(j, item_keys, sizeof(item_keys) / sizeof(item_keys[0]), &it, NULL, NULL) < 0)
		return -1;
	if (!t)
		return 0;
	*why = !it.symbol.s ? REJECT_MISSING_FIELD : top->kind == KR_TICKER ? fill_ticker(&it, t) : fill_trade(&it, t);
	if (*why == REJECT_NONE)
		*why = adapter_item_symbol(top->m, &it.symbol, &top->last, t);
	return 0;
}

/* A status message: a notice with the first element's system state. */
static enum frame_kind parse_status(struct js *j, struct kr_top *top)
{
	struct js_span system = {0};
	bool first;
	int rc;
	if (js_arr_begin(j, &first) < 0)
		return adapter_frame_reject(top->out, REJECT_JSON);
	while ((rc = js_arr_next(j, &first)) == 1) {
		struct kr_item it;
		memset(&it, 0, sizeof(it));
		if (js_object(j, item_keys, sizeof(item_keys) / sizeof(item_keys[0]), &it, NULL, NULL) < 0)
			return adapter_frame_reject(top->out, REJECT_JSON);
		if (!system.s)
			system = it.system;
	}
	if (rc < 0)
		return adapter_frame_reject(top->out, REJECT_JSON);
	return system.s ? adapter_frame_control(top->out, CONTROL_NOTICE, system.s, system.len)
			: adapter_frame_control(top->out, CONTROL_NOTICE, "status", 6);
}

static enum frame_kind parse_data(struct js *j, void *ctx)
{
	struct kr_top *top = ctx;
	if (top->kind == KR_STATUS)
		return parse_status(j, top);
	return adapter_parse_items(j, top->out, parse_item, top);
}

static enum kr_channel classify(const struct js_span *ch)
{
	if (JS_IS(ch, "ticker"))
		return KR_TICKER;
	if (JS_IS(ch, "trade"))
		return KR_TRADE;
	if (JS_IS(ch, "status"))
		return KR_STATUS;
	return KR_OTHER;
}

static int top_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct kr_top *f = ctx;
	if (!JS_IS(key, "data"))
		return 0;
	if (f->channel.s)
		f->kind = classify(&f->channel);
	return adapter_deferred_data_hook(&f->data, j, f->kind == KR_TICKER || f->kind == KR_TRADE || f->kind == KR_STATUS,
					  parse_data, f, f->out);
}

static enum frame_kind method_result(const struct kr_top *f, struct frame_out *out)
{
	if (JS_IS(&f->method, "pong"))
		return adapter_frame_control(out, CONTROL_PONG, NULL, 0);
	if (!f->success.s) /* a request (captures hold both directions) */
		return adapter_frame_control(out, CONTROL_NOTICE, f->method.s, f->method.len);
	if (!JS_IS(&f->success, "true"))
		return adapter_frame_control(out, CONTROL_ERROR, f->error.s, f->error.len);
	if (JS_IS(&f->method, "subscribe"))
		return adapter_frame_control(out, CONTROL_SUBSCRIBED, NULL, 0);
	return adapter_frame_control(out, CONTROL_NOTICE, f->method.s, f->method.len);
}

static enum frame_kind kraken_parse(struct symmap *m, const char *frame, size_t len, struct frame_out *out)
{
	struct kr_top f = {.m = m, .out = out};
	if (!adapter_walk_frame(frame, len, top_keys, sizeof(top_keys) / sizeof(top_keys[0]), &f, top_hook, &f, out))
		return out->kind;
	if (f.method.s)
		return method_result(&f, out);
	if (!f.channel.s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	f.kind = classify(&f.channel);
	/* heartbeat (about once a second without other traffic), book, ...:
	 * channels that carry nothing we publish */
	if (f.kind == KR_OTHER)
		return adapter_frame_control(out, CONTROL_UNSUPPORTED, f.channel.s, f.channel.len);
	return adapter_deferred_data_finish(&f.data, frame, len, parse_data, &f, out);
}

const struct adapter adapter_kraken = {
	.name = "kraken",
	.default_url = "wss://ws.kraken.com/v2",
	.max_symbols_per_conn = KRAKEN_MAX_SYMBOLS,
	.ping_interval_ms = KRAKEN_PING_MS,
	.ping_when_idle = false,
	.subscribe_interval_ms = KRAKEN_SUBSCRIBE_INTERVAL_MS,
	.connect_interval_ms = KRAKEN_CONNECT_INTERVAL_MS,
	.connection_lifetime_s = 0,
	.native_symbol = kraken_native,
	.canonical_symbol = kraken_canonical,
	.build_path = adapter_plain_path,
	.build_subscribe = kraken_subscribe,
	.one_channel_per_subscribe = true,
	.live_symbols = true,
	.ping_text = "{\"method\":\"ping\"}",
	.parse = kraken_parse,
};

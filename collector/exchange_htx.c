/* HTX (Huobi) spot adapter: market.<sym>.bbo and market.<sym>.trade.detail,
 * one topic per subscribe message; every frame is a gzip member (the
 * pipeline inflates it, gzip_frames); the server's {"ping":n} is answered
 * with {"pong":n}. */
#include <string.h>

#include "collector/adapter.h"
#include "collector/json_scan.h"
#include "collector/sbuf.h"
#include "collector/symbols.h"
#include "shm/trade_id.h"

/* HTX documents no per-connection topic or message limit for market data
 * that we found: links are kept small and requests spaced (our choice). */
#define HTX_CONNECT_INTERVAL_MS 200
#define HTX_SUBSCRIBE_INTERVAL_MS 50
#define HTX_MAX_SYMBOLS 50
#define HTX_PONG_MAX 48

static int htx_native(const char *canonical, char *out, size_t out_len)
{
	return symbol_join_concat(canonical, true, out, out_len);
}

static int htx_canonical(const char *native, size_t len, char *out, size_t out_len)
{
	return symbol_split_concat(native, len, out, out_len);
}

static void put_topic(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch)
{
	sbuf_put(b, "\"market.");
	sbuf_putn(b, e->native, e->native_len);
	sbuf_put(b, ch == CHANNEL_QUOTES ? ".bbo\"" : ".trade.detail\"");
}

/* {"sub":"market.btcusdt.bbo","id":"N"} ({"unsub":...} to stop): one topic per message */
static int htx_subscribe(const struct sub_request *req, size_t start, char *out, size_t out_len, size_t *consumed)
{
	char tail[40];
	struct sbuf t;
	sbuf_init(&t, tail, sizeof(tail));
	sbuf_put(&t, ",\"id\":\"");
	sbuf_u64(&t, req->req_id);
	sbuf_put(&t, "\"}");
	return adapter_build_batch(req, start, out, out_len, consumed, req->unsubscribe ? "{\"unsub\":" : "{\"sub\":",
				   tail, 1, put_topic);
}

struct htx_frame {
	struct js_span ch, ping, status, subbed, unsubbed, err_msg;
	struct js_span symbol, quote_time, bid, bid_size, ask, ask_size, seq_id; /* bbo tick */
	struct js_span native; /* the <sym> of ch */
	bool tick_object;
	struct symmap *m;
	struct frame_out *out;
	struct symmap_entry *last;
	struct deferred_data data;
};

struct htx_trade {
	struct js_span trade_id, ts, amount, price, direction;
};

#define F(member, key) JS_FIELD(struct htx_frame, member, key)
static const struct js_field top_keys[] = {
	F(ch, "ch"), F(ping, "ping"), F(status, "status"), F(subbed, "subbed"), F(unsubbed, "unsubbed"),
	F(err_msg, "err-msg"),
};
static const struct js_field bbo_keys[] = {
	F(symbol, "symbol"), F(quote_time, "quoteTime"), F(bid, "bid"), F(bid_size, "bidSize"),
	F(ask, "ask"), F(ask_size, "askSize"), F(seq_id, "seqId"),
};
#undef F
#define F(member, key) JS_FIELD(struct htx_trade, member, key)
static const struct js_field trade_keys[] = {
	F(trade_id, "tradeId"), F(ts, "ts"), F(amount, "amount"), F(price, "price"), F(direction, "direction"),
};
#undef F

enum htx_topic { HTX_OTHER, HTX_BBO, HTX_TRADES };

/* market.<sym>.bbo / market.<sym>.trade.detail: the kind and <sym> */
static enum htx_topic classify(const struct js_span *ch, struct js_span *native)
{
	static const char pre[] = "market.", bbo[] = ".bbo", trades[] = ".trade.detail";
	size_t n = ch->len, p = sizeof(pre) - 1;
	if (n <= p || memcmp(ch->s, pre, p) != 0)
		return HTX_OTHER;
	native->s = ch->s + p;
	if (n > p + sizeof(bbo) - 1 && memcmp(ch->s + n - (sizeof(bbo) - 1), bbo, sizeof(bbo) - 1) == 0) {
		native->len = n - p - (sizeof(bbo) - 1);
		return HTX_BBO;
	}
	if (n > p + sizeof(trades) - 1 && memcmp(ch->s + n - (sizeof(trades) - 1), trades, sizeof(trades) - 1) == 0) {
		native->len = n - p - (sizeof(trades) - 1);
		return HTX_TRADES;
	}
	return HTX_OTHER;
}

static int parse_trade_item(struct js *j, void *ctx, struct tick *t, enum reject_reason *why)
{
	struct htx_frame *f = ctx;
	struct htx_trade it;
	memset(&it, 0, sizeof(it));
	/* "id" (the old trade id) can exceed 64 bits and even come as a
	 * double: skipped, tradeId is the one kept */
	if (js_object(j, trade_keys, sizeof(trade_keys) / sizeof(trade_keys[0]), &it, NULL, NULL) < 0)
		return -1;
	if (!t)
		return 0;
	if (!it.trade_id.s || !it.ts.s || !it.amount.s || !it.price.s || !it.direction.s)
		*why = REJECT_MISSING_FIELD;
	else if (trade_id_set(t, it.trade_id.s, it.trade_id.len) < 0 || js_span_ms_to_ns(&it.ts, &t->ts_exchange_ns) < 0 ||
		 js_span_decimal(&it.price, &t->u.trade.px) < 0 || js_span_decimal(&it.amount, &t->u.trade.qty) < 0)
		*why = REJECT_NON_NUMERIC;
	else
		*why = adapter_taker_side(&it.direction, t); /* the taker's direction */
	if (*why == REJECT_NONE)
		*why = adapter_item_symbol(f->m, &f->native, &f->last, t);
	return 0;
}

static int tick_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct htx_frame *f = ctx;
	if (!JS_IS(key, "data"))
		return 0;
	if (adapter_parse_items(j, f->out, parse_trade_item, f) == FRAME_REJECT && f->out->reject == REJECT_JSON)
		return -1;
	return 1;
}

/* tick: the bbo's fields, or the trades' {"id","ts","data":[...]} */
static enum frame_kind parse_tick(struct js *j, void *ctx)
{
	struct htx_frame *f = ctx;
	enum htx_topic k = classify(&f->ch, &f->native);
	f->out->kind = FRAME_REJECT;
	f->out->reject = REJECT_MISSING_FIELD;
	if (js_object(j, k == HTX_BBO ? bbo_keys : NULL, k == HTX_BBO ? sizeof(bbo_keys) / sizeof(bbo_keys[0]) : 0, f,
		      k == HTX_TRADES ? tick_hook : NULL, f) < 0)
		return adapter_frame_reject(f->out, REJECT_JSON);
	if (k == HTX_TRADES)
		return f->out->kind == FRAME_DATA ? FRAME_DATA : adapter_frame_reject(f->out, f->out->reject);
	struct tick *t = &f->out->ticks[0];
	if (!f->quote_time.s || !f->bid.s || !f->bid_size.s || !f->ask.s || !f->ask_size.s || !f->seq_id.s)
		return adapter_frame_reject(f->out, REJECT_MISSING_FIELD);
	if (js_span_ms_to_ns(&f->quote_time, &t->ts_exchange_ns) < 0 || js_span_u64(&f->seq_id, &t->update_id) < 0 ||
	    js_span_decimal(&f->bid, &t->u.quote.bid_px) < 0 || js_span_decimal(&f->bid_size, &t->u.quote.bid_qty) < 0 ||
	    js_span_decimal(&f->ask, &t->u.quote.ask_px) < 0 || js_span_decimal(&f->ask_size, &t->u.quote.ask_qty) < 0)
		return adapter_frame_reject(f->out, REJECT_NON_NUMERIC);
	t->kind = TICK_QUOTE;
	return adapter_single_tick(f->m, &f->native, f->out);
}

static int top_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct htx_frame *f = ctx;
	if (!JS_IS(key, "tick") || !js_peek(j, '{'))
		return 0;
	f->tick_object = true;
	struct js_span native;
	bool ready = f->ch.s && classify(&f->ch, &native) != HTX_OTHER;
	return adapter_deferred_data_hook(&f->data, j, ready, parse_tick, f, f->out);
}

static enum frame_kind htx_parse(struct symmap *m, const char *frame, size_t len, struct frame_out *out)
{
	struct htx_frame f = {.m = m, .out = out};
	if (!adapter_walk_frame(frame, len, top_keys, sizeof(top_keys) / sizeof(top_keys[0]), &f, top_hook, &f, out))
		return out->kind;
	/* {"ping":n} must be answered with the same n within two pings (10 s) */
	if (f.ping.s) {
		char pong[HTX_PONG_MAX];
		struct sbuf b;
		if (f.ping.quoted || f.ping.len == 0)
			return adapter_frame_reject(out, REJECT_NON_NUMERIC);
		sbuf_init(&b, pong, sizeof(pong));
		sbuf_put(&b, "{\"pong\":");
		sbuf_putn(&b, f.ping.s, f.ping.len);
		sbuf_put(&b, "}");
		if (b.overflow)
			return adapter_frame_reject(out, REJECT_NON_NUMERIC);
		return adapter_frame_control(out, CONTROL_REPLY, pong, b.len);
	}
	/* {"status":"error","err-code":"bad-request","err-msg":"invalid topic ..."} */
	if (f.status.s && !JS_IS(&f.status, "ok"))
		return adapter_frame_control(out, CONTROL_ERROR, f.err_msg.s, f.err_msg.len);
	if (f.subbed.s)
		return adapter_frame_control(out, CONTROL_SUBSCRIBED, NULL, 0);
	if (f.unsubbed.s)
		return adapter_frame_control(out, CONTROL_NOTICE, "unsubbed", 8);
	if (!f.ch.s)
		return f.status.s ? adapter_frame_control(out, CONTROL_NOTICE, f.status.s, f.status.len)
				  : adapter_frame_reject(out, REJECT_MISSING_FIELD);
	struct js_span native;
	if (classify(&f.ch, &native) == HTX_OTHER)
		return adapter_frame_control(out, CONTROL_UNSUPPORTED, f.ch.s, f.ch.len);
	if (!f.tick_object)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	return adapter_deferred_data_finish(&f.data, frame, len, parse_tick, &f, out);
}

const struct adapter adapter_htx = {
	.name = "htx",
	.default_url = "wss://api.huobi.pro/ws",
	.max_symbols_per_conn = HTX_MAX_SYMBOLS,
	/* the server pings every 5 s ({"ping":n}); we only answer */
	.ping_interval_ms = 0,
	.ping_when_idle = false,
	.subscribe_interval_ms = HTX_SUBSCRIBE_INTERVAL_MS,
	.connect_interval_ms = HTX_CONNECT_INTERVAL_MS,
	.connection_lifetime_s = 0,
	.native_symbol = htx_native,
	.canonical_symbol = htx_canonical,
	.build_path = adapter_plain_path,
	.build_subscribe = htx_subscribe,
	.one_channel_per_subscribe = true,
	.live_symbols = true,
	.gzip_frames = true,
	.ping_text = NULL,
	.parse = htx_parse,
};

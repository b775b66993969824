/* Bitget v2 public adapter, spot: books1 (best bid/ask with sizes) and
 * trade, the text "ping" every 30 s; futures frames are not spot pairs and
 * are left alone. */
#include <string.h>

#include "collector/adapter.h"
#include "collector/json_scan.h"
#include "collector/sbuf.h"
#include "collector/symbols.h"
#include "shm/trade_id.h"

/* 300 connection requests per IP per 5 minutes: one a second. */
#define BITGET_CONNECT_INTERVAL_MS 1000
/* At most 1000 channels per connection, and Bitget strongly recommends no
 * more than 50 for a stable connection: 25 symbols, two channels each. */
#define BITGET_MAX_SYMBOLS 25
/* 240 subscription requests per hour per connection: one request carries
 * a whole link (50 args of about 60 bytes). */
#define BITGET_MAX_ARGS 50
/* 10 messages per second per connection, "ping" included. */
#define BITGET_SUBSCRIBE_INTERVAL_MS 200
#define BITGET_PING_MS 30000
/* Bitget closes every connection after 24 h: replace it (overlapping) at 23 h. */
#define BITGET_LIFETIME_S (23 * 3600)

static int bitget_native(const char *canonical, char *out, size_t out_len)
{
	return symbol_join_concat(canonical, false, out, out_len);
}

static int bitget_canonical(const char *native, size_t len, char *out, size_t out_len)
{
	return symbol_split_concat(native, len, out, out_len);
}

static void put_arg(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch)
{
	sbuf_put(b, ch == CHANNEL_QUOTES ? "{\"instType\":\"SPOT\",\"channel\":\"books1\",\"instId\":\""
					 : "{\"instType\":\"SPOT\",\"channel\":\"trade\",\"instId\":\"");
	sbuf_putn(b, e->native, e->native_len);
	sbuf_put(b, "\"}");
}

static int bitget_subscribe(const struct sub_request *req, size_t start, char *out, size_t out_len, size_t *consumed)
{
	return adapter_build_batch(req, start, out, out_len, consumed,
				   req->unsubscribe ? "{\"op\":\"unsubscribe\",\"args\":[" : "{\"op\":\"subscribe\",\"args\":[",
				   "]}", BITGET_MAX_ARGS, put_arg);
}

enum bg_channel { BG_NONE, BG_BOOKS1, BG_TRADE, BG_OTHER };

struct bg_top {
	struct js_span inst_type, channel, inst, event, code, msg, op;
	enum bg_channel kind;
	struct symmap *m;
	struct frame_out *out;
	struct deferred_data data;
};

static const struct js_field arg_keys[] = {
	JS_FIELD(struct bg_top, inst_type, "instType"),
	JS_FIELD(struct bg_top, channel, "channel"),
	JS_FIELD(struct bg_top, inst, "instId"),
};

#define F(member, key) JS_FIELD(struct bg_top, member, key)
static const struct js_field top_keys[] = {F(event, "event"), F(code, "code"), F(msg, "msg"), F(op, "op")};
#undef F

/* One element of "data": books1 {asks, bids, checksum, ts} or a trade
 * {ts, price, size, side, tradeId}. */
struct bg_item {
	struct js_span ts, price, size, side, trade_id;
	struct adapter_top_levels levels;
};

#define F(member, key) JS_FIELD(struct bg_item, member, key)
static const struct js_field item_keys[] = {
	F(ts, "ts"), F(price, "price"), F(size, "size"), F(side, "side"), F(trade_id, "tradeId"),
};
#undef F

static enum reject_reason fill_quote(const struct bg_item *it, struct tick *t)
{
	if (!it->ts.s)
		return REJECT_MISSING_FIELD;
	enum reject_reason r = adapter_top_levels_quote(&it->levels, t);
	if (r != REJECT_NONE)
		return r;
	/* books1 carries no sequence number: dedup falls back to time and values */
	t->update_id = 0;
	return js_span_ms_to_ns(&it->ts, &t->ts_exchange_ns) < 0 ? REJECT_NON_NUMERIC : REJECT_NONE;
}

static enum reject_reason fill_trade(const struct bg_item *it, struct tick *t)
{
	if (!it->ts.s || !it->price.s || !it->size.s || !it->side.s || !it->trade_id.s)
		return REJECT_MISSING_FIELD;
	if (js_span_ms_to_ns(&it->ts, &t->ts_exchange_ns) < 0 || trade_id_set(t, it->trade_id.s, it->trade_id.len) < 0 ||
	    js_span_decimal(&it->price, &t->u.trade.px) < 0 || js_span_decimal(&it->size, &t->u.trade.qty) < 0)
		return REJECT_NON_NUMERIC;
	return adapter_taker_side(&it->side, t);
}

static int parse_item(struct js *j, void *ctx, struct tick *t, enum reject_reason *why)
{
	const struct bg_top *top = ctx;
	struct bg_item it;
	memset(&it, 0, sizeof(it));
	if (js_object(j, item_keys, sizeof(item_keys) / sizeof(item_keys[0]), &it, adapter_top_levels_hook, &it.levels) < 0)
		return -1;
	if (t)
		*why = top->kind == BG_BOOKS1 ? fill_quote(&it, t) : fill_trade(&it, t);
	return 0;
}

/* The data array, one tick per element, all for the arg's instId. */
static enum frame_kind parse_data(struct js *j, void *ctx)
{
	const struct bg_top *top = ctx;
	struct frame_out *out = top->out;
	enum frame_kind k = adapter_parse_items(j, out, parse_item, ctx);
	if (k != FRAME_DATA)
		return k;
	if (!top->inst.s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	const struct symmap_entry *e = symmap_lookup(top->m, top->inst.s, top->inst.len);
	if (!e)
		return adapter_frame_reject(out, REJECT_UNKNOWN_SYMBOL);
	for (size_t i = 0; i < out->n; i++)
		out->ticks[i].symbol_id = e->id;
	return FRAME_DATA;
}

static int top_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct bg_top *f = ctx;
	if (JS_IS(key, "arg") && js_peek(j, '{')) {
		if (js_object(j, arg_keys, sizeof(arg_keys) / sizeof(arg_keys[0]), f, NULL, NULL) < 0)
			return -1;
		bool spot = JS_IS(&f->inst_type, "SPOT");
		f->kind = spot && JS_IS(&f->channel, "books1") ? BG_BOOKS1
			  : spot && JS_IS(&f->channel, "trade") ? BG_TRADE
								 : BG_OTHER;
		return 1;
	}
	if (JS_IS(key, "data"))
		return adapter_deferred_data_hook(&f->data, j, f->kind == BG_BOOKS1 || f->kind == BG_TRADE, parse_data, f,
						  f->out);
	return 0;
}

static enum frame_kind bitget_parse(struct symmap *m, const char *frame, size_t len, struct frame_out *out)
{
	struct bg_top f = {.m = m, .out = out};
	if (adapter_text_keepalive(frame, len, out))
		return out->kind;
	if (!adapter_walk_frame(frame, len, top_keys, sizeof(top_keys) / sizeof(top_keys[0]), &f, top_hook, &f, out))
		return out->kind;
	if (f.event.s) {
		if (JS_IS(&f.event, "subscribe"))
			return adapter_frame_control(out, CONTROL_SUBSCRIBED, NULL, 0);
		if (JS_IS(&f.event, "error"))
			return adapter_frame_control(out, CONTROL_ERROR, f.msg.s, f.msg.len);
		return adapter_frame_control(out, CONTROL_NOTICE, f.event.s, f.event.len);
	}
	if (f.op.s) /* a request (captures hold both directions) */
		return adapter_frame_control(out, CONTROL_NOTICE, f.op.s, f.op.len);
	if (f.kind == BG_NONE)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	/* another spot channel (ticker, books5, ...) is named; a futures frame
	 * by its instType, whatever its channel */
	if (f.kind == BG_OTHER && !JS_IS(&f.inst_type, "SPOT"))
		return adapter_frame_control(out, CONTROL_UNSUPPORTED, f.inst_type.s, f.inst_type.len);
	if (f.kind == BG_OTHER)
		return adapter_frame_control(out, CONTROL_UNSUPPORTED, f.channel.s, f.channel.len);
	return adapter_deferred_data_finish(&f.data, frame, len, parse_data, &f, out);
}

const struct adapter adapter_bitget = {
	.name = "bitget",
	.default_url = "wss://ws.bitget.com/v2/ws/public",
	.max_symbols_per_conn = BITGET_MAX_SYMBOLS,
	.ping_interval_ms = BITGET_PING_MS,
	.ping_when_idle = false,
	.subscribe_interval_ms = BITGET_SUBSCRIBE_INTERVAL_MS,
	.connect_interval_ms = BITGET_CONNECT_INTERVAL_MS,
	.connection_lifetime_s = BITGET_LIFETIME_S,
	.native_symbol = bitget_native,
	.canonical_symbol = bitget_canonical,
	.build_path = adapter_plain_path,
	.build_subscribe = bitget_subscribe,
	.one_channel_per_subscribe = false,
	.live_symbols = true,
	.ping_text = "ping",
	.parse = bitget_parse,
};

/* Deribit JSON-RPC v2 adapter: quote.<instrument> (best bid/ask with
 * amounts) and trades.<instrument>.100ms; perpetuals and futures only,
 * named BASE-QUOTE-PERP and BASE-QUOTE-YYMMDD. The server's heartbeat
 * test_request is answered with public/test. */
#include <errno.h>
#include <string.h>

#include "collector/adapter.h"
#include "collector/json_scan.h"
#include "collector/sbuf.h"
#include "collector/symbols.h"
#include "common/symbol_name.h"
#include "shm/trade_id.h"

/* Public (unauthenticated) limits are per IP: 32 connections at most,
 * subscribe calls ~3 per second sustained (3000 credits each, 30000 max):
 * attempts 250 ms apart, subscribes 350 ms apart. */
#define DERIBIT_CONNECT_INTERVAL_MS 250
#define DERIBIT_SUBSCRIBE_INTERVAL_MS 350
#define DERIBIT_MAX_SYMBOLS 100
#define DERIBIT_CHANNELS_PER_MESSAGE 100
/* public/set_heartbeat with interval 30 s: the server then sends a
 * heartbeat every 30 s and a test_request it closes the connection over
 * when unanswered. Repeated every 10 s it is also our keepalive (its
 * "ok" is the pong). */
#define DERIBIT_KEEPALIVE_MS 10000
#define DERIBIT_PERP "PERPETUAL"

static const char months[12][4] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
				   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

/* BTC-USD-PERP -> BTC-PERPETUAL, ETH-USDC-PERP -> ETH_USDC-PERPETUAL,
 * BTC-USD-250627 -> BTC-27JUN25 (the day without a leading zero, as
 * Deribit writes it); a spot name (two parts) is refused. */
static int deribit_native(const char *canonical, char *out, size_t out_len)
{
	struct sbuf b;
	const char *d1 = strchr(canonical, '-');
	const char *d2 = d1 ? strchr(d1 + 1, '-') : NULL;
	if (!d2)
		return -EINVAL;
	const char *kind = d2 + 1;
	sbuf_init(&b, out, out_len);
	sbuf_putn(&b, canonical, (size_t)(d1 - canonical));
	/* inverse contracts settle in the base coin and are quoted in USD */
	if (!(d2 - d1 - 1 == 3 && memcmp(d1 + 1, "USD", 3) == 0)) {
		sbuf_put(&b, "_");
		sbuf_putn(&b, d1 + 1, (size_t)(d2 - d1 - 1));
	}
	sbuf_put(&b, "-");
	if (strcmp(kind, "PERP") == 0) {
		sbuf_put(&b, DERIBIT_PERP);
	} else {
		if (strlen(kind) != 6 || strspn(kind, "0123456789") != 6)
			return -EINVAL;
		int month = (kind[2] - '0') * 10 + (kind[3] - '0');
		if (month < 1 || month > 12 || (kind[4] == '0' && kind[5] == '0'))
			return -EINVAL;
		if (kind[4] != '0')
			sbuf_putn(&b, kind + 4, 1);
		sbuf_putn(&b, kind + 5, 1);
		sbuf_put(&b, months[month - 1]);
		sbuf_putn(&b, kind, 2);
	}
	return b.overflow ? -ENAMETOOLONG : 0;
}

/* The inverse of deribit_native; options (four parts) are refused. */
static int deribit_canonical(const char *native, size_t len, char *out, size_t out_len)
{
	struct sbuf b;
	const char *dash = memchr(native, '-', len);
	if (!dash || memchr(dash + 1, '-', len - (size_t)(dash + 1 - native)))
		return -EINVAL;
	size_t head = (size_t)(dash - native);
	const char *us = memchr(native, '_', head);
	const char *exp = dash + 1;
	size_t exp_len = len - head - 1;
	sbuf_init(&b, out, out_len);
	if (us) {
		sbuf_putn(&b, native, (size_t)(us - native));
		sbuf_put(&b, "-");
		sbuf_putn(&b, us + 1, head - (size_t)(us - native) - 1);
	} else {
		sbuf_putn(&b, native, head);
		sbuf_put(&b, "-USD");
	}
	sbuf_put(&b, "-");
	if (exp_len == sizeof(DERIBIT_PERP) - 1 && memcmp(exp, DERIBIT_PERP, exp_len) == 0) {
		sbuf_put(&b, "PERP");
	} else {
		/* DMMMYY or DDMMMYY */
		size_t dlen = exp_len - 5;
		if ((exp_len != 6 && exp_len != 7) || exp[0] < '0' || exp[0] > '9' || (dlen == 2 && (exp[1] < '0' || exp[1] > '9')))
			return -EINVAL;
		int month = 0;
		for (int i = 0; i < 12; i++)
			if (memcmp(exp + dlen, months[i], 3) == 0)
				month = i + 1;
		const char *yy = exp + dlen + 3;
		if (month == 0 || yy[0] < '0' || yy[0] > '9' || yy[1] < '0' || yy[1] > '9')
			return -EINVAL;
		char date[7] = {yy[0], yy[1], (char)('0' + month / 10), (char)('0' + month % 10),
				dlen == 2 ? exp[0] : '0', exp[dlen - 1], '\0'};
		sbuf_put(&b, date);
	}
	if (b.overflow)
		return -ENAMETOOLONG;
	return symbol_name_valid(out, b.len) ? 0 : -EINVAL;
}

static void put_channel(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch)
{
	sbuf_put(b, ch == CHANNEL_QUOTES ? "\"quote." : "\"trades.");
	sbuf_putn(b, e->native, e->native_len);
	/* raw trades need an authorized connection: 100 ms batches are public */
	sbuf_put(b, ch == CHANNEL_QUOTES ? "\"" : ".100ms\"");
}

/* {"jsonrpc":"2.0","id":N,"method":"public/subscribe","params":{"channels":[...]}}, or
 * public/unsubscribe with the same params */
static int deribit_subscribe(const struct sub_request *req, size_t start, char *out, size_t out_len,
			     size_t *consumed)
{
	char head[96];
	struct sbuf h;
	sbuf_init(&h, head, sizeof(head));
	sbuf_put(&h, "{\"jsonrpc\":\"2.0\",\"id\":");
	sbuf_u64(&h, req->req_id);
	sbuf_put(&h, req->unsubscribe ? ",\"method\":\"public/unsubscribe\",\"params\":{\"channels\":["
				      : ",\"method\":\"public/subscribe\",\"params\":{\"channels\":[");
	return adapter_build_batch(req, start, out, out_len, consumed, head, "]}}", DERIBIT_CHANNELS_PER_MESSAGE,
				   put_channel);
}

struct db_frame {
	struct js_span method, result, channel, type, code, message;
	bool result_array, result_object, error_object, params_object;
	struct symmap *m;
	struct frame_out *out;
	struct symmap_entry *last;
	struct deferred_data data;
};

/* The keys of a quote or of a trade in data. */
struct db_item {
	struct js_span instrument, timestamp, bid, bid_amount, ask, ask_amount, trade_id, trade_seq, price, amount,
		direction;
};

#define F(member, key) JS_FIELD(struct db_frame, member, key)
static const struct js_field top_keys[] = {F(method, "method")};
static const struct js_field params_keys[] = {F(channel, "channel"), F(type, "type")};
static const struct js_field error_keys[] = {F(code, "code"), F(message, "message")};
#undef F
#define F(member, key) JS_FIELD(struct db_item, member, key)
static const struct js_field item_keys[] = {
	F(instrument, "instrument_name"), F(timestamp, "timestamp"), F(bid, "best_bid_price"),
	F(bid_amount, "best_bid_amount"), F(ask, "best_ask_price"), F(ask_amount, "best_ask_amount"),
	F(trade_id, "trade_id"), F(trade_seq, "trade_seq"), F(price, "price"), F(amount, "amount"),
	F(direction, "direction"),
};
#undef F

static bool channel_is(const struct js_span *ch, const char *prefix)
{
	size_t n = strlen(prefix);
	return ch->len > n && memcmp(ch->s, prefix, n) == 0;
}

static enum frame_kind parse_quote(struct js *j, void *ctx)
{
	struct db_frame *f = ctx;
	struct db_item it;
	struct tick *t = &f->out->ticks[0];
	memset(&it, 0, sizeof(it));
	if (js_object(j, item_keys, sizeof(item_keys) / sizeof(item_keys[0]), &it, NULL, NULL) < 0)
		return adapter_frame_reject(f->out, REJECT_JSON);
	if (!it.instrument.s || !it.timestamp.s || !it.bid.s || !it.bid_amount.s || !it.ask.s || !it.ask_amount.s)
		return adapter_frame_reject(f->out, REJECT_MISSING_FIELD);
	/* quote carries no update id: dedup uses time and values */
	t->update_id = 0;
	if (js_span_ms_to_ns(&it.timestamp, &t->ts_exchange_ns) < 0 || js_span_decimal(&it.bid, &t->u.quote.bid_px) < 0 ||
	    js_span_decimal(&it.bid_amount, &t->u.quote.bid_qty) < 0 || js_span_decimal(&it.ask, &t->u.quote.ask_px) < 0 ||
	    js_span_decimal(&it.ask_amount, &t->u.quote.ask_qty) < 0)
		return adapter_frame_reject(f->out, REJECT_NON_NUMERIC);
	t->kind = TICK_QUOTE;
	return adapter_single_tick(f->m, &it.instrument, f->out);
}

static int parse_trade_item(struct js *j, void *ctx, struct tick *t, enum reject_reason *why)
{
	struct db_frame *f = ctx;
	struct db_item it;
	memset(&it, 0, sizeof(it));
	if (js_object(j, item_keys, sizeof(item_keys) / sizeof(item_keys[0]), &it, NULL, NULL) < 0)
		return -1;
	if (!t)
		return 0;
	if (!it.instrument.s || !it.timestamp.s || !it.trade_id.s || !it.trade_seq.s || !it.price.s || !it.amount.s ||
	    !it.direction.s) {
		*why = REJECT_MISSING_FIELD;
		return 0;
	}
	/* trade_id is decimal text on BTC instruments but "ETH-123" style on
	 * others: both kept as sent (shm/trade_id.h's prefixed form) */
	if (trade_id_set(t, it.trade_id.s, it.trade_id.len) < 0)
		*why = REJECT_NON_NUMERIC;
	else if (js_span_ms_to_ns(&it.timestamp, &t->ts_exchange_ns) < 0 || js_span_decimal(&it.price, &t->u.trade.px) < 0 ||
		 js_span_decimal(&it.amount, &t->u.trade.qty) < 0)
		*why = REJECT_NON_NUMERIC;
	else
		*why = adapter_taker_side(&it.direction, t);
	if (*why == REJECT_NONE)
		*why = adapter_item_symbol(f->m, &it.instrument, &f->last, t);
	return 0;
}

static enum frame_kind parse_data(struct js *j, void *ctx)
{
	struct db_frame *f = ctx;
	if (channel_is(&f->channel, "quote."))
		return parse_quote(j, ctx);
	return adapter_parse_items(j, f->out, parse_trade_item, ctx);
}

static int params_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct db_frame *f = ctx;
	if (!JS_IS(key, "data"))
		return 0;
	bool ready = f->channel.s && (channel_is(&f->channel, "quote.") || channel_is(&f->channel, "trades."));
	return adapter_deferred_data_hook(&f->data, j, ready, parse_data, f, f->out);
}

static int top_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct db_frame *f = ctx;
	bool params = JS_IS(key, "params"), error = JS_IS(key, "error"), result = JS_IS(key, "result");
	if (result && (js_peek(j, '[') || js_peek(j, '{'))) {
		f->result_array = js_peek(j, '[');
		f->result_object = !f->result_array;
		return js_skip(j) < 0 ? -1 : 1;
	}
	if (result)
		return js_scalar(j, &f->result) < 0 ? -1 : 1;
	if ((!params && !error) || !js_peek(j, '{'))
		return 0;
	f->params_object |= params;
	f->error_object |= error;
	if (error)
		return js_object(j, error_keys, sizeof(error_keys) / sizeof(error_keys[0]), f, NULL, NULL) < 0 ? -1 : 1;
	return js_object(j, params_keys, sizeof(params_keys) / sizeof(params_keys[0]), f, params_hook, f) < 0 ? -1 : 1;
}

/* The answer to a test_request: any public/test call. */
static const char test_reply[] = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"public/test\",\"params\":{}}";

static enum frame_kind deribit_parse(struct symmap *m, const char *frame, size_t len, struct frame_out *out)
{
	struct db_frame f = {.m = m, .out = out};
	if (!adapter_walk_frame(frame, len, top_keys, sizeof(top_keys) / sizeof(top_keys[0]), &f, top_hook, &f, out))
		return out->kind;
	/* {"error":{"code":10028,"message":"too_many_requests"}} and the like */
	if (f.error_object)
		return adapter_frame_control(out, CONTROL_ERROR, f.message.s, f.message.len);
	/* answers: public/subscribe lists the channels, public/set_heartbeat
	 * (our keepalive) says "ok", public/test gives the version */
	if (f.result_array)
		return adapter_frame_control(out, CONTROL_SUBSCRIBED, NULL, 0);
	if (f.result.s || f.result_object)
		return adapter_frame_control(out, CONTROL_PONG, NULL, 0);
	if (!f.method.s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	if (JS_IS(&f.method, "heartbeat")) {
		if (f.type.s && JS_IS(&f.type, "test_request"))
			return adapter_frame_control(out, CONTROL_REPLY, test_reply, sizeof(test_reply) - 1);
		return adapter_frame_control(out, CONTROL_UNSUPPORTED, f.method.s, f.method.len);
	}
	/* requests (captures hold both directions) */
	if (!JS_IS(&f.method, "subscription"))
		return adapter_frame_control(out, CONTROL_NOTICE, f.method.s, f.method.len);
	if (!f.channel.s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	if (!channel_is(&f.channel, "quote.") && !channel_is(&f.channel, "trades.")) {
		const char *dot = memchr(f.channel.s, '.', f.channel.len);
		return adapter_frame_control(out, CONTROL_UNSUPPORTED, f.channel.s,
					     dot ? (size_t)(dot - f.channel.s) : f.channel.len);
	}
	return adapter_deferred_data_finish(&f.data, frame, len, parse_data, &f, out);
}

const struct adapter adapter_deribit = {
	.name = "deribit",
	.default_url = "wss://www.deribit.com/ws/api/v2",
	.max_symbols_per_conn = DERIBIT_MAX_SYMBOLS,
	.ping_interval_ms = DERIBIT_KEEPALIVE_MS,
	.ping_when_idle = false,
	.subscribe_interval_ms = DERIBIT_SUBSCRIBE_INTERVAL_MS,
	.connect_interval_ms = DERIBIT_CONNECT_INTERVAL_MS,
	.connection_lifetime_s = 0,
	.native_symbol = deribit_native,
	.canonical_symbol = deribit_canonical,
	.build_path = adapter_plain_path,
	.build_subscribe = deribit_subscribe,
	.one_channel_per_subscribe = false,
	.live_symbols = true,
	.ping_text = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"public/set_heartbeat\",\"params\":{\"interval\":30}}",
	.parse = deribit_parse,
};

/* Binance spot adapter: combined streams (<sym>@bookTicker, <sym>@trade),
 * SUBSCRIBE messages paced under 5 messages/s, protocol-level keepalive. */
#include <string.h>

#include "collector/adapter.h"
#include "collector/binance_streams.h"
#include "collector/json_scan.h"
#include "collector/sbuf.h"
#include "collector/symbols.h"
#include "shm/trade_id.h"

/* 300 connection attempts per 5 minutes per IP: bursts of links are fine,
 * a flapping server is not hammered faster than 5/s. */
#define BINANCE_CONNECT_INTERVAL_MS 200
/* Streams put in the URL itself; the rest are subscribed by message. Kept
 * well under common 4-8 KB request-line limits. */
#define BINANCE_PATH_BUDGET 1800
/* Binance allows 5 incoming messages per second per connection, pongs
 * included: one subscribe every 250 ms leaves room for the pongs. */
#define BINANCE_SUBSCRIBE_INTERVAL_MS 250
/* 1024 streams per connection, two streams per symbol. */
#define BINANCE_MAX_SYMBOLS 512
/* A connection lives at most 24 h: reconnect (overlapping) after 23 h. */
#define BINANCE_LIFETIME_S (23 * 3600)

static int binance_native(const char *canonical, char *out, size_t out_len)
{
	return symbol_join_concat(canonical, false, out, out_len);
}

static int binance_canonical(const char *native, size_t len, char *out, size_t out_len)
{
	return symbol_split_concat(native, len, out, out_len);
}

static const struct binance_streams streams = {"@bookTicker", "@trade"};

static void put_stream_item(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch)
{
	sbuf_put(b, "\"");
	binance_put_stream(b, &streams, e, ch);
	sbuf_put(b, "\"");
}

static int binance_path(const struct sub_request *req, const char *base_path, char *out, size_t out_len,
			size_t *consumed)
{
	return binance_streams_path(&streams, BINANCE_PATH_BUDGET, req, base_path, out, out_len, consumed);
}

static int binance_subscribe(const struct sub_request *req, size_t start, char *out, size_t out_len,
			     size_t *consumed)
{
	return binance_streams_subscribe(req, start, out, out_len, consumed, put_stream_item);
}

static enum frame_kind parse_quote(struct symmap *m, const struct binance_fields *f, struct frame_out *out)
{
	struct tick *t = &out->ticks[0];
	int64_t ts = 0;
	if (!f->s.s || !f->u.s || !f->b.s || !f->B.s || !f->a.s || !f->A.s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	/* Spot bookTicker carries no time; the futures one has T (transaction time). */
	const struct js_span *tspan = f->T.s ? &f->T : f->E.s ? &f->E : NULL;
	if (js_span_u64(&f->u, &t->update_id) < 0 || js_span_decimal(&f->b, &t->u.quote.bid_px) < 0 ||
	    js_span_decimal(&f->B, &t->u.quote.bid_qty) < 0 || js_span_decimal(&f->a, &t->u.quote.ask_px) < 0 ||
	    js_span_decimal(&f->A, &t->u.quote.ask_qty) < 0 || (tspan && js_span_ms_to_ns(tspan, &ts) < 0))
		return adapter_frame_reject(out, REJECT_NON_NUMERIC);
	const struct symmap_entry *e = symmap_lookup(m, f->s.s, f->s.len);
	if (!e)
		return adapter_frame_reject(out, REJECT_UNKNOWN_SYMBOL);
	t->symbol_id = e->id;
	t->kind = TICK_QUOTE;
	t->ts_exchange_ns = ts;
	out->n = 1;
	out->kind = FRAME_DATA;
	return FRAME_DATA;
}

static enum frame_kind parse_trade(struct symmap *m, const struct binance_fields *f, struct frame_out *out)
{
	struct tick *t = &out->ticks[0];
	if (!f->s.s || !f->t.s || !f->p.s || !f->q.s || !f->T.s || !f->m.s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	if (trade_id_set(t, f->t.s, f->t.len) < 0 || js_span_decimal(&f->p, &t->u.trade.px) < 0 ||
	    js_span_decimal(&f->q, &t->u.trade.qty) < 0 || js_span_ms_to_ns(&f->T, &t->ts_exchange_ns) < 0)
		return adapter_frame_reject(out, REJECT_NON_NUMERIC);
	enum reject_reason side = binance_maker_side(&f->m, t);
	if (side != REJECT_NONE)
		return adapter_frame_reject(out, side);
	const struct symmap_entry *e = symmap_lookup(m, f->s.s, f->s.len);
	if (!e)
		return adapter_frame_reject(out, REJECT_UNKNOWN_SYMBOL);
	t->symbol_id = e->id;
	out->n = 1;
	out->kind = FRAME_DATA;
	return FRAME_DATA;
}

static enum frame_kind binance_parse(struct symmap *m, const char *frame, size_t len, struct frame_out *out)
{
	struct binance_fields f;
	if (!binance_walk_frame(frame, len, &f, out))
		return out->kind;
	if (f.e.s) {
		if (JS_IS(&f.e, "trade"))
			return parse_trade(m, &f, out);
		if (JS_IS(&f.e, "bookTicker"))
			return parse_quote(m, &f, out);
		if (JS_IS(&f.e, "serverShutdown"))
			return adapter_frame_control(out, CONTROL_SERVER_SHUTDOWN, NULL, 0);
		return adapter_frame_control(out, CONTROL_UNSUPPORTED, f.e.s, f.e.len);
	}
	if (f.u.s || f.b.s || f.a.s)
		return parse_quote(m, &f, out);
	return adapter_frame_reject(out, REJECT_MISSING_FIELD);
}

const struct adapter adapter_binance = {
	.name = "binance",
	.default_url = "wss://stream.binance.com:9443/stream",
	.max_symbols_per_conn = BINANCE_MAX_SYMBOLS,
	.ping_interval_ms = 0,
	.ping_when_idle = false,
	.subscribe_interval_ms = BINANCE_SUBSCRIBE_INTERVAL_MS,
	.connect_interval_ms = BINANCE_CONNECT_INTERVAL_MS,
	.connection_lifetime_s = BINANCE_LIFETIME_S,
	.native_symbol = binance_native,
	.canonical_symbol = binance_canonical,
	.build_path = binance_path,
	.build_subscribe = binance_subscribe,
	.live_symbols = true,
	.ping_text = NULL,
	.parse = binance_parse,
};

/* Gate.io spot WebSocket v4 adapter: spot.book_ticker and spot.trades,
 * one channel per subscribe request; the server keeps the connection
 * alive with protocol-level pings. */
#include <string.h>

#include "collector/adapter.h"
#include "collector/json_scan.h"
#include "collector/sbuf.h"
#include "collector/symbols.h"
#include "common/clock.h"
#include "shm/trade_id.h"

/* Gate documents no connection or message limits (gateio/gatews#25: none
 * for subscriptions or messages, at most 100 connections per host
 * recommended, and a connection whose client falls behind is closed):
 * links are kept small and attempts spaced. */
#define GATEIO_CONNECT_INTERVAL_MS 200
#define GATEIO_MAX_SYMBOLS 100
#define GATEIO_SUBSCRIBE_INTERVAL_MS 100
#define GATEIO_MAX_PAIRS_PER_REQUEST 100

static int gateio_native(const char *canonical, char *out, size_t out_len)
{
	return symbol_join_sep(canonical, '_', out, out_len);
}

static int gateio_canonical(const char *native, size_t len, char *out, size_t out_len)
{
	return symbol_split_sep(native, len, '_', out, out_len);
}

/* {"time":<s>,"id":N,"channel":"spot.book_ticker","event":"subscribe","payload":[...]}
 * ("unsubscribe" the same way): "time" must be within 60 s of the server's clock. */
static int gateio_subscribe(const struct sub_request *req, size_t start, char *out, size_t out_len,
			    size_t *consumed)
{
	char head[160];
	struct sbuf h;
	sbuf_init(&h, head, sizeof(head));
	sbuf_put(&h, "{\"time\":");
	sbuf_u64(&h, (uint64_t)(clock_realtime_ns() / 1000000000));
	sbuf_put(&h, ",\"id\":");
	sbuf_u64(&h, req->req_id);
	sbuf_put(&h, req->quotes ? ",\"channel\":\"spot.book_ticker\"" : ",\"channel\":\"spot.trades\"");
	sbuf_put(&h, req->unsubscribe ? ",\"event\":\"unsubscribe\",\"payload\":[" : ",\"event\":\"subscribe\",\"payload\":[");
	return adapter_build_batch(req, start, out, out_len, consumed, head, "]}", GATEIO_MAX_PAIRS_PER_REQUEST,
				   adapter_put_quoted_native);
}

/* Keys of a frame and of its "result" (book ticker, trade or request
 * status) and "error" objects, in one struct: their names do not clash. */
struct gt_fields {
	struct js_span channel, event;
	struct js_span t, u, s, b, B, a, A;                            /* spot.book_ticker */
	struct js_span id, create_time, create_time_ms, side, pair, amount, price; /* spot.trades */
	struct js_span status;                                        /* subscribe answers */
	struct js_span code, message;                                 /* error */
	bool result_object, error_object;
};

#define F(member, key) JS_FIELD(struct gt_fields, member, key)
static const struct js_field top_keys[] = {F(channel, "channel"), F(event, "event")};
static const struct js_field result_keys[] = {
	F(t, "t"), F(u, "u"), F(s, "s"), F(b, "b"), F(B, "B"), F(a, "a"), F(A, "A"),
	F(id, "id"), F(create_time, "create_time"), F(create_time_ms, "create_time_ms"), F(side, "side"),
	F(pair, "currency_pair"), F(amount, "amount"), F(price, "price"), F(status, "status"),
};
static const struct js_field error_keys[] = {F(code, "code"), F(message, "message")};
#undef F

static int top_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct gt_fields *f = ctx;
	bool result = JS_IS(key, "result"), error = JS_IS(key, "error");
	if ((!result && !error) || !js_peek(j, '{'))
		return 0; /* null, or another key */
	if (result)
		f->result_object = true;
	else
		f->error_object = true;
	const struct js_field *keys = result ? result_keys : error_keys;
	size_t n = result ? sizeof(result_keys) / sizeof(result_keys[0]) : sizeof(error_keys) / sizeof(error_keys[0]);
	return js_object(j, keys, n, f, NULL, NULL) < 0 ? -1 : 1;
}

/* "1619093546958.116" (ms with a fraction, as a string) to ns, exactly:
 * whole ms and up to 6 fraction digits. */
static int ms_fraction_to_ns(const struct js_span *s, int64_t *out)
{
	const char *dot = memchr(s->s, '.', s->len);
	struct js_span whole = *s;
	if (!dot)
		return js_span_ms_to_ns(s, out);
	whole.len = (size_t)(dot - s->s);
	size_t frac_len = s->len - whole.len - 1;
	if (frac_len == 0 || frac_len > 6 || js_span_ms_to_ns(&whole, out) < 0)
		return -1;
	int64_t frac = 0;
	for (size_t i = 0; i < 6; i++) {
		char c = i < frac_len ? dot[1 + i] : '0';
		if (c < '0' || c > '9')
			return -1;
		frac = frac * 10 + (c - '0');
	}
	if (*out > INT64_MAX - frac)
		return -1;
	*out += frac;
	return 0;
}

static enum frame_kind parse_book_ticker(struct symmap *m, const struct gt_fields *f, struct frame_out *out)
{
	struct tick *t = &out->ticks[0];
	if (!f->s.s || !f->t.s || !f->u.s || !f->b.s || !f->B.s || !f->a.s || !f->A.s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	if (js_span_ms_to_ns(&f->t, &t->ts_exchange_ns) < 0 || js_span_u64(&f->u, &t->update_id) < 0 ||
	    js_span_decimal(&f->b, &t->u.quote.bid_px) < 0 || js_span_decimal(&f->B, &t->u.quote.bid_qty) < 0 ||
	    js_span_decimal(&f->a, &t->u.quote.ask_px) < 0 || js_span_decimal(&f->A, &t->u.quote.ask_qty) < 0)
		return adapter_frame_reject(out, REJECT_NON_NUMERIC);
	t->kind = TICK_QUOTE;
	return adapter_single_tick(m, &f->s, out);
}

static enum frame_kind parse_trade(struct symmap *m, const struct gt_fields *f, struct frame_out *out)
{
	struct tick *t = &out->ticks[0];
	if (!f->pair.s || !f->id.s || !f->price.s || !f->amount.s || !f->side.s || (!f->create_time_ms.s && !f->create_time.s))
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	/* create_time_ms when sent, else create_time in seconds (read as ms,
	 * then scaled by 1000) */
	int64_t sec_as_ms_ns = 0;
	int rc = f->create_time_ms.s ? ms_fraction_to_ns(&f->create_time_ms, &t->ts_exchange_ns)
				     : js_span_ms_to_ns(&f->create_time, &sec_as_ms_ns);
	if (!f->create_time_ms.s && rc == 0) {
		if (sec_as_ms_ns > INT64_MAX / 1000)
			rc = -1;
		else
			t->ts_exchange_ns = sec_as_ms_ns * 1000;
	}
	if (rc < 0 || trade_id_set(t, f->id.s, f->id.len) < 0 || js_span_decimal(&f->price, &t->u.trade.px) < 0 ||
	    js_span_decimal(&f->amount, &t->u.trade.qty) < 0)
		return adapter_frame_reject(out, REJECT_NON_NUMERIC);
	if (adapter_taker_side(&f->side, t) != REJECT_NONE)
		return adapter_frame_reject(out, REJECT_NON_NUMERIC);
	return adapter_single_tick(m, &f->pair, out);
}

static enum frame_kind gateio_parse(struct symmap *m, const char *frame, size_t len, struct frame_out *out)
{
	struct gt_fields f;
	memset(&f, 0, sizeof(f));
	if (!adapter_walk_frame(frame, len, top_keys, sizeof(top_keys) / sizeof(top_keys[0]), &f, top_hook, &f, out))
		return out->kind;
	/* error codes: 1 invalid body, 2 invalid argument, 3 server error, 4 auth */
	if (f.error_object)
		return adapter_frame_control(out, CONTROL_ERROR, f.message.s, f.message.len);
	if (!f.channel.s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	if (JS_IS(&f.channel, "spot.pong"))
		return adapter_frame_control(out, CONTROL_PONG, NULL, 0);
	if (!f.event.s || f.event.len == 0) /* a request without event: spot.ping */
		return adapter_frame_control(out, CONTROL_NOTICE, f.channel.s, f.channel.len);
	if (!JS_IS(&f.event, "update")) {
		/* answers carry a result; requests (captures hold both directions) do not */
		if (!f.result_object)
			return adapter_frame_control(out, CONTROL_NOTICE, f.event.s, f.event.len);
		if (JS_IS(&f.event, "subscribe") && JS_IS(&f.status, "success"))
			return adapter_frame_control(out, CONTROL_SUBSCRIBED, NULL, 0);
		if (JS_IS(&f.status, "success"))
			return adapter_frame_control(out, CONTROL_NOTICE, f.event.s, f.event.len);
		return adapter_frame_control(out, CONTROL_ERROR, f.status.s, f.status.len);
	}
	if (!f.result_object)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	if (JS_IS(&f.channel, "spot.book_ticker"))
		return parse_book_ticker(m, &f, out);
	if (JS_IS(&f.channel, "spot.trades"))
		return parse_trade(m, &f, out);
	return adapter_frame_control(out, CONTROL_UNSUPPORTED, f.channel.s, f.channel.len);
}

const struct adapter adapter_gateio = {
	.name = "gateio",
	.default_url = "wss://api.gateio.ws/ws/v4/",
	.max_symbols_per_conn = GATEIO_MAX_SYMBOLS,
	/* the server pings at protocol level; spot.ping is optional */
	.ping_interval_ms = 0,
	.ping_when_idle = false,
	.subscribe_interval_ms = GATEIO_SUBSCRIBE_INTERVAL_MS,
	.connect_interval_ms = GATEIO_CONNECT_INTERVAL_MS,
	.connection_lifetime_s = 0,
	.native_symbol = gateio_native,
	.canonical_symbol = gateio_canonical,
	.build_path = adapter_plain_path,
	.build_subscribe = gateio_subscribe,
	.one_channel_per_subscribe = true,
	.live_symbols = true,
	.ping_text = NULL,
	.parse = gateio_parse,
};

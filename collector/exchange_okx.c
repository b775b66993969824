/* OKX v5 public adapter: bbo-tbt and trades, the text "ping" after 20 s
 * without a message (OKX closes silent connections after 30 s). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "collector/adapter.h"
#include "collector/json_scan.h"
#include "collector/sbuf.h"
#include "collector/symbols.h"
#include "shm/trade_id.h"

/* 3 connection requests per second per IP. */
#define OKX_CONNECT_INTERVAL_MS 400
/* Subscription args of one connection may total 64 KB; about 45 bytes per
 * arg and two args per symbol leaves a wide margin at 300 symbols. */
#define OKX_MAX_SYMBOLS 300
/* N < 30 s of silence before we ping, per OKX's keepalive rule. */
#define OKX_PING_IDLE_MS 20000
/* 480 subscribe requests per hour per connection: each message carries
 * as many args as fit, and messages are spaced. */
#define OKX_SUBSCRIBE_INTERVAL_MS 100
#define OKX_MAX_ARGS_PER_MESSAGE 100

static int okx_native(const char *canonical, char *out, size_t out_len)
{
	size_t n = strlen(canonical);
	if (n == 0 || n + 1 > out_len || !strchr(canonical, '-'))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!isalnum((unsigned char)canonical[i]) && canonical[i] != '-')
			return -EINVAL;
		out[i] = (char)toupper((unsigned char)canonical[i]);
	}
	out[n] = '\0';
	return 0;
}

/* OKX names are already BASE-QUOTE (derivatives add -SWAP, -<date>...). */
static int okx_canonical(const char *native, size_t len, char *out, size_t out_len)
{
	char tmp[SYMBOL_NATIVE_MAX];
	if (len == 0 || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, native, len);
	tmp[len] = '\0';
	return okx_native(tmp, out, out_len);
}

static void put_arg(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch)
{
	sbuf_put(b, ch == CHANNEL_QUOTES ? "{\"channel\":\"bbo-tbt\",\"instId\":\"" : "{\"channel\":\"trades\",\"instId\":\"");
	sbuf_putn(b, e->native, e->native_len);
	sbuf_put(b, "\"}");
}

static int okx_subscribe(const struct sub_request *req, size_t start, char *out, size_t out_len, size_t *consumed)
{
	return adapter_build_batch(req, start, out, out_len, consumed,
				   req->unsubscribe ? "{\"op\":\"unsubscribe\",\"args\":[" : "{\"op\":\"subscribe\",\"args\":[",
				   "]}", OKX_MAX_ARGS_PER_MESSAGE, put_arg);
}

enum channel_kind { CH_NONE, CH_BBO, CH_TRADES, CH_OTHER };

struct top_fields {
	struct js_span channel, inst, event, code, msg, op;
	enum channel_kind kind;
	struct symmap *m;
	struct frame_out *out;
	struct deferred_data data;
};

static const struct js_field arg_keys[] = {
	JS_FIELD(struct top_fields, channel, "channel"),
	JS_FIELD(struct top_fields, inst, "instId"),
};

static int walk_arg(struct js *j, struct top_fields *f)
{
	if (js_object(j, arg_keys, sizeof(arg_keys) / sizeof(arg_keys[0]), f, NULL, NULL) < 0)
		return -1;
	if (JS_IS(&f->channel, "bbo-tbt"))
		f->kind = CH_BBO;
	else if (JS_IS(&f->channel, "trades"))
		f->kind = CH_TRADES;
	else
		f->kind = CH_OTHER;
	return 0;
}

struct item_fields {
	struct js_span ts, seq, inst, trade_id, px, sz, side;
	struct adapter_top_levels levels; /* sides are [[px, size, "0", orders], ...]: the best level kept */
};

#define F(member, key) JS_FIELD(struct item_fields, member, key)
static const struct js_field item_keys[] = {
	F(ts, "ts"), F(seq, "seqId"), F(inst, "instId"), F(trade_id, "tradeId"), F(px, "px"), F(sz, "sz"),
	F(side, "side"),
};
#undef F

static enum reject_reason fill_quote(const struct item_fields *f, struct tick *t)
{
	if (!f->ts.s)
		return REJECT_MISSING_FIELD;
	enum reject_reason r = adapter_top_levels_quote(&f->levels, t);
	if (r != REJECT_NONE)
		return r;
	t->update_id = 0;
	if (js_span_ms_to_ns(&f->ts, &t->ts_exchange_ns) < 0 || (f->seq.s && js_span_u64(&f->seq, &t->update_id) < 0))
		return REJECT_NON_NUMERIC;
	return REJECT_NONE;
}

static enum reject_reason fill_trade(const struct item_fields *f, struct tick *t)
{
	if (!f->ts.s || !f->trade_id.s || !f->px.s || !f->sz.s || !f->side.s)
		return REJECT_MISSING_FIELD;
	if (js_span_ms_to_ns(&f->ts, &t->ts_exchange_ns) < 0 || trade_id_set(t, f->trade_id.s, f->trade_id.len) < 0 ||
	    js_span_decimal(&f->px, &t->u.trade.px) < 0 || js_span_decimal(&f->sz, &t->u.trade.qty) < 0)
		return REJECT_NON_NUMERIC;
	if (JS_IS(&f->side, "buy"))
		t->kind = TICK_TRADE_BUY;
	else if (JS_IS(&f->side, "sell"))
		t->kind = TICK_TRADE_SELL;
	else
		return REJECT_NON_NUMERIC;
	return REJECT_NONE;
}

/* The data array; one tick per element. A bad element refuses the whole
 * frame so that a frame is never half published. Its own loop rather than
 * adapter_parse_items: the call per element cost OKX 3-4 % of its decode
 * rate (bench_decode). */
static enum frame_kind parse_data(struct js *j, void *ctx)
{
	const struct top_fields *top = ctx;
	struct symmap *m = top->m;
	struct frame_out *out = top->out;
	bool first;
	int rc;
	enum reject_reason bad = REJECT_NONE;
	struct symmap_entry *e = NULL;
	if (js_arr_begin(j, &first) < 0)
		return adapter_frame_reject(out, REJECT_JSON);
	while ((rc = js_arr_next(j, &first)) == 1) {
		struct item_fields f;
		memset(&f, 0, sizeof(f));
		if (js_object(j, item_keys, sizeof(item_keys) / sizeof(item_keys[0]), &f, adapter_top_levels_hook,
			      &f.levels) < 0)
			return adapter_frame_reject(out, REJECT_JSON);
		if (bad != REJECT_NONE)
			continue;
		if (out->n >= out->cap) {
			bad = REJECT_OVERSIZE;
			continue;
		}
		struct tick *t = &out->ticks[out->n];
		bad = top->kind == CH_BBO ? fill_quote(&f, t) : fill_trade(&f, t);
		if (bad != REJECT_NONE)
			continue;
		const struct js_span *sym = f.inst.s ? &f.inst : &top->inst;
		if (!sym->s) {
			bad = REJECT_MISSING_FIELD;
			continue;
		}
		if (!e || e->native_len != sym->len || memcmp(e->native, sym->s, sym->len) != 0)
			e = symmap_lookup(m, sym->s, sym->len);
		if (!e) {
			bad = REJECT_UNKNOWN_SYMBOL;
			continue;
		}
		t->symbol_id = e->id;
		out->n++;
	}
	return adapter_items_done(out, rc, bad);
}

static enum frame_kind event_result(const struct top_fields *f, struct frame_out *out)
{
	if (JS_IS(&f->event, "subscribe"))
		return adapter_frame_control(out, CONTROL_SUBSCRIBED, NULL, 0);
	if (JS_IS(&f->event, "error"))
		return adapter_frame_control(out, CONTROL_ERROR, f->msg.s, f->msg.len);
	/* 64008: "the connection will soon be closed for a service upgrade". */
	if (JS_IS(&f->event, "notice") && JS_IS(&f->code, "64008"))
		return adapter_frame_control(out, CONTROL_SERVER_SHUTDOWN, f->msg.s, f->msg.len);
	if (JS_IS(&f->event, "notice"))
		return adapter_frame_control(out, CONTROL_NOTICE, f->msg.s, f->msg.len);
	return adapter_frame_control(out, CONTROL_NOTICE, f->event.s, f->event.len);
}

#define F(member, key) JS_FIELD(struct top_fields, member, key)
static const struct js_field top_keys[] = {F(event, "event"), F(code, "code"), F(msg, "msg"), F(op, "op")};
#undef F

static int top_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct top_fields *f = ctx;
	if (JS_IS(key, "arg") && js_peek(j, '{'))
		return walk_arg(j, f) < 0 ? -1 : 1;
	if (JS_IS(key, "data"))
		return adapter_deferred_data_hook(&f->data, j, f->kind == CH_BBO || f->kind == CH_TRADES, parse_data, f, f->out);
	return 0;
}

static enum frame_kind okx_parse(struct symmap *m, const char *frame, size_t len, struct frame_out *out)
{
	struct top_fields f = {.m = m, .out = out};
	if (adapter_text_keepalive(frame, len, out))
		return out->kind;
	if (!adapter_walk_frame(frame, len, top_keys, sizeof(top_keys) / sizeof(top_keys[0]), &f, top_hook, &f, out))
		return out->kind;
	if (f.event.s)
		return event_result(&f, out);
	if (f.op.s) /* a request (captures hold both directions) */
		return adapter_frame_control(out, CONTROL_NOTICE, f.op.s, f.op.len);
	if (f.kind == CH_NONE)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	if (f.kind == CH_OTHER)
		return adapter_frame_control(out, CONTROL_UNSUPPORTED, f.channel.s, f.channel.len);
	return adapter_deferred_data_finish(&f.data, frame, len, parse_data, &f, out);
}

const struct adapter adapter_okx = {
	.name = "okx",
	.default_url = "wss://ws.okx.com:8443/ws/v5/public",
	.max_symbols_per_conn = OKX_MAX_SYMBOLS,
	.ping_interval_ms = OKX_PING_IDLE_MS,
	.ping_when_idle = true,
	.subscribe_interval_ms = OKX_SUBSCRIBE_INTERVAL_MS,
	.connect_interval_ms = OKX_CONNECT_INTERVAL_MS,
	.connection_lifetime_s = 0,
	.native_symbol = okx_native,
	.canonical_symbol = okx_canonical,
	.build_path = adapter_plain_path,
	.build_subscribe = okx_subscribe,
	.live_symbols = true,
	.ping_text = "ping",
	.parse = okx_parse,
};

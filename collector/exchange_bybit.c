/* Bybit v5 spot adapter: orderbook.1 (snapshots and, in older captures,
 * deltas applied to a level-1 book) and publicTrade; {"op":"ping"} every 20 s. */
#include <errno.h>
#include <string.h>

#include "collector/adapter.h"
#include "collector/json_scan.h"
#include "collector/sbuf.h"
#include "collector/symbols.h"
#include "shm/trade_id.h"

/* 500 connections per 5 minutes per IP. */
#define BYBIT_CONNECT_INTERVAL_MS 200
/* Spot takes at most 10 args per subscribe request. */
#define BYBIT_MAX_ARGS 10
/* The args of one connection may not exceed 21,000 characters; 200
 * symbols with both channels stay far below it for any real name. */
#define BYBIT_MAX_SYMBOLS 200
#define BYBIT_PING_MS 20000
#define BYBIT_SUBSCRIBE_INTERVAL_MS 100
/* Levels read per side of one orderbook frame: level 1 sends at most 2. */
#define BYBIT_MAX_LEVELS 16

static int bybit_native(const char *canonical, char *out, size_t out_len)
{
	return symbol_join_concat(canonical, false, out, out_len);
}

static int bybit_canonical(const char *native, size_t len, char *out, size_t out_len)
{
	return symbol_split_concat(native, len, out, out_len);
}

static void put_arg(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch)
{
	sbuf_put(b, ch == CHANNEL_QUOTES ? "\"orderbook.1." : "\"publicTrade.");
	sbuf_putn(b, e->native, e->native_len);
	sbuf_put(b, "\"");
}

static int bybit_subscribe(const struct sub_request *req, size_t start, char *out, size_t out_len, size_t *consumed)
{
	char head[64];
	struct sbuf h;
	sbuf_init(&h, head, sizeof(head));
	sbuf_put(&h, "{\"req_id\":\"");
	sbuf_u64(&h, req->req_id);
	sbuf_put(&h, req->unsubscribe ? "\",\"op\":\"unsubscribe\",\"args\":[" : "\",\"op\":\"subscribe\",\"args\":[");
	return adapter_build_batch(req, start, out, out_len, consumed, head, "]}", BYBIT_MAX_ARGS, put_arg);
}

enum topic_kind { TOPIC_NONE, TOPIC_BOOK1, TOPIC_TRADE, TOPIC_OTHER };

struct book_frame {
	struct js_span s, u;
	struct js_span bid_px[BYBIT_MAX_LEVELS], bid_qty[BYBIT_MAX_LEVELS];
	struct js_span ask_px[BYBIT_MAX_LEVELS], ask_qty[BYBIT_MAX_LEVELS];
	size_t nbids, nasks;
};

static const struct js_field book_keys[] = {
	JS_FIELD(struct book_frame, s, "s"),
	JS_FIELD(struct book_frame, u, "u"),
};

static int book_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct book_frame *bf = ctx;
	if (JS_IS(key, "b"))
		return js_levels(j, bf->bid_px, bf->bid_qty, BYBIT_MAX_LEVELS, &bf->nbids) < 0 ? -1 : 1;
	if (JS_IS(key, "a"))
		return js_levels(j, bf->ask_px, bf->ask_qty, BYBIT_MAX_LEVELS, &bf->nasks) < 0 ? -1 : 1;
	return 0;
}

/* Apply one side's levels to the level-1 book: size 0 deletes the level
 * (only ours matters), anything else becomes the best level. */
static void apply_side(const double *px, const double *qty, size_t n, double *best_px, double *best_qty,
		       bool *has)
{
	for (size_t i = 0; i < n; i++) {
		if (qty[i] == 0) {
			if (*has && px[i] == *best_px)
				*has = false;
			continue;
		}
		*best_px = px[i];
		*best_qty = qty[i];
		*has = true;
	}
}

static int levels_to_doubles(const struct js_span *spx, const struct js_span *sqty, size_t n, double *px,
			     double *qty)
{
	for (size_t i = 0; i < n; i++)
		if (js_span_decimal(&spx[i], &px[i]) < 0 || js_span_decimal(&sqty[i], &qty[i]) < 0)
			return -1;
	return 0;
}

/* The quote from one orderbook.1 frame. The symbol's book after it goes to
 * *next and *target; the caller stores it once the whole frame proved to
 * be valid JSON. */
static enum frame_kind parse_book(struct symmap *m, struct js *j, bool snapshot, const struct js_span *ts,
				  const struct js_span *topic_sym, struct frame_out *out, struct l1_book *next,
				  struct symmap_entry **target)
{
	struct book_frame bf;
	double bpx[BYBIT_MAX_LEVELS], bq[BYBIT_MAX_LEVELS], apx[BYBIT_MAX_LEVELS], aq[BYBIT_MAX_LEVELS];
	struct tick *t = &out->ticks[0];
	memset(&bf, 0, sizeof(bf));
	if (js_object(j, book_keys, sizeof(book_keys) / sizeof(book_keys[0]), &bf, book_hook, &bf) < 0)
		return adapter_frame_reject(out, REJECT_JSON);
	if (bf.nbids > BYBIT_MAX_LEVELS || bf.nasks > BYBIT_MAX_LEVELS)
		return adapter_frame_reject(out, REJECT_OVERSIZE);
	const struct js_span *sym = bf.s.s ? &bf.s : topic_sym;
	if (!ts->s || !bf.u.s || !sym->s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	if (js_span_ms_to_ns(ts, &t->ts_exchange_ns) < 0 || js_span_u64(&bf.u, &t->update_id) < 0 ||
	    levels_to_doubles(bf.bid_px, bf.bid_qty, bf.nbids, bpx, bq) < 0 ||
	    levels_to_doubles(bf.ask_px, bf.ask_qty, bf.nasks, apx, aq) < 0)
		return adapter_frame_reject(out, REJECT_NON_NUMERIC);
	struct symmap_entry *e = symmap_lookup(m, sym->s, sym->len);
	if (!e)
		return adapter_frame_reject(out, REJECT_UNKNOWN_SYMBOL);
	struct l1_book *book = next;
	if (snapshot)
		memset(book, 0, sizeof(*book));
	else
		*book = e->book;
	*target = e;
	apply_side(bpx, bq, bf.nbids, &book->bid_px, &book->bid_qty, &book->has_bid);
	apply_side(apx, aq, bf.nasks, &book->ask_px, &book->ask_qty, &book->has_ask);
	/* A delta before any snapshot, or a side emptied: no full quote to give. */
	if (!book->has_bid || !book->has_ask)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	t->symbol_id = e->id;
	t->kind = TICK_QUOTE;
	t->u.quote.bid_px = book->bid_px;
	t->u.quote.bid_qty = book->bid_qty;
	t->u.quote.ask_px = book->ask_px;
	t->u.quote.ask_qty = book->ask_qty;
	out->n = 1;
	out->kind = FRAME_DATA;
	return FRAME_DATA;
}

struct trade_fields {
	struct js_span T, s, S, v, p, i;
};

struct trade_ctx {
	struct symmap *m;
	struct symmap_entry *last; /* the previous trade's symbol */
};

#define F(member, key) JS_FIELD(struct trade_fields, member, key)
static const struct js_field trade_keys[] = {F(T, "T"), F(s, "s"), F(S, "S"), F(v, "v"), F(p, "p"), F(i, "i")};
#undef F

/* One trade of the data array (adapter_parse_items: one bad trade refuses
 * the frame, so a frame is never half published); ctx is the symbol cache. */
static int parse_trade_item(struct js *j, void *ctx, struct tick *t, enum reject_reason *why)
{
	struct trade_ctx *c = ctx;
	struct trade_fields f;
	memset(&f, 0, sizeof(f));
	if (js_object(j, trade_keys, sizeof(trade_keys) / sizeof(trade_keys[0]), &f, NULL, NULL) < 0)
		return -1;
	if (!t)
		return 0;
	if (!f.T.s || !f.s.s || !f.S.s || !f.v.s || !f.p.s || !f.i.s) {
		*why = REJECT_MISSING_FIELD;
		return 0;
	}
	if (js_span_ms_to_ns(&f.T, &t->ts_exchange_ns) < 0 || js_span_decimal(&f.p, &t->u.trade.px) < 0 ||
	    js_span_decimal(&f.v, &t->u.trade.qty) < 0 || trade_id_set(t, f.i.s, f.i.len) < 0 ||
	    (!JS_IS(&f.S, "Buy") && !JS_IS(&f.S, "Sell"))) {
		*why = REJECT_NON_NUMERIC;
		return 0;
	}
	*why = adapter_item_symbol(c->m, &f.s, &c->last, t);
	t->kind = JS_IS(&f.S, "Buy") ? TICK_TRADE_BUY : TICK_TRADE_SELL;
	return 0;
}

static enum topic_kind classify_topic(const struct js_span *topic, struct js_span *sym)
{
	static const char book1[] = "orderbook.1.", trade[] = "publicTrade.";
	if (topic->len > sizeof(book1) - 1 && memcmp(topic->s, book1, sizeof(book1) - 1) == 0) {
		sym->s = topic->s + sizeof(book1) - 1;
		sym->len = topic->len - (sizeof(book1) - 1);
		return TOPIC_BOOK1;
	}
	if (topic->len > sizeof(trade) - 1 && memcmp(topic->s, trade, sizeof(trade) - 1) == 0) {
		sym->s = topic->s + sizeof(trade) - 1;
		sym->len = topic->len - (sizeof(trade) - 1);
		return TOPIC_TRADE;
	}
	return TOPIC_OTHER;
}

struct top_fields {
	struct js_span topic, type, ts, success, ret_msg, op, sym;
	struct symmap *m;
	struct frame_out *out;
	struct deferred_data data;
	struct l1_book book_next;          /* a book frame's result, stored after the walk */
	struct symmap_entry *book_target;
};

#define F(member, key) JS_FIELD(struct top_fields, member, key)
static const struct js_field top_keys[] = {
	F(topic, "topic"), F(type, "type"), F(ts, "ts"), F(success, "success"), F(ret_msg, "ret_msg"), F(op, "op"),
};
#undef F

static enum frame_kind parse_data(struct js *j, void *ctx)
{
	struct top_fields *f = ctx;
	if (classify_topic(&f->topic, &f->sym) == TOPIC_BOOK1)
		return parse_book(f->m, j, JS_IS(&f->type, "snapshot"), &f->ts, &f->sym, f->out, &f->book_next,
				  &f->book_target);
	struct trade_ctx c = {f->m, NULL};
	return adapter_parse_items(j, f->out, parse_trade_item, &c);
}

static int top_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct top_fields *f = ctx;
	if (!JS_IS(key, "data"))
		return 0;
	/* in place when the topic (and, for books, the type and time) came
	 * first, as in every capture */
	enum topic_kind kind = f->topic.s ? classify_topic(&f->topic, &f->sym) : TOPIC_NONE;
	bool ready = kind == TOPIC_TRADE || (kind == TOPIC_BOOK1 && f->type.s && f->ts.s);
	return adapter_deferred_data_hook(&f->data, j, ready, parse_data, f, f->out);
}

static enum frame_kind bybit_parse(struct symmap *m, const char *frame, size_t len, struct frame_out *out)
{
	struct top_fields f = {.m = m, .out = out};
	if (!adapter_walk_frame(frame, len, top_keys, sizeof(top_keys) / sizeof(top_keys[0]), &f, top_hook, &f, out))
		return out->kind;
	if (f.op.s) {
		/* spot/linear answer a ping with op "ping" and success; option
		 * and spread answer with op "pong"; a bare op is a request */
		if (JS_IS(&f.op, "pong"))
			return adapter_frame_control(out, CONTROL_PONG, NULL, 0);
		if (!f.success.s)
			return adapter_frame_control(out, CONTROL_NOTICE, f.op.s, f.op.len);
		if (JS_IS(&f.success, "false"))
			return adapter_frame_control(out, CONTROL_ERROR, f.ret_msg.s, f.ret_msg.len);
		if (JS_IS(&f.op, "ping"))
			return adapter_frame_control(out, CONTROL_PONG, NULL, 0);
		if (JS_IS(&f.op, "subscribe"))
			return adapter_frame_control(out, CONTROL_SUBSCRIBED, NULL, 0);
		return adapter_frame_control(out, CONTROL_NOTICE, f.op.s, f.op.len);
	}
	enum topic_kind kind = f.topic.s ? classify_topic(&f.topic, &f.sym) : TOPIC_NONE;
	if (kind == TOPIC_NONE)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	if (kind == TOPIC_OTHER) {
		const char *dot = memchr(f.topic.s, '.', f.topic.len);
		return adapter_frame_control(out, CONTROL_UNSUPPORTED, f.topic.s, dot ? (size_t)(dot - f.topic.s) : f.topic.len);
	}
	if (kind == TOPIC_BOOK1 && !f.data.done && !f.type.s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	enum frame_kind k = adapter_deferred_data_finish(&f.data, frame, len, parse_data, &f, out);
	if (f.book_target) /* the frame is whole: its book update stands */
		f.book_target->book = f.book_next;
	return k;
}

const struct adapter adapter_bybit = {
	.name = "bybit",
	.default_url = "wss://stream.bybit.com/v5/public/spot",
	.max_symbols_per_conn = BYBIT_MAX_SYMBOLS,
	.ping_interval_ms = BYBIT_PING_MS,
	.ping_when_idle = false,
	.subscribe_interval_ms = BYBIT_SUBSCRIBE_INTERVAL_MS,
	.connect_interval_ms = BYBIT_CONNECT_INTERVAL_MS,
	.connection_lifetime_s = 0,
	.native_symbol = bybit_native,
	.canonical_symbol = bybit_canonical,
	.build_path = adapter_plain_path,
	.build_subscribe = bybit_subscribe,
	.live_symbols = true,
	.ping_text = "{\"op\":\"ping\"}",
	.parse = bybit_parse,
};

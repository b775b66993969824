/* The table of exchange adapters (adding an exchange = one file and one
 * line here) and the small result helpers every parser shares. */
#include <errno.h>
#include <string.h>

#include "collector/adapter.h"
#include "collector/json_scan.h"
#include "collector/sbuf.h"
#include "collector/symbols.h"

extern const struct adapter adapter_binance;
extern const struct adapter adapter_binance_usdm;
extern const struct adapter adapter_bitget;
extern const struct adapter adapter_gateio;
extern const struct adapter adapter_htx;
extern const struct adapter adapter_kraken;
extern const struct adapter adapter_bybit;
extern const struct adapter adapter_coinbase;
extern const struct adapter adapter_deribit;
extern const struct adapter adapter_okx;

static const struct adapter *const adapters[] = {
	&adapter_binance,
	&adapter_binance_usdm,
	&adapter_bitget,
	&adapter_gateio,
	&adapter_htx,
	&adapter_kraken,
	&adapter_bybit,
	&adapter_coinbase,
	&adapter_deribit,
	&adapter_okx,
};

const struct adapter *adapter_find(const char *name)
{
	for (size_t i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++)
		if (strcmp(adapters[i]->name, name) == 0)
			return adapters[i];
	return NULL;
}

enum frame_kind adapter_frame_reject(struct frame_out *out, enum reject_reason r)
{
	out->kind = FRAME_REJECT;
	out->reject = r;
	out->n = 0;
	return FRAME_REJECT;
}

enum frame_kind adapter_frame_control(struct frame_out *out, enum control_kind c, const char *detail,
				      size_t detail_len)
{
	out->kind = FRAME_CONTROL;
	out->control = c;
	out->n = 0;
	/* detail comes from a JSON string: keep it as plain text, on one line
	 * (it goes to logs and the status block) */
	size_t n = js_unescape(detail, detail ? detail_len : 0, out->detail, sizeof(out->detail));
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out->detail[i] < 0x20)
			out->detail[i] = ' ';
	return FRAME_CONTROL;
}

int adapter_plain_path(const struct sub_request *req, const char *base_path, char *out, size_t out_len,
		       size_t *consumed)
{
	struct sbuf b;
	(void)req;
	*consumed = 0;
	sbuf_init(&b, out, out_len);
	sbuf_put(&b, base_path);
	return b.overflow ? -ENAMETOOLONG : 0;
}

bool adapter_sub_picks(const struct sub_request *req, const struct symmap_entry *e)
{
	switch (req->pick) {
	case SUB_PICK_ADDED:
		return !e->removed && e->gen > req->since_gen;
	case SUB_PICK_REMOVED:
		return e->removed && e->gen > req->since_gen;
	default:
		return !e->removed;
	}
}

int adapter_build_batch(const struct sub_request *req, size_t start, char *out, size_t out_len, size_t *consumed,
			const char *head, const char *tail, size_t max_items,
			void (*item)(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch))
{
	struct sbuf b;
	size_t per_symbol = (size_t)req->quotes + (size_t)req->trades, items = 0, taken = 0;
	*consumed = 0;
	if (start >= req->count || per_symbol == 0)
		return 0;
	sbuf_init(&b, out, out_len);
	sbuf_put(&b, head);
	size_t tail_len = strlen(tail);
	size_t i = start;
	for (; i < req->count && items + per_symbol <= max_items; i++) {
		const struct symmap_entry *e = symmap_at(req->symbols, req->first + i);
		if (!adapter_sub_picks(req, e))
			continue;
		size_t mark = b.len;
		for (int ch = CHANNEL_QUOTES; ch <= CHANNEL_TRADES; ch++) {
			if ((ch == CHANNEL_QUOTES && !req->quotes) || (ch == CHANNEL_TRADES && !req->trades))
				continue;
			if (items > 0)
				sbuf_put(&b, ",");
			item(&b, e, (enum sub_channel)ch);
			items++;
		}
		/* keep room for the tail; a symbol that does not fit goes to the next message */
		if (b.overflow || b.len + tail_len + 1 > b.cap) {
			sbuf_truncate(&b, mark);
			items -= per_symbol;
			break;
		}
		taken++;
	}
	*consumed = i - start;
	if (taken == 0) /* nothing picked (0), or not even one symbol fits */
		return i == req->count ? 0 : -ENOSPC;
	sbuf_put(&b, tail);
	if (b.overflow)
		return -ENOSPC;
	return (int)b.len;
}

void adapter_put_quoted_native(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch)
{
	(void)ch;
	sbuf_put(b, "\"");
	sbuf_putn(b, e->native, e->native_len);
	sbuf_put(b, "\"");
}

int adapter_deferred_data_hook(struct deferred_data *d, struct js *j, bool ready, data_parser parse, void *ctx,
			       struct frame_out *out)
{
	if (ready && !d->done) {
		d->result = parse(j, ctx);
		d->done = true;
		return d->result == FRAME_REJECT && out->reject == REJECT_JSON ? -1 : 1;
	}
	if (!d->start)
		d->start = j->p;
	return 0;
}

enum frame_kind adapter_deferred_data_finish(struct deferred_data *d, const char *frame, size_t len,
					     data_parser parse, void *ctx, struct frame_out *out)
{
	struct js j;
	if (d->done)
		return d->result;
	if (!d->start)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	js_init(&j, d->start, (size_t)(frame + len - d->start));
	return parse(&j, ctx);
}

enum reject_reason adapter_taker_side(const struct js_span *side, struct tick *t)
{
	if (JS_IS(side, "buy") || JS_IS(side, "BUY"))
		t->kind = TICK_TRADE_BUY;
	else if (JS_IS(side, "sell") || JS_IS(side, "SELL"))
		t->kind = TICK_TRADE_SELL;
	else
		return REJECT_NON_NUMERIC;
	return REJECT_NONE;
}

int adapter_top_levels_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct adapter_top_levels *l = ctx;
	if (JS_IS(key, "asks")) {
		l->asks_seen = true;
		return js_levels(j, &l->ask_px, &l->ask_sz, 1, &l->asks) < 0 ? -1 : 1;
	}
	if (JS_IS(key, "bids")) {
		l->bids_seen = true;
		return js_levels(j, &l->bid_px, &l->bid_sz, 1, &l->bids) < 0 ? -1 : 1;
	}
	return 0;
}

enum reject_reason adapter_top_levels_quote(const struct adapter_top_levels *l, struct tick *t)
{
	if (!l->asks_seen || !l->bids_seen || l->asks == 0 || l->bids == 0)
		return REJECT_MISSING_FIELD;
	if (js_span_decimal(&l->bid_px, &t->u.quote.bid_px) < 0 || js_span_decimal(&l->bid_sz, &t->u.quote.bid_qty) < 0 ||
	    js_span_decimal(&l->ask_px, &t->u.quote.ask_px) < 0 || js_span_decimal(&l->ask_sz, &t->u.quote.ask_qty) < 0)
		return REJECT_NON_NUMERIC;
	t->kind = TICK_QUOTE;
	return REJECT_NONE;
}

bool adapter_text_keepalive(const char *frame, size_t len, struct frame_out *out)
{
	if (len == 4 && memcmp(frame, "pong", 4) == 0)
		adapter_frame_control(out, CONTROL_PONG, NULL, 0);
	else if (len == 4 && memcmp(frame, "ping", 4) == 0)
		adapter_frame_control(out, CONTROL_NOTICE, "ping", 4);
	else
		return false;
	return true;
}

enum frame_kind adapter_single_tick(struct symmap *m, const struct js_span *native, struct frame_out *out)
{
	const struct symmap_entry *e = symmap_lookup(m, native->s, native->len);
	if (!e)
		return adapter_frame_reject(out, REJECT_UNKNOWN_SYMBOL);
	out->ticks[0].symbol_id = e->id;
	out->n = 1;
	out->kind = FRAME_DATA;
	return FRAME_DATA;
}

enum reject_reason adapter_item_symbol(struct symmap *m, const struct js_span *native, struct symmap_entry **last,
				       struct tick *t)
{
	struct symmap_entry *e = *last;
	if (!e || e->native_len != native->len || memcmp(e->native, native->s, native->len) != 0)
		e = *last = symmap_lookup(m, native->s, native->len);
	if (!e)
		return REJECT_UNKNOWN_SYMBOL;
	t->symbol_id = e->id;
	return REJECT_NONE;
}

enum frame_kind adapter_parse_items(struct js *j, struct frame_out *out, adapter_item_fn item, void *ctx)
{
	enum reject_reason bad = REJECT_NONE;
	bool first;
	int rc;
	if (js_arr_begin(j, &first) < 0)
		return adapter_frame_reject(out, REJECT_JSON);
	while ((rc = js_arr_next(j, &first)) == 1) {
		if (bad == REJECT_NONE && out->n >= out->cap)
			bad = REJECT_OVERSIZE;
		struct tick *t = bad == REJECT_NONE ? &out->ticks[out->n] : NULL;
		enum reject_reason why = REJECT_NONE;
		if (item(j, ctx, t, &why) < 0)
			return adapter_frame_reject(out, REJECT_JSON);
		if (t && why == REJECT_NONE)
			out->n++;
		else if (t)
			bad = why;
	}
	return adapter_items_done(out, rc, bad);
}

const char *adapter_reject_reason_name(enum reject_reason r)
{
	static const char *const names[REJECT_COUNT] = {
		[REJECT_NONE] = "none",
		[REJECT_JSON] = "malformed_json",
		[REJECT_MISSING_FIELD] = "missing_field",
		[REJECT_NON_NUMERIC] = "non_numeric",
		[REJECT_NON_POSITIVE] = "non_positive",
		[REJECT_CROSSED] = "crossed",
		[REJECT_CLOCK_SKEW] = "clock_skew",
		[REJECT_UNKNOWN_SYMBOL] = "unknown_symbol",
		[REJECT_OVERSIZE] = "oversize",
		[REJECT_BINARY] = "binary",
		[REJECT_DUPLICATE] = "duplicate",
		[REJECT_OFF_TICK] = "off_tick",
		[REJECT_OFF_LOT] = "off_lot",
		[REJECT_PRICE_JUMP] = "price_jump",
	};
	return (unsigned)r < REJECT_COUNT ? names[r] : "unknown";
}

const char *adapter_control_kind_name(enum control_kind c)
{
	switch (c) {
	case CONTROL_SUBSCRIBED:
		return "subscribed";
	case CONTROL_PONG:
		return "pong";
	case CONTROL_ERROR:
		return "error";
	case CONTROL_SERVER_SHUTDOWN:
		return "server_shutdown";
	case CONTROL_NOTICE:
		return "notice";
	case CONTROL_UNSUPPORTED:
		return "unsupported";
	case CONTROL_REPLY:
		return "reply";
	default:
		return "none";
	}
}

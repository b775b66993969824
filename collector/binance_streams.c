/* The Binance stream protocol shared by the spot and USD-M adapters:
 * stream names, combined-stream paths, SUBSCRIBE batches, answers. */
#include "collector/binance_streams.h"

#include <errno.h>
#include <string.h>

#include "collector/sbuf.h"
#include "collector/symbols.h"

/* Streams per SUBSCRIBE message: small requests; the 1024 streams of a
 * connection take a few messages, spaced by the adapter's interval. */
#define BINANCE_STREAMS_PER_SUBSCRIBE 200

void binance_put_stream(struct sbuf *b, const struct binance_streams *bs, const struct symmap_entry *e,
			enum sub_channel ch)
{
	char lower[SYMBOL_NATIVE_MAX];
	for (size_t i = 0; i < e->native_len; i++)
		lower[i] = (char)(e->native[i] >= 'A' && e->native[i] <= 'Z' ? e->native[i] + 32 : e->native[i]);
	sbuf_putn(b, lower, e->native_len);
	sbuf_put(b, ch == CHANNEL_QUOTES ? bs->quotes : bs->trades);
}

int binance_streams_path(const struct binance_streams *bs, size_t budget, const struct sub_request *req,
			 const char *base_path, char *out, size_t out_len, size_t *consumed)
{
	struct sbuf b;
	size_t bl = strlen(base_path);
	*consumed = 0;
	sbuf_init(&b, out, out_len < budget ? out_len : budget);
	sbuf_put(&b, base_path);
	if (bl < 7 || strcmp(base_path + bl - 7, "/stream") != 0 || (!req->quotes && !req->trades))
		return b.overflow ? -ENAMETOOLONG : 0;
	bool any = false;
	for (size_t i = 0; i < req->count; i++) {
		const struct symmap_entry *e = symmap_at(req->symbols, req->first + i);
		if (!adapter_sub_picks(req, e)) {
			++*consumed;
			continue;
		}
		size_t mark = b.len;
		sbuf_put(&b, any ? "/" : "?streams=");
		if (req->quotes)
			binance_put_stream(&b, bs, e, CHANNEL_QUOTES);
		if (req->quotes && req->trades)
			sbuf_put(&b, "/");
		if (req->trades)
			binance_put_stream(&b, bs, e, CHANNEL_TRADES);
		if (b.overflow) {
			sbuf_truncate(&b, mark);
			break;
		}
		any = true;
		++*consumed;
	}
	return 0;
}

int binance_streams_subscribe(const struct sub_request *req, size_t start, char *out, size_t out_len,
			      size_t *consumed, void (*item)(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch))
{
	char tail[48];
	struct sbuf t;
	sbuf_init(&t, tail, sizeof(tail));
	sbuf_put(&t, "],\"id\":");
	sbuf_u64(&t, req->req_id);
	sbuf_put(&t, "}");
	return adapter_build_batch(req, start, out, out_len, consumed,
				   req->unsubscribe ? "{\"method\":\"UNSUBSCRIBE\",\"params\":["
						    : "{\"method\":\"SUBSCRIBE\",\"params\":[",
				   tail, BINANCE_STREAMS_PER_SUBSCRIBE, item);
}

#define F(member, key) JS_FIELD(struct binance_fields, member, key)
static const struct js_field fields_keys[] = {
	F(u, "u"), F(s, "s"), F(b, "b"), F(B, "B"), F(a, "a"), F(A, "A"), F(e, "e"), F(E, "E"), F(t, "t"),
	F(p, "p"), F(q, "q"), F(T, "T"), F(m, "m"), F(code, "code"), F(msg, "msg"), F(method, "method"),
};
#undef F

struct fields_walk {
	struct binance_fields *f;
	bool nested;
};

static int fields_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct fields_walk *w = ctx;
	if (JS_IS(key, "data") && !w->nested && js_peek(j, '{')) {
		struct fields_walk inner = {w->f, true};
		return js_object(j, fields_keys, sizeof(fields_keys) / sizeof(fields_keys[0]), w->f, fields_hook,
				 &inner) < 0
			       ? -1
			       : 1;
	}
	if (!JS_IS(key, "result"))
		return 0;
	/* null acknowledges SUBSCRIBE; a list answers LIST_SUBSCRIPTIONS */
	if (js_peek(j, '[') || js_peek(j, '{')) {
		w->f->result.s = "list";
		w->f->result.len = 4;
		return 0;
	}
	return js_scalar(j, &w->f->result) < 0 ? -1 : 1;
}

bool binance_walk_frame(const char *frame, size_t len, struct binance_fields *f, struct frame_out *out)
{
	struct fields_walk w = {f, false};
	memset(f, 0, sizeof(*f));
	if (!adapter_walk_frame(frame, len, fields_keys, sizeof(fields_keys) / sizeof(fields_keys[0]), f, fields_hook,
				&w, out))
		return false;
	if (f->code.s && f->msg.s)
		adapter_frame_control(out, CONTROL_ERROR, f->msg.s, f->msg.len);
	else if (f->result.s && JS_IS(&f->result, "null"))
		adapter_frame_control(out, CONTROL_SUBSCRIBED, NULL, 0);
	else if (f->result.s)
		adapter_frame_control(out, CONTROL_NOTICE, "result", 6);
	else if (f->method.s)
		adapter_frame_control(out, CONTROL_NOTICE, f->method.s, f->method.len);
	else
		return true;
	return false;
}

enum reject_reason binance_maker_side(const struct js_span *m, struct tick *t)
{
	if (JS_IS(m, "true"))
		t->kind = TICK_TRADE_SELL;
	else if (JS_IS(m, "false"))
		t->kind = TICK_TRADE_BUY;
	else
		return REJECT_NON_NUMERIC;
	return REJECT_NONE;
}

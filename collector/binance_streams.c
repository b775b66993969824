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

int binance_result_hook(struct js *j, struct js_span *result)
{
	/* null acknowledges SUBSCRIBE; a list answers LIST_SUBSCRIPTIONS */
	if (js_peek(j, '[') || js_peek(j, '{')) {
		result->s = "list";
		result->len = 4;
		return 0;
	}
	return js_scalar(j, result) < 0 ? -1 : 1;
}

bool binance_answer(const struct js_span *code, const struct js_span *msg, const struct js_span *result,
		    const struct js_span *method, struct frame_out *out)
{
	if (code->s && msg->s)
		adapter_frame_control(out, CONTROL_ERROR, msg->s, msg->len);
	else if (result->s && JS_IS(result, "null"))
		adapter_frame_control(out, CONTROL_SUBSCRIBED, NULL, 0);
	else if (result->s)
		adapter_frame_control(out, CONTROL_NOTICE, "result", 6);
	else if (method->s)
		adapter_frame_control(out, CONTROL_NOTICE, method->s, method->len);
	else
		return false;
	return true;
}

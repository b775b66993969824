/* fakex: Binance spot market streams. Combined streams at
 * /stream?streams=a/b (wrapped in {"stream","data"}), raw at /ws, live
 * SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS, serverShutdown notices. */
#include "tests/fakex/binance_streams.h"

#include <errno.h>
#include <string.h>

#include "tests/fakex/reqparse.h"

#define BINANCE_DECIMALS 8 /* "25.35190000" */

static struct fx_req req;

static const char *const suffix[] = { [FX_QUOTES] = "@bookTicker", [FX_TRADES] = "@trade" };

/* /ws and /ws/<stream>: raw payloads; /stream?streams=a/b: combined. */
static int binance_open(struct fx_session *s, const char *path, const char *query)
{
	return fx_binance_open(suffix, s, path, query);
}

static void put_id(struct fxbuf *b)
{
	fxbuf_put(b, ",\"id\":");
	if (req.id_is_string)
		fx_put_quoted(b, req.id);
	else
		fxbuf_put(b, req.id);
	fxbuf_char(b, '}', 1);
}

static void reply(struct fx_session *s, struct fxbuf *b)
{
	fx_session_reply(s, b->p, b->len);
}

static void reply_error(struct fx_session *s, int code, const char *msg)
{
	char out[256];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	fxbuf_put(&b, "{\"code\":");
	fxbuf_i64(&b, code);
	fxbuf_put(&b, ",\"msg\":");
	fx_put_quoted(&b, msg);
	fxbuf_char(&b, '}', 1);
	reply(s, &b);
}

static void list_subscriptions(struct fx_session *s)
{
	char out[FX_CTL_BYTES / 2];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	fxbuf_put(&b, "{\"result\":[");
	for (unsigned i = 0; i < s->nsubs; i++) {
		fxbuf_put(&b, i ? ",\"" : "\"");
		fxbuf_put(&b, fx.symbols[s->subs[i].sym].lower);
		fxbuf_put(&b, suffix[s->subs[i].kind]);
		fxbuf_char(&b, '"', 1);
	}
	fxbuf_char(&b, ']', 1);
	put_id(&b);
	if (b.overflow)
		reply_error(s, 2, "Invalid request: too many subscriptions to list");
	else
		reply(s, &b);
}

static void binance_text(struct fx_session *s, const char *msg, size_t len)
{
	bool sub = false;

	if (reqparse(&req, msg, len)) {
		reply_error(s, 3, "Invalid JSON: expected value at line 1 column 1");
		return;
	}
	if (!req.has_id) {
		reply_error(s, 2, "Invalid request: missing field `id`");
		return;
	}
	if (strcmp(req.op, "LIST_SUBSCRIPTIONS") == 0) {
		list_subscriptions(s);
		return;
	}
	if (strcmp(req.op, "SUBSCRIBE") == 0)
		sub = true;
	else if (strcmp(req.op, "UNSUBSCRIBE") != 0) {
		reply_error(s, 2, "Invalid request: unknown variant `method`");
		return;
	}
	if (req.args_bad) {
		reply_error(s, 2, "Invalid request: invalid params");
		return;
	}
	s->ex->counters[FXC_SUBSCRIBE_REQUESTS]++;
	for (unsigned i = 0; i < req.nargs; i++) {
		const struct fx_symbol *sym;
		enum fx_kind kind;
		if (fx_binance_stream(suffix, req.args[i].str, strlen(req.args[i].str), &sym, &kind)) {
			reply_error(s, 2, "Invalid request: unknown stream");
			return;
		}
	}
	for (unsigned i = 0; i < req.nargs; i++) {
		const struct fx_symbol *sym;
		enum fx_kind kind;
		fx_binance_stream(suffix, req.args[i].str, strlen(req.args[i].str), &sym, &kind);
		if (sub && fx_session_subscribe(s, sym, kind) == -ENOSPC) {
			reply_error(s, 2, "Invalid request: too many streams");
			return;
		}
		if (!sub)
			fx_session_unsubscribe(s, sym, kind);
	}
	char out[128];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	fxbuf_put(&b, "{\"result\":null");
	put_id(&b);
	reply(s, &b);
}

static void close_wrapper(struct fxbuf *b, const struct fx_session *s)
{
	fxbuf_put(b, s->combined ? "}}" : "}");
}

static void binance_quote(struct fxbuf *b, const struct fx_session *s, const struct fx_quote *q)
{
	fx_binance_wrap(suffix, b, s, q->sym, FX_QUOTES);
	fxbuf_put(b, "{\"u\":");
	fxbuf_u64(b, q->update_id);
	fxbuf_put(b, ",\"s\":");
	fx_put_quoted(b, q->sym->compact);
	if (!q->taint.omit_px) {
		fxbuf_put(b, ",\"b\":");
		fx_put_px(b, &q->taint, q->bid, q->sym->px_decimals, BINANCE_DECIMALS, false);
	}
	fxbuf_put(b, ",\"B\":");
	if (q->taint.qty_raw)
		fxbuf_put(b, q->taint.qty_raw);
	else
		fx_put_qty(b, q->bid_qty, BINANCE_DECIMALS, false);
	fxbuf_put(b, ",\"a\":");
	fx_put_px(b, &(struct fx_taint){ 0 }, q->ask, q->sym->px_decimals, BINANCE_DECIMALS, false);
	fxbuf_put(b, ",\"A\":");
	fx_put_qty(b, q->ask_qty, BINANCE_DECIMALS, false);
	fx_put_pad(b, &q->taint);
	close_wrapper(b, s);
}

static void binance_trade(struct fxbuf *b, const struct fx_session *s, const struct fx_trade *t)
{
	fx_binance_wrap(suffix, b, s, t->sym, FX_TRADES);
	fxbuf_put(b, "{\"e\":\"trade\",\"E\":");
	fxbuf_i64(b, t->ts_ms);
	fxbuf_put(b, ",\"s\":");
	fx_put_quoted(b, t->sym->compact);
	fxbuf_put(b, ",\"t\":");
	fxbuf_u64(b, t->trade_id);
	if (!t->taint.omit_px) {
		fxbuf_put(b, ",\"p\":");
		fx_put_px(b, &t->taint, t->px, t->sym->px_decimals, BINANCE_DECIMALS, false);
	}
	fxbuf_put(b, ",\"q\":");
	fx_put_qty(b, t->qty, BINANCE_DECIMALS, false);
	fxbuf_put(b, ",\"T\":");
	fxbuf_i64(b, t->ts_ms);
	/* m: the buyer was the maker, i.e. the aggressor sold */
	fxbuf_put(b, t->buy ? ",\"m\":false,\"M\":true" : ",\"m\":true,\"M\":true");
	fx_put_pad(b, &t->taint);
	close_wrapper(b, s);
}

static void binance_notice(struct fxbuf *b, const struct fx_session *s, int64_t now_ms)
{
	fxbuf_put(b, s->combined ? "{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":"
				 : "{\"e\":\"serverShutdown\",\"E\":");
	fxbuf_i64(b, now_ms);
	close_wrapper(b, s);
}

const struct fx_proto fx_proto_binance = {
	.name = "binance",
	.keepalive = FX_KA_SERVER_PING,
	.open = binance_open,
	.on_text = binance_text,
	.quote = binance_quote,
	.trade = binance_trade,
	.notice = binance_notice,
};

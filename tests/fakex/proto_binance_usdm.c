/* fakex: Binance USD-M futures market streams: combined streams at
 * [/public|/market]/stream?streams=a/b and raw at [/public|/market]/ws,
 * live SUBSCRIBE/UNSUBSCRIBE, futures bookTicker (with T and E) and
 * aggTrade frames, server pings. The /public-/market routing split of
 * the real endpoint is not modelled: every path serves both streams. */
#include "tests/fakex/binance_streams.h"

#include <errno.h>
#include <string.h>

#include "tests/fakex/reqparse.h"

static struct fx_req req;

static const char *const suffix[] = { [FX_QUOTES] = "@bookTicker", [FX_TRADES] = "@aggTrade" };

static int usdm_open(struct fx_session *s, const char *path, const char *query)
{
	if (strncmp(path, "/public/", 8) == 0)
		path += 7;
	else if (strncmp(path, "/market/", 8) == 0)
		path += 7;
	return fx_binance_open(suffix, s, path, query);
}

static void usdm_reply(struct fx_session *s, const char *head, const char *msg)
{
	char out[256];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	fxbuf_put(&b, head);
	if (msg)
		fx_put_quoted(&b, msg);
	if (req.has_id) {
		fxbuf_put(&b, ",\"id\":");
		if (req.id_is_string)
			fx_put_quoted(&b, req.id);
		else
			fxbuf_put(&b, req.id);
	}
	fxbuf_char(&b, '}', 1);
	fx_session_reply(s, b.p, b.len);
}

static void usdm_text(struct fx_session *s, const char *msg, size_t len)
{
	if (reqparse(&req, msg, len)) {
		usdm_reply(s, "{\"code\":3,\"msg\":", "Invalid JSON: expected value at line 1 column 1");
		return;
	}
	bool sub = strcmp(req.op, "SUBSCRIBE") == 0;
	if (!req.has_id || (!sub && strcmp(req.op, "UNSUBSCRIBE") != 0) || req.args_bad) {
		usdm_reply(s, "{\"code\":2,\"msg\":", "Invalid request");
		return;
	}
	s->ex->counters[FXC_SUBSCRIBE_REQUESTS]++;
	for (unsigned i = 0; i < req.nargs; i++) {
		const struct fx_symbol *sym;
		enum fx_kind kind;
		if (fx_binance_stream(suffix, req.args[i].str, strlen(req.args[i].str), &sym, &kind)) {
			usdm_reply(s, "{\"code\":2,\"msg\":", "Invalid request: unknown stream");
			return;
		}
		if (!sub)
			fx_session_unsubscribe(s, sym, kind);
		else if (fx_session_subscribe(s, sym, kind) == -ENOSPC) {
			usdm_reply(s, "{\"code\":2,\"msg\":", "Invalid request: too many streams");
			return;
		}
	}
	usdm_reply(s, "{\"result\":null", NULL);
}

/* Key order of the live capture: e,u,s,b,B,a,A,T,E. */
static void usdm_quote(struct fxbuf *b, const struct fx_session *s, const struct fx_quote *q)
{
	fx_binance_wrap(suffix, b, s, q->sym, FX_QUOTES);
	fxbuf_put(b, "{\"e\":\"bookTicker\",\"u\":");
	fxbuf_u64(b, q->update_id);
	fxbuf_put(b, ",\"s\":");
	fx_put_quoted(b, q->sym->compact);
	if (!q->taint.omit_px) {
		fxbuf_put(b, ",\"b\":");
		fx_put_px(b, &q->taint, q->bid, q->sym->px_decimals, q->sym->px_decimals, false);
	}
	fxbuf_put(b, ",\"B\":");
	fx_put_qty(b, q->bid_qty, FX_QTY_DECIMALS, true);
	fxbuf_put(b, ",\"a\":");
	fx_put_px(b, &(struct fx_taint){ 0 }, q->ask, q->sym->px_decimals, q->sym->px_decimals, false);
	fxbuf_put(b, ",\"A\":");
	fx_put_qty(b, q->ask_qty, FX_QTY_DECIMALS, true);
	fxbuf_put(b, ",\"T\":");
	fxbuf_i64(b, q->ts_ms);
	fxbuf_put(b, ",\"E\":");
	fxbuf_i64(b, q->ts_ms + 3);
	fx_put_pad(b, &q->taint);
	fxbuf_put(b, s->combined ? "}}" : "}");
}

/* One aggregate trade per fill here: first and last trade id are equal. */
static void usdm_trade(struct fxbuf *b, const struct fx_session *s, const struct fx_trade *t)
{
	fx_binance_wrap(suffix, b, s, t->sym, FX_TRADES);
	fxbuf_put(b, "{\"e\":\"aggTrade\",\"E\":");
	fxbuf_i64(b, t->ts_ms + 5);
	fxbuf_put(b, ",\"a\":");
	fxbuf_u64(b, t->trade_id);
	fxbuf_put(b, ",\"s\":");
	fx_put_quoted(b, t->sym->compact);
	if (!t->taint.omit_px) {
		fxbuf_put(b, ",\"p\":");
		fx_put_px(b, &t->taint, t->px, t->sym->px_decimals, t->sym->px_decimals, false);
	}
	fxbuf_put(b, ",\"q\":");
	fx_put_qty(b, t->qty, FX_QTY_DECIMALS, true);
	fxbuf_put(b, ",\"f\":");
	fxbuf_u64(b, t->trade_id * 3);
	fxbuf_put(b, ",\"l\":");
	fxbuf_u64(b, t->trade_id * 3);
	fxbuf_put(b, ",\"T\":");
	fxbuf_i64(b, t->ts_ms);
	/* m: the buyer was the maker, i.e. the aggressor sold */
	fxbuf_put(b, t->buy ? ",\"m\":false" : ",\"m\":true");
	fx_put_pad(b, &t->taint);
	fxbuf_put(b, s->combined ? "}}" : "}");
}

const struct fx_proto fx_proto_binance_usdm = {
	.name = "binance-usdm",
	.keepalive = FX_KA_SERVER_PING,
	.open = usdm_open,
	.on_text = usdm_text,
	.quote = usdm_quote,
	.trade = usdm_trade,
	.notice = NULL,
};

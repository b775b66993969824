/* fakex: Bitget v2 public at /v2/ws/public, spot: {"op":"subscribe"} with
 * one ack per arg, the text "ping" answered by "pong" (a client that stops
 * pinging is dropped, like --bybit-ping-timeout-ms for Bybit), books1 and
 * trade pushes. */
#include "tests/fakex/fakex.h"

#include <errno.h>
#include <string.h>

#include "tests/fakex/reqparse.h"

static struct fx_req req;

static const char *const channel[] = { [FX_QUOTES] = "books1", [FX_TRADES] = "trade" };

static int bitget_open(struct fx_session *s, const char *path, const char *query)
{
	(void)s;
	(void)query;
	return strcmp(path, "/v2/ws/public") == 0 ? 0 : -ENOENT;
}

static void put_arg(struct fxbuf *b, const char *chan, const char *inst)
{
	fxbuf_put(b, "{\"instType\":\"SPOT\",\"channel\":");
	fx_put_quoted(b, chan);
	fxbuf_put(b, ",\"instId\":");
	fx_put_quoted(b, inst);
	fxbuf_char(b, '}', 1);
}

static void reply_error(struct fx_session *s, const char *code, const char *msg, const struct fx_req_arg *a)
{
	char out[256];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	fxbuf_put(&b, "{\"event\":\"error\",\"code\":");
	fxbuf_put(&b, code);
	fxbuf_put(&b, ",\"msg\":\"");
	fxbuf_put(&b, msg);
	if (a) {
		fxbuf_put(&b, "instType:SPOT,channel:");
		fxbuf_put(&b, a->channel);
		fxbuf_put(&b, ",instId:");
		fxbuf_put(&b, a->inst);
		fxbuf_put(&b, " doesn't exist");
	}
	fxbuf_put(&b, "\"}");
	fx_session_reply(s, b.p, b.len);
}

static void bitget_text(struct fx_session *s, const char *msg, size_t len)
{
	if (len == 4 && memcmp(msg, "ping", 4) == 0) {
		s->last_client_ping_ns = fx_now_ns();
		s->ex->counters[FXC_PINGS_RECEIVED]++;
		s->ex->counters[FXC_PONGS_SENT]++;
		fx_session_reply(s, "pong", 4);
		return;
	}
	if (reqparse(&req, msg, len) || req.args_bad ||
	    (strcmp(req.op, "subscribe") != 0 && strcmp(req.op, "unsubscribe") != 0)) {
		reply_error(s, "30016", "Param error", NULL);
		return;
	}
	bool sub = req.op[0] == 's';
	s->ex->counters[FXC_SUBSCRIBE_REQUESTS]++;
	for (unsigned i = 0; i < req.nargs; i++) {
		const struct fx_req_arg *a = &req.args[i];
		int kind = strcmp(a->channel, channel[FX_QUOTES]) == 0 ? FX_QUOTES
			   : strcmp(a->channel, channel[FX_TRADES]) == 0 ? FX_TRADES
									 : -1;
		const struct fx_symbol *sym = fx_symbol_find(a->inst, strlen(a->inst), FX_NAME_COMPACT);
		if (kind < 0 || !sym) {
			reply_error(s, "30001", "", a);
			continue;
		}
		int rc = sub ? fx_session_subscribe(s, sym, (enum fx_kind)kind)
			     : fx_session_unsubscribe(s, sym, (enum fx_kind)kind);
		if (rc == -ENOSPC) {
			reply_error(s, "30004", "too many subscriptions", NULL);
			continue;
		}
		char out[192];
		struct fxbuf b = fxbuf_on(out, sizeof out);
		fxbuf_put(&b, sub ? "{\"event\":\"subscribe\",\"arg\":" : "{\"event\":\"unsubscribe\",\"arg\":");
		put_arg(&b, a->channel, a->inst);
		fxbuf_char(&b, '}', 1);
		fx_session_reply(s, b.p, b.len);
	}
}

/* {"action":"snapshot","arg":{...},"data":[ */
static void put_head(struct fxbuf *b, enum fx_kind kind, const struct fx_symbol *sym)
{
	fxbuf_put(b, "{\"action\":\"snapshot\",\"arg\":");
	put_arg(b, channel[kind], sym->compact);
	fxbuf_put(b, ",\"data\":[{");
}

static void put_tail(struct fxbuf *b, const struct fx_taint *t, int64_t ts_ms)
{
	fx_put_pad(b, t);
	fxbuf_put(b, "}],\"ts\":");
	fxbuf_i64(b, ts_ms + 1);
	fxbuf_char(b, '}', 1);
}

static void bitget_quote(struct fxbuf *b, const struct fx_session *s, const struct fx_quote *q)
{
	(void)s;
	put_head(b, FX_QUOTES, q->sym);
	fxbuf_put(b, "\"asks\":[[");
	fx_put_px(b, &(struct fx_taint){ 0 }, q->ask, q->sym->px_decimals, q->sym->px_decimals, true);
	fxbuf_char(b, ',', 1);
	fx_put_qty(b, q->ask_qty, FX_QTY_DECIMALS, false);
	fxbuf_put(b, "]]");
	if (!q->taint.omit_px) {
		fxbuf_put(b, ",\"bids\":[[");
		fx_put_px(b, &q->taint, q->bid, q->sym->px_decimals, q->sym->px_decimals, true);
		fxbuf_char(b, ',', 1);
		fx_put_qty(b, q->bid_qty, FX_QTY_DECIMALS, false);
		fxbuf_put(b, "]]");
	}
	fxbuf_put(b, ",\"checksum\":0,\"ts\":\"");
	fxbuf_i64(b, q->ts_ms);
	fxbuf_char(b, '"', 1);
	put_tail(b, &q->taint, q->ts_ms);
}

static void bitget_trade(struct fxbuf *b, const struct fx_session *s, const struct fx_trade *t)
{
	(void)s;
	put_head(b, FX_TRADES, t->sym);
	fxbuf_put(b, "\"ts\":\"");
	fxbuf_i64(b, t->ts_ms);
	fxbuf_char(b, '"', 1);
	if (!t->taint.omit_px) {
		fxbuf_put(b, ",\"price\":");
		fx_put_px(b, &t->taint, t->px, t->sym->px_decimals, t->sym->px_decimals, true);
	}
	fxbuf_put(b, ",\"size\":");
	fx_put_qty(b, t->qty, FX_QTY_DECIMALS, true);
	fxbuf_put(b, t->buy ? ",\"side\":\"buy\",\"tradeId\":\"" : ",\"side\":\"sell\",\"tradeId\":\"");
	fxbuf_u64(b, t->trade_id);
	fxbuf_char(b, '"', 1);
	put_tail(b, &t->taint, t->ts_ms);
}

const struct fx_proto fx_proto_bitget = {
	.name = "bitget",
	.keepalive = FX_KA_CLIENT_PING,
	.open = bitget_open,
	.on_text = bitget_text,
	.quote = bitget_quote,
	.trade = bitget_trade,
	.notice = NULL,
};

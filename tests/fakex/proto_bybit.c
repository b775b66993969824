/* fakex: Bybit v5 public spot at /v5/public/spot: {"op":"subscribe"} with
 * at most 10 args per request, {"op":"ping"} answered with a pong ack,
 * orderbook.1 snapshots and publicTrade in the 2026 spot field order. */
#include "tests/fakex/fakex.h"

#include <errno.h>
#include <string.h>

#include "tests/fakex/reqparse.h"

#define BYBIT_MAX_ARGS 10
#define BYBIT_QTY_DECIMALS 6

static struct fx_req req;

static const char *const topic[] = { [FX_QUOTES] = "orderbook.1.", [FX_TRADES] = "publicTrade." };

static int bybit_open(struct fx_session *s, const char *path, const char *query)
{
	(void)s;
	(void)query;
	return strcmp(path, "/v5/public/spot") == 0 ? 0 : -ENOENT;
}

static int parse_topic(const char *arg, const struct fx_symbol **sym, enum fx_kind *kind)
{
	for (int k = FX_QUOTES; k <= FX_TRADES; k++) {
		size_t n = strlen(topic[k]);
		if (strncmp(arg, topic[k], n) == 0) {
			*kind = (enum fx_kind)k;
			*sym = fx_symbol_find(arg + n, strlen(arg + n), FX_NAME_COMPACT);
			return *sym ? 0 : -ENOENT;
		}
	}
	return -EINVAL;
}

/* {"success":..,"ret_msg":..,"conn_id":..,["req_id":..,]"op":..} */
static void ack(struct fx_session *s, bool success, const char *ret_msg, const char *arg, const char *op)
{
	char out[512];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	fxbuf_put(&b, success ? "{\"success\":true,\"ret_msg\":\"" : "{\"success\":false,\"ret_msg\":\"");
	fxbuf_put(&b, ret_msg);
	if (arg)
		fxbuf_put(&b, arg);
	fxbuf_put(&b, "\",\"conn_id\":");
	fx_put_quoted(&b, s->conn_id);
	if (req.has_req_id) {
		fxbuf_put(&b, ",\"req_id\":");
		fx_put_quoted(&b, req.req_id);
	}
	fxbuf_put(&b, ",\"op\":");
	fx_put_quoted(&b, op);
	fxbuf_char(&b, '}', 1);
	fx_session_reply(s, b.p, b.len);
}

static void subscribe(struct fx_session *s, bool sub)
{
	const char *op = sub ? "subscribe" : "unsubscribe";

	s->ex->counters[FXC_SUBSCRIBE_REQUESTS]++;
	if (req.args_bad || req.nargs == 0) {
		ack(s, false, "error:invalid args", NULL, op);
		return;
	}
	if (req.nargs > BYBIT_MAX_ARGS) {
		ack(s, false, "args size >10", NULL, op);
		return;
	}
	for (unsigned i = 0; i < req.nargs; i++) {
		const struct fx_symbol *sym;
		enum fx_kind kind;
		if (parse_topic(req.args[i].str, &sym, &kind)) {
			ack(s, false, "error:handler not found,topic:", req.args[i].str, op);
			return;
		}
	}
	for (unsigned i = 0; i < req.nargs; i++) {
		const struct fx_symbol *sym;
		enum fx_kind kind;
		parse_topic(req.args[i].str, &sym, &kind);
		int rc = sub ? fx_session_subscribe(s, sym, kind) : fx_session_unsubscribe(s, sym, kind);
		if (rc == -EEXIST) {
			ack(s, false, "error:already subscribed,topic:", req.args[i].str, op);
			return;
		}
		if (rc == -ENOSPC) {
			ack(s, false, "error:too many topics", NULL, op);
			return;
		}
	}
	ack(s, true, op, NULL, op);
}

static void bybit_text(struct fx_session *s, const char *msg, size_t len)
{
	if (reqparse(&req, msg, len)) {
		ack(s, false, "error:invalid request", NULL, "");
		return;
	}
	if (strcmp(req.op, "ping") == 0) {
		s->last_client_ping_ns = fx_now_ns();
		s->ex->counters[FXC_PINGS_RECEIVED]++;
		s->ex->counters[FXC_PONGS_SENT]++;
		ack(s, true, "pong", NULL, "ping");
	} else if (strcmp(req.op, "subscribe") == 0 || strcmp(req.op, "unsubscribe") == 0) {
		subscribe(s, req.op[0] == 's');
	} else {
		ack(s, false, "error:unsupported op", NULL, req.op);
	}
}

static void put_level(struct fxbuf *b, const struct fx_taint *t, int64_t px, int64_t qty, int decimals)
{
	fxbuf_put(b, "[[");
	fx_put_px(b, t, px, decimals, decimals, false);
	fxbuf_char(b, ',', 1);
	fx_put_qty(b, qty, BYBIT_QTY_DECIMALS, true);
	fxbuf_put(b, "]]");
}

static void bybit_quote(struct fxbuf *b, const struct fx_session *s, const struct fx_quote *q)
{
	(void)s;
	fxbuf_put(b, "{\"topic\":\"orderbook.1.");
	fxbuf_put(b, q->sym->compact);
	fxbuf_put(b, "\",\"ts\":");
	fxbuf_i64(b, q->ts_ms);
	fxbuf_put(b, ",\"type\":\"snapshot\",\"data\":{\"s\":");
	fx_put_quoted(b, q->sym->compact);
	if (!q->taint.omit_px) {
		fxbuf_put(b, ",\"b\":");
		put_level(b, &q->taint, q->bid, q->bid_qty, q->sym->px_decimals);
	}
	fxbuf_put(b, ",\"a\":");
	put_level(b, &(struct fx_taint){ 0 }, q->ask, q->ask_qty, q->sym->px_decimals);
	fxbuf_put(b, ",\"u\":");
	fxbuf_u64(b, q->update_id);
	fxbuf_put(b, ",\"seq\":");
	fxbuf_u64(b, q->seq);
	fx_put_pad(b, &q->taint);
	/* cts: the matching engine's time, a few ms before the push */
	fxbuf_put(b, "},\"cts\":");
	fxbuf_i64(b, q->ts_ms - (int64_t)(q->seq % 8));
	fxbuf_char(b, '}', 1);
}

static void bybit_trade(struct fxbuf *b, const struct fx_session *s, const struct fx_trade *t)
{
	(void)s;
	fxbuf_put(b, "{\"topic\":\"publicTrade.");
	fxbuf_put(b, t->sym->compact);
	fxbuf_put(b, "\",\"ts\":");
	fxbuf_i64(b, t->ts_ms);
	fxbuf_put(b, ",\"type\":\"snapshot\",\"data\":[{\"i\":\"");
	fxbuf_u64(b, t->trade_id);
	fxbuf_put(b, "\",\"T\":");
	fxbuf_i64(b, t->ts_ms);
	if (!t->taint.omit_px) {
		fxbuf_put(b, ",\"p\":");
		fx_put_px(b, &t->taint, t->px, t->sym->px_decimals, t->sym->px_decimals, false);
	}
	fxbuf_put(b, ",\"v\":");
	fx_put_qty(b, t->qty, BYBIT_QTY_DECIMALS, true);
	fxbuf_put(b, t->buy ? ",\"S\":\"Buy\",\"seq\":" : ",\"S\":\"Sell\",\"seq\":");
	fxbuf_u64(b, t->seq);
	fxbuf_put(b, ",\"s\":");
	fx_put_quoted(b, t->sym->compact);
	fxbuf_put(b, ",\"BT\":false,\"RPI\":false");
	fx_put_pad(b, &t->taint);
	fxbuf_put(b, "}]}");
}

const struct fx_proto fx_proto_bybit = {
	.name = "bybit",
	.keepalive = FX_KA_CLIENT_PING,
	.open = bybit_open,
	.on_text = bybit_text,
	.quote = bybit_quote,
	.trade = bybit_trade,
	.notice = NULL, /* Bybit announces nothing: it just closes */
};

/* fakex: OKX v5 public at /ws/v5/public: {"op":"subscribe"} with one ack
 * per arg, the text ping answered by pong, bbo-tbt and trades pushes, and
 * the 64008 service-upgrade notice. */
#include "tests/fakex/fakex.h"

#include <errno.h>
#include <string.h>

#include "tests/fakex/reqparse.h"

#define OKX_CONN_ID_LEN 8

static struct fx_req req;

static const char *const channel[] = { [FX_QUOTES] = "bbo-tbt", [FX_TRADES] = "trades" };

static int okx_open(struct fx_session *s, const char *path, const char *query)
{
	(void)query;
	if (s)
		s->conn_id[OKX_CONN_ID_LEN] = '\0';
	return strcmp(path, "/ws/v5/public") == 0 ? 0 : -ENOENT;
}

static void put_arg(struct fxbuf *b, const char *chan, const char *inst)
{
	fxbuf_put(b, "{\"channel\":");
	fx_put_quoted(b, chan);
	fxbuf_put(b, ",\"instId\":");
	fx_put_quoted(b, inst);
	fxbuf_char(b, '}', 1);
}

static void reply_event(struct fx_session *s, const char *event, const struct fx_req_arg *a)
{
	char out[256];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	fxbuf_put(&b, "{\"event\":");
	fx_put_quoted(&b, event);
	fxbuf_put(&b, ",\"arg\":");
	put_arg(&b, a->channel, a->inst);
	fxbuf_put(&b, ",\"connId\":");
	fx_put_quoted(&b, s->conn_id);
	fxbuf_char(&b, '}', 1);
	fx_session_reply(s, b.p, b.len);
}

static void reply_error(struct fx_session *s, const char *code, const char *msg, const struct fx_req_arg *a)
{
	char out[256];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	fxbuf_put(&b, "{\"event\":\"error\",\"code\":");
	fx_put_quoted(&b, code);
	fxbuf_put(&b, ",\"msg\":\"");
	fxbuf_put(&b, msg);
	if (a) {
		fxbuf_put(&b, a->channel);
		fxbuf_put(&b, ",instId:");
		fxbuf_put(&b, a->inst);
		fxbuf_put(&b, " doesn't exist.");
	}
	fxbuf_put(&b, "\",\"connId\":");
	fx_put_quoted(&b, s->conn_id);
	fxbuf_char(&b, '}', 1);
	fx_session_reply(s, b.p, b.len);
}

static int parse_arg(const struct fx_req_arg *a, const struct fx_symbol **sym, enum fx_kind *kind)
{
	for (int k = FX_QUOTES; k <= FX_TRADES; k++) {
		if (strcmp(a->channel, channel[k]) == 0) {
			*kind = (enum fx_kind)k;
			*sym = fx_symbol_find(a->inst, strlen(a->inst), FX_NAME_CANON);
			return *sym ? 0 : -ENOENT;
		}
	}
	return -EINVAL;
}

static void okx_text(struct fx_session *s, const char *msg, size_t len)
{
	if (len == 4 && memcmp(msg, "ping", 4) == 0) {
		s->ex->counters[FXC_PINGS_RECEIVED]++;
		s->ex->counters[FXC_PONGS_SENT]++;
		fx_session_reply(s, "pong", 4);
		return;
	}
	if (reqparse(&req, msg, len) || req.args_bad ||
	    (strcmp(req.op, "subscribe") != 0 && strcmp(req.op, "unsubscribe") != 0)) {
		reply_error(s, "60012", "Invalid request", NULL);
		return;
	}
	bool sub = req.op[0] == 's';
	s->ex->counters[FXC_SUBSCRIBE_REQUESTS]++;
	/* OKX answers every arg on its own: an ack or an error */
	for (unsigned i = 0; i < req.nargs; i++) {
		const struct fx_req_arg *a = &req.args[i];
		const struct fx_symbol *sym;
		enum fx_kind kind;
		if (parse_arg(a, &sym, &kind)) {
			reply_error(s, "60018", "Wrong URL or channel:", a);
			continue;
		}
		int rc = sub ? fx_session_subscribe(s, sym, kind) : fx_session_unsubscribe(s, sym, kind);
		if (rc == -ENOSPC)
			reply_error(s, "60014", "Too many subscriptions", NULL);
		else
			reply_event(s, req.op, a);
	}
}

static void put_level(struct fxbuf *b, const struct fx_taint *t, int64_t px, int64_t qty, int decimals, uint64_t orders)
{
	fxbuf_put(b, "[[");
	fx_put_px(b, t, px, decimals, decimals, true);
	fxbuf_char(b, ',', 1);
	fx_put_qty(b, qty, FX_QTY_DECIMALS, true);
	fxbuf_put(b, ",\"0\",\"");
	fxbuf_u64(b, orders);
	fxbuf_put(b, "\"]]");
}

static void okx_quote(struct fxbuf *b, const struct fx_session *s, const struct fx_quote *q)
{
	(void)s;
	fxbuf_put(b, "{\"arg\":");
	put_arg(b, "bbo-tbt", q->sym->canon);
	fxbuf_put(b, ",\"data\":[{\"asks\":");
	put_level(b, &(struct fx_taint){ 0 }, q->ask, q->ask_qty, q->sym->px_decimals, 1 + q->seq % 9);
	if (!q->taint.omit_px) {
		fxbuf_put(b, ",\"bids\":");
		put_level(b, &q->taint, q->bid, q->bid_qty, q->sym->px_decimals, 1 + q->update_id % 7);
	}
	fxbuf_put(b, ",\"ts\":\"");
	fxbuf_i64(b, q->ts_ms);
	/* seqId: in today's bbo-tbt pushes (after the fixture's capture) */
	fxbuf_put(b, "\",\"seqId\":");
	fxbuf_u64(b, q->update_id);
	fx_put_pad(b, &q->taint);
	fxbuf_put(b, "}]}");
}

static void okx_trade(struct fxbuf *b, const struct fx_session *s, const struct fx_trade *t)
{
	(void)s;
	fxbuf_put(b, "{\"arg\":");
	put_arg(b, "trades", t->sym->canon);
	fxbuf_put(b, ",\"data\":[{\"instId\":");
	fx_put_quoted(b, t->sym->canon);
	fxbuf_put(b, ",\"tradeId\":\"");
	fxbuf_u64(b, t->trade_id);
	fxbuf_char(b, '"', 1);
	if (!t->taint.omit_px) {
		fxbuf_put(b, ",\"px\":");
		fx_put_px(b, &t->taint, t->px, t->sym->px_decimals, t->sym->px_decimals, true);
	}
	fxbuf_put(b, ",\"sz\":");
	fx_put_qty(b, t->qty, FX_QTY_DECIMALS, true);
	fxbuf_put(b, t->buy ? ",\"side\":\"buy\",\"ts\":\"" : ",\"side\":\"sell\",\"ts\":\"");
	fxbuf_i64(b, t->ts_ms);
	fxbuf_char(b, '"', 1);
	fx_put_pad(b, &t->taint);
	fxbuf_put(b, "}]}");
}

static void okx_notice(struct fxbuf *b, const struct fx_session *s, int64_t now_ms)
{
	(void)now_ms;
	fxbuf_put(b, "{\"event\":\"notice\",\"code\":\"64008\",\"msg\":\"The connection will soon be closed for a "
		     "service upgrade. Please reconnect.\",\"connId\":");
	fx_put_quoted(b, s->conn_id);
	fxbuf_char(b, '}', 1);
}

const struct fx_proto fx_proto_okx = {
	.name = "okx",
	.keepalive = FX_KA_IDLE_CLOSE,
	.open = okx_open,
	.on_text = okx_text,
	.quote = okx_quote,
	.trade = okx_trade,
	.notice = okx_notice,
};

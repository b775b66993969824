/* fakex: HTX spot market data at /ws, every frame one gzip member in a
 * binary frame (gzip_frames): {"sub":"market.<sym>.bbo"|"...trade.detail",
 * "id":...} answered with "subbed" and then a {"ping":<ms>}; a client's
 * {"pong":n} counts as its keepalive (--bybit-ping-timeout-ms drops a
 * client that stops) and as a pong received. HTX's periodic server pings
 * (every 5 s) come every --binance-ping-ms (app_ping). */
#include "tests/fakex/fakex.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tests/fakex/reqpath.h"

static int htx_open(struct fx_session *s, const char *path, const char *query)
{
	(void)s;
	(void)query;
	return strcmp(path, "/ws") == 0 ? 0 : -ENOENT;
}

static void reply_error(struct fx_session *s, const char *id, const char *msg, const char *arg)
{
	char out[256];
	snprintf(out, sizeof out,
		 "{\"id\":\"%s\",\"status\":\"error\",\"err-code\":\"bad-request\",\"err-msg\":\"%s%s\",\"ts\":%lld}", id, msg,
		 arg, (long long)fx_wall_ms());
	fx_session_reply(s, out, strlen(out));
}

static void send_ping(struct fx_session *s)
{
	char out[48];
	snprintf(out, sizeof out, "{\"ping\":%lld}", (long long)fx_wall_ms());
	fx_session_reply(s, out, strlen(out));
	s->ex->counters[FXC_PINGS_SENT]++;
}

/* market.<sym>.bbo / market.<sym>.trade.detail */
static const struct fx_symbol *topic_symbol(const char *topic, enum fx_kind *kind)
{
	static const char bbo[] = ".bbo", trades[] = ".trade.detail";
	size_t n = strlen(topic);
	if (strncmp(topic, "market.", 7) != 0)
		return NULL;
	size_t sl;
	if (n > 7 + sizeof bbo - 1 && strcmp(topic + n - (sizeof bbo - 1), bbo) == 0) {
		*kind = FX_QUOTES;
		sl = sizeof bbo - 1;
	} else if (n > 7 + sizeof trades - 1 && strcmp(topic + n - (sizeof trades - 1), trades) == 0) {
		*kind = FX_TRADES;
		sl = sizeof trades - 1;
	} else {
		return NULL;
	}
	return fx_symbol_find(topic + 7, n - 7 - sl, FX_NAME_LOWER);
}

static void htx_text(struct fx_session *s, const char *msg, size_t len)
{
	struct fx_reqpath r;
	char topic[FX_REQPATH_ITEM], id[32] = "", pong[24];
	if (reqpath_parse(&r, msg, len)) {
		reply_error(s, id, "invalid json", "");
		return;
	}
	if (reqpath_number(&r, "pong", pong, sizeof pong) == 0) {
		s->last_client_ping_ns = fx_now_ns();
		s->ex->counters[FXC_PONGS_RECEIVED]++;
		return;
	}
	reqpath_string(&r, "id", id, sizeof id);
	bool sub = reqpath_string(&r, "sub", topic, sizeof topic) == 0;
	if (!sub && reqpath_string(&r, "unsub", topic, sizeof topic) != 0) {
		reply_error(s, id, "invalid request", "");
		return;
	}
	enum fx_kind kind;
	const struct fx_symbol *sym = topic_symbol(topic, &kind);
	if (!sym) {
		reply_error(s, id, "invalid topic ", topic);
		return;
	}
	s->ex->counters[FXC_SUBSCRIBE_REQUESTS]++;
	if (!sub)
		fx_session_unsubscribe(s, sym, kind);
	else if (fx_session_subscribe(s, sym, kind) == -ENOSPC) {
		reply_error(s, id, "too many topics", "");
		return;
	}
	char out[256];
	snprintf(out, sizeof out, "{\"id\":\"%s\",\"status\":\"ok\",\"%s\":\"%s\",\"ts\":%lld}", id,
		 sub ? "subbed" : "unsubbed", topic, (long long)fx_wall_ms());
	fx_session_reply(s, out, strlen(out));
	send_ping(s);
}

static void put_head(struct fxbuf *b, const struct fx_symbol *sym, const char *topic, int64_t ts_ms)
{
	fxbuf_put(b, "{\"ch\":\"market.");
	fxbuf_put(b, sym->lower);
	fxbuf_put(b, topic);
	fxbuf_put(b, "\",\"ts\":");
	fxbuf_u64(b, (uint64_t)ts_ms);
	fxbuf_put(b, ",\"tick\":");
}

/* the 2021 documented shape: numbers, seqId first */
static void htx_quote(struct fxbuf *b, const struct fx_session *s, const struct fx_quote *q)
{
	(void)s;
	put_head(b, q->sym, ".bbo", q->ts_ms);
	fxbuf_put(b, "{\"seqId\":");
	fxbuf_u64(b, q->update_id);
	fxbuf_put(b, ",\"ask\":");
	fx_put_px(b, &(struct fx_taint){ 0 }, q->ask, q->sym->px_decimals, q->sym->px_decimals, false);
	fxbuf_put(b, ",\"askSize\":");
	fx_put_qty(b, q->ask_qty, FX_QTY_DECIMALS, false);
	if (!q->taint.omit_px) {
		fxbuf_put(b, ",\"bid\":");
		fx_put_px(b, &q->taint, q->bid, q->sym->px_decimals, q->sym->px_decimals, false);
	}
	fxbuf_put(b, ",\"bidSize\":");
	fx_put_qty(b, q->bid_qty, FX_QTY_DECIMALS, false);
	fxbuf_put(b, ",\"quoteTime\":");
	fxbuf_u64(b, (uint64_t)q->ts_ms);
	fxbuf_put(b, ",\"symbol\":\"");
	fxbuf_put(b, q->sym->lower);
	fxbuf_char(b, '"', 1);
	fx_put_pad(b, &q->taint);
	fxbuf_put(b, "}}");
}

static void htx_trade(struct fxbuf *b, const struct fx_session *s, const struct fx_trade *t)
{
	(void)s;
	put_head(b, t->sym, ".trade.detail", t->ts_ms);
	fxbuf_put(b, "{\"id\":");
	fxbuf_u64(b, t->trade_id);
	fxbuf_put(b, ",\"ts\":");
	fxbuf_u64(b, (uint64_t)t->ts_ms);
	/* the old "id" is wider than 64 bits: written as HTX does, digits */
	fxbuf_put(b, ",\"data\":[{\"id\":");
	fxbuf_u64(b, t->trade_id);
	fxbuf_put(b, "359286410323766,\"ts\":");
	fxbuf_u64(b, (uint64_t)t->ts_ms);
	fxbuf_put(b, ",\"tradeId\":");
	fxbuf_u64(b, t->trade_id);
	fxbuf_put(b, ",\"amount\":");
	fx_put_qty(b, t->qty, FX_QTY_DECIMALS, false);
	if (!t->taint.omit_px) {
		fxbuf_put(b, ",\"price\":");
		fx_put_px(b, &t->taint, t->px, t->sym->px_decimals, t->sym->px_decimals, false);
	}
	fxbuf_put(b, t->buy ? ",\"direction\":\"buy\"" : ",\"direction\":\"sell\"");
	fx_put_pad(b, &t->taint);
	fxbuf_put(b, "}]}}");
}

const struct fx_proto fx_proto_htx = {
	.name = "htx",
	.keepalive = FX_KA_CLIENT_PING,
	.open = htx_open,
	.on_text = htx_text,
	.quote = htx_quote,
	.trade = htx_trade,
	.gzip_frames = true,
	.app_ping = send_ping,
	.notice = NULL,
};

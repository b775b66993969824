/* fakex: Deribit JSON-RPC v2 market data at /ws/api/v2: public/subscribe
 * with quote.<instrument> and trades.<instrument>.100ms channels (the
 * fake's BTC-USDT is the perpetual BTC_USDT-PERPETUAL), answered with the
 * channel list; quote and trades notifications; public/set_heartbeat,
 * which the collector repeats as its keepalive, counts as the client's
 * ping (--bybit-ping-timeout-ms drops a client that stops). Its answer
 * and every subscribe answer are followed by a heartbeat test_request the
 * client must answer with public/test (counted as a pong received, and as
 * its keepalive); test_requests also come every --binance-ping-ms, as
 * the server's heartbeats at the interval set_heartbeat asked for. */
#include "tests/fakex/fakex.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tests/fakex/reqpath.h"

#define PERP_SUFFIX "-PERPETUAL"

static char channels[FX_REQPATH_MAX_ITEMS][FX_REQPATH_ITEM];

static void send_test_request(struct fx_session *s)
{
	static const char test_request[] =
		"{\"jsonrpc\":\"2.0\",\"method\":\"heartbeat\",\"params\":{\"type\":\"test_request\"}}";
	fx_session_reply(s, test_request, sizeof test_request - 1);
	s->ex->counters[FXC_PINGS_SENT]++;
}

static int deribit_open(struct fx_session *s, const char *path, const char *query)
{
	(void)s;
	(void)query;
	return strcmp(path, "/ws/api/v2") == 0 ? 0 : -ENOENT;
}

static void reply_result(struct fx_session *s, const char *id, const char *result)
{
	char out[256];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	fxbuf_put(&b, "{\"jsonrpc\":\"2.0\",\"id\":");
	fxbuf_put(&b, id);
	fxbuf_put(&b, ",\"result\":");
	fxbuf_put(&b, result);
	fxbuf_put(&b, "}");
	fx_session_reply(s, b.p, b.len);
}

static void reply_error(struct fx_session *s, const char *id, int code, const char *msg)
{
	char out[256];
	snprintf(out, sizeof out, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"error\":{\"code\":%d,\"message\":\"%s\"}}", id, code,
		 msg);
	fx_session_reply(s, out, strlen(out));
}

/* "quote.BTC_USDT-PERPETUAL" / "trades.BTC_USDT-PERPETUAL.100ms": the
 * fake's symbol and stream, or NULL. */
static const struct fx_symbol *channel_symbol(const char *ch, enum fx_kind *kind)
{
	char canon[FX_REQPATH_ITEM];
	const char *inst;
	size_t n;
	if (strncmp(ch, "quote.", 6) == 0) {
		*kind = FX_QUOTES;
		inst = ch + 6;
		n = strlen(inst);
	} else if (strncmp(ch, "trades.", 7) == 0) {
		*kind = FX_TRADES;
		inst = ch + 7;
		const char *dot = strchr(inst, '.');
		if (!dot || strcmp(dot, ".100ms") != 0)
			return NULL;
		n = (size_t)(dot - inst);
	} else {
		return NULL;
	}
	size_t sl = sizeof(PERP_SUFFIX) - 1;
	if (n <= sl || n - sl >= sizeof canon || memcmp(inst + n - sl, PERP_SUFFIX, sl) != 0)
		return NULL;
	memcpy(canon, inst, n - sl);
	canon[n - sl] = '\0';
	char *us = strchr(canon, '_');
	if (!us)
		return NULL;
	*us = '-';
	return fx_symbol_find(canon, n - sl, FX_NAME_CANON);
}

static void deribit_text(struct fx_session *s, const char *msg, size_t len)
{
	struct fx_reqpath r;
	char method[48], id[24];
	if (reqpath_parse(&r, msg, len) || reqpath_string(&r, "method", method, sizeof method)) {
		reply_error(s, "null", -32700, "parse_error");
		return;
	}
	if (reqpath_number(&r, "id", id, sizeof id))
		strcpy(id, "null");
	if (strcmp(method, "public/set_heartbeat") == 0) {
		s->last_client_ping_ns = fx_now_ns();
		s->ex->counters[FXC_PINGS_RECEIVED]++;
		reply_result(s, id, "\"ok\"");
		send_test_request(s);
		return;
	}
	if (strcmp(method, "public/test") == 0) {
		s->last_client_ping_ns = fx_now_ns();
		s->ex->counters[FXC_PONGS_RECEIVED]++;
		reply_result(s, id, "{\"version\":\"1.2.26\"}");
		return;
	}
	bool sub = strcmp(method, "public/subscribe") == 0;
	if (!sub && strcmp(method, "public/unsubscribe") != 0) {
		reply_error(s, id, -32601, "Method not found");
		return;
	}
	int n = reqpath_strings(&r, "params.channels", channels, FX_REQPATH_MAX_ITEMS);
	if (n < 0) {
		reply_error(s, id, -32602, "Invalid params");
		return;
	}
	s->ex->counters[FXC_SUBSCRIBE_REQUESTS]++;
	char out[FX_CTL_BYTES / 2];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	fxbuf_put(&b, "[");
	for (int i = 0; i < n; i++) {
		enum fx_kind kind;
		const struct fx_symbol *sym = channel_symbol(channels[i], &kind);
		/* Deribit leaves an unknown channel out of the answer */
		if (!sym)
			continue;
		if (!sub)
			fx_session_unsubscribe(s, sym, kind);
		else if (fx_session_subscribe(s, sym, kind) == -ENOSPC) {
			reply_error(s, id, 10028, "too_many_requests");
			return;
		}
		if (b.len > 1)
			fxbuf_char(&b, ',', 1);
		fx_put_quoted(&b, channels[i]);
	}
	fxbuf_put(&b, "]");
	reply_result(s, id, b.p);
	send_test_request(s);
}

/* BTC-USDT -> BTC_USDT-PERPETUAL */
static void put_instrument(struct fxbuf *b, const struct fx_symbol *sym)
{
	const char *dash = strchr(sym->canon, '-');
	fxbuf_putn(b, sym->canon, (size_t)(dash - sym->canon));
	fxbuf_char(b, '_', 1);
	fxbuf_put(b, dash + 1);
	fxbuf_put(b, PERP_SUFFIX);
}

static void put_head(struct fxbuf *b, const char *ch, const struct fx_symbol *sym, const char *tail)
{
	fxbuf_put(b, "{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":\"");
	fxbuf_put(b, ch);
	put_instrument(b, sym);
	fxbuf_put(b, tail);
	fxbuf_put(b, "\",\"data\":");
}

/* numbers, not strings, as Deribit sends them */
static void deribit_quote(struct fxbuf *b, const struct fx_session *s, const struct fx_quote *q)
{
	(void)s;
	put_head(b, "quote.", q->sym, "");
	fxbuf_put(b, "{\"timestamp\":");
	fxbuf_u64(b, (uint64_t)q->ts_ms);
	fxbuf_put(b, ",\"instrument_name\":\"");
	put_instrument(b, q->sym);
	fxbuf_char(b, '"', 1);
	if (!q->taint.omit_px) {
		fxbuf_put(b, ",\"best_bid_price\":");
		fx_put_px(b, &q->taint, q->bid, q->sym->px_decimals, q->sym->px_decimals, false);
	}
	fxbuf_put(b, ",\"best_bid_amount\":");
	fx_put_qty(b, q->bid_qty, FX_QTY_DECIMALS, false);
	fxbuf_put(b, ",\"best_ask_price\":");
	fx_put_px(b, &(struct fx_taint){ 0 }, q->ask, q->sym->px_decimals, q->sym->px_decimals, false);
	fxbuf_put(b, ",\"best_ask_amount\":");
	fx_put_qty(b, q->ask_qty, FX_QTY_DECIMALS, false);
	fx_put_pad(b, &q->taint);
	fxbuf_put(b, "}}}");
}

static void deribit_trade(struct fxbuf *b, const struct fx_session *s, const struct fx_trade *t)
{
	(void)s;
	put_head(b, "trades.", t->sym, ".100ms");
	fxbuf_put(b, "[{\"trade_seq\":");
	fxbuf_u64(b, t->trade_id);
	fxbuf_put(b, ",\"trade_id\":\"");
	fxbuf_u64(b, t->trade_id);
	fxbuf_put(b, "\",\"timestamp\":");
	fxbuf_u64(b, (uint64_t)t->ts_ms);
	if (!t->taint.omit_px) {
		fxbuf_put(b, ",\"price\":");
		fx_put_px(b, &t->taint, t->px, t->sym->px_decimals, t->sym->px_decimals, false);
	}
	fxbuf_put(b, ",\"instrument_name\":\"");
	put_instrument(b, t->sym);
	fxbuf_put(b, t->buy ? "\",\"direction\":\"buy\"" : "\",\"direction\":\"sell\"");
	fxbuf_put(b, ",\"amount\":");
	fx_put_qty(b, t->qty, FX_QTY_DECIMALS, false);
	fx_put_pad(b, &t->taint);
	fxbuf_put(b, "}]}}");
}

const struct fx_proto fx_proto_deribit = {
	.name = "deribit",
	.keepalive = FX_KA_CLIENT_PING,
	.open = deribit_open,
	.on_text = deribit_text,
	.quote = deribit_quote,
	.trade = deribit_trade,
	.app_ping = send_test_request,
	.notice = NULL,
};

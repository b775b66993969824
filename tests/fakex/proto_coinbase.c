/* fakex: Coinbase Advanced Trade market data at /: one channel per
 * subscribe message, answered by the "subscriptions" channel; ticker and
 * market_trades envelopes with RFC 3339 ns times; the side of a trade is
 * the maker's. The heartbeats channel's messages are not modelled: its
 * subscribe, which the collector repeats as its keepalive, counts as the
 * client's ping (--bybit-ping-timeout-ms drops a client that stops). */
#include "tests/fakex/fakex.h"

#include <errno.h>
#include <string.h>

#include "tests/fakex/reqpath.h"
#include "tests/fakex/timefmt.h"

static const char *const channel[] = { [FX_QUOTES] = "ticker", [FX_TRADES] = "market_trades" };

static char products[FX_REQPATH_MAX_ITEMS][FX_REQPATH_ITEM];

static int coinbase_open(struct fx_session *s, const char *path, const char *query)
{
	(void)s;
	(void)query;
	return strcmp(path, "/") == 0 || path[0] == '\0' ? 0 : -ENOENT;
}

/* {"channel":<ch>,"client_id":"","timestamp":<t>,"sequence_num":N,"events":[
 * N numbers every message of the connection (server.c counts data
 * frames, coinbase_text its replies). */
static void put_head(struct fxbuf *b, const struct fx_session *s, const char *ch, int64_t ms)
{
	fxbuf_put(b, "{\"channel\":");
	fx_put_quoted(b, ch);
	fxbuf_put(b, ",\"client_id\":\"\",\"timestamp\":");
	fx_put_rfc3339(b, ms, 9);
	fxbuf_put(b, ",\"sequence_num\":");
	fxbuf_u64(b, s->msgs_numbered);
	fxbuf_put(b, ",\"events\":[");
}

static void reply_error(struct fx_session *s, const char *msg, const char *arg)
{
	char out[256];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	fxbuf_put(&b, "{\"type\":\"error\",\"message\":\"");
	fxbuf_put(&b, msg);
	fxbuf_put(&b, arg);
	fxbuf_put(&b, "\"}");
	fx_session_reply(s, b.p, b.len);
}

static void coinbase_text(struct fx_session *s, const char *msg, size_t len)
{
	struct fx_reqpath r;
	char type[32], ch[32];
	if (reqpath_parse(&r, msg, len) || reqpath_string(&r, "type", type, sizeof type) ||
	    reqpath_string(&r, "channel", ch, sizeof ch)) {
		reply_error(s, "malformed request", "");
		return;
	}
	bool sub = strcmp(type, "subscribe") == 0;
	if (!sub && strcmp(type, "unsubscribe") != 0) {
		reply_error(s, "unknown message type ", type);
		return;
	}
	char out[FX_CTL_BYTES / 2];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	if (strcmp(ch, "heartbeats") == 0) {
		s->last_client_ping_ns = fx_now_ns();
		s->ex->counters[FXC_PINGS_RECEIVED]++;
		put_head(&b, s, "subscriptions", fx_wall_ms());
		s->msgs_numbered++;
		fxbuf_put(&b, "{\"subscriptions\":{\"heartbeats\":[\"heartbeats\"]}}]}");
		fx_session_reply(s, b.p, b.len);
		return;
	}
	int kind = strcmp(ch, channel[FX_QUOTES]) == 0 ? FX_QUOTES : strcmp(ch, channel[FX_TRADES]) == 0 ? FX_TRADES : -1;
	int n = reqpath_strings(&r, "product_ids", products, FX_REQPATH_MAX_ITEMS);
	if (kind < 0 || n < 0) {
		reply_error(s, "failure to subscribe: channel ", ch);
		return;
	}
	s->ex->counters[FXC_SUBSCRIBE_REQUESTS]++;
	for (int i = 0; i < n; i++) {
		if (!fx_symbol_find(products[i], strlen(products[i]), FX_NAME_CANON)) {
			reply_error(s, "failure to subscribe: unknown product ", products[i]);
			return;
		}
	}
	for (int i = 0; i < n; i++) {
		const struct fx_symbol *sym = fx_symbol_find(products[i], strlen(products[i]), FX_NAME_CANON);
		if (!sub)
			fx_session_unsubscribe(s, sym, (enum fx_kind)kind);
		else if (fx_session_subscribe(s, sym, (enum fx_kind)kind) == -ENOSPC) {
			reply_error(s, "too many subscriptions", "");
			return;
		}
	}
	/* like Coinbase, the answer to a subscribe or an unsubscribe lists
	 * what the connection has on the channel now */
	put_head(&b, s, "subscriptions", fx_wall_ms());
	s->msgs_numbered++;
	fxbuf_put(&b, "{\"subscriptions\":{");
	fx_put_quoted(&b, ch);
	fxbuf_put(&b, ":[");
	bool first = true;
	for (unsigned i = 0; i < s->nsubs; i++) {
		if (s->subs[i].kind != kind)
			continue;
		if (!first)
			fxbuf_char(&b, ',', 1);
		fx_put_quoted(&b, fx.symbols[s->subs[i].sym].canon);
		first = false;
	}
	fxbuf_put(&b, "]}}]}");
	fx_session_reply(s, b.p, b.len);
}

static void coinbase_quote(struct fxbuf *b, const struct fx_session *s, const struct fx_quote *q)
{
	put_head(b, s, channel[FX_QUOTES], q->ts_ms);
	fxbuf_put(b, "{\"type\":\"update\",\"tickers\":[{\"type\":\"ticker\",\"product_id\":");
	fx_put_quoted(b, q->sym->canon);
	fxbuf_put(b, ",\"price\":");
	fx_put_px(b, &(struct fx_taint){ 0 }, q->ask, q->sym->px_decimals, q->sym->px_decimals, true);
	if (!q->taint.omit_px) {
		fxbuf_put(b, ",\"best_bid\":");
		fx_put_px(b, &q->taint, q->bid, q->sym->px_decimals, q->sym->px_decimals, true);
	}
	fxbuf_put(b, ",\"best_ask\":");
	fx_put_px(b, &(struct fx_taint){ 0 }, q->ask, q->sym->px_decimals, q->sym->px_decimals, true);
	fxbuf_put(b, ",\"best_bid_quantity\":");
	fx_put_qty(b, q->bid_qty, FX_QTY_DECIMALS, true);
	fxbuf_put(b, ",\"best_ask_quantity\":");
	fx_put_qty(b, q->ask_qty, FX_QTY_DECIMALS, true);
	fx_put_pad(b, &q->taint);
	fxbuf_put(b, "}]}]}");
}

static void coinbase_trade(struct fxbuf *b, const struct fx_session *s, const struct fx_trade *t)
{
	put_head(b, s, channel[FX_TRADES], t->ts_ms + 1);
	fxbuf_put(b, "{\"type\":\"update\",\"trades\":[{\"product_id\":");
	fx_put_quoted(b, t->sym->canon);
	fxbuf_put(b, ",\"trade_id\":\"");
	fxbuf_u64(b, t->trade_id);
	fxbuf_char(b, '"', 1);
	if (!t->taint.omit_px) {
		fxbuf_put(b, ",\"price\":");
		fx_put_px(b, &t->taint, t->px, t->sym->px_decimals, t->sym->px_decimals, true);
	}
	fxbuf_put(b, ",\"size\":");
	fx_put_qty(b, t->qty, FX_QTY_DECIMALS, true);
	fxbuf_put(b, ",\"time\":");
	fx_put_rfc3339(b, t->ts_ms, 6);
	/* the maker's side: a buyer took a resting sell */
	fxbuf_put(b, t->buy ? ",\"side\":\"SELL\"" : ",\"side\":\"BUY\"");
	fx_put_pad(b, &t->taint);
	fxbuf_put(b, "}]}]}");
}

const struct fx_proto fx_proto_coinbase = {
	.name = "coinbase",
	.keepalive = FX_KA_CLIENT_PING,
	.open = coinbase_open,
	.on_text = coinbase_text,
	.quote = coinbase_quote,
	.trade = coinbase_trade,
	.numbers_messages = true,
	.notice = NULL,
};

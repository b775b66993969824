/* fakex: Gate.io spot WebSocket v4 at /ws/v4/: one channel per subscribe
 * request ("payload" lists the pairs), spot.ping answered by spot.pong,
 * spot.book_ticker and spot.trades pushes, protocol-level server pings. */
#include "tests/fakex/fakex.h"

#include <errno.h>
#include <string.h>

#include "tests/fakex/reqpath.h"

static const char *const channel[] = { [FX_QUOTES] = "spot.book_ticker", [FX_TRADES] = "spot.trades" };

static char pairs[FX_REQPATH_MAX_ITEMS][FX_REQPATH_ITEM];

static int gateio_open(struct fx_session *s, const char *path, const char *query)
{
	(void)query;
	if (s)
		s->conn_id[16] = '\0';
	return strcmp(path, "/ws/v4/") == 0 || strcmp(path, "/ws/v4") == 0 ? 0 : -ENOENT;
}

/* "BTC_USDT" -> the symbol, or NULL. */
static const struct fx_symbol *pair_symbol(const char *pair)
{
	char canon[FX_SYMBOL_MAX];
	size_t n = strlen(pair);
	if (n >= sizeof canon || !strchr(pair, '_'))
		return NULL;
	for (size_t i = 0; i <= n; i++)
		canon[i] = pair[i] == '_' ? '-' : pair[i];
	return fx_symbol_find(canon, n, FX_NAME_CANON);
}

static void put_pair(struct fxbuf *b, const struct fx_symbol *sym)
{
	char pair[FX_SYMBOL_MAX];
	size_t n = strlen(sym->canon);
	for (size_t i = 0; i <= n; i++)
		pair[i] = sym->canon[i] == '-' ? '_' : sym->canon[i];
	fx_put_quoted(b, pair);
}

/* {"time":<s>,"time_ms":<ms>,"conn_id":..,"channel":<ch>,"event":<ev>,: the head of every answer */
static void put_head(struct fxbuf *b, const struct fx_session *s, const char *ch, const char *ev)
{
	int64_t ms = fx_wall_ms();
	fxbuf_put(b, "{\"time\":");
	fxbuf_i64(b, ms / 1000);
	fxbuf_put(b, ",\"time_ms\":");
	fxbuf_i64(b, ms);
	fxbuf_put(b, ",\"conn_id\":");
	fx_put_quoted(b, s->conn_id);
	fxbuf_put(b, ",\"channel\":");
	fx_put_quoted(b, ch);
	fxbuf_put(b, ",\"event\":");
	fx_put_quoted(b, ev);
}

/* code 1 invalid request body, 2 invalid argument */
static void reply_error(struct fx_session *s, const char *ch, const char *ev, int code, const char *msg,
			const char *arg)
{
	char out[512];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	put_head(&b, s, ch, ev);
	fxbuf_put(&b, ",\"error\":{\"code\":");
	fxbuf_i64(&b, code);
	fxbuf_put(&b, ",\"message\":\"");
	fxbuf_put(&b, msg);
	fxbuf_put(&b, arg);
	fxbuf_put(&b, "\"},\"result\":{\"status\":\"fail\"}}");
	fx_session_reply(s, b.p, b.len);
}

static void gateio_text(struct fx_session *s, const char *msg, size_t len)
{
	struct fx_reqpath r;
	char ch[32] = "", ev[32] = "";
	if (reqpath_parse(&r, msg, len) || reqpath_string(&r, "channel", ch, sizeof ch)) {
		reply_error(s, "", "", 1, "invalid request body format", "");
		return;
	}
	if (strcmp(ch, "spot.ping") == 0) {
		char out[256];
		struct fxbuf b = fxbuf_on(out, sizeof out);
		s->ex->counters[FXC_PINGS_RECEIVED]++;
		s->ex->counters[FXC_PONGS_SENT]++;
		put_head(&b, s, "spot.pong", "");
		fxbuf_put(&b, ",\"error\":null,\"result\":null}");
		fx_session_reply(s, b.p, b.len);
		return;
	}
	reqpath_string(&r, "event", ev, sizeof ev);
	int kind = strcmp(ch, channel[FX_QUOTES]) == 0 ? FX_QUOTES : strcmp(ch, channel[FX_TRADES]) == 0 ? FX_TRADES : -1;
	bool sub = strcmp(ev, "subscribe") == 0;
	int n = reqpath_strings(&r, "payload", pairs, FX_REQPATH_MAX_ITEMS);
	if (kind < 0 || (!sub && strcmp(ev, "unsubscribe") != 0) || n < 0) {
		reply_error(s, ch, ev, 2, "invalid argument provided", "");
		return;
	}
	s->ex->counters[FXC_SUBSCRIBE_REQUESTS]++;
	for (int i = 0; i < n; i++) {
		if (!pair_symbol(pairs[i])) {
			reply_error(s, ch, ev, 2, "unknown currency pair: ", pairs[i]);
			return;
		}
	}
	for (int i = 0; i < n; i++) {
		const struct fx_symbol *sym = pair_symbol(pairs[i]);
		if (!sub)
			fx_session_unsubscribe(s, sym, (enum fx_kind)kind);
		else if (fx_session_subscribe(s, sym, (enum fx_kind)kind) == -ENOSPC) {
			reply_error(s, ch, ev, 2, "too many subscriptions", "");
			return;
		}
	}
	char out[256];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	put_head(&b, s, ch, ev);
	fxbuf_put(&b, ",\"error\":null,\"result\":{\"status\":\"success\"}}");
	fx_session_reply(s, b.p, b.len);
}

static void put_update_head(struct fxbuf *b, const char *ch, int64_t ms)
{
	fxbuf_put(b, "{\"time\":");
	fxbuf_i64(b, ms / 1000);
	fxbuf_put(b, ",\"time_ms\":");
	fxbuf_i64(b, ms);
	fxbuf_put(b, ",\"channel\":");
	fx_put_quoted(b, ch);
	fxbuf_put(b, ",\"event\":\"update\",\"result\":{");
}

static void gateio_quote(struct fxbuf *b, const struct fx_session *s, const struct fx_quote *q)
{
	(void)s;
	put_update_head(b, channel[FX_QUOTES], q->ts_ms + 1);
	fxbuf_put(b, "\"t\":");
	fxbuf_i64(b, q->ts_ms);
	fxbuf_put(b, ",\"u\":");
	fxbuf_u64(b, q->update_id);
	fxbuf_put(b, ",\"s\":");
	put_pair(b, q->sym);
	if (!q->taint.omit_px) {
		fxbuf_put(b, ",\"b\":");
		fx_put_px(b, &q->taint, q->bid, q->sym->px_decimals, q->sym->px_decimals, true);
	}
	fxbuf_put(b, ",\"B\":");
	fx_put_qty(b, q->bid_qty, FX_QTY_DECIMALS, true);
	fxbuf_put(b, ",\"a\":");
	fx_put_px(b, &(struct fx_taint){ 0 }, q->ask, q->sym->px_decimals, q->sym->px_decimals, true);
	fxbuf_put(b, ",\"A\":");
	fx_put_qty(b, q->ask_qty, FX_QTY_DECIMALS, true);
	fx_put_pad(b, &q->taint);
	fxbuf_put(b, "}}");
}

/* create_time_ms is a string with a microsecond fraction, as captured */
static void gateio_trade(struct fxbuf *b, const struct fx_session *s, const struct fx_trade *t)
{
	(void)s;
	put_update_head(b, channel[FX_TRADES], t->ts_ms + 2);
	fxbuf_put(b, "\"id\":");
	fxbuf_u64(b, t->trade_id);
	fxbuf_put(b, ",\"create_time\":");
	fxbuf_i64(b, t->ts_ms / 1000);
	fxbuf_put(b, ",\"create_time_ms\":\"");
	fxbuf_i64(b, t->ts_ms);
	fxbuf_char(b, '.', 1);
	fxbuf_decimal(b, (int64_t)(t->seq % 1000), 0, false);
	fxbuf_put(b, t->buy ? "\",\"side\":\"buy\",\"currency_pair\":" : "\",\"side\":\"sell\",\"currency_pair\":");
	put_pair(b, t->sym);
	fxbuf_put(b, ",\"amount\":");
	fx_put_qty(b, t->qty, FX_QTY_DECIMALS, true);
	if (!t->taint.omit_px) {
		fxbuf_put(b, ",\"price\":");
		fx_put_px(b, &t->taint, t->px, t->sym->px_decimals, t->sym->px_decimals, true);
	}
	fx_put_pad(b, &t->taint);
	fxbuf_put(b, "}}");
}

const struct fx_proto fx_proto_gateio = {
	.name = "gateio",
	.keepalive = FX_KA_SERVER_PING,
	.open = gateio_open,
	.on_text = gateio_text,
	.quote = gateio_quote,
	.trade = gateio_trade,
	.notice = NULL,
};

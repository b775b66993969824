/* fakex: Kraken spot WebSocket v2 at /v2: one channel per subscribe
 * request with one answer per symbol, {"method":"ping"} answered by pong,
 * ticker (bbo) and trade pushes with prices as JSON numbers keeping their
 * trailing zeros and RFC 3339 times. Kraken's heartbeat channel is not
 * modelled; a client that stops pinging is dropped (--bybit-ping-timeout-ms). */
#include "tests/fakex/fakex.h"

#include <errno.h>
#include <string.h>

#include "tests/fakex/reqpath.h"
#include "tests/fakex/timefmt.h"

#define KRAKEN_DECIMALS 8 /* "bid_qty":44620.68691883 */

static const char *const channel[] = { [FX_QUOTES] = "ticker", [FX_TRADES] = "trade" };

static char symbols[FX_REQPATH_MAX_ITEMS][FX_REQPATH_ITEM];

static int kraken_open(struct fx_session *s, const char *path, const char *query)
{
	(void)s;
	(void)query;
	return strcmp(path, "/v2") == 0 ? 0 : -ENOENT;
}

/* A Kraken symbol "BTC/USD" -> the symbol, or NULL. */
static const struct fx_symbol *kraken_symbol(const char *name)
{
	char canon[FX_SYMBOL_MAX];
	size_t n = strlen(name);
	if (n >= sizeof canon || !strchr(name, '/'))
		return NULL;
	for (size_t i = 0; i <= n; i++)
		canon[i] = name[i] == '/' ? '-' : name[i];
	return fx_symbol_find(canon, n, FX_NAME_CANON);
}

static void put_symbol(struct fxbuf *b, const struct fx_symbol *sym)
{
	char name[FX_SYMBOL_MAX];
	size_t n = strlen(sym->canon);
	for (size_t i = 0; i <= n; i++)
		name[i] = sym->canon[i] == '-' ? '/' : sym->canon[i];
	fx_put_quoted(b, name);
}

static void put_times(struct fxbuf *b)
{
	int64_t ms = fx_wall_ms();
	fxbuf_put(b, ",\"time_in\":");
	fx_put_rfc3339(b, ms, 6);
	fxbuf_put(b, ",\"time_out\":");
	fx_put_rfc3339(b, ms, 6);
	fxbuf_char(b, '}', 1);
}

static void reply_failure(struct fx_session *s, const char *method, const char *error, const char *symbol)
{
	char out[384];
	struct fxbuf b = fxbuf_on(out, sizeof out);
	fxbuf_put(&b, "{\"error\":\"");
	fxbuf_put(&b, error);
	fxbuf_put(&b, symbol);
	fxbuf_put(&b, "\",\"method\":");
	fx_put_quoted(&b, method);
	fxbuf_put(&b, ",\"success\":false");
	if (symbol[0]) {
		fxbuf_put(&b, ",\"symbol\":");
		fx_put_quoted(&b, symbol);
	}
	put_times(&b);
	fx_session_reply(s, b.p, b.len);
}

static void kraken_text(struct fx_session *s, const char *msg, size_t len)
{
	struct fx_reqpath r;
	char method[32], ch[32] = "", req_id[24] = "";
	if (reqpath_parse(&r, msg, len) || reqpath_string(&r, "method", method, sizeof method)) {
		reply_failure(s, "", "Malformed request", "");
		return;
	}
	if (strcmp(method, "ping") == 0) {
		char out[256];
		struct fxbuf b = fxbuf_on(out, sizeof out);
		s->last_client_ping_ns = fx_now_ns();
		s->ex->counters[FXC_PINGS_RECEIVED]++;
		s->ex->counters[FXC_PONGS_SENT]++;
		fxbuf_put(&b, "{\"method\":\"pong\"");
		if (reqpath_number(&r, "req_id", req_id, sizeof req_id) == 0) {
			fxbuf_put(&b, ",\"req_id\":");
			fxbuf_put(&b, req_id);
		}
		put_times(&b);
		fx_session_reply(s, b.p, b.len);
		return;
	}
	bool sub = strcmp(method, "subscribe") == 0;
	reqpath_string(&r, "params.channel", ch, sizeof ch);
	int kind = strcmp(ch, channel[FX_QUOTES]) == 0 ? FX_QUOTES : strcmp(ch, channel[FX_TRADES]) == 0 ? FX_TRADES : -1;
	int n = reqpath_strings(&r, "params.symbol", symbols, FX_REQPATH_MAX_ITEMS);
	if ((!sub && strcmp(method, "unsubscribe") != 0) || kind < 0 || n < 0) {
		reply_failure(s, method, "Invalid request", "");
		return;
	}
	s->ex->counters[FXC_SUBSCRIBE_REQUESTS]++;
	/* one answer per symbol */
	for (int i = 0; i < n; i++) {
		const struct fx_symbol *sym = kraken_symbol(symbols[i]);
		if (!sym) {
			reply_failure(s, method, "Currency pair not supported ", symbols[i]);
			continue;
		}
		int rc = sub ? fx_session_subscribe(s, sym, (enum fx_kind)kind)
			     : fx_session_unsubscribe(s, sym, (enum fx_kind)kind);
		if (rc == -ENOSPC) {
			reply_failure(s, method, "Too many subscriptions", "");
			continue;
		}
		char out[384];
		struct fxbuf b = fxbuf_on(out, sizeof out);
		fxbuf_put(&b, "{\"method\":");
		fx_put_quoted(&b, method);
		fxbuf_put(&b, ",\"result\":{\"channel\":");
		fx_put_quoted(&b, ch);
		fxbuf_put(&b, kind == FX_QUOTES ? ",\"event_trigger\":\"bbo\",\"snapshot\":true,\"symbol\":"
						: ",\"snapshot\":false,\"symbol\":");
		put_symbol(&b, sym);
		fxbuf_put(&b, "},\"success\":true");
		put_times(&b);
		fx_session_reply(s, b.p, b.len);
	}
}

/* A price as a JSON number with its trailing zeros, or the taint's raw JSON. */
static void put_number(struct fxbuf *b, const struct fx_taint *t, int64_t mantissa, int decimals)
{
	if (t->px_raw)
		fxbuf_put(b, t->px_raw);
	else
		fxbuf_decimal(b, mantissa, decimals, false);
}

static void kraken_quote(struct fxbuf *b, const struct fx_session *s, const struct fx_quote *q)
{
	(void)s;
	fxbuf_put(b, "{\"channel\":\"ticker\",\"type\":\"update\",\"data\":[{\"symbol\":");
	put_symbol(b, q->sym);
	if (!q->taint.omit_px) {
		fxbuf_put(b, ",\"bid\":");
		put_number(b, &q->taint, q->bid, q->sym->px_decimals);
	}
	fxbuf_put(b, ",\"bid_qty\":");
	fxbuf_decimal(b, q->bid_qty * 1000, KRAKEN_DECIMALS, false);
	fxbuf_put(b, ",\"ask\":");
	put_number(b, &(struct fx_taint){ 0 }, q->ask, q->sym->px_decimals);
	fxbuf_put(b, ",\"ask_qty\":");
	fxbuf_decimal(b, q->ask_qty * 1000, KRAKEN_DECIMALS, false);
	fxbuf_put(b, ",\"last\":");
	put_number(b, &(struct fx_taint){ 0 }, q->ask, q->sym->px_decimals);
	fxbuf_put(b, ",\"timestamp\":");
	fx_put_rfc3339(b, q->ts_ms, 6);
	fx_put_pad(b, &q->taint);
	fxbuf_put(b, "}]}");
}

static void kraken_trade(struct fxbuf *b, const struct fx_session *s, const struct fx_trade *t)
{
	(void)s;
	fxbuf_put(b, "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":");
	put_symbol(b, t->sym);
	fxbuf_put(b, t->buy ? ",\"side\":\"buy\"" : ",\"side\":\"sell\"");
	if (!t->taint.omit_px) {
		fxbuf_put(b, ",\"price\":");
		put_number(b, &t->taint, t->px, t->sym->px_decimals);
	}
	fxbuf_put(b, ",\"qty\":");
	fxbuf_decimal(b, t->qty * 1000, KRAKEN_DECIMALS, false);
	fxbuf_put(b, ",\"ord_type\":\"market\",\"trade_id\":");
	fxbuf_u64(b, t->trade_id);
	fxbuf_put(b, ",\"timestamp\":");
	fx_put_rfc3339(b, t->ts_ms, 6);
	fx_put_pad(b, &t->taint);
	fxbuf_put(b, "}]}");
}

const struct fx_proto fx_proto_kraken = {
	.name = "kraken",
	.keepalive = FX_KA_CLIENT_PING,
	.open = kraken_open,
	.on_text = kraken_text,
	.quote = kraken_quote,
	.trade = kraken_trade,
	.notice = NULL,
};

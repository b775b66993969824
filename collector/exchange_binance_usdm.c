/* Binance USD-M futures adapter: combined streams <sym>@bookTicker (has the
 * transaction time T) and <sym>@aggTrade, protocol-level keepalive; every
 * contract is a derivative, named BASE-QUOTE-PERP or BASE-QUOTE-YYMMDD. */
#include <errno.h>
#include <string.h>

#include "collector/adapter.h"
#include "collector/binance_streams.h"
#include "collector/json_scan.h"
#include "collector/sbuf.h"
#include "collector/symbols.h"
#include "common/log.h"
#include "shm/trade_id.h"

/* Futures document no per-IP connection rate; Binance's spot rule (300
 * attempts per 5 minutes) is kept: at most one attempt per 200 ms. */
#define USDM_CONNECT_INTERVAL_MS 200
/* Streams put in the URL itself, well under common request-line limits. */
#define USDM_PATH_BUDGET 1800
/* 10 incoming messages per second per connection, pongs included: one
 * subscribe every 150 ms leaves room for pongs and unsolicited pongs. */
#define USDM_SUBSCRIBE_INTERVAL_MS 150
/* 1024 streams per connection, two per symbol. */
#define USDM_MAX_SYMBOLS 512
/* A connection lives at most 24 h: replace it (overlapping) after 23 h. */
#define USDM_LIFETIME_S (23 * 3600)
#define USDM_PERP "-PERP"

/* BTC-USDT-PERP -> BTCUSDT, BTC-USDT-250627 -> BTCUSDT_250627; a spot name
 * (two parts) is refused: there is no spot market on this endpoint. */
static int usdm_native(const char *canonical, char *out, size_t out_len)
{
	char pair[SYMBOL_NATIVE_MAX];
	const char *d1 = strchr(canonical, '-');
	const char *d2 = d1 ? strchr(d1 + 1, '-') : NULL;
	if (!d2 || (size_t)(d2 - canonical) >= sizeof(pair))
		return -EINVAL;
	memcpy(pair, canonical, (size_t)(d2 - canonical));
	pair[d2 - canonical] = '\0';
	int rc = symbol_join_concat(pair, false, out, out_len);
	if (rc < 0)
		return rc;
	const char *kind = d2 + 1;
	if (strcmp(kind, "PERP") == 0)
		return 0;
	size_t n = strlen(out), kn = strlen(kind);
	if (kn != 6 || strspn(kind, "0123456789") != 6 || n + 1 + kn + 1 > out_len)
		return -EINVAL;
	out[n] = '_';
	memcpy(out + n + 1, kind, kn + 1);
	return 0;
}

static int usdm_canonical(const char *native, size_t len, char *out, size_t out_len)
{
	const char *us = memchr(native, '_', len);
	size_t pair_len = us ? (size_t)(us - native) : len;
	size_t kind_len = us ? len - pair_len - 1 : sizeof(USDM_PERP) - 2;
	int rc = symbol_split_concat(native, pair_len, out, out_len);
	if (rc < 0)
		return rc;
	size_t n = strlen(out);
	if (n + 1 + kind_len + 1 > out_len || (us && kind_len != 6))
		return -EINVAL;
	for (size_t i = 0; us && i < kind_len; i++)
		if (us[1 + i] < '0' || us[1 + i] > '9')
			return -EINVAL;
	if (us) {
		out[n] = '-';
		memcpy(out + n + 1, us + 1, kind_len);
		out[n + 1 + kind_len] = '\0';
	} else {
		memcpy(out + n, USDM_PERP, sizeof(USDM_PERP));
	}
	return 0;
}

static const struct binance_streams streams = {"@bookTicker", "@aggTrade"};

static void put_stream_item(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch)
{
	sbuf_put(b, "\"");
	binance_put_stream(b, &streams, e, ch);
	sbuf_put(b, "\"");
}

/* Streams go into the query of a combined-stream path (/stream,
 * /public/stream, /market/stream) while they fit; the rest by SUBSCRIBE. */
static int usdm_path(const struct sub_request *req, const char *base_path, char *out, size_t out_len,
		     size_t *consumed)
{
	/* Binance routes bookTicker to /public and aggTrade to /market: a
	 * channel asked for on the other route never arrives (said once) */
	static bool warned;
	bool on_public = strncmp(base_path, "/public/", 8) == 0, on_market = strncmp(base_path, "/market/", 8) == 0;
	if (!warned && ((on_public && req->trades) || (on_market && req->quotes))) {
		warned = true;
		log_warn("binance-usdm: %s carries no %s; set %s = false and add a section with url .../%s/stream "
			 "(docs/collector.md)",
			 base_path, on_public ? "aggTrade" : "bookTicker", on_public ? "trades" : "quotes",
			 on_public ? "market" : "public");
	}
	return binance_streams_path(&streams, USDM_PATH_BUDGET, req, base_path, out, out_len, consumed);
}

static int usdm_subscribe(const struct sub_request *req, size_t start, char *out, size_t out_len, size_t *consumed)
{
	return binance_streams_subscribe(req, start, out, out_len, consumed, put_stream_item);
}

static enum frame_kind parse_book_ticker(struct symmap *m, const struct binance_fields *f, struct frame_out *out)
{
	struct tick *t = &out->ticks[0];
	if (!f->s.s || !f->u.s || !f->b.s || !f->B.s || !f->a.s || !f->A.s || !f->T.s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	if (js_span_u64(&f->u, &t->update_id) < 0 || js_span_decimal(&f->b, &t->u.quote.bid_px) < 0 ||
	    js_span_decimal(&f->B, &t->u.quote.bid_qty) < 0 || js_span_decimal(&f->a, &t->u.quote.ask_px) < 0 ||
	    js_span_decimal(&f->A, &t->u.quote.ask_qty) < 0 || js_span_ms_to_ns(&f->T, &t->ts_exchange_ns) < 0)
		return adapter_frame_reject(out, REJECT_NON_NUMERIC);
	t->kind = TICK_QUOTE;
	return adapter_single_tick(m, &f->s, out);
}

static enum frame_kind parse_agg_trade(struct symmap *m, const struct binance_fields *f, struct frame_out *out)
{
	struct tick *t = &out->ticks[0];
	if (!f->s.s || !f->a.s || !f->p.s || !f->q.s || !f->T.s || !f->m.s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	if (trade_id_set(t, f->a.s, f->a.len) < 0 || js_span_decimal(&f->p, &t->u.trade.px) < 0 ||
	    js_span_decimal(&f->q, &t->u.trade.qty) < 0 || js_span_ms_to_ns(&f->T, &t->ts_exchange_ns) < 0)
		return adapter_frame_reject(out, REJECT_NON_NUMERIC);
	enum reject_reason side = binance_maker_side(&f->m, t);
	if (side != REJECT_NONE)
		return adapter_frame_reject(out, side);
	return adapter_single_tick(m, &f->s, out);
}

static enum frame_kind usdm_parse(struct symmap *m, const char *frame, size_t len, struct frame_out *out)
{
	struct binance_fields f;
	if (!binance_walk_frame(frame, len, &f, out))
		return out->kind;
	if (!f.e.s)
		return adapter_frame_reject(out, REJECT_MISSING_FIELD);
	if (JS_IS(&f.e, "bookTicker"))
		return parse_book_ticker(m, &f, out);
	if (JS_IS(&f.e, "aggTrade"))
		return parse_agg_trade(m, &f, out);
	if (JS_IS(&f.e, "serverShutdown"))
		return adapter_frame_control(out, CONTROL_SERVER_SHUTDOWN, NULL, 0);
	return adapter_frame_control(out, CONTROL_UNSUPPORTED, f.e.s, f.e.len);
}

const struct adapter adapter_binance_usdm = {
	.name = "binance-usdm",
	/* bookTicker is routed to /public; aggTrade to /market (see docs/collector.md) */
	.default_url = "wss://fstream.binance.com/public/stream",
	.max_symbols_per_conn = USDM_MAX_SYMBOLS,
	.ping_interval_ms = 0,
	.ping_when_idle = false,
	.subscribe_interval_ms = USDM_SUBSCRIBE_INTERVAL_MS,
	.connect_interval_ms = USDM_CONNECT_INTERVAL_MS,
	.connection_lifetime_s = USDM_LIFETIME_S,
	.native_symbol = usdm_native,
	.canonical_symbol = usdm_canonical,
	.build_path = usdm_path,
	.build_subscribe = usdm_subscribe,
	.live_symbols = true,
	.ping_text = NULL,
	.parse = usdm_parse,
};

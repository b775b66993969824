/* Binance spot discovery: GET /api/v3/exchangeInfo (weight 20) lists the
 * symbols with their filters, GET /api/v3/ticker/24hr without a symbol
 * (weight 80) their 24 h quote volume. */
#include <stdio.h>
#include <string.h>

#include "collector/instruments.h"

struct bn_symbol {
	struct instruments_names n;
	struct instrument *in;
};

struct bn_filter {
	struct js_span type, tick, step, min_qty, min_notional;
};

static int bn_filter(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct bn_filter, type, "filterType"), JS_FIELD(struct bn_filter, tick, "tickSize"),
		JS_FIELD(struct bn_filter, step, "stepSize"), JS_FIELD(struct bn_filter, min_qty, "minQty"),
		JS_FIELD(struct bn_filter, min_notional, "minNotional"),
	};
	struct instrument *in = ctx;
	struct bn_filter f = { 0 };
	if (js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &f, NULL, NULL) < 0)
		return -1;
	if (JS_IS(&f.type, "PRICE_FILTER"))
		return instruments_decimal(&f.tick, &in->tick_size);
	if (JS_IS(&f.type, "LOT_SIZE"))
		return instruments_decimal(&f.step, &in->lot_size) < 0 ? -1 : instruments_decimal(&f.min_qty, &in->min_qty);
	/* MIN_NOTIONAL before 2023, NOTIONAL since */
	if (JS_IS(&f.type, "NOTIONAL") || JS_IS(&f.type, "MIN_NOTIONAL"))
		return instruments_decimal(&f.min_notional, &in->min_notional);
	return 0;
}

static int bn_symbol_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct bn_symbol *s = ctx;
	if (!JS_IS(key, "filters"))
		return 0;
	bool first;
	int rc;
	if (js_arr_begin(j, &first) < 0)
		return -1;
	while ((rc = js_arr_next(j, &first)) == 1)
		if (bn_filter(j, s->in) < 0)
			return -1;
	return rc < 0 ? -1 : 1;
}

static int bn_symbol(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct bn_symbol, n.native, "symbol"), JS_FIELD(struct bn_symbol, n.status, "status"),
		JS_FIELD(struct bn_symbol, n.base, "baseAsset"), JS_FIELD(struct bn_symbol, n.quote, "quoteAsset"),
	};
	struct instrument_set *set = ctx;
	struct bn_symbol s = { .in = instrument_set_add(set) };
	if (!s.in || js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &s, bn_symbol_hook, &s) < 0)
		return -1;
	return instruments_fill(s.in, &s.n, "TRADING");
}

static int bn_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	static const char *const path[] = { "symbols" };
	return instruments_walk(body, len, path, 1, NULL, NULL, bn_symbol, set, err, err_len);
}

struct bn_ticker {
	struct js_span symbol, quote_volume;
};

static int bn_ticker(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct bn_ticker, symbol, "symbol"),
		JS_FIELD(struct bn_ticker, quote_volume, "quoteVolume"),
	};
	struct bn_ticker t = { 0 };
	if (js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &t, NULL, NULL) < 0)
		return -1;
	return instruments_set_volume(ctx, &t.symbol, &t.quote_volume);
}

/* The answer is a bare array (no envelope to walk to). */
static int bn_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	struct js j;
	bool first;
	int rc;
	size_t i = 0;
	js_init(&j, body, len);
	if (js_arr_begin(&j, &first) < 0)
		goto bad;
	while ((rc = js_arr_next(&j, &first)) == 1) {
		if (bn_ticker(&j, set) < 0) {
			snprintf(err, err_len, "ticker %zu is malformed", i);
			return -1;
		}
		i++;
	}
	if (rc == 0 && js_at_end(&j))
		return 0;
bad:
	snprintf(err, err_len, "malformed JSON near byte %zu of %zu: %.*s", (size_t)(j.p - body), len,
		 instruments_quote_len(len, 40), body);
	return -1;
}

const struct instruments_api instruments_binance = {
	.adapter = "binance",
	.default_rest_url = "https://api.binance.com",
	/* REQUEST_WEIGHT 6000 per minute per IP, reported in
	 * X-MBX-USED-WEIGHT-1M; 429 with Retry-After when over it, then 418
	 * (an IP ban from 2 minutes up) for clients that keep going. */
	.limits = { .min_interval_ms = 0, .weight_header = "X-MBX-USED-WEIGHT-1M", .weight_limit = 6000,
		    .ban_status = 418, .ban_wait_ms = 120000, .limited_wait_ms = 60000 },
	.info_path = "/api/v3/exchangeInfo",
	.tickers_path = "/api/v3/ticker/24hr",
	.parse_info = bn_parse_info,
	.parse_tickers = bn_parse_tickers,
};

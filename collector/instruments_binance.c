/* Binance spot and USD-M futures discovery, one answer shape for both:
 * GET /api/v3/exchangeInfo (weight 20) or /fapi/v1/exchangeInfo (weight 1)
 * lists the symbols with their filters, GET /api/v3/ticker/24hr or
 * /fapi/v1/ticker/24hr without a symbol (weight 80, 40) their 24 h quote
 * volume. A USD-M contract is named BASE-QUOTE-PERP, or BASE-QUOTE-YYMMDD
 * for a delivery contract (BTCUSDT_250627), as the adapter names it. */
#include <string.h>

#include "collector/instruments.h"

struct bn_symbol {
	struct instruments_names n;
	struct instrument *in;
};

struct bn_filter {
	struct js_span type, tick, step, min_qty, min_notional, notional;
};

static int bn_filter(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct bn_filter, type, "filterType"), JS_FIELD(struct bn_filter, tick, "tickSize"),
		JS_FIELD(struct bn_filter, step, "stepSize"), JS_FIELD(struct bn_filter, min_qty, "minQty"),
		JS_FIELD(struct bn_filter, min_notional, "minNotional"), JS_FIELD(struct bn_filter, notional, "notional"),
	};
	struct instrument *in = ctx;
	struct bn_filter f = { 0 };
	if (js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &f, NULL, NULL) < 0)
		return -1;
	if (JS_IS(&f.type, "PRICE_FILTER"))
		return instruments_decimal(&f.tick, &in->tick_size);
	if (JS_IS(&f.type, "LOT_SIZE"))
		return instruments_decimal(&f.step, &in->lot_size) < 0 ? -1 : instruments_decimal(&f.min_qty, &in->min_qty);
	/* spot: MIN_NOTIONAL before 2023, NOTIONAL since, both minNotional;
	 * USD-M: MIN_NOTIONAL with notional */
	if (JS_IS(&f.type, "NOTIONAL") || JS_IS(&f.type, "MIN_NOTIONAL"))
		return instruments_decimal(f.min_notional.s ? &f.min_notional : &f.notional, &in->min_notional);
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

/* USD-M: a delivery contract's native name ends in _YYMMDD, a perpetual's
 * has no suffix (contractType PERPETUAL, or PERPETUAL_DELIVERING while it
 * is being delisted). */
static void bn_usdm_suffix(struct instruments_names *n)
{
	const char *us = n->native.s ? memchr(n->native.s, '_', n->native.len) : NULL;
	if (us)
		n->suffix = (struct js_span){ .s = us + 1, .len = n->native.len - (size_t)(us + 1 - n->native.s) };
	else
		n->suffix = INSTRUMENTS_LITERAL("PERP");
}

static int bn_symbol(struct js *j, struct instrument_set *set, bool usdm)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct bn_symbol, n.native, "symbol"), JS_FIELD(struct bn_symbol, n.status, "status"),
		JS_FIELD(struct bn_symbol, n.base, "baseAsset"), JS_FIELD(struct bn_symbol, n.quote, "quoteAsset"),
	};
	struct bn_symbol s = { .in = instrument_set_add(set) };
	if (!s.in || js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &s, bn_symbol_hook, &s) < 0)
		return -1;
	if (usdm)
		bn_usdm_suffix(&s.n);
	return instruments_fill(s.in, &s.n, "TRADING");
}

static int bn_spot_symbol(struct js *j, void *ctx)
{
	return bn_symbol(j, ctx, false);
}

static int bn_usdm_symbol(struct js *j, void *ctx)
{
	return bn_symbol(j, ctx, true);
}

static const char *const bn_path[] = { "symbols" };

static int bn_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, bn_path, 1, NULL, NULL, bn_spot_symbol, set, err, err_len);
}

static int bn_usdm_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, bn_path, 1, NULL, NULL, bn_usdm_symbol, set, err, err_len);
}

/* The answer is a bare array (no envelope to walk to). */
static int bn_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	static const struct instruments_list list = { NULL, 0, NULL, NULL };
	return instruments_parse_volumes(body, len, &list, "symbol", "quoteVolume", set, err, err_len);
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
	.tickers_paths = (const char *const[]){ "/api/v3/ticker/24hr", NULL },
	.parse_info = bn_parse_info,
	.parse_tickers = bn_parse_tickers,
};

const struct instruments_api instruments_binance_usdm = {
	.adapter = "binance-usdm",
	.default_rest_url = "https://fapi.binance.com",
	/* REQUEST_WEIGHT 2400 per minute per IP (exchangeInfo's rateLimits),
	 * in X-MBX-USED-WEIGHT-1M; 429 with Retry-After past it, then 418 (an
	 * IP ban from 2 minutes up) for clients that keep going. */
	.limits = { .min_interval_ms = 0, .weight_header = "X-MBX-USED-WEIGHT-1M", .weight_limit = 2400,
		    .ban_status = 418, .ban_wait_ms = 120000, .limited_wait_ms = 60000 },
	.info_path = "/fapi/v1/exchangeInfo",
	.tickers_paths = (const char *const[]){ "/fapi/v1/ticker/24hr", NULL },
	.parse_info = bn_usdm_parse_info,
	.parse_tickers = bn_parse_tickers,
};

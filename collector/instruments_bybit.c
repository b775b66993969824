/* Bybit v5 spot discovery: GET /v5/market/instruments-info?category=spot
 * (every spot pair in one page) and GET /v5/market/tickers?category=spot
 * (turnover24h is the 24 h volume in the quote coin). */
#include <string.h>

#include "collector/instruments.h"

struct bb_symbol {
	struct instruments_names n;
	struct instrument *in;
};

struct bb_filter {
	struct js_span tick, base_precision, min_qty, min_amount;
};

static int bb_symbol_hook(struct js *j, const struct js_span *key, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct bb_filter, tick, "tickSize"),
		JS_FIELD(struct bb_filter, base_precision, "basePrecision"),
		JS_FIELD(struct bb_filter, min_qty, "minOrderQty"),
		JS_FIELD(struct bb_filter, min_amount, "minOrderAmt"),
	};
	struct bb_symbol *s = ctx;
	struct instrument *in = s->in;
	struct bb_filter f = { 0 };
	if (!JS_IS(key, "lotSizeFilter") && !JS_IS(key, "priceFilter"))
		return 0;
	if (js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &f, NULL, NULL) < 0)
		return -1;
	if (JS_IS(key, "priceFilter"))
		return instruments_decimal(&f.tick, &in->tick_size) < 0 ? -1 : 1;
	if (instruments_decimal(&f.base_precision, &in->lot_size) < 0 ||
	    instruments_decimal(&f.min_qty, &in->min_qty) < 0 || instruments_decimal(&f.min_amount, &in->min_notional) < 0)
		return -1;
	return 1;
}

static int bb_symbol(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct bb_symbol, n.native, "symbol"), JS_FIELD(struct bb_symbol, n.status, "status"),
		JS_FIELD(struct bb_symbol, n.base, "baseCoin"), JS_FIELD(struct bb_symbol, n.quote, "quoteCoin"),
	};
	struct instrument_set *set = ctx;
	struct bb_symbol s = { .in = instrument_set_add(set) };
	if (!s.in || js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &s, bb_symbol_hook, &s) < 0)
		return -1;
	return instruments_fill(s.in, &s.n, "Trading");
}

static const char *const bb_path[] = { "result", "list" };
static const struct instruments_list bb_list = { bb_path, 2, "retCode", "0" };

static int bb_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, bb_list.path, bb_list.n, bb_list.code_key, bb_list.code_ok, bb_symbol, set, err,
				err_len);
}

static int bb_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_parse_volumes(body, len, &bb_list, "symbol", "turnover24h", set, err, err_len);
}

const struct instruments_api instruments_bybit = {
	.adapter = "bybit",
	.default_rest_url = "https://api.bybit.com",
	/* 600 requests per 5 s per IP; past it Bybit answers 403 "access too
	 * frequent" and lifts the ban after 10 minutes. */
	.limits = { .min_interval_ms = 10, .ban_status = 403, .ban_wait_ms = 600000, .limited_wait_ms = 5000 },
	.info_path = "/v5/market/instruments-info?category=spot",
	.tickers_paths = (const char *const[]){ "/v5/market/tickers?category=spot", NULL },
	.parse_info = bb_parse_info,
	.parse_tickers = bb_parse_tickers,
};

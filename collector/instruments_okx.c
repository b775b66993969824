/* OKX v5 spot discovery: GET /api/v5/public/instruments?instType=SPOT and
 * GET /api/v5/market/tickers?instType=SPOT (volCcy24h: the 24 h volume in
 * the quote currency for spot). */
#include <string.h>

#include "collector/instruments.h"

struct okx_symbol {
	struct instruments_names n;
	struct js_span tick, lot, min_size;
};

static int okx_symbol(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct okx_symbol, n.native, "instId"), JS_FIELD(struct okx_symbol, n.status, "state"),
		JS_FIELD(struct okx_symbol, n.base, "baseCcy"),   JS_FIELD(struct okx_symbol, n.quote, "quoteCcy"),
		JS_FIELD(struct okx_symbol, tick, "tickSz"),    JS_FIELD(struct okx_symbol, lot, "lotSz"),
		JS_FIELD(struct okx_symbol, min_size, "minSz"),
	};
	struct instrument_set *set = ctx;
	struct okx_symbol s = { 0 };
	struct instrument *in = instrument_set_add(set);
	if (!in || js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &s, NULL, NULL) < 0)
		return -1;
	/* live; suspend, preopen and test are not trading */
	if (instruments_fill(in, &s.n, "live") < 0 || instruments_decimal(&s.tick, &in->tick_size) < 0 ||
	    instruments_decimal(&s.lot, &in->lot_size) < 0 || instruments_decimal(&s.min_size, &in->min_qty) < 0)
		return -1;
	return 0;
}

static const char *const okx_path[] = { "data" };

static int okx_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, okx_path, 1, "code", "0", okx_symbol, set, err, err_len);
}

struct okx_ticker {
	struct js_span inst_id, vol_ccy;
};

static int okx_ticker(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct okx_ticker, inst_id, "instId"),
		JS_FIELD(struct okx_ticker, vol_ccy, "volCcy24h"),
	};
	struct okx_ticker t = { 0 };
	if (js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &t, NULL, NULL) < 0)
		return -1;
	return instruments_set_volume(ctx, &t.inst_id, &t.vol_ccy);
}

static int okx_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, okx_path, 1, "code", "0", okx_ticker, set, err, err_len);
}

const struct instruments_api instruments_okx = {
	.adapter = "okx",
	.default_rest_url = "https://www.okx.com",
	/* both endpoints: 20 requests per 2 s per IP; past it 429 (code 50011) */
	.limits = { .min_interval_ms = 100, .limited_wait_ms = 2000 },
	.info_path = "/api/v5/public/instruments?instType=SPOT",
	.tickers_path = "/api/v5/market/tickers?instType=SPOT",
	.parse_info = okx_parse_info,
	.parse_tickers = okx_parse_tickers,
};

/* HTX spot discovery: GET /v2/settings/common/symbols (sc, bc, qc in lower
 * case; tpp and tap: price and amount steps as counts of decimals) and GET
 * /market/tickers (vol: the 24 h volume in the quote currency), both in
 * the {"status":"ok","data":[...]} envelope. The symbols answer has no
 * minimum order quantity or value: those stay 0. */
#include "collector/instruments.h"

struct htx_symbol {
	struct instruments_names n;
	struct js_span tpp, tap;
};

static int htx_symbol(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct htx_symbol, n.native, "sc"), JS_FIELD(struct htx_symbol, n.status, "state"),
		JS_FIELD(struct htx_symbol, n.base, "bc"),   JS_FIELD(struct htx_symbol, n.quote, "qc"),
		JS_FIELD(struct htx_symbol, tpp, "tpp"),     JS_FIELD(struct htx_symbol, tap, "tap"),
	};
	struct htx_symbol s = { 0 };
	struct instrument *in = instrument_set_add(ctx);
	if (!in || js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &s, NULL, NULL) < 0)
		return -1;
	/* online; offline, pre-online and suspend are not trading */
	if (instruments_fill(in, &s.n, "online") < 0 || instruments_precision(&s.tpp, &in->tick_size) < 0 ||
	    instruments_precision(&s.tap, &in->lot_size) < 0)
		return -1;
	return 0;
}

static const char *const htx_path[] = { "data" };

static int htx_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, htx_path, 1, "status", "ok", htx_symbol, set, err, err_len);
}

struct htx_ticker {
	struct js_span symbol, vol;
};

static int htx_ticker(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct htx_ticker, symbol, "symbol"),
		JS_FIELD(struct htx_ticker, vol, "vol"),
	};
	struct htx_ticker t = { 0 };
	if (js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &t, NULL, NULL) < 0)
		return -1;
	return instruments_set_volume(ctx, &t.symbol, &t.vol);
}

static int htx_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, htx_path, 1, "status", "ok", htx_ticker, set, err, err_len);
}

const struct instruments_api instruments_htx = {
	.adapter = "htx",
	.default_rest_url = "https://api.huobi.pro",
	/* public market data: 10 requests per second per IP for one
	 * endpoint; past it 429 */
	.limits = { .min_interval_ms = 100, .limited_wait_ms = 1000 },
	.info_path = "/v2/settings/common/symbols",
	.tickers_path = "/market/tickers",
	.parse_info = htx_parse_info,
	.parse_tickers = htx_parse_tickers,
};

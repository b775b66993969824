/* Bitget v2 spot discovery: GET /api/v2/spot/public/symbols (steps as
 * counts of decimals in pricePrecision and quantityPrecision) and GET
 * /api/v2/spot/market/tickers (quoteVolume: the 24 h volume in the quote
 * coin), both in the {"code":"00000","data":[...]} envelope. */
#include "collector/instruments.h"

struct bg_symbol {
	struct instruments_names n;
	struct js_span price_precision, quantity_precision, min_amount, min_usdt;
};

static int bg_symbol(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct bg_symbol, n.native, "symbol"),
		JS_FIELD(struct bg_symbol, n.status, "status"),
		JS_FIELD(struct bg_symbol, n.base, "baseCoin"),
		JS_FIELD(struct bg_symbol, n.quote, "quoteCoin"),
		JS_FIELD(struct bg_symbol, price_precision, "pricePrecision"),
		JS_FIELD(struct bg_symbol, quantity_precision, "quantityPrecision"),
		JS_FIELD(struct bg_symbol, min_amount, "minTradeAmount"),
		JS_FIELD(struct bg_symbol, min_usdt, "minTradeUSDT"),
	};
	struct bg_symbol s = { 0 };
	struct instrument *in = instrument_set_add(ctx);
	if (!in || js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &s, NULL, NULL) < 0)
		return -1;
	/* online; gray (not yet open), halt and offline are not trading.
	 * minTradeUSDT is the minimum order value, in USDT whatever the quote. */
	if (instruments_fill(in, &s.n, "online") < 0 || instruments_precision(&s.price_precision, &in->tick_size) < 0 ||
	    instruments_precision(&s.quantity_precision, &in->lot_size) < 0 ||
	    instruments_decimal(&s.min_amount, &in->min_qty) < 0 || instruments_decimal(&s.min_usdt, &in->min_notional) < 0)
		return -1;
	return 0;
}

static const char *const bg_path[] = { "data" };

static int bg_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, bg_path, 1, "code", "00000", bg_symbol, set, err, err_len);
}

struct bg_ticker {
	struct js_span symbol, quote_volume;
};

static int bg_ticker(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct bg_ticker, symbol, "symbol"),
		JS_FIELD(struct bg_ticker, quote_volume, "quoteVolume"),
	};
	struct bg_ticker t = { 0 };
	if (js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &t, NULL, NULL) < 0)
		return -1;
	return instruments_set_volume(ctx, &t.symbol, &t.quote_volume);
}

static int bg_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, bg_path, 1, "code", "00000", bg_ticker, set, err, err_len);
}

const struct instruments_api instruments_bitget = {
	.adapter = "bitget",
	.default_rest_url = "https://api.bitget.com",
	/* both endpoints: 20 requests per second per IP; past it 429 (code 429) */
	.limits = { .min_interval_ms = 50, .limited_wait_ms = 1000 },
	.info_path = "/api/v2/spot/public/symbols",
	.tickers_path = "/api/v2/spot/market/tickers",
	.parse_info = bg_parse_info,
	.parse_tickers = bg_parse_tickers,
};

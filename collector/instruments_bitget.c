/* Bitget v2 spot discovery: GET /api/v2/spot/public/symbols (steps as
 * counts of decimals in pricePrecision and quantityPrecision) and GET
 * /api/v2/spot/market/tickers (quoteVolume: the 24 h volume in the quote
 * coin), both in the {"code":"00000","data":[...]} envelope. */
#include "collector/instruments.h"

static const char *const bg_path[] = { "data" };
static const struct instruments_list bg_list = { bg_path, 1, "code", "00000" };

static int bg_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	/* online; gray (not yet open), halt and offline are not trading.
	 * minTradeUSDT is the minimum order value, in USDT whatever the quote. */
	static const struct instruments_flat f = {
		.native = "symbol", .status = "status", .base = "baseCoin", .quote = "quoteCoin",
		.trading_status = "online", .tick = "pricePrecision", .lot = "quantityPrecision",
		.min_qty = "minTradeAmount", .min_notional = "minTradeUSDT", .steps_in_decimals = true,
	};
	return instruments_parse_flat(body, len, &bg_list, &f, set, err, err_len);
}

static int bg_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_parse_volumes(body, len, &bg_list, "symbol", "quoteVolume", set, err, err_len);
}

const struct instruments_api instruments_bitget = {
	.adapter = "bitget",
	.default_rest_url = "https://api.bitget.com",
	/* both endpoints: 20 requests per second per IP; past it 429 (code 429) */
	.limits = { .min_interval_ms = 50, .limited_wait_ms = 1000 },
	.info_path = "/api/v2/spot/public/symbols",
	.tickers_paths = (const char *const[]){ "/api/v2/spot/market/tickers", NULL },
	.parse_info = bg_parse_info,
	.parse_tickers = bg_parse_tickers,
};

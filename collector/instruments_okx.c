/* OKX v5 spot discovery: GET /api/v5/public/instruments?instType=SPOT and
 * GET /api/v5/market/tickers?instType=SPOT (volCcy24h: the 24 h volume in
 * the quote currency for spot). */
#include "collector/instruments.h"

static const char *const okx_path[] = { "data" };
static const struct instruments_list okx_list = { okx_path, 1, "code", "0" };

static int okx_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	/* live; suspend, preopen and test are not trading */
	static const struct instruments_flat f = {
		.native = "instId", .status = "state", .base = "baseCcy", .quote = "quoteCcy", .trading_status = "live",
		.tick = "tickSz", .lot = "lotSz", .min_qty = "minSz",
	};
	return instruments_parse_flat(body, len, &okx_list, &f, set, err, err_len);
}

static int okx_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_parse_volumes(body, len, &okx_list, "instId", "volCcy24h", set, err, err_len);
}

const struct instruments_api instruments_okx = {
	.adapter = "okx",
	.default_rest_url = "https://www.okx.com",
	/* both endpoints: 20 requests per 2 s per IP; past it 429 (code 50011) */
	.limits = { .min_interval_ms = 100, .limited_wait_ms = 2000 },
	.info_path = "/api/v5/public/instruments?instType=SPOT",
	.tickers_paths = (const char *const[]){ "/api/v5/market/tickers?instType=SPOT", NULL },
	.parse_info = okx_parse_info,
	.parse_tickers = okx_parse_tickers,
};

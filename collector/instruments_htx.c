/* HTX spot discovery: GET /v2/settings/common/symbols (sc, bc, qc in lower
 * case; tpp and tap: price and amount steps as counts of decimals) and GET
 * /market/tickers (vol: the 24 h volume in the quote currency), both in
 * the {"status":"ok","data":[...]} envelope. The symbols answer has no
 * minimum order quantity or value: those stay 0. */
#include "collector/instruments.h"

static const char *const htx_path[] = { "data" };
static const struct instruments_list htx_list = { htx_path, 1, "status", "ok" };

static int htx_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	/* online; offline, pre-online and suspend are not trading */
	static const struct instruments_flat f = {
		.native = "sc", .status = "state", .base = "bc", .quote = "qc", .trading_status = "online",
		.tick = "tpp", .lot = "tap", .steps_in_decimals = true,
	};
	return instruments_parse_flat(body, len, &htx_list, &f, set, err, err_len);
}

static int htx_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_parse_volumes(body, len, &htx_list, "symbol", "vol", set, err, err_len);
}

const struct instruments_api instruments_htx = {
	.adapter = "htx",
	.default_rest_url = "https://api.huobi.pro",
	/* public market data: 10 requests per second per IP for one
	 * endpoint; past it 429 */
	.limits = { .min_interval_ms = 100, .limited_wait_ms = 1000 },
	.info_path = "/v2/settings/common/symbols",
	.tickers_paths = (const char *const[]){ "/market/tickers", NULL },
	.parse_info = htx_parse_info,
	.parse_tickers = htx_parse_tickers,
};

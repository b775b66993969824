/* Gate.io v4 spot discovery: GET /api/v4/spot/currency_pairs (every pair,
 * a bare array; price and amount steps as counts of decimals) and GET
 * /api/v4/spot/tickers (quote_volume: the 24 h volume in the quote
 * currency). */
#include "collector/instruments.h"

static const struct instruments_list gt_list = { NULL, 0, NULL, NULL };

static int gt_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	/* tradable; untradable, buyable and sellable are not both ways */
	static const struct instruments_flat f = {
		.native = "id", .status = "trade_status", .base = "base", .quote = "quote", .trading_status = "tradable",
		.tick = "precision", .lot = "amount_precision", .min_qty = "min_base_amount",
		.min_notional = "min_quote_amount", .steps_in_decimals = true,
	};
	return instruments_parse_flat(body, len, &gt_list, &f, set, err, err_len);
}

static int gt_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_parse_volumes(body, len, &gt_list, "currency_pair", "quote_volume", set, err, err_len);
}

const struct instruments_api instruments_gateio = {
	.adapter = "gateio",
	.default_rest_url = "https://api.gateio.ws",
	/* public spot endpoints: 200 requests per 10 s per endpoint per IP;
	 * past it 429 TOO_MANY_REQUESTS until the 10 s window turns */
	.limits = { .min_interval_ms = 50, .limited_wait_ms = 10000 },
	.info_path = "/api/v4/spot/currency_pairs",
	.tickers_paths = (const char *const[]){ "/api/v4/spot/tickers", NULL },
	.parse_info = gt_parse_info,
	.parse_tickers = gt_parse_tickers,
};

/* Coinbase Exchange discovery: GET /products (a bare array of products,
 * BTC-USD, with their increments) and GET /products/stats (every
 * product's 24 h stats in one object keyed by product id; the documented
 * per-product /products/{id}/stats would take one call per product). The
 * 24 h volume is in the base currency: times the last price. */
#include "collector/instruments.h"

static int cb_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	/* online; offline, internal and delisted are not trading, nor is an
	 * online product with trading_disabled */
	static const struct instruments_list list = { NULL, 0, NULL, NULL };
	static const struct instruments_flat f = {
		.native = "id", .status = "status", .base = "base_currency", .quote = "quote_currency",
		.trading_status = "online", .disabled = "trading_disabled", .tick = "quote_increment",
		.lot = "base_increment", .min_notional = "min_market_funds",
	};
	return instruments_parse_flat(body, len, &list, &f, set, err, err_len);
}

struct cb_stats {
	struct js_span volume, last;
};

static int cb_stats_hook(struct js *j, const struct js_span *key, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct cb_stats, volume, "volume"),
		JS_FIELD(struct cb_stats, last, "last"),
	};
	if (!JS_IS(key, "stats_24hour"))
		return 0;
	return js_object(j, fields, sizeof(fields) / sizeof(fields[0]), ctx, NULL, NULL) < 0 ? -1 : 1;
}

static int cb_stats(struct js *j, const struct js_span *key, void *ctx)
{
	struct cb_stats s = { 0 };
	if (js_object(j, NULL, 0, NULL, cb_stats_hook, &s) < 0)
		return -1;
	return instruments_set_volume_product(ctx, key, &s.volume, &s.last);
}

static int cb_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk_members(body, len, NULL, 0, NULL, NULL, cb_stats, set, err, err_len);
}

const struct instruments_api instruments_coinbase = {
	.adapter = "coinbase",
	.default_rest_url = "https://api.exchange.coinbase.com",
	/* public endpoints: 10 requests per second per IP (bursts of 15);
	 * past it 429 */
	.limits = { .min_interval_ms = 100, .limited_wait_ms = 1000 },
	.info_path = "/products",
	.tickers_paths = (const char *const[]){ "/products/stats", NULL },
	.parse_info = cb_parse_info,
	.parse_tickers = cb_parse_tickers,
};

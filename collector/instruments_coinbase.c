/* Coinbase Exchange discovery: GET /products (a bare array of products,
 * BTC-USD, with their increments) and GET /products/stats (every
 * product's 24 h stats in one object keyed by product id; the documented
 * per-product /products/{id}/stats would take one call per product). The
 * 24 h volume is in the base currency: times the last price. */
#include "collector/instruments.h"

struct cb_product {
	struct instruments_names n;
	struct js_span quote_increment, base_increment, min_funds, disabled;
};

static int cb_product(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct cb_product, n.native, "id"),
		JS_FIELD(struct cb_product, n.status, "status"),
		JS_FIELD(struct cb_product, n.base, "base_currency"),
		JS_FIELD(struct cb_product, n.quote, "quote_currency"),
		JS_FIELD(struct cb_product, quote_increment, "quote_increment"),
		JS_FIELD(struct cb_product, base_increment, "base_increment"),
		JS_FIELD(struct cb_product, min_funds, "min_market_funds"),
		JS_FIELD(struct cb_product, disabled, "trading_disabled"),
	};
	struct cb_product p = { 0 };
	struct instrument *in = instrument_set_add(ctx);
	if (!in || js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &p, NULL, NULL) < 0)
		return -1;
	/* an online product can still have trading switched off */
	if (JS_IS(&p.disabled, "true"))
		p.n.status = INSTRUMENTS_LITERAL("disabled");
	/* online; offline, internal and delisted are not trading */
	if (instruments_fill(in, &p.n, "online") < 0 || instruments_decimal(&p.quote_increment, &in->tick_size) < 0 ||
	    instruments_decimal(&p.base_increment, &in->lot_size) < 0 ||
	    instruments_decimal(&p.min_funds, &in->min_notional) < 0)
		return -1;
	return 0;
}

static int cb_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, NULL, 0, NULL, NULL, cb_product, set, err, err_len);
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
	.tickers_path = "/products/stats",
	.parse_info = cb_parse_info,
	.parse_tickers = cb_parse_tickers,
};

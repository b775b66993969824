/* Gate.io v4 spot discovery: GET /api/v4/spot/currency_pairs (every pair,
 * a bare array; price and amount steps as counts of decimals) and GET
 * /api/v4/spot/tickers (quote_volume: the 24 h volume in the quote
 * currency). */
#include "collector/instruments.h"

struct gt_pair {
	struct instruments_names n;
	struct js_span precision, amount_precision, min_base, min_quote;
};

static int gt_pair(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct gt_pair, n.native, "id"),
		JS_FIELD(struct gt_pair, n.status, "trade_status"),
		JS_FIELD(struct gt_pair, n.base, "base"),
		JS_FIELD(struct gt_pair, n.quote, "quote"),
		JS_FIELD(struct gt_pair, precision, "precision"),
		JS_FIELD(struct gt_pair, amount_precision, "amount_precision"),
		JS_FIELD(struct gt_pair, min_base, "min_base_amount"),
		JS_FIELD(struct gt_pair, min_quote, "min_quote_amount"),
	};
	struct gt_pair p = { 0 };
	struct instrument *in = instrument_set_add(ctx);
	if (!in || js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &p, NULL, NULL) < 0)
		return -1;
	/* tradable; untradable, buyable and sellable are not both ways */
	if (instruments_fill(in, &p.n, "tradable") < 0 || instruments_precision(&p.precision, &in->tick_size) < 0 ||
	    instruments_precision(&p.amount_precision, &in->lot_size) < 0 ||
	    instruments_decimal(&p.min_base, &in->min_qty) < 0 || instruments_decimal(&p.min_quote, &in->min_notional) < 0)
		return -1;
	return 0;
}

static int gt_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, NULL, 0, NULL, NULL, gt_pair, set, err, err_len);
}

struct gt_ticker {
	struct js_span pair, quote_volume;
};

static int gt_ticker(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct gt_ticker, pair, "currency_pair"),
		JS_FIELD(struct gt_ticker, quote_volume, "quote_volume"),
	};
	struct gt_ticker t = { 0 };
	if (js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &t, NULL, NULL) < 0)
		return -1;
	return instruments_set_volume(ctx, &t.pair, &t.quote_volume);
}

static int gt_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, NULL, 0, NULL, NULL, gt_ticker, set, err, err_len);
}

const struct instruments_api instruments_gateio = {
	.adapter = "gateio",
	.default_rest_url = "https://api.gateio.ws",
	/* public spot endpoints: 200 requests per 10 s per endpoint per IP;
	 * past it 429 TOO_MANY_REQUESTS until the 10 s window turns */
	.limits = { .min_interval_ms = 50, .limited_wait_ms = 10000 },
	.info_path = "/api/v4/spot/currency_pairs",
	.tickers_path = "/api/v4/spot/tickers",
	.parse_info = gt_parse_info,
	.parse_tickers = gt_parse_tickers,
};

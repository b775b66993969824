/* Deribit discovery: GET /api/v2/public/get_instruments for currency=any
 * and /api/v2/public/get_book_summary_by_currency per currency, both for
 * kind=future (perpetuals and dated futures; options are not streamed),
 * JSON-RPC answers {"jsonrpc":"2.0","result":[...]}. Named as the adapter
 * names them: BTC-PERPETUAL is BTC-USD-PERP, ETH_USDC-PERPETUAL
 * ETH-USDC-PERP, BTC-27JUN25 BTC-USD-250627 (from its expiry). */
#include <stdint.h>
#include <time.h>

#include "collector/instruments.h"

struct db_instrument {
	struct instruments_names n;
	struct js_span active, period, expiry, tick, contract_size, min_amount;
};

/* YYMMDD of the expiry (ms since the epoch, UTC) into out[7]. */
static int db_expiry(const struct js_span *ms, char out[7])
{
	uint64_t v;
	struct tm tm;
	if (js_span_u64(ms, &v) < 0 || v > (uint64_t)INT64_MAX / 1000)
		return -1;
	time_t t = (time_t)(v / 1000);
	if (!gmtime_r(&t, &tm) || tm.tm_year < 100 || tm.tm_year > 199)
		return -1;
	strftime(out, 7, "%y%m%d", &tm);
	return 0;
}

static int db_instrument(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct db_instrument, n.native, "instrument_name"),
		JS_FIELD(struct db_instrument, n.base, "base_currency"),
		JS_FIELD(struct db_instrument, n.quote, "quote_currency"),
		JS_FIELD(struct db_instrument, active, "is_active"),
		JS_FIELD(struct db_instrument, period, "settlement_period"),
		JS_FIELD(struct db_instrument, expiry, "expiration_timestamp"),
		JS_FIELD(struct db_instrument, tick, "tick_size"),
		JS_FIELD(struct db_instrument, contract_size, "contract_size"),
		JS_FIELD(struct db_instrument, min_amount, "min_trade_amount"),
	};
	struct db_instrument d = { 0 };
	char expiry[7];
	struct instrument *in = instrument_set_add(ctx);
	if (!in || js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &d, NULL, NULL) < 0)
		return -1;
	d.n.status = JS_IS(&d.active, "true") ? INSTRUMENTS_LITERAL("active") : INSTRUMENTS_LITERAL("inactive");
	if (JS_IS(&d.period, "perpetual")) {
		d.n.suffix = INSTRUMENTS_LITERAL("PERP");
	} else {
		if (db_expiry(&d.expiry, expiry) < 0)
			return -1;
		d.n.suffix = (struct js_span){ .s = expiry, .len = 6 };
	}
	/* amounts are whole contracts (USD for inverse contracts, the base
	 * coin for linear ones) from min_trade_amount up */
	if (instruments_fill(in, &d.n, "active") < 0 || instruments_decimal(&d.tick, &in->tick_size) < 0 ||
	    instruments_decimal(&d.contract_size, &in->lot_size) < 0 ||
	    instruments_decimal(&d.min_amount, &in->min_qty) < 0)
		return -1;
	return 0;
}

static const char *const db_path[] = { "result" };

static int db_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk(body, len, db_path, 1, NULL, NULL, db_instrument, set, err, err_len);
}

/* volume_notional: the 24 h volume in the quote currency (futures) */
static int db_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	static const struct instruments_list list = { db_path, 1, NULL, NULL };
	return instruments_parse_volumes(body, len, &list, "instrument_name", "volume_notional", set, err, err_len);
}

const struct instruments_api instruments_deribit = {
	.adapter = "deribit",
	.default_rest_url = "https://www.deribit.com",
	/* non-matching-engine requests: a credit pool per IP refilled at 20
	 * requests per second (bursts of 100); past it error 10028
	 * too_many_requests, with HTTP 429 */
	.limits = { .min_interval_ms = 50, .limited_wait_ms = 1000 },
	.info_path = "/api/v2/public/get_instruments?currency=any&kind=future",
	/* one call per currency the documentation names (currency=any is
	 * documented for get_instruments only): BTC and ETH hold the inverse
	 * contracts, USDC and USDT the linear ones */
	.tickers_paths = (const char *const[]){ "/api/v2/public/get_book_summary_by_currency?currency=BTC&kind=future",
						"/api/v2/public/get_book_summary_by_currency?currency=ETH&kind=future",
						"/api/v2/public/get_book_summary_by_currency?currency=USDC&kind=future",
						"/api/v2/public/get_book_summary_by_currency?currency=USDT&kind=future", NULL },
	.parse_info = db_parse_info,
	.parse_tickers = db_parse_tickers,
};

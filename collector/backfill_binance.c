/* Binance spot trade history: GET /api/v3/historicalTrades?symbol=&fromId=
 * &limit=1000, oldest first. Its ids are the ones the @trade stream
 * carries in "t" (collector/exchange_binance.c), unlike aggTrades' ids. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "collector/backfill.h"
#include "collector/json_scan.h"

#define BINANCE_HISTORY_PAGE 1000

static int binance_page_path(const char *native, uint64_t lo, uint64_t hi, char *out, size_t out_len)
{
	uint64_t want = hi - lo + 1;
	return snprintf(out, out_len, "/api/v3/historicalTrades?symbol=%s&fromId=%" PRIu64 "&limit=%" PRIu64, native,
			lo, want < BINANCE_HISTORY_PAGE ? want : BINANCE_HISTORY_PAGE);
}

struct bn_trade {
	struct js_span id, price, qty, time, maker;
};

static int binance_parse_page(const char *body, size_t len, struct backfill_trade *out, size_t max, char *why,
			      size_t why_len)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct bn_trade, id, "id"),     JS_FIELD(struct bn_trade, price, "price"),
		JS_FIELD(struct bn_trade, qty, "qty"),   JS_FIELD(struct bn_trade, time, "time"),
		JS_FIELD(struct bn_trade, maker, "isBuyerMaker"),
	};
	struct js j;
	bool first;
	struct backfill_page pg = { out, max, 0 };
	js_init(&j, body, len);
	if (js_arr_begin(&j, &first) < 0) {
		snprintf(why, why_len, "not a list of trades: %.*s", (int)(len < 120 ? len : 120), body);
		return -1;
	}
	int rc;
	while ((rc = js_arr_next(&j, &first)) == 1) {
		struct bn_trade f = { 0 };
		if (js_object(&j, fields, sizeof(fields) / sizeof(fields[0]), &f, NULL, NULL) < 0)
			break;
		if (pg.n == max) {
			snprintf(why, why_len, "more than %zu trades in a page", max);
			return -1;
		}
		struct backfill_trade *t = backfill_page_trade(&pg, &f.id, &f.price, &f.qty, &f.time);
		if (!t || !f.maker.s) {
			snprintf(why, why_len, "trade %zu lacks or mangles id, price, qty, time or isBuyerMaker", pg.n);
			return -1;
		}
		/* the buyer was the maker: the aggressor sold */
		t->kind = JS_IS(&f.maker, "true") ? TICK_TRADE_SELL : TICK_TRADE_BUY;
		pg.n++;
	}
	if (rc != 0 || !js_at_end(&j)) {
		snprintf(why, why_len, "malformed JSON near byte %zu of %zu", (size_t)(j.p - body), len);
		return -1;
	}
	return (int)pg.n;
}

const struct backfill_api backfill_binance = {
	.adapter = "binance",
	.newest_first = false,
	.page_path = binance_page_path,
	.parse_page = binance_parse_page,
};

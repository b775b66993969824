/* Bybit v5 spot trade history: GET /v5/market/recent-trade?category=spot
 * &symbol=&limit=60, the newest trades only (spot serves at most 60), no
 * paging: a hole is repaired only as far as they reach back. */
#include <stdio.h>
#include <string.h>

#include "collector/backfill.h"
#include "collector/instruments.h"
#include "collector/json_scan.h"

/* Bybit documents limit as [1, 60] for spot ([1, 1000] elsewhere). */
#define BYBIT_RECENT_SPOT_MAX 60

static int bybit_page_path(const char *native, uint64_t lo, uint64_t hi, char *out, size_t out_len)
{
	(void)lo;
	(void)hi; /* no id parameter: the newest trades are all there is */
	return snprintf(out, out_len, "/v5/market/recent-trade?category=spot&symbol=%s&limit=%d", native,
			BYBIT_RECENT_SPOT_MAX);
}

struct bybit_trade {
	struct js_span id, price, size, time, side;
};

/* execId is a decimal string on spot (2280000001739247417 in the
 * fixtures): its number is the trade id, as the live adapter takes it
 * (collector/exchange_bybit.c), so the two meet in the dedup. */
static int bybit_trade(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct bybit_trade, id, "execId"), JS_FIELD(struct bybit_trade, price, "price"),
		JS_FIELD(struct bybit_trade, size, "size"), JS_FIELD(struct bybit_trade, time, "time"),
		JS_FIELD(struct bybit_trade, side, "side"),
	};
	struct bybit_trade f = { 0 };
	if (js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &f, NULL, NULL) < 0)
		return -1;
	struct backfill_page *pg = ctx;
	struct backfill_trade *t = backfill_page_trade(pg, &f.id, &f.price, &f.size, &f.time);
	if (!t || !(JS_IS(&f.side, "Buy") || JS_IS(&f.side, "Sell")))
		return -1;
	/* side is the taker's */
	t->kind = JS_IS(&f.side, "Buy") ? TICK_TRADE_BUY : TICK_TRADE_SELL;
	pg->n++;
	return 0;
}

static int bybit_parse_page(const char *body, size_t len, struct backfill_trade *out, size_t max, char *why,
			    size_t why_len)
{
	static const char *const path[] = { "result", "list" };
	struct backfill_page pg = { out, max, 0 };
	if (instruments_walk(body, len, path, 2, "retCode", "0", bybit_trade, &pg, why, why_len) < 0)
		return -1;
	return (int)pg.n;
}

const struct backfill_api backfill_bybit = {
	.adapter = "bybit",
	.newest_first = true,
	.recent_only = true,
	.page_path = bybit_page_path,
	.parse_page = bybit_parse_page,
};

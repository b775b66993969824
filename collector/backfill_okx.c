/* OKX spot trade history: GET /api/v5/market/history-trades?instId=&type=1
 * &after=ID&limit=100: the 100 trades before ID, newest first, so a hole
 * is walked down from its end. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "collector/backfill.h"
#include "collector/instruments.h"
#include "collector/json_scan.h"

#define OKX_HISTORY_PAGE 100

static int okx_page_path(const char *native, uint64_t lo, uint64_t hi, char *out, size_t out_len)
{
	uint64_t want = hi - lo + 1;
	return snprintf(out, out_len, "/api/v5/market/history-trades?instId=%s&type=1&after=%" PRIu64 "&limit=%" PRIu64,
			native, hi + 1, want < OKX_HISTORY_PAGE ? want : OKX_HISTORY_PAGE);
}

struct okx_trade {
	struct js_span id, px, sz, ts, side;
};

static int okx_trade(struct js *j, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct okx_trade, id, "tradeId"), JS_FIELD(struct okx_trade, px, "px"),
		JS_FIELD(struct okx_trade, sz, "sz"),      JS_FIELD(struct okx_trade, ts, "ts"),
		JS_FIELD(struct okx_trade, side, "side"),
	};
	struct okx_trade f = { 0 };
	if (js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &f, NULL, NULL) < 0)
		return -1;
	struct backfill_page *pg = ctx;
	struct backfill_trade *t = backfill_page_trade(pg, &f.id, &f.px, &f.sz, &f.ts);
	if (!t)
		return -1;
	/* side is the taker's */
	t->kind = JS_IS(&f.side, "buy") ? TICK_TRADE_BUY : JS_IS(&f.side, "sell") ? TICK_TRADE_SELL : TICK_TRADE;
	pg->n++;
	return 0;
}

static int okx_parse_page(const char *body, size_t len, struct backfill_trade *out, size_t max, char *why,
			  size_t why_len)
{
	static const char *const path[] = { "data" };
	struct backfill_page pg = { out, max, 0 };
	if (instruments_walk(body, len, path, 1, "code", "0", okx_trade, &pg, why, why_len) < 0)
		return -1;
	return (int)pg.n;
}

const struct backfill_api backfill_okx = {
	.adapter = "okx",
	.newest_first = true,
	.page_path = okx_page_path,
	.parse_page = okx_parse_page,
};

/* Bybit v5 spot trade history: GET /v5/market/recent-trade?category=spot
 * &symbol=&limit=60, the newest trades only (spot serves at most 60), no
 * paging: a hole is repaired only as far as they reach back. */
#include <stdio.h>

#include "collector/backfill.h"
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

/* execId is a decimal string on spot (2280000001739247417 in the
 * fixtures): its number is the trade id, as the live adapter takes it
 * (collector/exchange_bybit.c), so the two meet in the dedup. side is the
 * taker's. */
static const char *const bybit_path[] = { "result", "list" };
static const struct js_field bybit_fields[] = {
	JS_FIELD(struct backfill_spans, id, "execId"), JS_FIELD(struct backfill_spans, px, "price"),
	JS_FIELD(struct backfill_spans, qty, "size"),  JS_FIELD(struct backfill_spans, ts_ms, "time"),
	JS_FIELD(struct backfill_spans, side, "side"),
};
static const struct backfill_format bybit_format = {
	.path = bybit_path, .path_len = 2, .code_key = "retCode", .code_ok = "0",
	.fields = bybit_fields, .nfields = sizeof(bybit_fields) / sizeof(bybit_fields[0]), .buy = "Buy", .sell = "Sell",
};

const struct backfill_api backfill_bybit = {
	.adapter = "bybit",
	.newest_first = true,
	.recent_only = true,
	.page_path = bybit_page_path,
	.format = &bybit_format,
};

/* OKX spot trade history: GET /api/v5/market/history-trades?instId=&type=1
 * &after=ID&limit=100: the 100 trades before ID, newest first, so a hole
 * is walked down from its end. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "collector/backfill.h"
#include "collector/json_scan.h"

#define OKX_HISTORY_PAGE 100

static int okx_page_path(const char *native, uint64_t lo, uint64_t hi, char *out, size_t out_len)
{
	uint64_t want = hi - lo + 1;
	return snprintf(out, out_len, "/api/v5/market/history-trades?instId=%s&type=1&after=%" PRIu64 "&limit=%" PRIu64,
			native, hi + 1, want < OKX_HISTORY_PAGE ? want : OKX_HISTORY_PAGE);
}

/* side is the taker's */
static const char *const okx_path[] = { "data" };
static const struct js_field okx_fields[] = {
	JS_FIELD(struct backfill_spans, id, "tradeId"), JS_FIELD(struct backfill_spans, px, "px"),
	JS_FIELD(struct backfill_spans, qty, "sz"),     JS_FIELD(struct backfill_spans, ts_ms, "ts"),
	JS_FIELD(struct backfill_spans, side, "side"),
};
static const struct backfill_format okx_format = {
	.path = okx_path, .path_len = 1, .code_key = "code", .code_ok = "0",
	.fields = okx_fields, .nfields = sizeof(okx_fields) / sizeof(okx_fields[0]), .buy = "buy", .sell = "sell",
};

const struct backfill_api backfill_okx = {
	.adapter = "okx",
	.newest_first = true,
	.page_path = okx_page_path,
	.format = &okx_format,
};

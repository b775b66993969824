/* Kraken spot discovery: GET /0/public/AssetPairs and GET /0/public/Ticker
 * (every pair when none is named), both {"error":[],"result":{PAIR:{...}}}
 * keyed by Kraken's REST pair name (XXBTZUSD, SOLUSD), kept as the native
 * name. The canonical name comes from wsname (XBT/USD), with Kraken's
 * legacy asset codes XBT and XDG read as BTC and DOGE, as its WebSocket v2
 * (BTC/USD) names them. */
#include <string.h>

#include "collector/instruments.h"

struct kr_pair {
	struct js_span wsname, status, tick, lot_decimals, ordermin, costmin;
};

/* Kraken's own codes for two assets whose common tickers it also knows. */
static struct js_span kr_asset(const char *s, size_t len)
{
	struct js_span a = { .s = s, .len = len, .quoted = true };
	if (JS_IS(&a, "XBT"))
		return INSTRUMENTS_LITERAL("BTC");
	if (JS_IS(&a, "XDG"))
		return INSTRUMENTS_LITERAL("DOGE");
	return a;
}

static int kr_pair(struct js *j, const struct js_span *key, void *ctx)
{
	static const struct js_field fields[] = {
		JS_FIELD(struct kr_pair, wsname, "wsname"),
		JS_FIELD(struct kr_pair, status, "status"),
		JS_FIELD(struct kr_pair, tick, "tick_size"),
		JS_FIELD(struct kr_pair, lot_decimals, "lot_decimals"),
		JS_FIELD(struct kr_pair, ordermin, "ordermin"),
		JS_FIELD(struct kr_pair, costmin, "costmin"),
	};
	struct kr_pair p = { 0 };
	struct instrument *in = instrument_set_add(ctx);
	if (!in || js_object(j, fields, sizeof(fields) / sizeof(fields[0]), &p, NULL, NULL) < 0 || !p.wsname.s)
		return -1;
	const char *slash = memchr(p.wsname.s, '/', p.wsname.len);
	if (!slash)
		return -1;
	struct instruments_names n = {
		.native = *key,
		.status = p.status,
		.base = kr_asset(p.wsname.s, (size_t)(slash - p.wsname.s)),
		.quote = kr_asset(slash + 1, p.wsname.len - (size_t)(slash + 1 - p.wsname.s)),
	};
	/* online; cancel_only, post_only, limit_only, reduce_only and
	 * delisted are not trading both ways */
	if (instruments_fill(in, &n, "online") < 0 || instruments_decimal(&p.tick, &in->tick_size) < 0 ||
	    instruments_precision(&p.lot_decimals, &in->lot_size) < 0 ||
	    instruments_decimal(&p.ordermin, &in->min_qty) < 0 || instruments_decimal(&p.costmin, &in->min_notional) < 0)
		return -1;
	return 0;
}

static const char *const kr_path[] = { "result" };

static int kr_parse_info(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk_members(body, len, kr_path, 1, "error", "[]", kr_pair, set, err, err_len);
}

/* v and p: [today, last 24 hours]; the second element is wanted. */
struct kr_ticker {
	struct js_span volume, vwap;
};

static int kr_ticker_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct kr_ticker *t = ctx;
	struct js_span *out = JS_IS(key, "v") ? &t->volume : JS_IS(key, "p") ? &t->vwap : NULL;
	struct js_span v;
	bool first;
	int rc;
	size_t i = 0;
	if (!out)
		return 0;
	if (js_arr_begin(j, &first) < 0)
		return -1;
	while ((rc = js_arr_next(j, &first)) == 1) {
		if (js_scalar(j, &v) < 0)
			return -1;
		if (i++ == 1)
			*out = v;
	}
	return rc < 0 ? -1 : 1;
}

static int kr_ticker(struct js *j, const struct js_span *key, void *ctx)
{
	struct kr_ticker t = { 0 };
	if (js_object(j, NULL, 0, NULL, kr_ticker_hook, &t) < 0)
		return -1;
	/* the 24 h volume is in the base asset: times the 24 h average price */
	return instruments_set_volume_product(ctx, key, &t.volume, &t.vwap);
}

static int kr_parse_tickers(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len)
{
	return instruments_walk_members(body, len, kr_path, 1, "error", "[]", kr_ticker, set, err, err_len);
}

const struct instruments_api instruments_kraken = {
	.adapter = "kraken",
	.default_rest_url = "https://api.kraken.com",
	/* public endpoints: about one call per second per IP; past it Kraken
	 * answers 200 with error EGeneral:Too many requests (an unusable
	 * answer: the backoff waits) or 429 */
	.limits = { .min_interval_ms = 1000, .limited_wait_ms = 5000 },
	.info_path = "/0/public/AssetPairs",
	.tickers_paths = (const char *const[]){ "/0/public/Ticker", NULL },
	.parse_info = kr_parse_info,
	.parse_tickers = kr_parse_tickers,
};

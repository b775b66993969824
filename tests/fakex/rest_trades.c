/* Trade-history pages rendered from a pure function of (symbol, id). */
#include "tests/fakex/rest_trades.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The trades of a hole were due one per 10 ms (docs/fakex.md): the newest
 * of a page is "now", each older id 10 ms earlier. */
#define REST_TRADES_SPACING_MS 10
#define REST_TRADES_ROW_MAX 256

struct rest_trade {
	uint64_t id;
	int64_t px_e8, qty_e8, ts_ms;
	bool buy;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void trade_of(const char *symbol, size_t sym_len, uint64_t id, int64_t ts_ms, struct rest_trade *t)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a of the symbol, then the id */
	for (size_t i = 0; i < sym_len; i++)
		h = (h ^ (unsigned char)symbol[i]) * 1099511628211ULL;
	h = mix(h ^ id);
	t->id = id;
	t->px_e8 = (int64_t)(100 + h % 100000) * 1000000; /* 1.00 .. 1000.99 */
	t->qty_e8 = (int64_t)(1 + (h >> 20) % 500000) * 1000;
	t->buy = (h >> 40) & 1;
	t->ts_ms = ts_ms;
}

/* The value of key= in query, as a span; NULL if absent. */
static const char *query_value(const char *query, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	for (const char *p = query; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			*len = strcspn(p + klen + 1, "&");
			return p + klen + 1;
		}
	}
	return NULL;
}

static bool query_u64(const char *query, const char *key, uint64_t *out)
{
	size_t len;
	const char *v = query_value(query, key, &len);
	if (!v || len == 0 || len > 19)
		return false;
	char *end;
	*out = strtoull(v, &end, 10);
	return end == v + len;
}

int rest_trades_route(const char *path)
{
	return strcmp(path, "/api/v3/historicalTrades") == 0 ? 0
	       : strcmp(path, "/api/v5/market/history-trades") == 0 ? 2
								    : -1;
}

static int error_body(int ex, const char *msg, char **body, size_t *len)
{
	char tmp[256];
	int n = ex == 0 ? snprintf(tmp, sizeof(tmp), "{\"code\":-1100,\"msg\":\"%s\"}", msg)
			: snprintf(tmp, sizeof(tmp), "{\"code\":\"51000\",\"msg\":\"%s\",\"data\":[]}", msg);
	if (!(*body = strdup(tmp)))
		return -ENOMEM;
	*len = (size_t)n;
	return 400;
}

static void put_decimal(char *out, size_t out_len, int64_t e8)
{
	snprintf(out, out_len, "%" PRId64 ".%08" PRId64, e8 / 100000000, e8 % 100000000);
}

int rest_trades_render(int ex, const char *query, int64_t now_ms, char **body, size_t *len)
{
	size_t sym_len;
	const char *sym = query_value(query, ex == 0 ? "symbol" : "instId", &sym_len);
	uint64_t limit = ex == 0 ? 500 : 100, from, after;
	if (!sym || sym_len == 0 || sym_len > 32)
		return error_body(ex, "symbol missing or too long", body, len);
	if (query_value(query, "limit", &(size_t){ 0 }) && !query_u64(query, "limit", &limit))
		return error_body(ex, "bad limit", body, len);
	uint64_t max = ex == 0 ? REST_TRADES_BINANCE_MAX : REST_TRADES_OKX_MAX;
	if (limit == 0 || limit > max)
		limit = max;
	/* Binance: ids from, from+1, ... oldest first. OKX (type=1, after=):
	 * ids after-1, after-2, ... newest first. Without them the real APIs
	 * answer the newest trades, which only the WebSocket server knows. */
	if (ex == 0 && !query_u64(query, "fromId", &from))
		return error_body(ex, "fromId required by this fake", body, len);
	if (ex == 2 && (!query_u64(query, "after", &after) || after == 0))
		return error_body(ex, "after required by this fake", body, len);
	if (ex == 2) {
		if (limit > after - 1)
			limit = after - 1;
		from = after - limit;
	}
	size_t cap = 128 + limit * REST_TRADES_ROW_MAX, n = 0;
	char *b = malloc(cap);
	if (!b)
		return -ENOMEM;
	n += (size_t)snprintf(b, cap, "%s", ex == 0 ? "[" : "{\"code\":\"0\",\"msg\":\"\",\"data\":[");
	for (uint64_t k = 0; k < limit; k++) {
		uint64_t id = ex == 0 ? from + k : after - 1 - k;
		struct rest_trade t;
		trade_of(sym, sym_len, id, now_ms - (int64_t)((from + limit - 1 - id) * REST_TRADES_SPACING_MS), &t);
		char px[32], qty[32];
		put_decimal(px, sizeof(px), t.px_e8);
		put_decimal(qty, sizeof(qty), t.qty_e8);
		const char *sep = k ? "," : "";
		if (ex == 0)
			n += (size_t)snprintf(b + n, cap - n,
					      "%s{\"id\":%" PRIu64 ",\"price\":\"%s\",\"qty\":\"%s\",\"quoteQty\":\"0\","
					      "\"time\":%" PRId64 ",\"isBuyerMaker\":%s,\"isBestMatch\":true}",
					      sep, t.id, px, qty, t.ts_ms, t.buy ? "false" : "true");
		else
			n += (size_t)snprintf(b + n, cap - n,
					      "%s{\"instId\":\"%.*s\",\"side\":\"%s\",\"sz\":\"%s\",\"px\":\"%s\","
					      "\"tradeId\":\"%" PRIu64 "\",\"ts\":\"%" PRId64 "\"}",
					      sep, (int)sym_len, sym, t.buy ? "buy" : "sell", qty, px, t.id, t.ts_ms);
	}
	n += (size_t)snprintf(b + n, cap - n, "%s", ex == 0 ? "]" : "]}");
	*body = b;
	*len = n;
	return 200;
}

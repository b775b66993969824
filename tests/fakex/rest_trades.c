/* Trade-history pages rendered from a pure function of (symbol, id). */
#include "tests/fakex/rest_trades.h"

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* The trades of a hole were due one per 10 ms (docs/fakex.md): the newest
 * of a page is "now", each older id 10 ms earlier. */
#define REST_TRADES_SPACING_MS 10
#define REST_TRADES_ROW_MAX 256
#define REST_TRADES_SENT_MAX 65536 /* spreadbus-fakex's `sent` answer, at most */

enum { EX_BINANCE, EX_BYBIT, EX_OKX };
static const char *const ex_names[] = { "binance", "bybit", "okx" };
static const char *const symbol_keys[] = { "symbol", "symbol", "instId" };
static const uint64_t default_limits[] = { 500, REST_TRADES_BYBIT_SPOT_MAX, 100 };
static const uint64_t max_limits[] = { REST_TRADES_BINANCE_MAX, REST_TRADES_BYBIT_SPOT_MAX, REST_TRADES_OKX_MAX };

static int fakex_control_port;
static uint64_t history_depth;

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

void rest_trades_configure(int control_port, uint64_t depth)
{
	fakex_control_port = control_port;
	history_depth = depth;
}

int rest_trades_route(const char *path)
{
	return strcmp(path, "/api/v3/historicalTrades") == 0	 ? EX_BINANCE
	       : strcmp(path, "/v5/market/recent-trade") == 0	 ? EX_BYBIT
	       : strcmp(path, "/api/v5/market/history-trades") == 0 ? EX_OKX
								     : -1;
}

/* Whether the canonical name (BTC-USDT) is the native one (BTCUSDT or
 * BTC-USDT): equal once dashes are left out of both. */
static bool same_symbol(const char *canon, size_t canon_len, const char *native, size_t native_len)
{
	size_t i = 0, k = 0;
	for (;;) {
		while (i < canon_len && canon[i] == '-')
			i++;
		while (k < native_len && native[k] == '-')
			k++;
		if (i == canon_len || k == native_len)
			return i == canon_len && k == native_len;
		if (canon[i++] != native[k++])
			return false;
	}
}

/* The newest trade id spreadbus-fakex sent on sym, from its control port:
 * `sent EXCHANGE` answers {"BTC-USDT":{"quotes":[..],"trades":[count,first,last]},...}.
 * The fake's loop waits for it: a local answer of a few KiB. 0 or -1. */
static int stream_head(int ex, const char *sym, size_t sym_len, uint64_t *head)
{
	static char answer[REST_TRADES_SENT_MAX];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)fakex_control_port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tv = { .tv_sec = 2 };
	char cmd[32];
	int cmd_len = snprintf(cmd, sizeof(cmd), "sent %s\n", ex_names[ex]);
	size_t n = 0;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    write(fd, cmd, (size_t)cmd_len) != cmd_len) {
		close(fd);
		return -1;
	}
	while (n < sizeof(answer) - 1 && !memchr(answer, '\n', n)) {
		ssize_t r = read(fd, answer + n, sizeof(answer) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	answer[n] = '\0';
	for (const char *key = strchr(answer, '"'); key; key = strchr(key, '"')) {
		const char *end = strchr(++key, '"');
		if (!end)
			break;
		if (same_symbol(key, (size_t)(end - key), sym, sym_len)) {
			const char *t = strstr(end, "\"trades\":[");
			unsigned long long count, first, last;
			if (!t || sscanf(t, "\"trades\":[%llu,%llu,%llu]", &count, &first, &last) != 3 || count == 0)
				return -1;
			*head = last;
			return 0;
		}
		key = end + 1;
	}
	return -1;
}

static int error_body(int ex, const char *msg, int64_t now_ms, char **body, size_t *len)
{
	char tmp[256];
	int n = ex == EX_BINANCE ? snprintf(tmp, sizeof(tmp), "{\"code\":-1100,\"msg\":\"%s\"}", msg)
		: ex == EX_BYBIT ? snprintf(tmp, sizeof(tmp),
					    "{\"retCode\":10001,\"retMsg\":\"%s\",\"result\":{},\"retExtInfo\":{},\"time\":%" PRId64 "}",
					    msg, now_ms)
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

static size_t put_row(int ex, char *b, size_t cap, const char *sep, const char *sym, size_t sym_len,
		      const struct rest_trade *t)
{
	char px[32], qty[32];
	put_decimal(px, sizeof(px), t->px_e8);
	put_decimal(qty, sizeof(qty), t->qty_e8);
	if (ex == EX_BINANCE)
		return (size_t)snprintf(b, cap,
					"%s{\"id\":%" PRIu64 ",\"price\":\"%s\",\"qty\":\"%s\",\"quoteQty\":\"0\","
					"\"time\":%" PRId64 ",\"isBuyerMaker\":%s,\"isBestMatch\":true}",
					sep, t->id, px, qty, t->ts_ms, t->buy ? "false" : "true");
	if (ex == EX_BYBIT)
		return (size_t)snprintf(b, cap,
					"%s{\"execId\":\"%" PRIu64 "\",\"symbol\":\"%.*s\",\"price\":\"%s\",\"size\":\"%s\","
					"\"side\":\"%s\",\"time\":\"%" PRId64 "\",\"isBlockTrade\":false,\"isRPITrade\":false}",
					sep, t->id, (int)sym_len, sym, px, qty, t->buy ? "Buy" : "Sell", t->ts_ms);
	return (size_t)snprintf(b, cap,
				"%s{\"instId\":\"%.*s\",\"side\":\"%s\",\"sz\":\"%s\",\"px\":\"%s\","
				"\"tradeId\":\"%" PRIu64 "\",\"ts\":\"%" PRId64 "\"}",
				sep, (int)sym_len, sym, t->buy ? "buy" : "sell", qty, px, t->id, t->ts_ms);
}

int rest_trades_render(int ex, const char *query, int64_t now_ms, char **body, size_t *len)
{
	size_t sym_len;
	const char *sym = query_value(query, symbol_keys[ex], &sym_len);
	uint64_t limit = default_limits[ex], from = 0, after = 0, head = 0, oldest = 1;
	if (!sym || sym_len == 0 || sym_len > 32)
		return error_body(ex, "symbol missing or too long", now_ms, body, len);
	if (ex == EX_BYBIT && !strstr(query, "category=spot"))
		return error_body(ex, "this fake serves category=spot only", now_ms, body, len);
	if (query_value(query, "limit", &(size_t){ 0 }) && !query_u64(query, "limit", &limit))
		return error_body(ex, "bad limit", now_ms, body, len);
	if (limit == 0 || limit > max_limits[ex])
		limit = max_limits[ex];
	/* Binance: ids from, from+1, ... oldest first. OKX (type=1, after=):
	 * ids after-1, after-2, ... newest first. Without them the real APIs
	 * answer the newest trades, which only the WebSocket server knows:
	 * Bybit asks it. */
	if (ex == EX_BINANCE && !query_u64(query, "fromId", &from))
		return error_body(ex, "fromId required by this fake", now_ms, body, len);
	if (ex == EX_OKX && (!query_u64(query, "after", &after) || after == 0))
		return error_body(ex, "after required by this fake", now_ms, body, len);
	if (ex == EX_BYBIT || history_depth) {
		if (!fakex_control_port || stream_head(ex, sym, sym_len, &head) < 0)
			return error_body(ex, "no trade of this symbol known to spreadbus-fakex", now_ms, body, len);
		if (history_depth && head >= history_depth)
			oldest = head - history_depth + 1;
	}
	if (ex == EX_BYBIT)
		after = head + 1;
	if (ex == EX_BINANCE) {
		from = from < oldest ? oldest : from;
	} else {
		limit = after <= oldest ? 0 : limit < after - oldest ? limit : after - oldest;
		from = after - limit;
	}
	size_t cap = 160 + limit * REST_TRADES_ROW_MAX, n = 0;
	char *b = malloc(cap);
	if (!b)
		return -ENOMEM;
	static const char *const opens[] = { "[", "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"category\":\"spot\",\"list\":[",
					     "{\"code\":\"0\",\"msg\":\"\",\"data\":[" };
	n += (size_t)snprintf(b, cap, "%s", opens[ex]);
	for (uint64_t k = 0; k < limit; k++) {
		uint64_t id = ex == EX_BINANCE ? from + k : after - 1 - k;
		struct rest_trade t;
		trade_of(sym, sym_len, id, now_ms - (int64_t)((from + limit - 1 - id) * REST_TRADES_SPACING_MS), &t);
		n += put_row(ex, b + n, cap - n, k ? "," : "", sym, sym_len, &t);
	}
	if (ex == EX_BYBIT)
		n += (size_t)snprintf(b + n, cap - n, "]},\"retExtInfo\":{},\"time\":%" PRId64 "}", now_ms);
	else
		n += (size_t)snprintf(b + n, cap - n, "%s", ex == EX_BINANCE ? "]" : "]}");
	*body = b;
	*len = n;
	return 200;
}

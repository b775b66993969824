/* fakex frames have the exact shape of the exchanges' real frames: the same
 * keys in the same order with the same value types as the fixture lines,
 * prices written the way each exchange writes them; requests parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>

#include "tests/fakex/fakex.h"
#include "tests/fakex/reqparse.h"

#define LINE_BYTES 8192

static struct fx_session session;
static struct fx_market market;
static char frame[LINE_BYTES];

/* Keys in document order, each with the type of its value:
 * "u:n,s:s,b:s" (s string, n number, a array, o object, b bool/null). */
static void shape(const char *json, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (const char *p = json; *p; p++) {
		if (*p != '"')
			continue;
		const char *start = ++p;
		while (*p && *p != '"')
			p += (*p == '\\' && p[1]) ? 2 : 1;
		if (!*p)
			break;
		size_t n = (size_t)(p - start);
		const char *q = p + 1;
		if (*q != ':')
			continue;
		q++;
		char t = *q == '"'                                 ? 's'
			 : *q == '['                               ? 'a'
			 : *q == '{'                               ? 'o'
			 : (*q == '-' || (*q >= '0' && *q <= '9')) ? 'n'
								   : 'b';
		int w = snprintf(out + o, cap - o, "%s%.*s:%c", o ? "," : "", (int)n, start, t);
		assert_true(w > 0 && (size_t)w < cap - o);
		o += (size_t)w;
	}
}

static void fixture_line(const char *rel, int lineno, char *out)
{
	const char *dir = getenv("FIXTURES");
	char path[1024];
	if (!dir)
		dir = "tests/fixtures";
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open fixture %s (set FIXTURES)", path);
	for (int i = 0; i < lineno; i++)
		assert_non_null(fgets(out, LINE_BYTES, f));
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

static void assert_same_shape(const char *generated, const char *fixture)
{
	char a[LINE_BYTES], b[LINE_BYTES];
	shape(generated, a, sizeof a);
	shape(fixture, b, sizeof b);
	if (strcmp(a, b) != 0)
		fail_msg("shape differs:\n  fakex   %s\n  fixture %s\n  frame   %s", a, b, generated);
}

static const char *make_quote(const struct fx_proto *p)
{
	struct fx_quote q;
	struct fxbuf b = fxbuf_on(frame, sizeof frame - 1);
	prices_quote(&fx.symbols[0], &market, fx_wall_ms(), &q);
	p->quote(&b, &session, &q);
	assert_false(b.overflow);
	frame[b.len] = '\0';
	return frame;
}

static const char *make_trade(const struct fx_proto *p)
{
	struct fx_trade t;
	struct fxbuf b = fxbuf_on(frame, sizeof frame - 1);
	prices_trade(&fx.symbols[0], &market, fx_wall_ms(), &t);
	p->trade(&b, &session, &t);
	assert_false(b.overflow);
	frame[b.len] = '\0';
	return frame;
}

static const char *make_notice(const struct fx_proto *p)
{
	struct fxbuf b = fxbuf_on(frame, sizeof frame - 1);
	p->notice(&b, &session, fx_wall_ms());
	frame[b.len] = '\0';
	return frame;
}

/* The string value of key in a frame, e.g. "b" -> 64999.10000000. */
static void value_of(const char *json, const char *key, char *out, size_t cap)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":\"", key);
	const char *p = strstr(json, pat);
	assert_non_null(p);
	p += strlen(pat);
	size_t n = strcspn(p, "\"");
	assert_true(n < cap);
	memcpy(out, p, n);
	out[n] = '\0';
}

static int decimals(const char *v)
{
	const char *dot = strchr(v, '.');
	return dot ? (int)strlen(dot + 1) : 0;
}

static int setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof fx);
	fx.nsymbols = 1;
	assert_int_equal(prices_symbol_init(&fx.symbols[0], "BTC-USDT", 1), 0);
	prices_market_init(&market, &fx.symbols[0], "test", 1);
	memset(&session, 0, sizeof session);
	strcpy(session.conn_id, "a4d3ae55");
	return 0;
}

static void test_binance_frames_match_fixtures(void **state)
{
	char fx_line[LINE_BYTES], raw[LINE_BYTES / 2], v[64];
	(void)state;
	session.combined = true;
	fixture_line("binance/combined_bookTicker.jsonl", 1, fx_line);
	assert_same_shape(make_quote(&fx_proto_binance), fx_line);
	value_of(frame, "b", v, sizeof v);
	assert_int_equal(decimals(v), 8);
	assert_true(strncmp(frame, "{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"u\":", 42) == 0);

	/* today's trade payload (no buyer/seller order ids) in the wrapper */
	fixture_line("binance/trade.jsonl", 1, fx_line);
	assert_true(strlen(fx_line) < sizeof raw);
	memcpy(raw, fx_line, strlen(fx_line) + 1);
	snprintf(fx_line, sizeof fx_line, "{\"stream\":\"btcusdt@trade\",\"data\":%s}", raw);
	assert_same_shape(make_trade(&fx_proto_binance), fx_line);

	fixture_line("binance/server_shutdown.jsonl", 2, fx_line);
	assert_same_shape(make_notice(&fx_proto_binance), fx_line);
	session.combined = false;
	fixture_line("binance/bookTicker.jsonl", 1, fx_line);
	assert_same_shape(make_quote(&fx_proto_binance), fx_line);
	fixture_line("binance/server_shutdown.jsonl", 1, fx_line);
	assert_same_shape(make_notice(&fx_proto_binance), fx_line);
}

static void test_bybit_frames_match_fixtures(void **state)
{
	char fx_line[LINE_BYTES], v[64];
	(void)state;
	/* the 2026 spot captures: ts before type, cts at the end */
	fixture_line("bybit/orderbook.1.jsonl", 6, fx_line);
	assert_same_shape(make_quote(&fx_proto_bybit), fx_line);
	assert_non_null(strstr(frame, "\"b\":[[\""));
	fixture_line("bybit/publicTrade.jsonl", 21, fx_line);
	assert_same_shape(make_trade(&fx_proto_bybit), fx_line);
	value_of(frame, "p", v, sizeof v);
	assert_int_equal(decimals(v), fx.symbols[0].px_decimals);
}

static void test_okx_frames_match_fixtures(void **state)
{
	char fx_line[LINE_BYTES], v[64];
	(void)state;
	/* bbo-tbt as captured in 2022 plus the seqId OKX pushes today */
	fixture_line("okx/bbo-tbt.jsonl", 1, fx_line);
	char *end = strstr(fx_line, "\"}]}");
	assert_non_null(end);
	strcpy(end, "\",\"seqId\":1}]}");
	assert_same_shape(make_quote(&fx_proto_okx), fx_line);
	fixture_line("okx/trades.jsonl", 1, fx_line);
	for (int i = 0; i < 50; i++) {
		assert_same_shape(make_trade(&fx_proto_okx), fx_line);
		value_of(frame, "px", v, sizeof v);
		assert_true(v[strlen(v) - 1] != '0' || !strchr(v, '.')); /* "30243.5", never "30243.50" */
	}
	fixture_line("okx/notice.jsonl", 1, fx_line);
	assert_string_equal(make_notice(&fx_proto_okx), fx_line);
}

static void test_quotes_are_not_crossed_and_ids_grow(void **state)
{
	struct fx_quote a, b;
	(void)state;
	for (int i = 0; i < 1000; i++) {
		prices_quote(&fx.symbols[0], &market, fx_wall_ms(), &a);
		prices_quote(&fx.symbols[0], &market, fx_wall_ms(), &b);
		assert_true(a.bid < a.ask);
		assert_true(a.bid > 0 && a.bid_qty > 0 && a.ask_qty > 0);
		assert_true(b.update_id > a.update_id);
	}
}

/* Two processes with the same seed, started at different times, see the
 * same walk: it depends on the wall-clock time only. */
static void test_walk_depends_on_time_only(void **state)
{
	struct fx_symbol early, late;
	int64_t now = fx_wall_ms();
	(void)state;
	assert_int_equal(prices_symbol_init(&early, "ETH-USDT", 7), 0);
	assert_int_equal(prices_symbol_init(&late, "ETH-USDT", 7), 0);
	for (int64_t t = now - 20000; t < now; t += 997)
		prices_walk(&early, t);
	double a = prices_walk(&early, now), b = prices_walk(&late, now);
	assert_true(a - b < 1e-4 && b - a < 1e-4);
	assert_true(a != 0);
	assert_int_equal(prices_symbol_init(&late, "ETH-USDT", 8), 0);
	assert_true(prices_walk(&late, now) != a);
}

static void test_decimal_formatting(void **state)
{
	static const struct {
		int64_t m;
		int dec;
		bool trim;
		const char *want;
	} cases[] = {
		{ 12345, 2, false, "123.45" }, { 100, 2, true, "1" },       { 120, 2, true, "1.2" },
		{ 5, 8, false, "0.00000005" }, { -15, 1, true, "-1.5" },    { 650001, 1, false, "65000.1" },
		{ 7, 0, false, "7" },          { 3000, 3, false, "3.000" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[32];
		struct fxbuf b = fxbuf_on(out, sizeof out - 1);
		fxbuf_decimal(&b, cases[i].m, cases[i].dec, cases[i].trim);
		out[b.len] = '\0';
		assert_string_equal(out, cases[i].want);
	}
	char tiny[4];
	struct fxbuf b = fxbuf_on(tiny, sizeof tiny);
	fxbuf_put(&b, "12345");
	assert_true(b.overflow);
	assert_int_equal(b.len, 0);
}

static void test_requests_parse(void **state)
{
	static struct fx_req r;
	char line[LINE_BYTES];
	(void)state;
	fixture_line("binance/subscribe.jsonl", 1, line);
	assert_int_equal(reqparse(&r, line, strlen(line)), 0);
	assert_string_equal(r.op, "SUBSCRIBE");
	assert_true(r.has_id && !r.id_is_string);
	assert_string_equal(r.id, "1");
	assert_int_equal(r.nargs, 2);
	assert_string_equal(r.args[0].str, "btcusdt@aggTrade");

	fixture_line("okx/subscribe.jsonl", 2, line);
	assert_int_equal(reqparse(&r, line, strlen(line)), 0);
	assert_string_equal(r.op, "subscribe");
	assert_int_equal(r.nargs, 6);
	assert_string_equal(r.args[5].channel, "trades");
	assert_string_equal(r.args[5].inst, "BTC-USDT");
	assert_false(r.args_bad);

	fixture_line("bybit/ping.jsonl", 1, line);
	assert_int_equal(reqparse(&r, line, strlen(line)), 0);
	assert_string_equal(r.op, "ping");
	assert_true(r.has_req_id);
	assert_string_equal(r.req_id, "100001");

	assert_int_equal(reqparse(&r, "{\"op\":", 6), -EINVAL);
	assert_int_equal(reqparse(&r, "ping", 4), -EINVAL);
	assert_int_equal(reqparse(&r, "{\"op\":\"subscribe\",\"args\":[1]}", 29), 0);
	assert_true(r.args_bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_binance_frames_match_fixtures, setup),
		cmocka_unit_test_setup(test_bybit_frames_match_fixtures, setup),
		cmocka_unit_test_setup(test_okx_frames_match_fixtures, setup),
		cmocka_unit_test_setup(test_quotes_are_not_crossed_and_ids_grow, setup),
		cmocka_unit_test(test_walk_depends_on_time_only),
		cmocka_unit_test(test_decimal_formatting),
		cmocka_unit_test(test_requests_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

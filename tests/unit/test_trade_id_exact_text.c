/* Trade ids keep the exchange's exact text: every trade id in the fixtures,
 * found here by key (not by the adapters), and the edge cases of each form
 * parse, print back byte for byte, and compare exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shm/trade_id.h"

/* Where each exchange's fixtures carry trade ids, and the member's key. */
static const struct {
	const char *file, *key;
} id_sources[] = {
	{"binance/trade.jsonl", "t"},
	{"binance/combined_trade.jsonl", "t"},
	{"binance/aggTrade.jsonl", "a"},
	{"binance/combined_aggTrade.jsonl", "a"},
	{"binance-usdm/combined_aggTrade.jsonl", "a"},
	{"bybit/publicTrade.jsonl", "i"},
	{"okx/trades.jsonl", "tradeId"},
	{"coinbase/market_trades.jsonl", "trade_id"},
	{"coinbase/exchange_matches.jsonl", "trade_id"},
	{"coinbase/exchange_ticker.jsonl", "trade_id"},
	{"kraken/trade.jsonl", "trade_id"},
	{"gateio/trades.jsonl", "id"},
	{"bitget/trade.jsonl", "tradeId"},
	{"deribit/trades.jsonl", "trade_id"},
};

static void assert_round_trip(const char *text, size_t len)
{
	struct trade_id id, again;
	char out[TRADE_ID_TEXT_MAX + 1];
	if (trade_id_parse(text, len, &id) < 0)
		fail_msg("no form keeps \"%.*s\"", (int)len, text);
	assert_int_equal(trade_id_format(&id, out), len);
	assert_memory_equal(out, text, len);
	assert_int_equal(trade_id_parse(out, len, &again), 0);
	assert_true(trade_id_equal(&id, &again));
	/* and through a tick, whose other fields stay as they were */
	struct tick t;
	memset(&t, 0, sizeof(t));
	t.u.trade.px = 1.5;
	t.u.trade.flags = TICK_TRADE_BACKFILLED;
	assert_int_equal(trade_id_set(&t, text, len), 0);
	assert_int_equal(trade_id_tick_text(&t, out), len);
	assert_memory_equal(out, text, len);
	assert_true(t.u.trade.px == 1.5);
	assert_int_equal(t.u.trade.flags, TICK_TRADE_BACKFILLED);
}

/* Every value of "key": in the line (a string's text or a number's), each
 * round-tripped; returns how many. */
static size_t check_line(const char *line, const char *key)
{
	char pat[64];
	size_t n = 0;
	int plen = snprintf(pat, sizeof(pat), "\"%s\":", key);
	for (const char *p = strstr(line, pat); p; p = strstr(p, pat)) {
		p += plen;
		while (*p == ' ')
			p++;
		size_t len;
		if (*p == '"') {
			p++;
			len = strcspn(p, "\"");
		} else {
			len = strspn(p, "0123456789");
		}
		assert_true(len > 0);
		assert_round_trip(p, len);
		n++;
	}
	return n;
}

static void test_every_fixture_trade_id(void **state)
{
	(void)state;
	const char *fixtures = getenv("FIXTURES");
	if (!fixtures)
		fixtures = "tests/fixtures";
	size_t total = 0;
	for (size_t i = 0; i < sizeof(id_sources) / sizeof(id_sources[0]); i++) {
		char path[512], line[65536];
		snprintf(path, sizeof(path), "%s/%s", fixtures, id_sources[i].file);
		FILE *f = fopen(path, "r");
		if (!f)
			fail_msg("%s: cannot open", path);
		size_t n = 0;
		while (fgets(line, sizeof(line), f))
			n += check_line(line, id_sources[i].key);
		fclose(f);
		if (n == 0)
			fail_msg("%s: no \"%s\" found", path, id_sources[i].key);
		total += n;
	}
	/* 300-odd ids across nine exchanges; far fewer means a wrong path */
	assert_true(total > 300);
}

static void test_decimal_edges(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"0", "1", "18446744073709551615", "18446744073709551616",
		"340282366920938463463374607431768211455", "007", "00", "0000000000000000000000000000000000000000000001",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_round_trip(ok[i], strlen(ok[i]));
	struct trade_id id;
	uint64_t v;
	assert_int_equal(trade_id_parse("18446744073709551616", 20, &id), 0); /* 2^64 */
	assert_int_equal(id.hi, 1);
	assert_int_equal(id.lo, 0);
	assert_false(trade_id_u64(&id, &v));
	assert_int_equal(trade_id_parse("18446744073709551615", 20, &id), 0);
	assert_true(trade_id_u64(&id, &v));
	assert_true(v == UINT64_MAX);
	/* "007" is kept as sent: another id than "7", and no sequence number */
	struct trade_id seven, zero_zero_seven;
	assert_int_equal(trade_id_parse("7", 1, &seven), 0);
	assert_int_equal(trade_id_parse("007", 3, &zero_zero_seven), 0);
	assert_int_equal(zero_zero_seven.zeros, 2);
	assert_false(trade_id_equal(&seven, &zero_zero_seven));
	assert_false(trade_id_u64(&zero_zero_seven, &v));
	assert_true(trade_id_u64(&seven, &v) && v == 7);
	/* 2^128 fits no form */
	assert_int_equal(trade_id_parse("340282366920938463463374607431768211456", 39, &id), -1);
}

static void test_uuid_and_prefixed_edges(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"031145f9-efdc-5dc3-a03d-5f01f40c6222", "031145F9-EFDC-5DC3-A03D-5F01F40C6222",
		"ffffffff-ffff-ffff-ffff-ffffffffffff", "00000000-0000-0000-0000-000000000000",
		"ETH-123456", "USDC-0012", "SOL-18446744073709551615", "ABCDEFGH-0", "b2-1",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_round_trip(ok[i], strlen(ok[i]));
	static const char *const refused[] = {
		"", "031145F9-efdc-5dc3-a03d-5f01f40c6222", "031145f9-efdc-5dc3-a03d-5f01f40c622",
		"031145f9efdc-5dc3-a03d-5f01f40c62222", "031145f9-efdc-5dc3-a03d-5f01f40c622g", "ABCDEFGHI-1",
		"-1", "ETH-", "ETH-1-2", "ETH_1", "SOL-18446744073709551616", "1.5", " 1", "1 ", "+1", "\\u0031",
		"0000000000000000000000000000000000000000000000001", /* 49 characters */
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct trade_id id;
		if (trade_id_parse(refused[i], strlen(refused[i]), &id) == 0)
			fail_msg("\"%s\" should fit no form", refused[i]);
	}
	/* a UUID is 128 bits: both halves count */
	struct trade_id a, b;
	assert_int_equal(trade_id_parse("031145f9-efdc-5dc3-a03d-5f01f40c6222", 36, &a), 0);
	assert_int_equal(trade_id_parse("131145f9-efdc-5dc3-a03d-5f01f40c6222", 36, &b), 0);
	assert_true(a.lo == b.lo);
	assert_false(trade_id_equal(&a, &b));
	assert_true(a.hi == 0x031145f9efdc5dc3ULL && a.lo == 0xa03d5f01f40c6222ULL);
}

/* A tick from a foreign bridge claiming more zeros than fit prints within
 * its buffer. */
static void test_format_bounded(void **state)
{
	(void)state;
	struct trade_id id = {.lo = UINT64_MAX, .hi = UINT64_MAX, .form = TRADE_ID_DECIMAL, .zeros = 255};
	char out[TRADE_ID_TEXT_MAX + 1];
	assert_int_equal(trade_id_format(&id, out), TRADE_ID_TEXT_MAX);
	id.form = TRADE_ID_PREFIXED;
	memcpy(&id.hi, "ABCDEFGH", 8);
	assert_int_equal(trade_id_format(&id, out), TRADE_ID_TEXT_MAX);
	assert_memory_equal(out, "ABCDEFGH-0", 10);
	assert_int_equal(sizeof(struct tick), 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_fixture_trade_id),
		cmocka_unit_test(test_decimal_edges),
		cmocka_unit_test(test_uuid_and_prefixed_edges),
		cmocka_unit_test(test_format_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Subscribe requests: valid JSON (checked with jsmn, independently of our
 * scanner), within each exchange's per-message limits, every stream exactly
 * once; Binance streams in the URL first; links split the symbols evenly;
 * a live change names exactly the removed and the added symbols. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define JSMN_STATIC
#include <jsmn.h>

#include "collector/collector.h"

static const char *const names[] = {"BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT", "ADA-USDT", "DOGE-USDT",
				    "TRX-USDT", "DOT-USDT", "LTC-USDT", "BCH-USDT", "LINK-USDT", "AVAX-USDT"};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static void fill(struct symmap *m, const char *adapter, size_t n)
{
	assert_int_equal(symmap_init(m, adapter_find(adapter), 1024, false), 0);
	for (size_t i = 0; i < n; i++) {
		char name[24];
		if (i < NNAMES)
			snprintf(name, sizeof(name), "%s", names[i]);
		else
			snprintf(name, sizeof(name), "C%zu-USDT", i);
		assert_int_equal(symmap_add(m, name, (uint16_t)(i + 1)), 0);
	}
}

/* Number of elements of the array under key "args"/"params" in msg. */
static int count_args(const char *msg, const char *key)
{
	jsmn_parser p;
	jsmntok_t tok[512];
	memset(tok, 0, sizeof(tok));
	jsmn_init(&p);
	int n = jsmn_parse(&p, msg, strlen(msg), tok, 512);
	assert_true(n > 0);
	assert_int_equal(tok[0].type, JSMN_OBJECT);
	for (int i = 1; i < n; i++)
		if (tok[i].type == JSMN_STRING && (int)strlen(key) == tok[i].end - tok[i].start &&
		    memcmp(msg + tok[i].start, key, strlen(key)) == 0 && tok[i + 1].type == JSMN_ARRAY)
			return tok[i + 1].size;
	fail_msg("no %s array in %s", key, msg);
	return -1;
}

static size_t count_sub(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_bybit_ten_args_per_request(void **state)
{
	(void)state;
	struct symmap m;
	char msg[8192];
	fill(&m, "bybit", NNAMES);
	struct sub_request req = {.symbols = &m, .first = 0, .count = NNAMES, .quotes = true, .trades = true, .req_id = 7};
	size_t start = 0, consumed, messages = 0, args = 0;
	char all[65536] = "";
	while (start < NNAMES) {
		int len = adapter_find("bybit")->build_subscribe(&req, start, msg, sizeof(msg), &consumed);
		assert_true(len > 0);
		assert_int_equal((size_t)len, strlen(msg));
		int a = count_args(msg, "args");
		assert_true(a <= 10);
		assert_int_equal(a, (int)consumed * 2);
		assert_non_null(strstr(msg, "\"op\":\"subscribe\""));
		strcat(all, msg);
		args += (size_t)a;
		start += consumed;
		messages++;
	}
	assert_int_equal(messages, 3); /* 5 + 5 + 2 symbols */
	assert_int_equal(args, 2 * NNAMES);
	assert_int_equal(count_sub(all, "\"orderbook.1.BTCUSDT\""), 1);
	assert_int_equal(count_sub(all, "\"publicTrade.AVAXUSDT\""), 1);
	assert_int_equal(adapter_find("bybit")->build_subscribe(&req, NNAMES, msg, sizeof(msg), &consumed), 0);
	assert_int_equal(consumed, 0);
	/* trades only: ten symbols fit in one request */
	req.quotes = false;
	assert_true(adapter_find("bybit")->build_subscribe(&req, 0, msg, sizeof(msg), &consumed) > 0);
	assert_int_equal(consumed, 10);
	symmap_free(&m);
}

static void test_okx_args(void **state)
{
	(void)state;
	struct symmap m;
	char msg[8192];
	size_t consumed;
	fill(&m, "okx", 3);
	struct sub_request req = {.symbols = &m, .first = 0, .count = 3, .quotes = true, .trades = true};
	assert_true(adapter_find("okx")->build_subscribe(&req, 0, msg, sizeof(msg), &consumed) > 0);
	assert_int_equal(consumed, 3);
	assert_int_equal(count_args(msg, "args"), 6);
	assert_non_null(strstr(msg, "{\"channel\":\"bbo-tbt\",\"instId\":\"SOL-USDT\"}"));
	assert_non_null(strstr(msg, "{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"}"));
	/* a small buffer splits the symbols over several messages */
	assert_true(adapter_find("okx")->build_subscribe(&req, 0, msg, 120, &consumed) > 0);
	assert_int_equal(consumed, 1);
	assert_int_equal(count_args(msg, "args"), 2);
	symmap_free(&m);
}

static void test_binance_path_then_subscribe(void **state)
{
	(void)state;
	struct symmap m;
	char path[COLLECTOR_PATH_MAX], msg[8192];
	size_t in_path, consumed;
	const struct adapter *a = adapter_find("binance");
	fill(&m, "binance", 3);
	struct sub_request req = {.symbols = &m, .first = 1, .count = 2, .quotes = true, .trades = true, .req_id = 5};
	assert_int_equal(a->build_path(&req, "/stream", path, sizeof(path), &in_path), 0);
	assert_string_equal(path, "/stream?streams=ethusdt@bookTicker/ethusdt@trade/solusdt@bookTicker/solusdt@trade");
	assert_int_equal(in_path, 2);
	/* a raw /ws endpoint takes everything by SUBSCRIBE */
	assert_int_equal(a->build_path(&req, "/ws", path, sizeof(path), &in_path), 0);
	assert_string_equal(path, "/ws");
	assert_int_equal(in_path, 0);
	assert_true(a->build_subscribe(&req, 0, msg, sizeof(msg), &consumed) > 0);
	assert_string_equal(msg, "{\"method\":\"SUBSCRIBE\",\"params\":[\"ethusdt@bookTicker\",\"ethusdt@trade\","
				 "\"solusdt@bookTicker\",\"solusdt@trade\"],\"id\":5}");
	symmap_free(&m);

	/* many symbols: the URL stays short, SUBSCRIBE messages take the rest */
	fill(&m, "binance", 300);
	struct sub_request big = {.symbols = &m, .first = 0, .count = 300, .quotes = true, .trades = true, .req_id = 1};
	assert_int_equal(a->build_path(&big, "/stream", path, sizeof(path), &in_path), 0);
	assert_true(strlen(path) < 2000);
	assert_true(in_path > 10 && in_path < 300);
	size_t start = in_path, messages = 0;
	while (start < 300) {
		assert_true(a->build_subscribe(&big, start, msg, sizeof(msg), &consumed) > 0);
		assert_int_equal(count_args(msg, "params"), (int)consumed * 2);
		start += consumed;
		messages++;
	}
	assert_true(messages >= 1);
	/* pacing: under Binance's 5 incoming messages per second, with room for pongs */
	assert_true(a->subscribe_interval_ms >= 200);
	symmap_free(&m);
}

/* A live change: the removed entries are named by an unsubscribe, the
 * added ones by a subscribe, and a new connection's requests skip the
 * removed; an entry range with nothing picked builds nothing. */
static void test_live_change_picks(void **state)
{
	(void)state;
	static const struct {
		const char *adapter, *unsub, *removed_stream, *added_stream;
	} cases[] = {
		{"binance", "\"method\":\"UNSUBSCRIBE\"", "\"ethusdt@bookTicker\"", "\"c12usdt@trade\""},
		{"bybit", "\"op\":\"unsubscribe\"", "\"orderbook.1.ETHUSDT\"", "\"publicTrade.C12USDT\""},
		{"okx", "\"op\":\"unsubscribe\"", "\"instId\":\"ETH-USDT\"", "\"instId\":\"C12-USDT\""},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct adapter *a = adapter_find(cases[k].adapter);
		struct symmap m;
		char msg[8192];
		size_t consumed;
		assert_true(a->live_symbols);
		fill(&m, cases[k].adapter, NNAMES);
		/* generation 1 removes ETH and XRP; generation 2 appends C12 */
		symmap_at(&m, 1)->removed = symmap_at(&m, 3)->removed = true;
		symmap_at(&m, 1)->gen = symmap_at(&m, 3)->gen = 1;
		assert_int_equal(symmap_reserve(&m, 2048), 0);
		assert_int_equal(symmap_add(&m, "C12-USDT", 100), 0);
		symmap_at(&m, NNAMES)->gen = 2;
		assert_non_null(symmap_lookup(&m, symmap_at(&m, 0)->native, symmap_at(&m, 0)->native_len));
		struct sub_request req = {.symbols = &m, .count = NNAMES + 1, .quotes = true, .trades = true,
					  .unsubscribe = true, .pick = SUB_PICK_REMOVED, .since_gen = 0};
		assert_true(a->build_subscribe(&req, 0, msg, sizeof(msg), &consumed) > 0);
		assert_non_null(strstr(msg, cases[k].unsub));
		assert_non_null(strstr(msg, cases[k].removed_stream));
		assert_int_equal(count_args(msg, k == 0 ? "params" : "args"), 4);
		assert_int_equal(consumed, NNAMES + 1);
		/* already done up to generation 1: nothing left to unsubscribe */
		req.since_gen = 1;
		assert_int_equal(a->build_subscribe(&req, 0, msg, sizeof(msg), &consumed), 0);
		assert_int_equal(consumed, NNAMES + 1);
		req = (struct sub_request){.symbols = &m, .count = NNAMES + 1, .quotes = true, .trades = true,
					   .pick = SUB_PICK_ADDED, .since_gen = 1};
		assert_true(a->build_subscribe(&req, 0, msg, sizeof(msg), &consumed) > 0);
		assert_null(strstr(msg, cases[k].unsub));
		assert_non_null(strstr(msg, cases[k].added_stream));
		assert_int_equal(count_args(msg, k == 0 ? "params" : "args"), 2);
		/* a new connection: every symbol but the removed ones */
		req.pick = SUB_PICK_WANTED;
		size_t start = 0, streams = 0;
		while (start < NNAMES + 1) {
			int len = a->build_subscribe(&req, start, msg, sizeof(msg), &consumed);
			assert_true(len >= 0 && consumed > 0);
			if (len > 0) {
				assert_null(strstr(msg, cases[k].removed_stream));
				streams += (size_t)count_args(msg, k == 0 ? "params" : "args");
			}
			start += consumed;
		}
		assert_int_equal(streams, 2 * (NNAMES + 1 - 2));
		symmap_free(&m);
	}
}

static void test_links_split_evenly(void **state)
{
	(void)state;
	struct collector *c = calloc(1, sizeof(*c));
	assert_non_null(c);
	fill(&c->symbols, "bybit", 10);
	assert_int_equal(collector_plan_links(c, 3), 4);
	size_t want[] = {3, 3, 2, 2}, first = 0;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(c->links[i].count, want[i]);
		assert_int_equal(c->links[i].first, first);
		assert_int_equal(c->links[i].idx, (unsigned)i);
		first += want[i];
	}
	assert_int_equal(collector_plan_links(c, 200), 1);
	assert_int_equal(c->links[0].count, 10);
	symmap_free(&c->symbols);
	fill(&c->symbols, "bybit", 40);
	assert_int_equal(collector_plan_links(c, 2), -E2BIG); /* 20 > 16 connections */
	symmap_free(&c->symbols);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bybit_ten_args_per_request),
		cmocka_unit_test(test_okx_args),
		cmocka_unit_test(test_binance_path_then_subscribe),
		cmocka_unit_test(test_links_split_evenly),
		cmocka_unit_test(test_live_change_picks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

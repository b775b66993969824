/* Every validation reason: each bad frame is refused with the right reason,
 * nothing is published from it, and good frames still pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collector/pipeline.h"

#define NOW_NS 1700000000000000000LL /* 2023-11-14 */
#define SKEW_NS (300000LL * 1000000)

struct fx {
	struct symmap m;
	struct pipeline p;
};

static struct fx *make(const char *adapter, const char *const *symbols, size_t n, bool open)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(symmap_init(&f->m, adapter_find(adapter), 64, open), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(symmap_add(&f->m, symbols[i], (uint16_t)(i + 1)), 0);
	pipeline_init(&f->p, adapter_find(adapter), &f->m, 7, 4096, SKEW_NS);
	return f;
}

static void drop(struct fx *f)
{
	symmap_free(&f->m);
	free(f);
}

static enum reject_reason verdict(struct fx *f, const char *frame)
{
	enum frame_kind k = pipeline_frame(&f->p, frame, strlen(frame), false, NOW_NS);
	if (k == FRAME_REJECT)
		return f->p.out.reject;
	assert_int_equal(k, FRAME_DATA);
	assert_int_equal(f->p.out.n, 1);
	return (enum reject_reason)f->p.verdict[0];
}

static const char *const btc[] = {"BTC-USDT"};

static void test_binance_reasons(void **state)
{
	(void)state;
	struct fx *f = make("binance", btc, 1, false);
	assert_int_equal(verdict(f, "{\"u\":1,\"s\":\"BTCUSDT\",\"b\":\"1.5\",\"B\":\"2\",\"a\":\"1.6\",\"A\":\"3\"}"), REJECT_NONE);
	assert_int_equal(f->p.ticks[0].exchange_id, 7);
	assert_int_equal(f->p.ticks[0].ts_recv_ns, NOW_NS);
	assert_int_equal(verdict(f, "{\"u\":2,\"s\":\"BTCUSDT\",\"b\":\"1.5\""), REJECT_JSON);
	assert_int_equal(verdict(f, "{\"u\":2,\"s\":\"BTCUSDT\",\"b\":\"1.5\",\"B\":\"2\",\"a\":\"1.6\",\"A\":\"3\"} x"), REJECT_JSON);
	assert_int_equal(verdict(f, "not json"), REJECT_JSON);
	assert_int_equal(verdict(f, "{\"u\":2,\"s\":\"BTCUSDT\",\"b\":\"1.5\",\"a\":\"1.6\",\"A\":\"3\"}"), REJECT_MISSING_FIELD);
	assert_int_equal(verdict(f, "{\"u\":2,\"s\":\"BTCUSDT\",\"b\":\"abc\",\"B\":\"2\",\"a\":\"1.6\",\"A\":\"3\"}"), REJECT_NON_NUMERIC);
	assert_int_equal(verdict(f, "{\"u\":2,\"s\":\"BTCUSDT\",\"b\":\"1e999\",\"B\":\"2\",\"a\":\"1.6\",\"A\":\"3\"}"), REJECT_NON_NUMERIC);
	assert_int_equal(verdict(f, "{\"u\":\"x\",\"s\":\"BTCUSDT\",\"b\":\"1.5\",\"B\":\"2\",\"a\":\"1.6\",\"A\":\"3\"}"), REJECT_NON_NUMERIC);
	assert_int_equal(verdict(f, "{\"u\":3,\"s\":\"BTCUSDT\",\"b\":\"0\",\"B\":\"2\",\"a\":\"1.6\",\"A\":\"3\"}"), REJECT_NON_POSITIVE);
	assert_int_equal(verdict(f, "{\"u\":4,\"s\":\"BTCUSDT\",\"b\":\"-1\",\"B\":\"2\",\"a\":\"1.6\",\"A\":\"3\"}"), REJECT_NON_POSITIVE);
	assert_int_equal(verdict(f, "{\"u\":5,\"s\":\"BTCUSDT\",\"b\":\"1.7\",\"B\":\"2\",\"a\":\"1.6\",\"A\":\"3\"}"), REJECT_CROSSED);
	/* a locked book (bid == ask) is not crossed */
	assert_int_equal(verdict(f, "{\"u\":6,\"s\":\"BTCUSDT\",\"b\":\"1.6\",\"B\":\"2\",\"a\":\"1.6\",\"A\":\"3\"}"), REJECT_NONE);
	assert_int_equal(verdict(f, "{\"u\":7,\"s\":\"ETHUSDT\",\"b\":\"1.5\",\"B\":\"2\",\"a\":\"1.6\",\"A\":\"3\"}"), REJECT_UNKNOWN_SYMBOL);
	/* trade time one hour off with a 5 minute allowance */
	assert_int_equal(verdict(f, "{\"e\":\"trade\",\"E\":1,\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1\",\"q\":\"1\",\"T\":1699996400000,\"m\":true}"), REJECT_CLOCK_SKEW);
	assert_int_equal(verdict(f, "{\"e\":\"trade\",\"E\":1,\"s\":\"BTCUSDT\",\"t\":2,\"p\":\"1\",\"q\":\"1\",\"T\":1700000000000,\"m\":true}"), REJECT_NONE);
	assert_int_equal(verdict(f, "{\"e\":\"trade\",\"E\":1,\"s\":\"BTCUSDT\",\"t\":3,\"p\":\"1\",\"q\":\"1\",\"T\":1700000000000,\"m\":1}"), REJECT_NON_NUMERIC);
	drop(f);
}

static void test_oversize_and_binary(void **state)
{
	(void)state;
	struct fx *f = make("okx", btc, 1, false);
	char big[5000];
	memset(big, ' ', sizeof(big));
	memcpy(big, "{}", 2);
	assert_int_equal(pipeline_frame(&f->p, big, sizeof(big), false, NOW_NS), FRAME_REJECT);
	assert_int_equal(f->p.out.reject, REJECT_OVERSIZE);
	assert_int_equal(pipeline_frame(&f->p, "pong", 4, true, NOW_NS), FRAME_REJECT);
	assert_int_equal(f->p.out.reject, REJECT_BINARY);
	assert_int_equal(pipeline_frame(&f->p, "pong", 4, false, NOW_NS), FRAME_CONTROL);
	assert_int_equal(f->p.out.control, CONTROL_PONG);
	drop(f);
}

static void test_okx_reasons(void **state)
{
	(void)state;
	struct fx *f = make("okx", btc, 1, false);
	const char *good = "{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"BTC-USDT\"},\"data\":[{\"asks\":[[\"2\",\"1\",\"0\",\"1\"]],\"bids\":[[\"1\",\"1\",\"0\",\"1\"]],\"ts\":\"1700000000000\"}]}";
	assert_int_equal(verdict(f, good), REJECT_NONE);
	assert_int_equal(verdict(f, "{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"BTC-USDT\"},\"data\":[{\"asks\":[[\"2\",\"1\",\"0\",\"1\"]],\"bids\":[],\"ts\":\"1700000000001\"}]}"), REJECT_MISSING_FIELD);
	assert_int_equal(verdict(f, "{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"BTC-USDT\"},\"data\":[{\"asks\":[[\"2\",\"1\",\"0\",\"1\"]],\"bids\":[[\"1\",\"1\"]]}]}"), REJECT_MISSING_FIELD);
	assert_int_equal(verdict(f, "{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"BTC-USDT\"},\"data\":[{\"asks\":[[\"2\",\"1\",\"0\",\"1\"]],\"bids\":[[\"1\",\"1\"]],\"ts\":\"soon\"}]}"), REJECT_NON_NUMERIC);
	assert_int_equal(verdict(f, "{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"ETH-USDT\"},\"data\":[{\"asks\":[[\"2\",\"1\",\"0\",\"1\"]],\"bids\":[[\"1\",\"1\"]],\"ts\":\"1700000000002\"}]}"), REJECT_UNKNOWN_SYMBOL);
	assert_int_equal(verdict(f, "{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"BTC-USDT\"},\"data\":[{\"asks\":[[\"2\",\"1\",\"0\",\"1\"]],\"bids\":[[\"3\",\"1\"]],\"ts\":\"1700000000003\"}]}"), REJECT_CROSSED);
	assert_int_equal(verdict(f, "{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\",\"tradeId\":\"1\",\"px\":\"1\",\"sz\":\"-2\",\"side\":\"buy\",\"ts\":\"1700000000000\"}]}"), REJECT_NON_POSITIVE);
	assert_int_equal(verdict(f, "{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\",\"tradeId\":\"1\",\"px\":\"1\",\"sz\":\"2\",\"side\":\"buy\",\"ts\":\"1800000000000\"}]}"), REJECT_CLOCK_SKEW);
	drop(f);
}

static void test_bybit_book_state(void **state)
{
	(void)state;
	struct fx *f = make("bybit", btc, 1, false);
	/* a delta before any snapshot cannot make a full quote */
	assert_int_equal(verdict(f, "{\"topic\":\"orderbook.1.BTCUSDT\",\"type\":\"delta\",\"ts\":1700000000000,\"data\":{\"s\":\"BTCUSDT\",\"b\":[[\"10\",\"1\"]],\"a\":[],\"u\":1}}"), REJECT_MISSING_FIELD);
	assert_int_equal(verdict(f, "{\"topic\":\"orderbook.1.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1700000000000,\"data\":{\"s\":\"BTCUSDT\",\"b\":[[\"10\",\"1\"]],\"a\":[[\"11\",\"2\"]],\"u\":2}}"), REJECT_NONE);
	/* delta: the ask side is kept, the bid replaced; a size 0 deletes */
	assert_int_equal(verdict(f, "{\"topic\":\"orderbook.1.BTCUSDT\",\"type\":\"delta\",\"ts\":1700000000001,\"data\":{\"s\":\"BTCUSDT\",\"b\":[[\"10\",\"0\"],[\"9.5\",\"4\"]],\"a\":[],\"u\":3}}"), REJECT_NONE);
	assert_true(f->p.ticks[0].u.quote.bid_px == 9.5);
	assert_true(f->p.ticks[0].u.quote.bid_qty == 4);
	assert_true(f->p.ticks[0].u.quote.ask_px == 11);
	assert_int_equal(verdict(f, "{\"topic\":\"orderbook.1.BTCUSDT\",\"type\":\"delta\",\"ts\":1700000000002,\"data\":{\"s\":\"BTCUSDT\",\"b\":[],\"a\":[[\"11\",\"0\"]],\"u\":4}}"), REJECT_MISSING_FIELD);
	/* data before topic and type still parses */
	assert_int_equal(verdict(f, "{\"data\":{\"s\":\"BTCUSDT\",\"b\":[[\"10\",\"1\"]],\"a\":[[\"11\",\"2\"]],\"u\":9},\"topic\":\"orderbook.1.BTCUSDT\",\"ts\":1700000000003,\"type\":\"snapshot\"}"), REJECT_NONE);
	assert_int_equal(f->p.ticks[0].update_id, 9);
	/* a frame that turns out broken after its data leaves the book alone */
	assert_int_equal(verdict(f, "{\"topic\":\"orderbook.1.BTCUSDT\",\"type\":\"delta\",\"ts\":1700000000004,\"data\":{\"s\":\"BTCUSDT\",\"b\":[[\"10.5\",\"1\"]],\"a\":[],\"u\":10},\"x\":"), REJECT_JSON);
	assert_int_equal(verdict(f, "{\"topic\":\"orderbook.1.BTCUSDT\",\"type\":\"delta\",\"ts\":1700000000005,\"data\":{\"s\":\"BTCUSDT\",\"b\":[],\"a\":[],\"u\":11}}"), REJECT_NONE);
	assert_true(f->p.ticks[0].u.quote.bid_px == 10);
	drop(f);
}

static void test_open_map_accepts_unknown(void **state)
{
	(void)state;
	struct fx *f = make("binance", NULL, 0, true);
	assert_int_equal(verdict(f, "{\"u\":1,\"s\":\"ETHBTC\",\"b\":\"1.5\",\"B\":\"2\",\"a\":\"1.6\",\"A\":\"3\"}"), REJECT_NONE);
	assert_string_equal(symmap_by_id(&f->m, f->p.ticks[0].symbol_id)->canonical, "ETH-BTC");
	/* a name with no known quote asset cannot be mapped */
	assert_int_equal(verdict(f, "{\"u\":1,\"s\":\"FOOBAR\",\"b\":\"1.5\",\"B\":\"2\",\"a\":\"1.6\",\"A\":\"3\"}"), REJECT_UNKNOWN_SYMBOL);
	drop(f);
}

static void test_control_text_unescaped_and_bounded(void **state)
{
	(void)state;
	struct fx *f = make("okx", btc, 1, false);
	const char *err = "{\"event\":\"error\",\"code\":\"60012\",\"msg\":\"Bad \\\"op\\\": caf\\u00e9\\n\"}";
	assert_int_equal(pipeline_frame(&f->p, err, strlen(err), false, NOW_NS), FRAME_CONTROL);
	assert_int_equal(f->p.out.control, CONTROL_ERROR);
	assert_string_equal(f->p.out.detail, "Bad \"op\": caf\xc3\xa9 "); /* one line: \n becomes a space */
	/* a long message is cut to fit, never inside a UTF-8 character */
	char big[600];
	int n = snprintf(big, sizeof(big), "{\"event\":\"error\",\"msg\":\"");
	for (int i = 0; i < 200; i++)
		n += snprintf(big + n, sizeof(big) - (size_t)n, "\xc3\xa9");
	snprintf(big + n, sizeof(big) - (size_t)n, "\"}");
	assert_int_equal(pipeline_frame(&f->p, big, strlen(big), false, NOW_NS), FRAME_CONTROL);
	size_t len = strlen(f->p.out.detail);
	assert_true(len > 100 && len < FRAME_DETAIL_MAX);
	assert_int_equal(len % 2, 0);
	drop(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binance_reasons),
		cmocka_unit_test(test_oversize_and_binary),
		cmocka_unit_test(test_okx_reasons),
		cmocka_unit_test(test_bybit_book_state),
		cmocka_unit_test(test_open_map_accepts_unknown),
		cmocka_unit_test(test_control_text_unescaped_and_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

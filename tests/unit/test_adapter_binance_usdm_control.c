/* binance-usdm control frames: the SUBSCRIBE ack, errors, requests and
 * shutdown notices of the Binance stream protocol (the spot fixtures: USD-M
 * documents the same methods), and frames that are not ours. */
#include "tests/unit/adapter_control.h"

static void test_acks_errors_and_notices(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		CONTROL("subscribe_response.jsonl", 1, CONTROL_SUBSCRIBED, NULL),
		CONTROL("error.jsonl", 1, CONTROL_ERROR, "Invalid value type: expected Boolean"),
		CONTROL("error.jsonl", 2, CONTROL_ERROR, "Invalid request: property name must be a string"),
		CONTROL("error.jsonl", 3, CONTROL_ERROR, "Invalid request: request ID must be an unsigned integer"),
		CONTROL("error.jsonl", 4, CONTROL_ERROR, "Invalid request: missing field `method` at line 1 column 73"),
		CONTROL("server_shutdown.jsonl", 1, CONTROL_SERVER_SHUTDOWN, NULL),
		CONTROL("server_shutdown.jsonl", 2, CONTROL_SERVER_SHUTDOWN, NULL),
		CONTROL("subscribe.jsonl", 1, CONTROL_NOTICE, "SUBSCRIBE"),
		CONTROL("subscribe.jsonl", 2, CONTROL_NOTICE, "UNSUBSCRIBE"),
	};
	control_check("binance-usdm", "binance", cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_documented_answers_and_other_streams(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		/* LIST_SUBSCRIPTIONS answer (USD-M "Listing Subscriptions") */
		CONTROL_TEXT("{\"result\":[\"btcusdt@aggTrade\"],\"id\":3}", CONTROL_NOTICE, "result"),
		/* USD-M documents this error for SET_PROPERTY with a bad name */
		CONTROL_TEXT("{\"code\":0,\"msg\":\"Unknown property\",\"id\":5}", CONTROL_ERROR, "Unknown property"),
		CONTROL_TEXT("{\"stream\":\"btcusdt@markPrice\",\"data\":{\"e\":\"markPriceUpdate\",\"E\":1562305380000,"
			     "\"s\":\"BTCUSDT\",\"p\":\"11794.15000000\"}}",
			     CONTROL_UNSUPPORTED, "markPriceUpdate"),
		/* a spot bookTicker (no event type, no time) is not a USD-M frame */
		REJECT_TEXT("{\"u\":400900217,\"s\":\"BNBUSDT\",\"b\":\"25.35190000\",\"B\":\"31.21000000\","
			    "\"a\":\"25.36520000\",\"A\":\"40.66000000\"}",
			    REJECT_MISSING_FIELD),
		/* a bookTicker without the transaction time */
		REJECT_TEXT("{\"e\":\"bookTicker\",\"u\":1,\"s\":\"BTCUSDT\",\"b\":\"1\",\"B\":\"1\",\"a\":\"2\",\"A\":\"1\"}",
			    REJECT_MISSING_FIELD),
		REJECT_TEXT("{\"result\":null", REJECT_JSON),
	};
	control_check("binance-usdm", "binance", cases, sizeof(cases) / sizeof(cases[0]));
}

/* Spot names cannot be named on USD-M; perpetuals and dated futures can,
 * and the names come back the same way. */
static void test_symbol_forms(void **state)
{
	(void)state;
	const struct adapter *a = adapter_find("binance-usdm");
	char out[SYMBOL_NATIVE_MAX];
	assert_int_equal(a->native_symbol("BTC-USDT-PERP", out, sizeof(out)), 0);
	assert_string_equal(out, "BTCUSDT");
	assert_int_equal(a->native_symbol("BTC-USDT-250627", out, sizeof(out)), 0);
	assert_string_equal(out, "BTCUSDT_250627");
	assert_true(a->native_symbol("BTC-USDT", out, sizeof(out)) < 0);
	assert_true(a->native_symbol("BTC-USDT-SWAP", out, sizeof(out)) < 0);
	assert_int_equal(a->canonical_symbol("BTCUSDT", 7, out, sizeof(out)), 0);
	assert_string_equal(out, "BTC-USDT-PERP");
	assert_int_equal(a->canonical_symbol("ETHUSDC_250926", 14, out, sizeof(out)), 0);
	assert_string_equal(out, "ETH-USDC-250926");
	assert_true(a->canonical_symbol("BTCUSDT_25062", 13, out, sizeof(out)) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acks_errors_and_notices),
		cmocka_unit_test(test_documented_answers_and_other_streams),
		cmocka_unit_test(test_symbol_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

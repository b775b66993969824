/* gateio control frames: every ack, pong, error and request line of the
 * fixtures, the documented error codes, and channels that are not ours. */
#include "tests/unit/adapter_control.h"

static void test_fixture_control_frames(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		CONTROL("subscribe_response.jsonl", 1, CONTROL_SUBSCRIBED, NULL),
		CONTROL("subscribe_response.jsonl", 2, CONTROL_SUBSCRIBED, NULL),
		CONTROL("subscribe_response.jsonl", 3, CONTROL_SUBSCRIBED, NULL),
		CONTROL("subscribe_response.jsonl", 4, CONTROL_SUBSCRIBED, NULL),
		CONTROL("gate_us_subscribe_response.jsonl", 1, CONTROL_SUBSCRIBED, NULL),
		CONTROL("pong.jsonl", 1, CONTROL_PONG, NULL),
		CONTROL("gate_us_pong.jsonl", 1, CONTROL_PONG, NULL),
		CONTROL("gate_us_error.jsonl", 1, CONTROL_ERROR, "unknown currency pair: NOPE_USD"),
		CONTROL("gate_us_ping.jsonl", 1, CONTROL_NOTICE, "spot.ping"),
		CONTROL("subscribe.jsonl", 1, CONTROL_NOTICE, "subscribe"),
		CONTROL("subscribe.jsonl", 2, CONTROL_NOTICE, "subscribe"),
		CONTROL("gate_us_subscribe.jsonl", 1, CONTROL_NOTICE, "subscribe"),
		CONTROL("tickers.jsonl", 1, CONTROL_UNSUPPORTED, "spot.tickers"),
	};
	control_check("gateio", "gateio", cases, sizeof(cases) / sizeof(cases[0]));
}

/* The documented error object {"code","message"} (1 invalid request body,
 * 2 invalid argument, 3 server error, 4 authentication failed), answers to
 * unsubscribe, and frames missing what they need. */
static void test_documented_errors(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		CONTROL_TEXT("{\"time\":1611541000,\"channel\":\"spot.trades\",\"event\":\"subscribe\",\"error\":"
			     "{\"code\":1,\"message\":\"invalid request body format\"},\"result\":null}",
			     CONTROL_ERROR, "invalid request body format"),
		CONTROL_TEXT("{\"time\":1611541000,\"channel\":\"spot.trades\",\"event\":\"subscribe\",\"error\":"
			     "{\"code\":2,\"message\":\"invalid argument provided\"},\"result\":null}",
			     CONTROL_ERROR, "invalid argument provided"),
		CONTROL_TEXT("{\"time\":1611541000,\"channel\":\"spot.trades\",\"event\":\"subscribe\",\"error\":"
			     "{\"code\":3,\"message\":\"server side error happened.\"},\"result\":null}",
			     CONTROL_ERROR, "server side error happened."),
		CONTROL_TEXT("{\"time\":1611541000,\"channel\":\"spot.orders\",\"event\":\"subscribe\",\"error\":"
			     "{\"code\":4,\"message\":\"authentication failed\"},\"result\":null}",
			     CONTROL_ERROR, "authentication failed"),
		CONTROL_TEXT("{\"time\":1611541000,\"channel\":\"spot.trades\",\"event\":\"unsubscribe\",\"error\":null,"
			     "\"result\":{\"status\":\"success\"}}",
			     CONTROL_NOTICE, "unsubscribe"),
		CONTROL_TEXT("{\"time\":1611541000,\"channel\":\"spot.trades\",\"event\":\"subscribe\",\"error\":null,"
			     "\"result\":{\"status\":\"fail\"}}",
			     CONTROL_ERROR, "fail"),
		REJECT_TEXT("{\"time\":1606293275,\"channel\":\"spot.book_ticker\",\"event\":\"update\",\"result\":null}",
			    REJECT_MISSING_FIELD),
		REJECT_TEXT("{\"time\":1606293275,\"channel\":\"spot.book_ticker\",\"event\":\"update\",\"result\":"
			    "{\"t\":1606293275123,\"u\":48733182,\"s\":\"BTC_USDT\",\"b\":\"19177.79\",\"B\":\"0.1\"}}",
			    REJECT_MISSING_FIELD),
		REJECT_TEXT("{\"time\":1619093546,\"channel\":\"spot.trades\",\"event\":\"update\",\"result\":{\"id\":1,"
			    "\"create_time_ms\":\"1619093546958.1161234\",\"side\":\"buy\",\"currency_pair\":\"NEO_BTC\","
			    "\"amount\":\"0.5\",\"price\":\"0.0018735\"}}",
			    REJECT_NON_NUMERIC),
		/* create_time in seconds whose ns do not fit int64 (found by fuzz_gateio) */
		REJECT_TEXT("{\"time\":1,\"channel\":\"spot.trades\",\"event\":\"update\",\"result\":{\"id\":8,"
			    "\"create_time\":16190935600,\"side\":\"buy\",\"currency_pair\":\"NEO_BTC\",\"amount\":\"1\","
			    "\"price\":\"8\"}}",
			    REJECT_NON_NUMERIC),
		REJECT_TEXT("{\"time\":1606293275,\"event\":\"update\"}", REJECT_MISSING_FIELD),
		REJECT_TEXT("{\"time\":1606293275,\"channel\":\"spot.pong\"", REJECT_JSON),
	};
	control_check("gateio", "gateio", cases, sizeof(cases) / sizeof(cases[0]));
}

/* Spot pairs only: BTC-USDT <-> BTC_USDT, a derivative name is refused. */
static void test_symbol_forms(void **state)
{
	(void)state;
	const struct adapter *a = adapter_find("gateio");
	char out[SYMBOL_NATIVE_MAX];
	assert_int_equal(a->native_symbol("BTC-USDT", out, sizeof(out)), 0);
	assert_string_equal(out, "BTC_USDT");
	assert_true(a->native_symbol("BTC-USDT-PERP", out, sizeof(out)) < 0);
	assert_int_equal(a->canonical_symbol("QTUM3S_USDT", 11, out, sizeof(out)), 0);
	assert_string_equal(out, "QTUM3S-USDT");
	assert_true(a->canonical_symbol("btc_usdt", 8, out, sizeof(out)) < 0);
	assert_true(a->canonical_symbol("BTC_USDT_X", 10, out, sizeof(out)) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_control_frames),
		cmocka_unit_test(test_documented_errors),
		cmocka_unit_test(test_symbol_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

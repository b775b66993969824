/* deribit control frames: every answer, error, heartbeat and request line
 * of the fixtures, the documented errors and heartbeat kinds, and the
 * names of perpetuals and dated futures both ways. */
#include "tests/unit/adapter_control.h"

#define TEST_REPLY "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"public/test\",\"params\":{}}"

static void test_fixture_control_frames(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		CONTROL("subscribe_response.jsonl", 1, CONTROL_SUBSCRIBED, NULL),
		CONTROL("set_heartbeat_response.jsonl", 1, CONTROL_PONG, NULL),
		CONTROL("error.jsonl", 1, CONTROL_ERROR, "too_many_requests"),
		/* test_request must be answered with public/test or the server closes */
		CONTROL("heartbeat.jsonl", 1, CONTROL_REPLY, TEST_REPLY),
		CONTROL("subscribe.jsonl", 1, CONTROL_NOTICE, "public/subscribe"),
		CONTROL("set_heartbeat.jsonl", 1, CONTROL_NOTICE, "public/set_heartbeat"),
		CONTROL("ticker.jsonl", 1, CONTROL_UNSUPPORTED, "ticker"),
	};
	control_check("deribit", "deribit", cases, sizeof(cases) / sizeof(cases[0]));
}

/* docs.deribit.com: JSON-RPC errors ({"error":{"code","message"}}), the
 * heartbeat kinds, and the public/test answer. */
static void test_documented_errors(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		CONTROL_TEXT("{\"jsonrpc\":\"2.0\",\"id\":8163,\"error\":{\"code\":11050,\"message\":\"bad_request\"},"
			     "\"testnet\":false,\"usIn\":1535037392434763,\"usOut\":1535037392448119,\"usDiff\":13356}",
			     CONTROL_ERROR, "bad_request"),
		CONTROL_TEXT("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"message\":\"Invalid params\",\"data\":"
			     "{\"reason\":\"invalid channel\",\"param\":\"channels\"},\"code\":-32602}}",
			     CONTROL_ERROR, "Invalid params"),
		CONTROL_TEXT("{\"jsonrpc\":\"2.0\",\"method\":\"heartbeat\",\"params\":{\"type\":\"heartbeat\"}}",
			     CONTROL_UNSUPPORTED, "heartbeat"),
		CONTROL_TEXT("{\"jsonrpc\":\"2.0\",\"id\":8212,\"result\":{\"version\":\"1.2.26\"}}", CONTROL_PONG, NULL),
		CONTROL_TEXT("{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":\"platform_state\","
			     "\"data\":{\"allow_unauthenticated_public_requests\":true}}}",
			     CONTROL_UNSUPPORTED, "platform_state"),
		REJECT_TEXT("{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":\"quote.BTC-PERPETUAL\","
			    "\"data\":{\"timestamp\":1654012882984,\"instrument_name\":\"BTC-PERPETUAL\",\"best_bid_price\":1,"
			    "\"best_ask_price\":2,\"best_ask_amount\":3}}}",
			    REJECT_MISSING_FIELD),
		/* an option has no canonical name */
		REJECT_TEXT("{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":\"quote.BTC-27JUN25-1000-C\","
			    "\"data\":{\"timestamp\":1654012882984,\"instrument_name\":\"BTC-27JUN25-1000-C\",\"best_bid_price\":1,"
			    "\"best_bid_amount\":1,\"best_ask_price\":2,\"best_ask_amount\":3}}}",
			    REJECT_UNKNOWN_SYMBOL),
		REJECT_TEXT("{\"jsonrpc\":\"2.0\",\"method\":\"subscription\"", REJECT_JSON),
	};
	control_check("deribit", "deribit", cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_instrument_names(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
		{"BTC-USD-PERP", "BTC-PERPETUAL"},   {"ETH-USDC-PERP", "ETH_USDC-PERPETUAL"},
		{"BTC-USD-250627", "BTC-27JUN25"},   {"ETH-USD-240705", "ETH-5JUL24"},
		{"BTC-USDC-261225", "BTC_USDC-25DEC26"},
	};
	const struct adapter *a = adapter_find("deribit");
	char buf[64];
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		assert_int_equal(a->native_symbol(pairs[i][0], buf, sizeof(buf)), 0);
		assert_string_equal(buf, pairs[i][1]);
		assert_int_equal(a->canonical_symbol(pairs[i][1], strlen(pairs[i][1]), buf, sizeof(buf)), 0);
		assert_string_equal(buf, pairs[i][0]);
	}
	static const char *const bad_canonical[] = {"BTC-USD", "BTC-USD-251327", "BTC-USD-250600", "BTC-USD-2506"};
	for (size_t i = 0; i < sizeof(bad_canonical) / sizeof(bad_canonical[0]); i++)
		if (a->native_symbol(bad_canonical[i], buf, sizeof(buf)) == 0)
			fail_msg("named %s", bad_canonical[i]);
	static const char *const bad_native[] = {"BTC-27JUN25-1000-C", "BTC_USDC", "BTC-27XYZ25", "BTC-PERP", "BTC-127JUN25"};
	for (size_t i = 0; i < sizeof(bad_native) / sizeof(bad_native[0]); i++)
		if (a->canonical_symbol(bad_native[i], strlen(bad_native[i]), buf, sizeof(buf)) == 0)
			fail_msg("named %s as %s", bad_native[i], buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_control_frames),
		cmocka_unit_test(test_documented_errors),
		cmocka_unit_test(test_instrument_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

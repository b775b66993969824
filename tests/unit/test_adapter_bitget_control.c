/* bitget control frames: every ack and keepalive line of the fixtures,
 * the documented error answers, and futures or other channels, which a
 * spot adapter leaves alone. */
#include "tests/unit/adapter_control.h"

static void test_fixture_control_frames(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		CONTROL("subscribe_response.jsonl", 1, CONTROL_SUBSCRIBED, NULL),
		CONTROL("subscribe_response.jsonl", 2, CONTROL_SUBSCRIBED, NULL),
		CONTROL("subscribe_response.jsonl", 3, CONTROL_SUBSCRIBED, NULL),
		CONTROL("subscribe_response.jsonl", 4, CONTROL_SUBSCRIBED, NULL),
		CONTROL("pong.jsonl", 1, CONTROL_PONG, NULL),
		CONTROL("ping.jsonl", 1, CONTROL_NOTICE, "ping"),
		CONTROL("ticker.jsonl", 1, CONTROL_UNSUPPORTED, "USDT-FUTURES"),
		CONTROL("books1.jsonl", 2, CONTROL_UNSUPPORTED, "USDT-FUTURES"),
		CONTROL("trade.jsonl", 3, CONTROL_UNSUPPORTED, "COIN-FUTURES"),
	};
	control_check("bitget", "bitget", cases, sizeof(cases) / sizeof(cases[0]));
}

/* Bitget answers a bad request with {"event":"error","code":N,"msg":...}
 * (30001 channel does not exist, 30016 parameter error, ...). */
static void test_documented_errors(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		CONTROL_TEXT("{\"event\":\"error\",\"code\":30001,\"msg\":\"instType:SPOT,channel:books1,instId:NOPEUSDT "
			     "doesn't exist\"}",
			     CONTROL_ERROR, "instType:SPOT,channel:books1,instId:NOPEUSDT doesn't exist"),
		CONTROL_TEXT("{\"event\":\"error\",\"code\":30016,\"msg\":\"Param error\"}", CONTROL_ERROR, "Param error"),
		CONTROL_TEXT("{\"event\":\"unsubscribe\",\"arg\":{\"instType\":\"SPOT\",\"channel\":\"trade\","
			     "\"instId\":\"BTCUSDT\"}}",
			     CONTROL_NOTICE, "unsubscribe"),
		CONTROL_TEXT("{\"op\":\"subscribe\",\"args\":[{\"instType\":\"SPOT\",\"channel\":\"books1\",\"instId\":\"BTCUSDT\"}]}",
			     CONTROL_NOTICE, "subscribe"),
		CONTROL_TEXT("{\"action\":\"snapshot\",\"arg\":{\"instType\":\"SPOT\",\"channel\":\"books5\",\"instId\":\"BTCUSDT\"},"
			     "\"data\":[],\"ts\":1730332859985}",
			     CONTROL_UNSUPPORTED, "books5"),
		/* a one-sided book gives no quote */
		REJECT_TEXT("{\"action\":\"snapshot\",\"arg\":{\"instType\":\"SPOT\",\"channel\":\"books1\",\"instId\":\"BTCUSDC\"},"
			    "\"data\":[{\"asks\":[],\"bids\":[[\"72354.67\",\"1.16460\"]],\"checksum\":0,\"ts\":\"1730332859984\"}],"
			    "\"ts\":1730332859985}",
			    REJECT_MISSING_FIELD),
		REJECT_TEXT("{\"action\":\"snapshot\",\"arg\":{\"instType\":\"SPOT\",\"channel\":\"trade\",\"instId\":\"SNEKUSDT\"},"
			    "\"data\":[{\"ts\":\"1730332799292\",\"price\":\"0.0010074\",\"size\":\"23617.11\",\"side\":\"sell\","
			    "\"tradeId\":\"abc\"}],\"ts\":1730332800338}",
			    REJECT_NON_NUMERIC),
		REJECT_TEXT("{\"action\":\"snapshot\",\"data\":[]}", REJECT_MISSING_FIELD),
		REJECT_TEXT("pon", REJECT_JSON),
	};
	control_check("bitget", "bitget", cases, sizeof(cases) / sizeof(cases[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_control_frames),
		cmocka_unit_test(test_documented_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* coinbase control frames: the subscriptions answers, heartbeats and
 * requests of the fixtures, the documented error, the legacy Exchange
 * feed's messages (not ours), and frames missing what they need. */
#include "tests/unit/adapter_control.h"

static void test_fixture_control_frames(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		CONTROL("subscriptions.jsonl", 1, CONTROL_SUBSCRIBED, NULL),
		CONTROL("subscriptions.jsonl", 4, CONTROL_SUBSCRIBED, NULL),
		CONTROL("heartbeats.jsonl", 1, CONTROL_UNSUPPORTED, "heartbeats"),
		CONTROL("heartbeats.jsonl", 4, CONTROL_UNSUPPORTED, "heartbeats"),
		CONTROL("subscribe.jsonl", 1, CONTROL_NOTICE, "subscribe"),
		CONTROL("subscribe.jsonl", 3, CONTROL_NOTICE, "subscribe"),
		CONTROL("exchange_error.jsonl", 1, CONTROL_ERROR, "ETH-USD is not a valid product"),
		CONTROL("exchange_heartbeat.jsonl", 1, CONTROL_UNSUPPORTED, "heartbeat"),
		CONTROL("exchange_subscribe.jsonl", 1, CONTROL_NOTICE, "subscribe"),
		CONTROL("exchange_subscriptions.jsonl", 1, CONTROL_UNSUPPORTED, "subscriptions"),
		CONTROL("exchange_ticker.jsonl", 1, CONTROL_UNSUPPORTED, "ticker"),
		CONTROL("exchange_matches.jsonl", 1, CONTROL_UNSUPPORTED, "last_match"),
	};
	control_check("coinbase", "coinbase", cases, sizeof(cases) / sizeof(cases[0]));
}

/* Advanced Trade answers a bad request with {"type":"error","message":...}. */
static void test_documented_errors(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		CONTROL_TEXT("{\"type\":\"error\",\"message\":\"failure to subscribe\"}", CONTROL_ERROR, "failure to subscribe"),
		CONTROL_TEXT("{\"channel\":\"l2_data\",\"timestamp\":\"2026-08-09T21:05:48.229198328Z\",\"sequence_num\":3,"
			     "\"events\":[]}",
			     CONTROL_UNSUPPORTED, "l2_data"),
		/* a bad element refuses the frame, even after a good event */
		REJECT_TEXT("{\"channel\":\"market_trades\",\"timestamp\":\"2026-08-09T21:05:48.228568804Z\",\"sequence_num\":0,"
			    "\"events\":[{\"type\":\"update\",\"trades\":[{\"product_id\":\"BTC-USD\",\"trade_id\":\"1\","
			    "\"price\":\"1\",\"size\":\"1\",\"time\":\"2026-08-09T21:05:42.514318Z\",\"side\":\"SELL\"}]},"
			    "{\"type\":\"update\",\"trades\":[{\"product_id\":\"BTC-USD\",\"trade_id\":\"2\",\"price\":\"1\","
			    "\"size\":\"1\",\"time\":\"2026-08-09T21:05:42.514318Z\",\"side\":\"MAKER\"}]}]}",
			    REJECT_NON_NUMERIC),
		REJECT_TEXT("{\"channel\":\"ticker\",\"sequence_num\":6,\"events\":[{\"type\":\"snapshot\",\"tickers\":"
			    "[{\"type\":\"ticker\",\"product_id\":\"BTC-USD\",\"best_bid\":\"1\",\"best_ask\":\"2\","
			    "\"best_bid_quantity\":\"1\",\"best_ask_quantity\":\"1\"}]}]}",
			    REJECT_MISSING_FIELD),
		REJECT_TEXT("{\"channel\":\"ticker\",\"timestamp\":\"2026-08-09T21:05:48+02:00\",\"events\":[{\"type\":\"snapshot\","
			    "\"tickers\":[{\"type\":\"ticker\",\"product_id\":\"BTC-USD\",\"best_bid\":\"1\",\"best_ask\":\"2\","
			    "\"best_bid_quantity\":\"1\",\"best_ask_quantity\":\"1\"}]}]}",
			    REJECT_NON_NUMERIC),
		REJECT_TEXT("{\"sequence_num\":6}", REJECT_MISSING_FIELD),
		REJECT_TEXT("{\"channel\":\"ticker\",\"events\":[", REJECT_JSON),
	};
	control_check("coinbase", "coinbase", cases, sizeof(cases) / sizeof(cases[0]));
}

/* The side of a public market trade is the maker's: SELL = a buyer took it. */
static void test_maker_side_inverted(void **state)
{
	(void)state;
	static struct pipeline p;
	struct symmap m;
	const char *frame = "{\"channel\":\"market_trades\",\"timestamp\":\"2026-08-09T21:05:48.228568804Z\","
			    "\"sequence_num\":0,\"events\":[{\"type\":\"update\",\"trades\":[{\"product_id\":\"BTC-USD\","
			    "\"trade_id\":\"1068572090\",\"price\":\"65083.67\",\"size\":\"0.002186\","
			    "\"time\":\"2026-08-09T21:05:42.514318Z\",\"side\":\"SELL\"},{\"product_id\":\"BTC-USD\","
			    "\"trade_id\":\"1068572088\",\"price\":\"65083.66\",\"size\":\"0.00007299\","
			    "\"time\":\"2026-08-09T21:05:38.50436Z\",\"side\":\"BUY\"}]}]}";
	assert_int_equal(symmap_init(&m, adapter_find("coinbase"), 8, true), 0);
	pipeline_init(&p, adapter_find("coinbase"), &m, 1, 65536, 0);
	assert_int_equal(pipeline_frame(&p, frame, strlen(frame), false, 0), FRAME_DATA);
	assert_int_equal(p.out.n, 2);
	assert_int_equal(p.ticks[0].kind, TICK_TRADE_BUY);
	assert_int_equal(p.ticks[1].kind, TICK_TRADE_SELL);
	assert_true(p.ticks[0].update_id == 1068572090);
	symmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_control_frames),
		cmocka_unit_test(test_documented_errors),
		cmocka_unit_test(test_maker_side_inverted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

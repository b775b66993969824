/* kraken control frames: every ack, error, pong, heartbeat, status and
 * request line of the fixtures, the documented failures, the RFC 3339
 * times Kraken v2 sends (checked against timegm), and exact number text. */
#include <time.h>

#include "collector/rfc3339.h"
#include "tests/unit/adapter_control.h"

static void test_fixture_control_frames(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		CONTROL("subscribe_response.jsonl", 1, CONTROL_SUBSCRIBED, NULL),
		CONTROL("subscribe_response.jsonl", 2, CONTROL_SUBSCRIBED, NULL),
		CONTROL("subscribe_response.jsonl", 3, CONTROL_SUBSCRIBED, NULL),
		CONTROL("subscribe_response.jsonl", 4, CONTROL_SUBSCRIBED, NULL),
		CONTROL("error.jsonl", 1, CONTROL_ERROR, "Currency pair not supported NOPE/USD"),
		CONTROL("pong.jsonl", 1, CONTROL_PONG, NULL),
		CONTROL("ping.jsonl", 1, CONTROL_NOTICE, "ping"),
		CONTROL("heartbeat.jsonl", 1, CONTROL_UNSUPPORTED, "heartbeat"),
		/* connection_id beyond 64 bits is skipped, never read as a number */
		CONTROL("status.jsonl", 1, CONTROL_NOTICE, "online"),
		CONTROL("status.jsonl", 2, CONTROL_NOTICE, "online"),
		CONTROL("status.jsonl", 3, CONTROL_NOTICE, "online"),
		CONTROL("subscribe.jsonl", 1, CONTROL_NOTICE, "subscribe"),
		CONTROL("subscribe.jsonl", 2, CONTROL_NOTICE, "subscribe"),
		CONTROL("subscribe.jsonl", 3, CONTROL_NOTICE, "subscribe"),
		CONTROL("book.jsonl", 1, CONTROL_UNSUPPORTED, "book"),
	};
	control_check("kraken", "kraken", cases, sizeof(cases) / sizeof(cases[0]));
}

/* Failed requests carry success false and the reason in "error"
 * (docs.kraken.com/api/docs/websocket-v2 subscribe and unsubscribe pages). */
static void test_documented_errors(void **state)
{
	(void)state;
	static const struct control_case cases[] = {
		CONTROL_TEXT("{\"error\":\"Already subscribed\",\"method\":\"subscribe\",\"req_id\":3,\"success\":false,"
			     "\"symbol\":\"BTC/USD\",\"time_in\":\"2024-07-27T21:15:57.923475Z\","
			     "\"time_out\":\"2024-07-27T21:15:57.923542Z\"}",
			     CONTROL_ERROR, "Already subscribed"),
		CONTROL_TEXT("{\"error\":\"Subscription Not Found\",\"method\":\"unsubscribe\",\"success\":false}",
			     CONTROL_ERROR, "Subscription Not Found"),
		CONTROL_TEXT("{\"method\":\"unsubscribe\",\"result\":{\"channel\":\"trade\",\"symbol\":\"BTC/USD\"},"
			     "\"success\":true}",
			     CONTROL_NOTICE, "unsubscribe"),
		CONTROL_TEXT("{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"system\":\"maintenance\"}]}",
			     CONTROL_NOTICE, "maintenance"),
		REJECT_TEXT("{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\","
			    "\"price\":68580.0,\"qty\":0.14225864,\"ord_type\":\"limit\",\"trade_id\":72166031,"
			    "\"timestamp\":\"2024-07-27T21:16:00.512060+02:00\"}]}",
			    REJECT_NON_NUMERIC),
		REJECT_TEXT("{\"channel\":\"ticker\",\"type\":\"update\",\"data\":[{\"symbol\":\"USDT/USD\",\"bid\":0.99980,"
			    "\"bid_qty\":44620.68691883,\"ask_qty\":1.5}]}",
			    REJECT_MISSING_FIELD),
		REJECT_TEXT("{\"channel\":\"ticker\",\"type\":\"update\"}", REJECT_MISSING_FIELD),
		REJECT_TEXT("{\"channel\":\"heartbeat\"", REJECT_JSON),
	};
	control_check("kraken", "kraken", cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_rfc3339_times(void **state)
{
	(void)state;
	int64_t ns;
	struct tm tm = {.tm_year = 2026 - 1900, .tm_mon = 8, .tm_mday = 24, .tm_hour = 3, .tm_min = 54, .tm_sec = 18};
	const char *t1 = "2026-09-24T03:54:18.054886Z";
	assert_int_equal(rfc3339_to_ns(t1, strlen(t1), &ns), 0);
	assert_true(ns == (int64_t)timegm(&tm) * 1000000000 + 54886000);
	const char *t2 = "2024-02-29T23:59:59.123456789Z";
	struct tm tm2 = {.tm_year = 2024 - 1900, .tm_mon = 1, .tm_mday = 29, .tm_hour = 23, .tm_min = 59, .tm_sec = 59};
	assert_int_equal(rfc3339_to_ns(t2, strlen(t2), &ns), 0);
	assert_true(ns == (int64_t)timegm(&tm2) * 1000000000 + 123456789);
	assert_int_equal(rfc3339_to_ns("1970-01-01T00:00:00Z", 20, &ns), 0);
	assert_true(ns == 0);
	static const char *const bad[] = {
		"2023-02-29T00:00:00Z", "2026-09-24T03:54:18.Z", "2026-09-24T03:54:18.0548860001Z",
		"2026-09-24T03:54:18+00:00", "2026-09-24 03:54:18Z", "1969-12-31T23:59:59Z", "2263-01-01T00:00:00Z",
		"2026-13-01T00:00:00Z", "2026-09-24T24:00:00Z", "2026-09-24T03:54:18.05Z ",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (rfc3339_to_ns(bad[i], strlen(bad[i]), &ns) == 0)
			fail_msg("accepted %s", bad[i]);
}

/* "bid":0.99980: the number's text, not a double made by another parser */
static void test_trailing_zero_numbers(void **state)
{
	(void)state;
	static struct pipeline p;
	struct symmap m;
	const char *frame = "{\"channel\":\"ticker\",\"type\":\"update\",\"data\":[{\"symbol\":\"USDT/USD\",\"bid\":0.99980,"
			    "\"bid_qty\":44620.68691883,\"ask\":0.99981,\"ask_qty\":1087605.70466858,"
			    "\"timestamp\":\"2026-09-24T03:54:18.054886Z\"}]}";
	assert_int_equal(symmap_init(&m, adapter_find("kraken"), 8, true), 0);
	pipeline_init(&p, adapter_find("kraken"), &m, 1, 65536, 0);
	assert_int_equal(pipeline_frame(&p, frame, strlen(frame), false, 0), FRAME_DATA);
	assert_int_equal(p.accepted, 1);
	assert_true(p.ticks[0].u.quote.bid_px == strtod("0.99980", NULL));
	assert_true(p.ticks[0].u.quote.ask_qty == strtod("1087605.70466858", NULL));
	assert_string_equal(symmap_by_id(&m, p.ticks[0].symbol_id)->canonical, "USDT-USD");
	symmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_control_frames),
		cmocka_unit_test(test_documented_errors),
		cmocka_unit_test(test_rfc3339_times),
		cmocka_unit_test(test_trailing_zero_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Gateway requests: what is accepted (ops, channels, filters, ids) and
 * that each kind of bad request is refused with its own reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gateway/request.h"

static struct gw_request r;
static char err[160];

static int parse(const char *s)
{
	err[0] = '\0';
	return gw_request_parse(s, strlen(s), &r, err, sizeof(err));
}

static void subscribe_with_filters(void **state)
{
	(void)state;
	assert_int_equal(parse(" {\"op\":\"subscribe\", \"channels\":[\"spreads\",\"trades\"],"
			       "\"symbols\":[\"BTC-USDT\",\"ETH-USDT\"],\"exchanges\":[\"okx\"],\"id\":\"a-1\"} "), 0);
	assert_int_equal(r.op, GW_OP_SUBSCRIBE);
	assert_int_equal(r.channels, 1u << GW_CH_SPREADS | 1u << GW_CH_TRADES);
	assert_true(r.symbols_given && r.exchanges_given);
	assert_int_equal(r.symbol_count, 2);
	assert_string_equal(r.symbols[1], "ETH-USDT");
	assert_int_equal(r.exchange_count, 1);
	assert_string_equal(r.exchanges[0], "okx");
	assert_string_equal(r.id, "\"a-1\"");
}

static void unsubscribe_all_symbols(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"channels\":[\"quotes\"],\"op\":\"unsubscribe\",\"id\":42}"), 0);
	assert_int_equal(r.op, GW_OP_UNSUBSCRIBE);
	assert_int_equal(r.channels, 1u << GW_CH_QUOTES);
	assert_false(r.symbols_given);
	assert_false(r.exchanges_given);
	assert_string_equal(r.id, "42");
}

static void candles_channel(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"op\":\"subscribe\",\"channels\":[\"candles\"],\"exchanges\":[\"okx\"]}"), 0);
	assert_int_equal(r.channels, 1u << GW_CH_CANDLES);
	assert_string_equal(gw_channel_name(GW_CH_CANDLES), "candles");
}

static void alerts_channel(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"op\":\"subscribe\",\"channels\":[\"alerts\"],\"symbols\":[\"BTC-USDT\"]}"), 0);
	assert_int_equal(r.channels, 1u << GW_CH_ALERTS);
	assert_string_equal(gw_channel_name(GW_CH_ALERTS), "alerts");
}

/* {"op":"pairs","symbol":...}: a subscribe to one symbol's pair matrix */
static void pairs_op(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"op\":\"pairs\",\"symbol\":\"BTC-USDT\",\"id\":\"p\"}"), 0);
	assert_int_equal(r.op, GW_OP_SUBSCRIBE);
	assert_int_equal(r.channels, 1u << GW_CH_PAIRS);
	assert_true(r.symbols_given);
	assert_int_equal(r.symbol_count, 1);
	assert_string_equal(r.symbols[0], "BTC-USDT");
	assert_false(r.exchanges_given);
	assert_string_equal(r.id, "\"p\"");
	assert_string_equal(gw_channel_name(GW_CH_PAIRS), "pairs");
	assert_int_equal(parse("{\"op\":\"subscribe\",\"channels\":[\"pairs\"],\"symbols\":[\"ETH-USDT\"]}"), 0);
	assert_int_equal(r.channels, 1u << GW_CH_PAIRS);
}

static void refused_with_reason(void **state)
{
	(void)state;
	static const struct {
		const char *text, *reason;
	} bad[] = {
		{ "", "a request is a JSON object" },
		{ "[]", "a request is a JSON object" },
		{ "{\"op\":\"subscribe\",\"channels\":[\"spreads\"]} x", "not valid JSON" },
		{ "{\"channels\":[\"spreads\"]}", "op is missing" },
		{ "{\"op\":\"subscribe\"}", "channels is missing" },
		{ "{\"op\":\"sub\",\"channels\":[\"spreads\"]}", "op must be subscribe, unsubscribe or pairs" },
		{ "{\"op\":\"pairs\"}", "pairs takes one symbol and no channels, symbols or exchanges" },
		{ "{\"op\":\"pairs\",\"symbol\":\"BTC-USDT\",\"channels\":[\"pairs\"]}",
		  "pairs takes one symbol and no channels, symbols or exchanges" },
		{ "{\"op\":\"pairs\",\"symbol\":\"A B\"}", "symbol must be a name of 1 to 23 printable characters" },
		{ "{\"op\":\"subscribe\",\"channels\":[\"spreads\"],\"symbol\":\"BTC-USDT\"}",
		  "symbol is for op pairs: use symbols" },
		{ "{\"op\":\"subscribe\",\"channels\":[\"pairs\"],\"exchanges\":[\"okx\"]}",
		  "exchanges do not apply to pairs" },
		{ "{\"op\":\"subscribe\",\"channels\":[]}", "channels must name at least one channel" },
		{ "{\"op\":\"subscribe\",\"channels\":\"spreads\"}", "channels must be an array of strings" },
		{ "{\"op\":\"subscribe\",\"channels\":[\"x\"]}", "unknown channel \"x\": use spreads, quotes, trades, status, candles, alerts or pairs" },
		{ "{\"op\":\"subscribe\",\"channels\":[\"spreads\"],\"symbols\":[\"A B\"]}",
		  "symbols must hold names of 1 to 23 printable characters" },
		{ "{\"op\":\"subscribe\",\"channels\":[\"spreads\"],\"symbols\":[\"BTC\\u002dUSDT\"]}",
		  "symbols must hold names of 1 to 23 printable characters" },
		{ "{\"op\":\"subscribe\",\"channels\":[\"spreads\"],\"x\":1}", "unknown field \"x\"" },
		{ "{\"op\":\"subscribe\",\"channels\":[\"spreads\"],\"id\":{}}", "id must be a string or a number" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i].text), -1);
		assert_string_equal(err, bad[i].reason);
	}
}

static void id_kept_on_error(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"op\":\"subscribe\",\"channels\":[\"nope\"],\"id\":7}"), -1);
	assert_string_equal(r.id, "7");
}

static void names_bounded(void **state)
{
	(void)state;
	static char big[GW_REQ_MAX_NAMES * 8 + 128];
	size_t n = (size_t)snprintf(big, sizeof(big), "{\"op\":\"subscribe\",\"channels\":[\"spreads\"],\"symbols\":[");
	for (int i = 0; i <= GW_REQ_MAX_NAMES; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "%s\"S%d\"", i ? "," : "", i);
	snprintf(big + n, sizeof(big) - n, "]}");
	assert_int_equal(parse(big), -1);
	assert_string_equal(err, "at most 256 symbols in one request");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(subscribe_with_filters), cmocka_unit_test(unsubscribe_all_symbols),
		cmocka_unit_test(pairs_op),
		cmocka_unit_test(refused_with_reason),    cmocka_unit_test(id_kept_on_error),
		cmocka_unit_test(names_bounded),            cmocka_unit_test(candles_channel),
		cmocka_unit_test(alerts_channel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The discovery parsers of binance-usdm, gateio, bitget, kraken, coinbase,
 * deribit and htx against small answers in each exchange's documented
 * shape (field names, string or number values, envelopes as the docs show
 * them, shortened to two instruments): every metadata field, the 24 h quote
 * volume, and refused error answers. Expected values are written out by
 * hand from the answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "collector/instruments.h"

struct want {
	const char *native, *canonical, *base, *quote, *status;
	bool trading;
	double tick, lot, min_qty, min_notional, volume;
};

/* Equal to 12 significant digits: decimal text read into a double, and
 * Kraken's and Coinbase's products. */
static void near(const char *what, const char *native, double got, double want)
{
	if (fabs(got - want) > 1e-12 * fabs(want))
		fail_msg("%s %s: got %.17g, want %.17g", native, what, got, want);
}

/* Parse info then tickers with adapter's parsers; compare with want[n]. */
static void check(const char *adapter, const char *info, const char *tickers, const struct want *want, size_t n)
{
	const struct instruments_api *api = instruments_api_find(adapter);
	struct instrument_set set = { 0 };
	char err[256] = "";
	assert_non_null(api);
	/* a copy without terminator: the parsers must read len bytes only */
	char *body = malloc(strlen(info));
	memcpy(body, info, strlen(info));
	int rc = api->parse_info(body, strlen(info), &set, err, sizeof(err));
	free(body);
	if (rc != 0)
		fail_msg("%s info: %s", adapter, err);
	instrument_set_sort_native(&set);
	body = malloc(strlen(tickers));
	memcpy(body, tickers, strlen(tickers));
	rc = api->parse_tickers(body, strlen(tickers), &set, err, sizeof(err));
	free(body);
	if (rc != 0)
		fail_msg("%s tickers: %s", adapter, err);
	assert_int_equal(set.count, n);
	for (size_t i = 0; i < n; i++) {
		const struct instrument *in = instrument_set_find_native(&set, want[i].native, strlen(want[i].native));
		if (!in)
			fail_msg("%s: %s missing", adapter, want[i].native);
		assert_string_equal(in->canonical, want[i].canonical);
		assert_string_equal(in->base, want[i].base);
		assert_string_equal(in->quote, want[i].quote);
		assert_string_equal(in->status, want[i].status);
		assert_int_equal(in->trading, want[i].trading);
		near("tick_size", want[i].native, in->tick_size, want[i].tick);
		near("lot_size", want[i].native, in->lot_size, want[i].lot);
		near("min_qty", want[i].native, in->min_qty, want[i].min_qty);
		near("min_notional", want[i].native, in->min_notional, want[i].min_notional);
		near("quote_volume_24h", want[i].native, in->quote_volume_24h, want[i].volume);
	}
	instrument_set_free(&set);
}

/* An answer the parser must refuse, with a reason that says why (NULL:
 * any reason). */
static void refused(const char *adapter, bool tickers, const char *body, const char *why)
{
	const struct instruments_api *api = instruments_api_find(adapter);
	struct instrument_set set = { 0 };
	char err[256] = "";
	struct instrument *in = instrument_set_add(&set);
	strcpy(in->native, "BTCUSDT");
	int rc = tickers ? api->parse_tickers(body, strlen(body), &set, err, sizeof(err))
			 : api->parse_info(body, strlen(body), &set, err, sizeof(err));
	if (rc == 0)
		fail_msg("%s %s accepted: %s", adapter, tickers ? "tickers" : "info", body);
	assert_true(err[0] != '\0');
	if (why && !strstr(err, why))
		fail_msg("%s: '%s' does not say '%s'", adapter, err, why);
	instrument_set_free(&set);
}

static void test_binance_usdm(void **state)
{
	(void)state;
	static const char info[] =
		"{\"timezone\":\"UTC\",\"serverTime\":1565246363776,\"futuresType\":\"U_MARGINED\",\"rateLimits\":[{\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":2400,\"rateLimitType\":\"REQUEST_WEIGHT\"}],"
		"\"exchangeFilters\":[],\"assets\":[{\"asset\":\"USDT\",\"marginAvailable\":true,\"autoAssetExchange\":\"-10000\"}],\"symbols\":["
		"{\"symbol\":\"BLZUSDT\",\"pair\":\"BLZUSDT\",\"contractType\":\"PERPETUAL\",\"deliveryDate\":4133404800000,\"onboardDate\":1598252400000,\"status\":\"TRADING\","
		"\"maintMarginPercent\":\"2.5000\",\"requiredMarginPercent\":\"5.0000\",\"baseAsset\":\"BLZ\",\"quoteAsset\":\"USDT\",\"marginAsset\":\"USDT\",\"pricePrecision\":5,"
		"\"quantityPrecision\":0,\"baseAssetPrecision\":8,\"quotePrecision\":8,\"underlyingType\":\"COIN\",\"underlyingSubType\":[\"STORAGE\"],\"settlePlan\":0,\"triggerProtect\":\"0.15\","
		"\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"maxPrice\":\"300\",\"minPrice\":\"0.0001\",\"tickSize\":\"0.0001\"},"
		"{\"filterType\":\"LOT_SIZE\",\"maxQty\":\"10000000\",\"minQty\":\"1\",\"stepSize\":\"1\"},"
		"{\"filterType\":\"MARKET_LOT_SIZE\",\"maxQty\":\"590119\",\"minQty\":\"1\",\"stepSize\":\"1\"},"
		"{\"filterType\":\"MAX_NUM_ORDERS\",\"limit\":200},{\"filterType\":\"MAX_NUM_ALGO_ORDERS\",\"limit\":10},"
		"{\"filterType\":\"MIN_NOTIONAL\",\"notional\":\"5.0\"},"
		"{\"filterType\":\"PERCENT_PRICE\",\"multiplierUp\":\"1.1500\",\"multiplierDown\":\"0.8500\",\"multiplierDecimal\":4}],"
		"\"OrderType\":[\"LIMIT\",\"MARKET\",\"STOP\"],\"timeInForce\":[\"GTC\",\"IOC\",\"FOK\",\"GTX\"],\"liquidationFee\":\"0.010000\",\"marketTakeBound\":\"0.30\"},"
		"{\"symbol\":\"BTCUSDT_250627\",\"pair\":\"BTCUSDT\",\"contractType\":\"CURRENT_QUARTER\",\"deliveryDate\":1751011200000,\"onboardDate\":1735286400000,\"status\":\"PENDING_TRADING\","
		"\"baseAsset\":\"BTC\",\"quoteAsset\":\"USDT\",\"marginAsset\":\"USDT\",\"pricePrecision\":1,\"quantityPrecision\":3,"
		"\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"maxPrice\":\"1000000\",\"minPrice\":\"576.3\",\"tickSize\":\"0.1\"},"
		"{\"filterType\":\"LOT_SIZE\",\"maxQty\":\"500\",\"minQty\":\"0.001\",\"stepSize\":\"0.001\"},"
		"{\"filterType\":\"MIN_NOTIONAL\",\"notional\":\"100\"}]}],\"timezone\":\"UTC\"}";
	static const char tickers[] =
		"[{\"symbol\":\"BLZUSDT\",\"priceChange\":\"-94.99999800\",\"priceChangePercent\":\"-95.960\",\"weightedAvgPrice\":\"0.29628482\",\"lastPrice\":\"4.00000200\","
		"\"lastQty\":\"200.00000000\",\"openPrice\":\"99.00000000\",\"highPrice\":\"100.00000000\",\"lowPrice\":\"0.10000000\",\"volume\":\"8913.30000000\","
		"\"quoteVolume\":\"15.30000000\",\"openTime\":1499783499040,\"closeTime\":1499869899040,\"firstId\":28385,\"lastId\":28460,\"count\":76},"
		"{\"symbol\":\"ETHUSDT\",\"lastPrice\":\"3000.00\",\"quoteVolume\":\"123456789.12\"}]";
	static const struct want want[] = {
		{ "BLZUSDT", "BLZ-USDT-PERP", "BLZ", "USDT", "TRADING", true, 0.0001, 1, 1, 5, 15.3 },
		{ "BTCUSDT_250627", "BTC-USDT-250627", "BTC", "USDT", "PENDING_TRADING", false, 0.1, 0.001, 0.001, 100, 0 },
	};
	check("binance-usdm", info, tickers, want, 2);
	refused("binance-usdm", false, "{\"code\":-1003,\"msg\":\"Too much request weight used; current limit is 2400 request weight per 1 MINUTE.\"}", NULL);
	refused("binance-usdm", true, "{\"code\":-1003,\"msg\":\"Too many requests.\"}", NULL);
}

static void test_gateio(void **state)
{
	(void)state;
	static const char info[] =
		"[{\"id\":\"ETH_USDT\",\"base\":\"ETH\",\"base_name\":\"Ethereum\",\"quote\":\"USDT\",\"quote_name\":\"Tether\",\"fee\":\"0.2\",\"min_base_amount\":\"0.001\","
		"\"min_quote_amount\":\"1.0\",\"max_base_amount\":\"10000\",\"max_quote_amount\":\"10000000\",\"amount_precision\":3,\"precision\":6,\"trade_status\":\"tradable\","
		"\"sell_start\":1516378650,\"buy_start\":1516378650,\"delisting_time\":0,\"type\":\"normal\",\"trade_url\":\"https://www.gate.io/trade/BTC_USDT\",\"st_tag\":false},"
		"{\"id\":\"LUNA_USDT\",\"base\":\"LUNA\",\"quote\":\"USDT\",\"fee\":\"0.2\",\"min_base_amount\":\"0.01\",\"min_quote_amount\":\"3\","
		"\"amount_precision\":2,\"precision\":4,\"trade_status\":\"untradable\",\"sell_start\":0,\"buy_start\":0}]";
	static const char tickers[] =
		"[{\"currency_pair\":\"ETH_USDT\",\"last\":\"2412.25\",\"lowest_ask\":\"2412.26\",\"lowest_size\":\"0.5\",\"highest_bid\":\"2412.25\",\"highest_size\":\"1.2\","
		"\"change_percentage\":\"-0.7\",\"change_utc0\":\"-0.5\",\"change_utc8\":\"-0.6\",\"base_volume\":\"41003.120301\",\"quote_volume\":\"98941271.6315\","
		"\"high_24h\":\"2450\",\"low_24h\":\"2390.1\",\"etf_net_value\":\"\",\"etf_pre_net_value\":null,\"etf_pre_timestamp\":null,\"etf_leverage\":null},"
		"{\"currency_pair\":\"GT_USDT\",\"last\":\"5\",\"quote_volume\":\"1000\"}]";
	static const struct want want[] = {
		{ "ETH_USDT", "ETH-USDT", "ETH", "USDT", "tradable", true, 0.000001, 0.001, 0.001, 1, 98941271.6315 },
		{ "LUNA_USDT", "LUNA-USDT", "LUNA", "USDT", "untradable", false, 0.0001, 0.01, 0.01, 3, 0 },
	};
	check("gateio", info, tickers, want, 2);
	refused("gateio", false, "{\"label\":\"TOO_MANY_REQUESTS\",\"message\":\"Request Rate limit Exceeded\"}", NULL);
	refused("gateio", true, "{\"label\":\"SERVER_ERROR\",\"message\":\"Internal server error\"}", NULL);
}

static void test_bitget(void **state)
{
	(void)state;
	static const char info[] =
		"{\"code\":\"00000\",\"msg\":\"success\",\"requestTime\":1695808949356,\"data\":["
		"{\"symbol\":\"BTCUSDT\",\"baseCoin\":\"BTC\",\"quoteCoin\":\"USDT\",\"minTradeAmount\":\"0.0001\",\"maxTradeAmount\":\"10000\",\"takerFeeRate\":\"0.001\","
		"\"makerFeeRate\":\"0.001\",\"pricePrecision\":\"2\",\"quantityPrecision\":\"6\",\"quotePrecision\":\"8\",\"status\":\"online\",\"minTradeUSDT\":\"5\","
		"\"buyLimitPriceRatio\":\"0.05\",\"sellLimitPriceRatio\":\"0.05\",\"areaSymbol\":\"no\",\"orderQuantity\":\"200\",\"openTime\":\"1532454360000\",\"offTime\":\"\"},"
		"{\"symbol\":\"NEWUSDC\",\"baseCoin\":\"NEW\",\"quoteCoin\":\"USDC\",\"minTradeAmount\":\"1\",\"maxTradeAmount\":\"900000\",\"pricePrecision\":\"5\","
		"\"quantityPrecision\":\"0\",\"quotePrecision\":\"6\",\"status\":\"gray\",\"minTradeUSDT\":\"1\",\"areaSymbol\":\"no\",\"openTime\":\"1797000000000\",\"offTime\":\"\"}]}";
	static const char tickers[] =
		"{\"code\":\"00000\",\"msg\":\"success\",\"requestTime\":1695808949356,\"data\":[{\"symbol\":\"BTCUSDT\",\"high24h\":\"37775.65\",\"open\":\"35134.2\","
		"\"low24h\":\"34413.1\",\"lastPr\":\"34413.1\",\"quoteVolume\":\"97264590.14\",\"baseVolume\":\"2644.59\",\"usdtVolume\":\"97264590.14\",\"bidPr\":\"0\",\"askPr\":\"0\","
		"\"bidSz\":\"0.0663\",\"askSz\":\"0\",\"openUtc\":\"23856.72\",\"ts\":\"1625125755277\",\"changeUtc24h\":\"0.00301\",\"change24h\":\"0.00069\"}]}";
	static const struct want want[] = {
		{ "BTCUSDT", "BTC-USDT", "BTC", "USDT", "online", true, 0.01, 0.000001, 0.0001, 5, 97264590.14 },
		{ "NEWUSDC", "NEW-USDC", "NEW", "USDC", "gray", false, 0.00001, 1, 1, 1, 0 },
	};
	check("bitget", info, tickers, want, 2);
	refused("bitget", false, "{\"code\":\"429\",\"msg\":\"Too Many Requests\",\"requestTime\":1695808949356,\"data\":null}",
		"code is 429, not 00000");
	refused("bitget", true, "{\"code\":\"40034\",\"msg\":\"Parameter does not exist\",\"requestTime\":1695808949356,\"data\":[]}", NULL);
}

static void test_kraken(void **state)
{
	(void)state;
	static const char info[] =
		"{\"error\":[],\"result\":{\"XXBTZUSD\":{\"altname\":\"XBTUSD\",\"wsname\":\"XBT/USD\",\"aclass_base\":\"currency\",\"base\":\"XXBT\",\"aclass_quote\":\"currency\","
		"\"quote\":\"ZUSD\",\"lot\":\"unit\",\"cost_decimals\":5,\"pair_decimals\":1,\"lot_decimals\":8,\"lot_multiplier\":1,\"leverage_buy\":[2,3,4,5],\"leverage_sell\":[2,3,4,5],"
		"\"fees\":[[0,0.26],[50000,0.24]],\"fees_maker\":[[0,0.16],[50000,0.14]],\"fee_volume_currency\":\"ZUSD\",\"margin_call\":80,\"margin_stop\":40,"
		"\"ordermin\":\"0.0001\",\"costmin\":\"0.5\",\"tick_size\":\"0.1\",\"status\":\"online\",\"long_position_limit\":270,\"short_position_limit\":180},"
		"\"XDGUSDT\":{\"altname\":\"XDGUSDT\",\"wsname\":\"XDG/USDT\",\"aclass_base\":\"currency\",\"base\":\"XXDG\",\"aclass_quote\":\"currency\",\"quote\":\"USDT\","
		"\"lot\":\"unit\",\"cost_decimals\":5,\"pair_decimals\":7,\"lot_decimals\":8,\"lot_multiplier\":1,\"leverage_buy\":[],\"leverage_sell\":[],\"fees\":[[0,0.4]],"
		"\"fees_maker\":[[0,0.25]],\"fee_volume_currency\":\"ZUSD\",\"margin_call\":80,\"margin_stop\":40,\"ordermin\":\"50\",\"costmin\":\"0.5\",\"tick_size\":\"0.0000001\","
		"\"status\":\"cancel_only\"}}}";
	static const char tickers[] =
		"{\"error\":[],\"result\":{\"XXBTZUSD\":{\"a\":[\"30300.10000\",\"1\",\"1.000\"],\"b\":[\"30300.00000\",\"1\",\"1.000\"],\"c\":[\"30303.20000\",\"0.00067643\"],"
		"\"v\":[\"4083.67001100\",\"4412.73601799\"],\"p\":[\"30706.77771\",\"30689.13205\"],\"t\":[34619,38907],\"l\":[\"29868.30000\",\"29868.30000\"],"
		"\"h\":[\"31631.00000\",\"31631.00000\"],\"o\":\"30502.80000\"}}}";
	static const struct want want[] = {
		{ "XXBTZUSD", "BTC-USD", "BTC", "USD", "online", true, 0.1, 1e-8, 0.0001, 0.5, 4412.73601799 * 30689.13205 },
		{ "XDGUSDT", "DOGE-USDT", "DOGE", "USDT", "cancel_only", false, 0.0000001, 1e-8, 50, 0.5, 0 },
	};
	check("kraken", info, tickers, want, 2);
	refused("kraken", false, "{\"error\":[\"EGeneral:Too many requests\"]}", "EGeneral:Too many requests");
	refused("kraken", true, "{\"error\":[\"EService:Unavailable\"],\"result\":{}}", NULL);
}

static void test_coinbase(void **state)
{
	(void)state;
	static const char info[] =
		"[{\"id\":\"BTC-USD\",\"base_currency\":\"BTC\",\"quote_currency\":\"USD\",\"quote_increment\":\"0.01\",\"base_increment\":\"0.00000001\","
		"\"display_name\":\"BTC-USD\",\"min_market_funds\":\"1\",\"margin_enabled\":false,\"post_only\":false,\"limit_only\":false,\"cancel_only\":false,"
		"\"status\":\"online\",\"status_message\":\"\",\"auction_mode\":false,\"trading_disabled\":false,\"fx_stablecoin\":false,\"max_slippage_percentage\":\"0.02000000\","
		"\"high_bid_limit_percentage\":\"\"},"
		"{\"id\":\"ETH-USDT\",\"base_currency\":\"ETH\",\"quote_currency\":\"USDT\",\"quote_increment\":\"0.01\",\"base_increment\":\"0.00000001\","
		"\"display_name\":\"ETH-USDT\",\"min_market_funds\":\"1\",\"margin_enabled\":false,\"post_only\":false,\"limit_only\":false,\"cancel_only\":false,"
		"\"status\":\"online\",\"status_message\":\"\",\"auction_mode\":false,\"trading_disabled\":true,\"fx_stablecoin\":false}]";
	static const char tickers[] =
		"{\"BTC-USD\":{\"stats_30day\":{\"volume\":\"318519.71374052\"},\"stats_24hour\":{\"open\":\"60412.36\",\"high\":\"61000\",\"low\":\"59500.5\","
		"\"volume\":\"10612.31452361\",\"last\":\"60800.12\",\"volume_30day\":\"318519.71374052\"}},"
		"\"SOL-EUR\":{\"stats_30day\":{\"volume\":\"1\"},\"stats_24hour\":{\"open\":\"1\",\"high\":\"1\",\"low\":\"1\",\"volume\":\"2\",\"last\":\"1\"}}}";
	static const struct want want[] = {
		{ "BTC-USD", "BTC-USD", "BTC", "USD", "online", true, 0.01, 0.00000001, 0, 1, 10612.31452361 * 60800.12 },
		{ "ETH-USDT", "ETH-USDT", "ETH", "USDT", "disabled", false, 0.01, 0.00000001, 0, 1, 0 },
	};
	check("coinbase", info, tickers, want, 2);
	refused("coinbase", false, "{\"message\":\"Public rate limit exceeded\"}", NULL);
	refused("coinbase", true, "[]", NULL);
}

static void test_deribit(void **state)
{
	(void)state;
	static const char info[] =
		"{\"jsonrpc\":\"2.0\",\"result\":[{\"tick_size\":0.5,\"tick_size_steps\":[],\"taker_commission\":0.0005,\"settlement_period\":\"perpetual\","
		"\"settlement_currency\":\"BTC\",\"rfq\":false,\"quote_currency\":\"USD\",\"price_index\":\"btc_usd\",\"min_trade_amount\":10,\"max_liquidation_commission\":0.0075,"
		"\"max_leverage\":50,\"maker_commission\":0,\"kind\":\"future\",\"is_active\":true,\"instrument_name\":\"BTC-PERPETUAL\",\"instrument_id\":124972,"
		"\"future_type\":\"reversed\",\"expiration_timestamp\":32503708800000,\"creation_timestamp\":1534242287000,\"counter_currency\":\"USD\",\"contract_size\":10,"
		"\"block_trade_tick_size\":0.01,\"block_trade_min_trade_amount\":200000,\"block_trade_commission\":0.00025,\"base_currency\":\"BTC\",\"instrument_type\":\"reversed\"},"
		"{\"tick_size\":0.05,\"settlement_period\":\"month\",\"settlement_currency\":\"USDC\",\"quote_currency\":\"USDC\",\"min_trade_amount\":0.01,\"kind\":\"future\","
		"\"is_active\":false,\"instrument_name\":\"ETH_USDC-27JUN25\",\"future_type\":\"linear\",\"expiration_timestamp\":1751011200000,"
		"\"creation_timestamp\":1735286400000,\"counter_currency\":\"USDC\",\"contract_size\":0.01,\"base_currency\":\"ETH\",\"instrument_type\":\"linear\"}],"
		"\"usIn\":1700000000000000,\"usOut\":1700000000000123,\"usDiff\":123,\"testnet\":false}";
	static const char tickers[] =
		"{\"jsonrpc\":\"2.0\",\"result\":[{\"volume_usd\":1150236070.0,\"volume_notional\":1150236070.0,\"volume\":17431.2,\"quote_currency\":\"USD\","
		"\"price_change\":-1.2,\"open_interest\":1112396080,\"mid_price\":65983.25,\"mark_price\":65983.49,\"low\":65101.5,\"last\":65983.5,"
		"\"instrument_name\":\"BTC-PERPETUAL\",\"high\":67201,\"funding_8h\":0.00001,\"estimated_delivery_price\":65990.11,\"current_funding\":0,"
		"\"creation_timestamp\":1700000000000,\"bid_price\":65983,\"base_currency\":\"BTC\",\"ask_price\":65983.5},"
		"{\"volume_usd\":5000.5,\"volume_notional\":5000.5,\"volume\":2,\"instrument_name\":\"ETH_USDC-27JUN25\",\"base_currency\":\"ETH\",\"quote_currency\":\"USDC\"}],"
		"\"usIn\":1,\"usOut\":2,\"usDiff\":1,\"testnet\":false}";
	static const struct want want[] = {
		{ "BTC-PERPETUAL", "BTC-USD-PERP", "BTC", "USD", "active", true, 0.5, 10, 10, 0, 1150236070.0 },
		{ "ETH_USDC-27JUN25", "ETH-USDC-250627", "ETH", "USDC", "inactive", false, 0.05, 0.01, 0.01, 0, 5000.5 },
	};
	check("deribit", info, tickers, want, 2);
	refused("deribit", false, "{\"jsonrpc\":\"2.0\",\"error\":{\"message\":\"Invalid params\",\"data\":{\"reason\":\"wrong format\",\"param\":\"currency\"},\"code\":-32602},\"testnet\":false}", NULL);
	refused("deribit", true, "{\"jsonrpc\":\"2.0\",\"error\":{\"message\":\"too_many_requests\",\"code\":10028},\"testnet\":false}", NULL);
}

static void test_htx(void **state)
{
	(void)state;
	static const char info[] =
		"{\"status\":\"ok\",\"data\":[{\"tags\":\"\",\"state\":\"online\",\"wr\":\"1.5\",\"sc\":\"btcusdt\",\"p\":[{\"id\":9,\"name\":\"Grayscale\",\"weight\":91}],"
		"\"bcdn\":\"BTC\",\"qcdn\":\"USDT\",\"elr\":null,\"tpp\":2,\"tap\":6,\"fp\":8,\"smlr\":null,\"flr\":null,\"whe\":false,\"cd\":false,\"te\":true,\"sp\":\"main\","
		"\"d\":null,\"bc\":\"btc\",\"qc\":\"usdt\",\"toa\":1514779200000,\"ttp\":8,\"w\":999400000,\"lr\":5,\"dn\":\"BTC/USDT\"},"
		"{\"tags\":\"\",\"state\":\"offline\",\"sc\":\"oldeth\",\"bcdn\":\"OLD\",\"qcdn\":\"ETH\",\"tpp\":8,\"tap\":2,\"fp\":8,\"te\":false,\"sp\":\"innovation\","
		"\"bc\":\"old\",\"qc\":\"eth\",\"toa\":1514779200000,\"ttp\":8,\"w\":10,\"dn\":\"OLD/ETH\"}],\"ts\":\"1641880066563\",\"full\":1}";
	static const char tickers[] =
		"{\"status\":\"ok\",\"ts\":1629789355531,\"data\":[{\"symbol\":\"btcusdt\",\"open\":49055.8,\"high\":49580.0,\"low\":47500.01,\"close\":48125.01,"
		"\"amount\":9185.37611284,\"vol\":442858917.41683,\"count\":315321,\"bid\":48125.0,\"bidSize\":0.2176,\"ask\":48125.01,\"askSize\":0.0063}]}";
	static const struct want want[] = {
		{ "btcusdt", "BTC-USDT", "BTC", "USDT", "online", true, 0.01, 0.000001, 0, 0, 442858917.41683 },
		{ "oldeth", "OLD-ETH", "OLD", "ETH", "offline", false, 1e-8, 0.01, 0, 0, 0 },
	};
	check("htx", info, tickers, want, 2);
	refused("htx", false, "{\"status\":\"error\",\"err-code\":\"invalid-parameter\",\"err-msg\":\"invalid symbol\",\"data\":null}",
		"status is error, not ok");
	refused("htx", true, "{\"status\":\"error\",\"err-code\":\"api-request-limit\",\"err-msg\":\"too many requests\"}", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binance_usdm), cmocka_unit_test(test_gateio),   cmocka_unit_test(test_bitget),
		cmocka_unit_test(test_kraken),       cmocka_unit_test(test_coinbase), cmocka_unit_test(test_deribit),
		cmocka_unit_test(test_htx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

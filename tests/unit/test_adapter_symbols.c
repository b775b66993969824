/* Symbol mapping: canonical BASE-QUOTE to each exchange's native names and
 * back, by quote-asset splitting where the exchange concatenates. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "collector/symbols.h"

static void check_split(const char *native, const char *want)
{
	char out[SYMBOL_CANONICAL_MAX];
	int rc = symbol_split_concat(native, strlen(native), out, sizeof(out));
	if (!want) {
		assert_int_not_equal(rc, 0);
		return;
	}
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
}

static void test_split_by_quote_asset(void **state)
{
	(void)state;
	check_split("BTCUSDT", "BTC-USDT");
	check_split("btcusdt", "BTC-USDT");
	check_split("ETHBTC", "ETH-BTC");
	check_split("BNBFDUSD", "BNB-FDUSD");  /* not BNBFD-USD */
	check_split("USDTTRY", "USDT-TRY");
	check_split("BLZETH", "BLZ-ETH");
	check_split("BTCUSDC", "BTC-USDC");
	check_split("EURUSDT", "EUR-USDT");
	check_split("USDT", NULL);             /* no base left */
	check_split("FOOBAR", NULL);           /* no known quote asset */
	check_split("BTC-USDT", NULL);         /* not a concatenated name */
}

static void test_native_names(void **state)
{
	(void)state;
	char out[SYMBOL_NATIVE_MAX];
	assert_int_equal(adapter_find("binance")->native_symbol("BTC-USDT", out, sizeof(out)), 0);
	assert_string_equal(out, "BTCUSDT");
	assert_int_equal(adapter_find("bybit")->native_symbol("ETH-USDC", out, sizeof(out)), 0);
	assert_string_equal(out, "ETHUSDC");
	assert_int_equal(adapter_find("okx")->native_symbol("BTC-USDT", out, sizeof(out)), 0);
	assert_string_equal(out, "BTC-USDT");
	assert_int_not_equal(adapter_find("binance")->native_symbol("BTCUSDT", out, sizeof(out)), 0);
	assert_int_not_equal(adapter_find("okx")->native_symbol("BTC USDT", out, sizeof(out)), 0);
	assert_int_equal(adapter_find("okx")->canonical_symbol("BTC-USD-SWAP", 12, out, sizeof(out)), 0);
	assert_string_equal(out, "BTC-USD-SWAP");
}

static void test_map_lookup(void **state)
{
	(void)state;
	struct symmap m;
	assert_int_equal(symmap_init(&m, adapter_find("binance"), 4, false), 0);
	assert_int_equal(symmap_add(&m, "BTC-USDT", 11), 0);
	assert_int_equal(symmap_add(&m, "ETH-USDT", 12), 0);
	assert_int_equal(symmap_add(&m, "ETH-USDT", 13), -EEXIST);
	struct symmap_entry *e = symmap_lookup(&m, "ETHUSDT", 7);
	assert_non_null(e);
	assert_int_equal(e->id, 12);
	assert_string_equal(e->canonical, "ETH-USDT");
	assert_ptr_equal(symmap_by_id(&m, 11), symmap_lookup(&m, "BTCUSDT", 7));
	assert_null(symmap_lookup(&m, "SOLUSDT", 7)); /* closed map: unknown */
	assert_null(symmap_lookup(&m, "BTCUSD", 6));
	assert_int_equal(symmap_add(&m, "SOL-USDT", 14), 0);
	assert_int_equal(symmap_add(&m, "XRP-USDT", 15), 0);
	assert_int_equal(symmap_add(&m, "ADA-USDT", 16), -ENOSPC);
	symmap_free(&m);

	/* open map (--decode without config): names are derived and numbered */
	assert_int_equal(symmap_init(&m, adapter_find("bybit"), 2, true), 0);
	e = symmap_lookup(&m, "DOGEUSDT", 8);
	assert_non_null(e);
	assert_string_equal(e->canonical, "DOGE-USDT");
	assert_int_equal(e->id, 1);
	assert_ptr_equal(symmap_lookup(&m, "DOGEUSDT", 8), e);
	assert_non_null(symmap_lookup(&m, "SOLUSDT", 7));
	assert_null(symmap_lookup(&m, "XRPUSDT", 7)); /* full */
	symmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_by_quote_asset),
		cmocka_unit_test(test_native_names),
		cmocka_unit_test(test_map_lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Registry: ids from 1 in order of addition, stable across re-adds and
 * mappings, names validated, tables bounded. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm/registry.h"
#include "shm/segment.h"

static char reg_name[64];

static int setup(void **state)
{
	struct registry *r = NULL;
	char err[256] = "";

	snprintf(reg_name, sizeof(reg_name), "/spreadbus.ut%d._registry", (int)getpid());
	segment_unlink(reg_name);
	assert_int_equal(registry_create_or_attach(&r, reg_name, 0600, err, sizeof(err)), 0);
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	registry_close(*state);
	segment_unlink(reg_name);
	return 0;
}

static void test_ids_are_assigned_in_order_and_stable(void **state)
{
	struct registry *r = *state, *child = NULL;
	char err[256] = "";

	assert_int_equal(registry_exchange_count(r), 0);
	assert_int_equal(registry_add_exchange(r, "binance"), 1);
	assert_int_equal(registry_add_exchange(r, "okx"), 2);
	assert_int_equal(registry_add_exchange(r, "binance"), 1);
	assert_int_equal(registry_add_symbol(r, "BTC-USDT"), 1);
	assert_int_equal(registry_add_symbol(r, "ETH-USDT"), 2);
	assert_int_equal(registry_add_symbol(r, "BTC-USDT"), 1);
	assert_int_equal(registry_add_symbol(r, "1INCH-USDT"), 3);

	assert_int_equal(registry_attach(&child, reg_name, err, sizeof(err)), 0);
	assert_int_equal(registry_exchange_count(child), 2);
	assert_int_equal(registry_symbol_count(child), 3);
	assert_int_equal(registry_exchange_id(child, "okx"), 2);
	assert_int_equal(registry_exchange_id(child, "bybit"), 0);
	assert_int_equal(registry_exchange_id(child, NULL), 0);
	assert_int_equal(registry_symbol_id(child, "ETH-USDT"), 2);
	assert_int_equal(registry_symbol_id(child, "ETH-BTC"), 0);
	assert_int_equal(registry_symbol_id(child, NULL), 0);
	assert_string_equal(registry_exchange_name(child, 1), "binance");
	assert_string_equal(registry_symbol_name(child, 3), "1INCH-USDT");
	assert_null(registry_exchange_name(child, 0));
	assert_null(registry_exchange_name(child, 3));
	assert_null(registry_symbol_name(child, 4));
	assert_null(registry_symbol_name(child, -1));
	/* A later add in the supervisor shows in the child's mapping. */
	assert_int_equal(registry_add_symbol(r, "SOL-USDT"), 4);
	assert_int_equal(registry_symbol_id(child, "SOL-USDT"), 4);
	registry_close(child);
}

static void test_names_are_validated(void **state)
{
	struct registry *r = *state;

	assert_int_equal(registry_add_exchange(r, ""), -EINVAL);
	assert_int_equal(registry_add_exchange(r, "Binance"), -EINVAL);
	assert_int_equal(registry_add_exchange(r, "bin_ance"), -EINVAL);
	assert_int_equal(registry_add_exchange(r, "abcdefghijklmnopqrstuvwx"), -EINVAL);
	assert_int_equal(registry_add_exchange(r, "abcdefghijklmnopqrstuvw"), 1);
	assert_int_equal(registry_add_exchange(r, "binance-us"), 2);
	assert_int_equal(registry_add_exchange(r, NULL), -EINVAL);
	assert_int_equal(registry_add_symbol(r, "btc-usdt"), -EINVAL);
	assert_int_equal(registry_add_symbol(r, "BTCUSDT"), -EINVAL);
	assert_int_equal(registry_add_symbol(r, "-USDT"), -EINVAL);
	assert_int_equal(registry_add_symbol(r, "BTC-"), -EINVAL);
	assert_int_equal(registry_add_symbol(r, "BTC-USD-T"), -EINVAL);
	assert_int_equal(registry_add_symbol(r, "ABCDEFGHIJK-ABCDEFGHIJKL"), -EINVAL);
	assert_int_equal(registry_add_symbol(r, "ABCDEFGHIJK-ABCDEFGHIJK"), 1);
	assert_int_equal(registry_add_symbol(r, NULL), -EINVAL);
	assert_int_equal(registry_symbol_count(r), 1);
}

static void test_tables_are_bounded(void **state)
{
	struct registry *r = *state;
	char name[32];
	int i;

	for (i = 0; i < REGISTRY_MAX_EXCHANGES; i++) {
		snprintf(name, sizeof(name), "ex%d", i);
		assert_int_equal(registry_add_exchange(r, name), i + 1);
	}
	assert_int_equal(registry_add_exchange(r, "onemore"), -ENOSPC);
	assert_int_equal(registry_add_exchange(r, "ex5"), 6);
	for (i = 0; i < REGISTRY_MAX_SYMBOLS; i++) {
		snprintf(name, sizeof(name), "S%d-USDT", i);
		assert_int_equal(registry_add_symbol(r, name), i + 1);
	}
	assert_int_equal(registry_add_symbol(r, "ONEMORE-USDT"), -ENOSPC);
	assert_int_equal(registry_symbol_count(r), REGISTRY_MAX_SYMBOLS);
	assert_int_equal(registry_symbol_id(r, "S8191-USDT"), REGISTRY_MAX_SYMBOLS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ids_are_assigned_in_order_and_stable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_are_validated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tables_are_bounded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* String dictionary: first-seen indices, duplicates, growth past the
 * initial table, reset between column chunks, the PLAIN page body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "writer/parquet_dict.h"

static void test_indices_in_first_seen_order(void **state)
{
	(void)state;
	struct parquet_dict d;
	assert_int_equal(parquet_dict_init(&d), 0);
	assert_int_equal(parquet_dict_add(&d, "ETH-USDT", 8), 0);
	assert_int_equal(parquet_dict_add(&d, "BTC-USDT", 8), 1);
	assert_int_equal(parquet_dict_add(&d, "ETH-USDT", 8), 0);
	assert_int_equal(parquet_dict_add(&d, "", 0), 2);
	assert_int_equal(parquet_dict_add(&d, "BTC", 3), 3); /* a prefix is another string */
	assert_int_equal(d.count, 4);
	const uint8_t *p;
	size_t n;
	parquet_dict_entry(&d, 1, &p, &n);
	assert_int_equal(n, 8);
	assert_memory_equal(p, "BTC-USDT", 8);
	parquet_dict_free(&d);
}

static void test_growth_keeps_every_index(void **state)
{
	(void)state;
	struct parquet_dict d;
	assert_int_equal(parquet_dict_init(&d), 0);
	char s[32];
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 5000; i++) {
			int n = snprintf(s, sizeof(s), "SYM%d-USDT", i);
			assert_int_equal(parquet_dict_add(&d, s, (size_t)n), i);
		}
	}
	assert_int_equal(d.count, 5000);
	parquet_dict_free(&d);
}

static void test_reset_starts_a_new_chunk(void **state)
{
	(void)state;
	struct parquet_dict d;
	assert_int_equal(parquet_dict_init(&d), 0);
	assert_int_equal(parquet_dict_add(&d, "buy", 3), 0);
	assert_int_equal(parquet_dict_add(&d, "sell", 4), 1);
	parquet_dict_reset(&d);
	assert_int_equal(d.count, 0);
	assert_int_equal(parquet_dict_add(&d, "sell", 4), 0);
	parquet_dict_free(&d);
}

static void test_plain_page_body(void **state)
{
	(void)state;
	struct parquet_dict d;
	assert_int_equal(parquet_dict_init(&d), 0);
	parquet_dict_add(&d, "okx", 3);
	parquet_dict_add(&d, "stall", 5);
	struct bytebuf b;
	bytebuf_init(&b);
	parquet_dict_encode_plain(&d, &b);
	static const uint8_t want[] = {3, 0, 0, 0, 'o', 'k', 'x', 5, 0, 0, 0, 's', 't', 'a', 'l', 'l'};
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.data, want, sizeof(want));
	bytebuf_free(&b);
	parquet_dict_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_indices_in_first_seen_order),
		cmocka_unit_test(test_growth_keeps_every_index),
		cmocka_unit_test(test_reset_starts_a_new_chunk),
		cmocka_unit_test(test_plain_page_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

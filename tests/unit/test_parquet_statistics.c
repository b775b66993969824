/* Column statistics: signed INT64 order, IEEE doubles without NaN and
 * with the -0.0/+0.0 rule, unsigned byte order for strings, and the
 * Statistics struct as written into ColumnMetaData. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "writer/parquet_stats.h"

static int64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return (int64_t)v;
}

static double le_double(const uint8_t *p)
{
	int64_t bits = le64(p);
	double d;
	memcpy(&d, &bits, 8);
	return d;
}

static void test_int64_signed_order(void **state)
{
	(void)state;
	static const int64_t v[] = {5, -3, INT64_MAX, 0, INT64_MIN + 1, 42};
	struct parquet_stats st;
	parquet_stats_from_i64(&st, v, 6);
	assert_true(st.has_minmax);
	assert_int_equal(st.min_len, 8);
	assert_true(le64(st.min) == INT64_MIN + 1);
	assert_true(le64(st.max) == INT64_MAX);
	assert_int_equal(st.null_count, 0);
	parquet_stats_from_i64(&st, v, 0);
	assert_false(st.has_minmax);
}

static void test_double_nan_and_zero(void **state)
{
	(void)state;
	const double v[] = {NAN, 2.5, -1.25, NAN, 1e300};
	struct parquet_stats st;
	parquet_stats_from_double(&st, v, 5);
	assert_true(st.has_minmax);
	assert_true(le_double(st.min) == -1.25);
	assert_true(le_double(st.max) == 1e300);

	const double zeros[] = {0.0, 0.0};
	parquet_stats_from_double(&st, zeros, 2);
	assert_true(signbit(le_double(st.min))); /* min 0 is written as -0.0 */
	assert_false(signbit(le_double(st.max))); /* max 0 as +0.0 */

	const double nans[] = {NAN, NAN};
	parquet_stats_from_double(&st, nans, 2);
	assert_false(st.has_minmax);
}

static void test_strings_unsigned_byte_order(void **state)
{
	(void)state;
	struct parquet_dict d;
	assert_int_equal(parquet_dict_init(&d), 0);
	parquet_dict_add(&d, "b", 1);
	parquet_dict_add(&d, "\xc3\xa9", 2); /* UTF-8 e-acute: bytes above ASCII sort last */
	parquet_dict_add(&d, "ab", 2);
	parquet_dict_add(&d, "a", 1); /* a prefix sorts first */
	struct parquet_stats st;
	parquet_stats_from_dict(&st, &d);
	assert_true(st.has_minmax);
	assert_int_equal(st.min_len, 1);
	assert_memory_equal(st.min, "a", 1);
	assert_int_equal(st.max_len, 2);
	assert_memory_equal(st.max, "\xc3\xa9", 2);
	parquet_dict_free(&d);
}

static void test_long_strings_get_no_minmax(void **state)
{
	(void)state;
	struct parquet_dict d;
	assert_int_equal(parquet_dict_init(&d), 0);
	char big[PARQUET_STATS_MAX_BYTES + 1];
	memset(big, 'z', sizeof(big));
	parquet_dict_add(&d, "a", 1);
	parquet_dict_add(&d, big, sizeof(big));
	struct parquet_stats st;
	parquet_stats_from_dict(&st, &d);
	assert_false(st.has_minmax); /* never a truncated, wrong max */
	parquet_dict_free(&d);
}

static void test_statistics_struct_encoding(void **state)
{
	(void)state;
	static const int64_t v[] = {1, 2};
	struct parquet_stats st;
	parquet_stats_from_i64(&st, v, 2);
	struct bytebuf b;
	bytebuf_init(&b);
	struct thrift_writer w;
	thrift_writer_init(&w, &b);
	parquet_stats_write(&st, &w, 12);
	thrift_struct_end(&w);
	/* field 12 struct (delta 12: 0xcc); null_count field 3 (0x36, 0);
	 * max_value field 5 binary (0x28, len 8, 2 LE); min_value field 6
	 * binary (0x18, len 8, 1 LE); stop; outer stop */
	static const uint8_t want[] = {0xcc, 0x36, 0x00, 0x28, 0x08, 2, 0, 0, 0, 0, 0, 0, 0,
				       0x18, 0x08, 1, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00};
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.data, want, sizeof(want));
	bytebuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int64_signed_order),
		cmocka_unit_test(test_double_nan_and_zero),
		cmocka_unit_test(test_strings_unsigned_byte_order),
		cmocka_unit_test(test_long_strings_get_no_minmax),
		cmocka_unit_test(test_statistics_struct_encoding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

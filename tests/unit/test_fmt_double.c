/* fmt_double writes the shortest decimal that reads back as the same
 * double, and fmt_u64/fmt_i64 respect their buffer bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "common/fmt.h"
#include "tests/unit/test_common_rng.h"

static void expect_fmt(double v, const char *want)
{
	char buf[FMT_NUM_MAX];
	size_t n = fmt_double(buf, sizeof(buf), v);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_ordinary_prices(void **state)
{
	(void)state;
	expect_fmt(strtod("25.35190000", NULL), "25.3519");
	expect_fmt(65114.2, "65114.2");
	expect_fmt(0.001, "0.001");
	expect_fmt(1e-8, "0.00000001");
	expect_fmt(0.1 + 0.2, "0.30000000000000004");
	expect_fmt(100.0, "100");
	expect_fmt(0.0, "0");
	expect_fmt(-0.0, "-0");
	expect_fmt(-3.5, "-3.5");
	expect_fmt(123456789012345.0, "123456789012345");
	expect_fmt(1e300, "1e+300");
	expect_fmt(NAN, "null");
	expect_fmt(INFINITY, "null");
}

/* The reference: the first %.{1..17}g that reads back is the shortest. */
static int shortest_digits(double v)
{
	char tmp[64];
	for (int p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*g", p, v);
		if (strtod(tmp, NULL) == v)
			return p;
	}
	return 17;
}

/* Significant digits of a decimal: leading and trailing zeros removed, up
 * to an exponent. */
static int count_digits(const char *s)
{
	char d[64];
	int n = 0;
	for (; *s && *s != 'e' && n < 63; s++)
		if (*s >= '0' && *s <= '9' && (n > 0 || *s != '0'))
			d[n++] = *s;
	while (n > 0 && d[n - 1] == '0')
		n--;
	return n > 0 ? n : 1;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void)
{
	return test_rng_next(&rng_state);
}

static void check_round_trip(double v)
{
	char buf[FMT_NUM_MAX];
	size_t n = fmt_double(buf, sizeof(buf), v);
	assert_true(n > 0);
	char *end;
	double back = strtod(buf, &end);
	assert_true(*end == '\0');
	if (back != v || signbit(back) != signbit(v))
		fail_msg("%.17g printed as %s reads back as %.17g", v, buf, back);
	if (count_digits(buf) > shortest_digits(v))
		fail_msg("%.17g printed as %s: %d digits, shortest is %d", v, buf, count_digits(buf),
			 shortest_digits(v));
}

static void test_random_bit_patterns_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < 100000; i++) {
		uint64_t bits = rng();
		double v;
		memcpy(&v, &bits, sizeof(v));
		if (isfinite(v))
			check_round_trip(v);
	}
}

/* A decimal of at most 15 significant digits is the unique shortest form
 * of its double, so the output must be exactly that decimal. */
static void test_random_prices_print_as_sent(void **state)
{
	(void)state;
	char want[64], digits[32], buf[FMT_NUM_MAX];
	for (int i = 0; i < 500000; i++) {
		uint64_t m = rng() % 100000000000000ULL;
		int k = (int)(rng() % 12);
		double v = (double)m / pow(10, k); /* exact operands: correctly rounded */
		int n = snprintf(digits, sizeof(digits), "%0*llu", k + 1, (unsigned long long)m);
		if (k > 0) {
			snprintf(want, sizeof(want), "%.*s.%s", n - k, digits, digits + n - k);
			size_t w = strlen(want);
			while (want[w - 1] == '0')
				want[--w] = '\0';
			if (want[w - 1] == '.')
				want[--w] = '\0';
		} else {
			snprintf(want, sizeof(want), "%s", digits);
		}
		fmt_double(buf, sizeof(buf), v);
		if (strcmp(buf, want) != 0)
			fail_msg("%llu / 10^%d printed as %s, want %s", (unsigned long long)m, k, buf, want);
	}
}

/* Up to 16 digits and 17 decimals: the fast path's largest operands, where
 * the scaling itself rounds; still the shortest form. */
static void test_long_decimals_are_shortest(void **state)
{
	(void)state;
	for (int i = 0; i < 200000; i++) {
		uint64_t m = rng() % (1ULL << 53);
		int k = 1 + (int)(rng() % 17);
		check_round_trip((double)m / pow(10, k));
	}
}

static void test_small_buffer_is_refused(void **state)
{
	(void)state;
	char buf[4];
	assert_int_equal(fmt_double(buf, sizeof(buf), 25.3519), 0);
	assert_string_equal(buf, "");
	assert_int_equal(fmt_double(buf, sizeof(buf), 2.5), 3);
	assert_string_equal(buf, "2.5");
	assert_int_equal(fmt_double(buf, 0, 1.0), 0);
}

static void test_integers(void **state)
{
	(void)state;
	char buf[FMT_NUM_MAX];
	assert_int_equal(fmt_u64(buf, sizeof(buf), 0), 1);
	assert_string_equal(buf, "0");
	assert_int_equal(fmt_u64(buf, sizeof(buf), UINT64_MAX), 20);
	assert_string_equal(buf, "18446744073709551615");
	assert_int_equal(fmt_i64(buf, sizeof(buf), INT64_MIN), 20);
	assert_string_equal(buf, "-9223372036854775808");
	assert_int_equal(fmt_i64(buf, sizeof(buf), -42), 3);
	assert_string_equal(buf, "-42");
	/* "12345" needs 6 bytes with the NUL */
	assert_int_equal(fmt_u64(buf, 5, 12345), 0);
	assert_string_equal(buf, "");
	assert_int_equal(fmt_u64(buf, 6, 12345), 5);
	assert_string_equal(buf, "12345");
	for (int i = 0; i < 100000; i++) {
		char ref[32];
		int64_t v = (int64_t)rng();
		snprintf(ref, sizeof(ref), "%lld", (long long)v);
		fmt_i64(buf, sizeof(buf), v);
		assert_string_equal(buf, ref);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ordinary_prices),
		cmocka_unit_test(test_random_bit_patterns_round_trip),
		cmocka_unit_test(test_random_prices_print_as_sent),
		cmocka_unit_test(test_long_decimals_are_shortest),
		cmocka_unit_test(test_small_buffer_is_refused),
		cmocka_unit_test(test_integers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

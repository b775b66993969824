/* decimal_parse gives exactly strtod's double for exchange decimals: random
 * strings of every shape, every number in the fixtures, and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/decimal.h"
#include "tests/unit/test_common_rng.h"

static void expect_same_as_strtod(const char *s)
{
	double got = 0, want = strtod(s, NULL);
	int rc = decimal_parse(s, strlen(s), &got);
	if (rc != 0)
		fail_msg("'%s' refused (%d)", s, rc);
	if (memcmp(&got, &want, sizeof(got)) != 0)
		fail_msg("'%s': got %.17g, strtod %.17g", s, got, want);
}

static void test_exchange_examples(void **state)
{
	(void)state;
	const char *ok[] = { "25.35190000", "0.001", "65114.20", "0", "-0", "0.00000001", "100", "-1.5",
			     "123456789012345678901234567890", "0.1", "9007199254740993", "1e-8", "1.5E+3",
			     "0000000000000000000000000.5", "4149.74000000", "5.", ".5",
			     "1234567890123456789.123456789" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		expect_same_as_strtod(ok[i]);
}

static void test_bad_input_is_refused(void **state)
{
	(void)state;
	const char *bad[] = { "", "-", ".", "+1", "1.2.3", "1,5", "0x10", "1e", "1e+", "1e12345", "abc", "1 ",
			      " 1", "--1", "nan", "inf", "1.5x", "-.", "12345678901234567890123456789012345678901" };
	double v;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (decimal_parse(bad[i], strlen(bad[i]), &v) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
}

static void test_overflow_is_refused(void **state)
{
	(void)state;
	double v = 7;
	assert_int_equal(decimal_parse("1e400", 5, &v), -ERANGE);
	assert_int_equal(decimal_parse("-1e9999", 7, &v), -ERANGE);
	assert_true(v == 7);
	assert_int_equal(decimal_parse("1e-400", 6, &v), 0);
	assert_true(v == 0);
}

static void test_no_terminator_needed(void **state)
{
	(void)state;
	/* The span stops before the quote, as in a JSON frame. */
	const char frame[] = "\"25.3519\",\"B\"";
	double v;
	assert_int_equal(decimal_parse(frame + 1, 7, &v), 0);
	assert_true(v == 25.3519);
}

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;
static uint64_t rng(void)
{
	return test_rng_next(&rng_state);
}

/* Random decimals: 1-30 digits, point anywhere, some with exponents. */
static void test_random_strings_match_strtod(void **state)
{
	(void)state;
	char s[DECIMAL_MAX_LEN + 1];
	for (int i = 0; i < 2000000; i++) {
		size_t n = 0;
		if (rng() % 4 == 0)
			s[n++] = '-';
		int digits = 1 + (int)(rng() % 30);
		int point = (int)(rng() % (uint64_t)(digits + 1));
		int lead_zeros = rng() % 3 == 0 ? (int)(rng() % 10) : 0;
		for (int d = 0; d < digits; d++) {
			if (d == point && d > 0)
				s[n++] = '.';
			s[n++] = d < lead_zeros ? '0' : (char)('0' + rng() % 10);
		}
		if (rng() % 8 == 0)
			n += (size_t)snprintf(s + n, sizeof(s) - n, "e%d", (int)(rng() % 80) - 40);
		s[n] = '\0';
		expect_same_as_strtod(s);
	}
}

/* Every quoted number in the fixture frames (prices, quantities). */
static size_t check_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t checked = 0;
	int c, prev = 0;
	char buf[64];
	while ((c = fgetc(f)) != EOF) {
		if (c == '"' && prev != '\\') {
			size_t n = 0;
			while ((c = fgetc(f)) != EOF && c != '"' && n < sizeof(buf) - 1)
				buf[n++] = (char)c;
			buf[n] = '\0';
			if (n > 0 && n <= DECIMAL_MAX_LEN && strspn(buf, "-0123456789.") == n &&
			    strpbrk(buf, "0123456789") && strchr(buf, '.') &&
			    strchr(buf, '.') == strrchr(buf, '.')) {
				expect_same_as_strtod(buf);
				checked++;
			}
		}
		prev = c;
	}
	fclose(f);
	return checked;
}

static size_t walk(const char *dir)
{
	size_t checked = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR)
			checked += walk(path);
		else if (strstr(e->d_name, ".jsonl"))
			checked += check_file(path);
	}
	closedir(d);
	return checked;
}

static void test_every_fixture_number(void **state)
{
	(void)state;
	const char *fixtures = getenv("FIXTURES");
	if (!fixtures)
		fixtures = "tests/fixtures";
	size_t checked = walk(fixtures);
	/* The fixtures hold hundreds of prices; none found means a wrong path. */
	assert_true(checked > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exchange_examples),
		cmocka_unit_test(test_bad_input_is_refused),
		cmocka_unit_test(test_overflow_is_refused),
		cmocka_unit_test(test_no_terminator_needed),
		cmocka_unit_test(test_random_strings_match_strtod),
		cmocka_unit_test(test_every_fixture_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Reconnect backoff: exponential from the minimum, capped at the maximum,
 * jittered within [base/2, base]. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "collector/backoff.h"

static void test_backoff_grows_and_caps(void **state)
{
	(void)state;
	uint64_t rng = 12345;
	for (unsigned attempt = 0; attempt < 40; attempt++) {
		uint64_t base = 100;
		for (unsigned i = 0; i < attempt && base < 30000; i++)
			base *= 2;
		if (base > 30000)
			base = 30000;
		for (int k = 0; k < 50; k++) {
			uint32_t d = backoff_delay_ms(100, 30000, attempt, &rng);
			assert_true(d >= base / 2);
			assert_true(d <= base);
		}
	}
}

static void test_backoff_jitters(void **state)
{
	(void)state;
	uint64_t rng = 1;
	uint32_t first = backoff_delay_ms(1000, 60000, 3, &rng);
	int differ = 0;
	for (int k = 0; k < 20; k++)
		differ += backoff_delay_ms(1000, 60000, 3, &rng) != first;
	assert_true(differ > 10);
	/* a zero state and max < min are handled */
	rng = 0;
	uint32_t d = backoff_delay_ms(500, 100, 5, &rng);
	assert_true(d >= 250 && d <= 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_grows_and_caps),
		cmocka_unit_test(test_backoff_jitters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

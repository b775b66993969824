/* The collector's health score (collector/health.h): 80 points for the
 * share of connections streaming, 20 for data quality lost linearly up to
 * 10% rejected frames, and 0 whenever nothing streams. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "collector/health.h"

static void test_nothing_streaming_scores_zero(void **state)
{
	(void)state;
	assert_int_equal(health_score(0, 2, 1000, 0), 0);
	assert_int_equal(health_score(0, 0, 0, 0), 0);
}

static void test_connectivity_points_in_proportion(void **state)
{
	(void)state;
	assert_int_equal(health_score(2, 2, 1000, 0), 100);
	assert_int_equal(health_score(1, 2, 1000, 0), 60);
	assert_int_equal(health_score(2, 2, 0, 0), 100); /* no frames in the window: no reject share */
}

static void test_quality_points_lost_up_to_ten_percent_rejects(void **state)
{
	(void)state;
	assert_int_equal(health_score(2, 2, 1000, 50), 90);  /* 5% rejects: half the quality points */
	assert_int_equal(health_score(2, 2, 1000, 100), 80); /* 10% and more: none */
	assert_int_equal(health_score(2, 2, 10, 1000), 80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_streaming_scores_zero),
		cmocka_unit_test(test_connectivity_points_in_proportion),
		cmocka_unit_test(test_quality_points_lost_up_to_ten_percent_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The conflation queue: one entry per symbol however often it changes,
 * FIFO by first change, every superseded update counted, and the optional
 * per-symbol publish interval. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "aggregator/conflate.h"

#define MS 1000000LL

static void latest_wins_in_fifo_order(void **state)
{
	(void)state;
	struct conflate q;
	assert_int_equal(conflate_init(&q, 4), 0);
	assert_true(conflate_mark(&q, 2));
	assert_true(conflate_mark(&q, 0));
	assert_false(conflate_mark(&q, 2)); /* superseded before it was sent */
	assert_false(conflate_mark(&q, 2));
	assert_true(conflate_mark(&q, 3));
	assert_int_equal(q.conflated, 2);
	assert_int_equal(q.count, 3);
	assert_int_equal(conflate_pop(&q, 0, 0), 2);
	assert_int_equal(conflate_pop(&q, 0, 0), 0);
	assert_true(conflate_mark(&q, 2)); /* sent: a new change queues again */
	assert_int_equal(conflate_pop(&q, 0, 0), 3);
	assert_int_equal(conflate_pop(&q, 0, 0), 2);
	assert_int_equal(conflate_pop(&q, 0, 0), -1);
	/* every symbol at once fits: the ring holds one entry per symbol */
	for (uint32_t s = 0; s < 4; s++)
		assert_true(conflate_mark(&q, s));
	for (int s = 0; s < 4; s++)
		assert_int_equal(conflate_pop(&q, 0, 0), s);
	conflate_free(&q);
}

static void publish_interval_holds_a_symbol_back(void **state)
{
	(void)state;
	struct conflate q;
	assert_int_equal(conflate_init(&q, 3), 0);
	conflate_mark(&q, 1);
	assert_int_equal(conflate_pop(&q, 1000 * MS, 100 * MS), 1); /* first publish: due */
	conflate_mark(&q, 1);
	conflate_mark(&q, 2);
	/* 1 was sent 50 ms ago: 2 goes first, 1 keeps its place */
	assert_int_equal(conflate_pop(&q, 1050 * MS, 100 * MS), 2);
	assert_int_equal(conflate_pop(&q, 1050 * MS, 100 * MS), -1);
	assert_int_equal(q.count, 1);
	assert_false(conflate_mark(&q, 1));
	assert_int_equal(conflate_pop(&q, 1100 * MS, 100 * MS), 1);
	assert_int_equal(q.count, 0);
	conflate_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(latest_wins_in_fifo_order),
		cmocka_unit_test(publish_interval_holds_a_symbol_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* fakex tapes: connections on one stream read the same events (one feed,
 * generated once), a late subscriber starts at the head, and a reader that
 * falls more than the capacity behind skips to the oldest event held. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tests/fakex/tape.h"

static unsigned generated;

static void gen(union fx_event *out, void *arg)
{
	(void)arg;
	memset(out, 0, sizeof *out);
	out->quote.update_id = 1000 + generated++;
}

static void test_readers_share_one_feed(void **state)
{
	struct fx_tape t;
	uint64_t a = 0, b = 0;
	(void)state;
	generated = 0;
	assert_int_equal(tape_init(&t, 8), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(tape_next(&t, &a, gen, NULL)->quote.update_id, 1000 + (uint64_t)i);
	for (int i = 0; i < 7; i++)
		assert_int_equal(tape_next(&t, &b, gen, NULL)->quote.update_id, 1000 + (uint64_t)i);
	assert_int_equal(generated, 7); /* b generated only the two a had not */
	assert_int_equal(tape_next(&t, &a, gen, NULL)->quote.update_id, 1005);
	assert_int_equal(generated, 7);

	uint64_t late = t.head;
	assert_int_equal(tape_next(&t, &late, gen, NULL)->quote.update_id, 1007);

	for (int i = 0; i < 20; i++)
		tape_next(&t, &b, gen, NULL);
	/* a is 21 behind with room for 8: it resumes at the oldest held */
	assert_int_equal(tape_next(&t, &a, gen, NULL)->quote.update_id, 1000 + t.head - 8);
	tape_free(&t);
}

/* An event counts as sent once, however many connections carry it, and a
 * slot reused for a newer event starts unsent. */
static void test_sent_counted_once_per_event(void **state)
{
	struct fx_tape t;
	uint64_t a = 0, b = 0;
	(void)state;
	generated = 0;
	assert_int_equal(tape_init(&t, 4), 0);
	tape_next(&t, &a, gen, NULL);
	assert_true(tape_mark_sent(&t, a - 1));
	tape_next(&t, &b, gen, NULL);
	assert_false(tape_mark_sent(&t, b - 1)); /* the same event on a second connection */
	assert_false(tape_mark_sent(&t, t.head)); /* not generated yet */
	for (int i = 0; i < 4; i++)
		tape_next(&t, &a, gen, NULL);
	assert_true(tape_mark_sent(&t, a - 1)); /* slot 0 again, now a newer event */
	assert_false(tape_mark_sent(&t, 0));    /* no longer held */
	tape_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readers_share_one_feed),
		cmocka_unit_test(test_sent_counted_once_per_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

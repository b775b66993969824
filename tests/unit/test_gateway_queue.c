/* A client's bounded queue: in order while the client keeps up; past the
 * bound or once it lags, spreads and quotes keep only the latest per key
 * (counted) while a trade that
 * does not fit is refused (the client is then disconnected). Checked
 * against a plain model of what must come out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "gateway/queue.h"

/* The next sequence (0 when empty); *key is set only for a conflated key. */
static uint64_t pop(struct gw_queue *q, uint32_t *key)
{
	struct gw_pop p;
	if (!gw_queue_pop(q, &p))
		return 0;
	*key = p.conflated ? p.key : GW_QUEUE_NO_KEY;
	return p.seq;
}

static void in_order_within_the_bound(void **state)
{
	(void)state;
	struct gw_queue q;
	uint32_t key;
	assert_int_equal(gw_queue_init(&q, 4), 0);
	for (uint64_t s = 1; s <= 4; s++)
		assert_int_equal(gw_queue_push(&q, s, gw_queue_key(0, 0, 1), true, false), GW_PUSH_QUEUED);
	for (uint64_t s = 1; s <= 4; s++)
		assert_int_equal(pop(&q, &key), s);
	assert_int_equal(pop(&q, &key), 0);
	assert_int_equal(q.conflated, 0);
	gw_queue_free(&q);
}

static void past_the_bound_latest_per_key(void **state)
{
	(void)state;
	struct gw_queue q;
	uint32_t key;
	assert_int_equal(gw_queue_init(&q, 2), 0);
	uint32_t a = gw_queue_key(0, 0, 1), b = gw_queue_key(1, 3, 1);
	assert_int_equal(gw_queue_push(&q, 1, a, true, false), GW_PUSH_QUEUED);
	assert_int_equal(gw_queue_push(&q, 2, b, true, false), GW_PUSH_QUEUED);
	/* full: a's and b's newer updates wait as one each */
	assert_int_equal(gw_queue_push(&q, 3, a, true, false), GW_PUSH_QUEUED);
	assert_int_equal(gw_queue_push(&q, 4, b, true, false), GW_PUSH_QUEUED);
	assert_int_equal(gw_queue_push(&q, 5, a, true, false), GW_PUSH_CONFLATED);
	assert_int_equal(gw_queue_push(&q, 6, a, true, false), GW_PUSH_CONFLATED);
	assert_int_equal(q.conflated, 2);
	assert_int_equal(gw_queue_len(&q), 4);
	/* a trade past the bound cannot be conflated */
	assert_int_equal(gw_queue_push(&q, 7, gw_queue_key(2, 3, 1), false, false), GW_PUSH_FULL);
	/* 1 and 2 were replaced by newer ones of their keys: skipped */
	assert_int_equal(pop(&q, &key), 6); /* a first waited first, and its latest is 6 */
	assert_int_equal(key, a); /* from the conflated keys: the caller may send a's newest */
	assert_int_equal(pop(&q, &key), 4);
	assert_int_equal(pop(&q, &key), 0);
	assert_int_equal(q.conflated, 4);
	/* caught up: in order again */
	assert_int_equal(gw_queue_push(&q, 8, a, true, false), GW_PUSH_QUEUED);
	assert_int_equal(gw_queue_push(&q, 9, a, true, false), GW_PUSH_QUEUED);
	assert_int_equal(pop(&q, &key), 8);
	assert_int_equal(pop(&q, &key), 9);
	gw_queue_free(&q);
}

/* A client the caller finds lagging is conflated before its bound: the
 * spread still queued is skipped for the newer one, trades stay in order. */
static void lagging_conflates_before_the_bound(void **state)
{
	(void)state;
	struct gw_queue q;
	uint32_t key;
	uint32_t a = gw_queue_key(0, 0, 1), trade = gw_queue_key(2, 1, 1);
	assert_int_equal(gw_queue_init(&q, 8), 0);
	assert_int_equal(gw_queue_push(&q, 1, a, true, false), GW_PUSH_QUEUED);
	assert_int_equal(gw_queue_push(&q, 2, trade, false, false), GW_PUSH_QUEUED);
	assert_int_equal(gw_queue_push(&q, 3, a, true, true), GW_PUSH_QUEUED);
	assert_int_equal(gw_queue_push(&q, 4, a, true, true), GW_PUSH_CONFLATED);
	assert_int_equal(gw_queue_push(&q, 5, trade, false, true), GW_PUSH_QUEUED);
	assert_int_equal(pop(&q, &key), 2);
	assert_int_equal(pop(&q, &key), 5);
	assert_int_equal(pop(&q, &key), 4);
	assert_int_equal(key, a);
	assert_int_equal(pop(&q, &key), 0);
	assert_int_equal(q.conflated, 2); /* 3 replaced, 1 skipped */
	gw_queue_free(&q);
}

/* A queued spread whose message the log dropped waits as a conflated key:
 * its newest message goes out once, after the rest of the FIFO. */
static void dropped_message_deferred_to_its_key(void **state)
{
	(void)state;
	struct gw_queue q;
	struct gw_pop p;
	uint32_t a = gw_queue_key(0, 0, 1), trade = gw_queue_key(2, 1, 1);
	assert_int_equal(gw_queue_init(&q, 4), 0);
	assert_int_equal(gw_queue_push(&q, 1, a, true, false), GW_PUSH_QUEUED);
	assert_int_equal(gw_queue_push(&q, 2, trade, false, false), GW_PUSH_QUEUED);
	assert_int_equal(gw_queue_push(&q, 3, a, true, false), GW_PUSH_QUEUED);
	assert_true(gw_queue_pop(&q, &p));
	assert_true(p.seq == 1 && p.key == a && !p.conflated);
	assert_int_equal(gw_queue_defer(&q, p.seq, p.key), GW_PUSH_QUEUED); /* 1 was dropped */
	assert_true(gw_queue_pop(&q, &p));
	assert_true(p.seq == 2 && p.key == GW_QUEUE_NO_KEY);
	assert_int_equal(gw_queue_defer(&q, p.seq, p.key), GW_PUSH_FULL); /* a trade cannot wait as a key */
	/* 3 is skipped (a waits already as a key) and a goes out once, as its newest */
	assert_true(gw_queue_pop(&q, &p));
	assert_true(p.conflated && p.key == a && p.seq == 3);
	assert_false(gw_queue_pop(&q, &p));
	gw_queue_free(&q);
}

/* Random pushes and pops against a model: every key's latest sequence is
 * delivered, no sequence twice, no sequence older than one delivered
 * before it for the same key, trades all in order. */
enum { BOUND = 64, KEYS = 200, STEPS = 200000, TRADE = KEYS };

struct model {
	uint64_t latest[KEYS], delivered_latest[KEYS];
	uint32_t key_of[STEPS + 1]; /* TRADE for a trade */
	uint64_t last_trade, trades_pushed, trades_popped;
};

/* Checks one sequence the queue gave out. */
static void delivered(struct model *m, uint64_t s)
{
	uint32_t k = m->key_of[s];
	if (k == TRADE) {
		assert_true(s > m->last_trade);
		m->last_trade = s;
		m->trades_popped++;
	} else {
		assert_true(s > m->delivered_latest[k]);
		m->delivered_latest[k] = s;
	}
}

static void random_against_model(void **state)
{
	(void)state;
	static struct model m;
	struct gw_queue q;
	uint32_t key;
	uint64_t s;
	assert_int_equal(gw_queue_init(&q, BOUND), 0);
	srand(12345);
	for (uint64_t seq = 1; seq <= STEPS; seq++) {
		if (rand() % 3 == 0)
			for (int n = rand() % 8; n > 0 && (s = pop(&q, &key)) != 0; n--)
				delivered(&m, s);
		bool trade = rand() % 10 == 0;
		uint32_t k = trade ? TRADE : (uint32_t)(rand() % KEYS);
		m.key_of[seq] = k;
		bool lagging = rand() % 4 == 0;
		enum gw_push r = gw_queue_push(&q, seq, trade ? gw_queue_key(2, 1, 0) : gw_queue_key(1, 1, k), !trade, lagging);
		if (r == GW_PUSH_FULL) {
			/* refused: for a trade only when the FIFO is full */
			assert_true(!trade || q.len == BOUND);
			continue;
		}
		if (trade)
			m.trades_pushed++;
		else
			m.latest[k] = seq;
	}
	while ((s = pop(&q, &key)) != 0)
		delivered(&m, s);
	assert_int_equal(m.trades_popped, m.trades_pushed);
	for (int k = 0; k < KEYS; k++)
		assert_int_equal(m.delivered_latest[k], m.latest[k]);
	gw_queue_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(in_order_within_the_bound),
		cmocka_unit_test(past_the_bound_latest_per_key),
		cmocka_unit_test(lagging_conflates_before_the_bound),
		cmocka_unit_test(dropped_message_deferred_to_its_key),
		cmocka_unit_test(random_against_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

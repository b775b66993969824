/* Duplicates: a repeated or older quote update id and a recently seen
 * trade id are dropped; sequence resets and evicted trade ids are not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collector/dedup.h"
#include "collector/pipeline.h"

static struct tick quote(uint64_t id, int64_t ts, double bid)
{
	struct tick t;
	memset(&t, 0, sizeof(t));
	t.kind = TICK_QUOTE;
	t.update_id = id;
	t.ts_exchange_ns = ts;
	t.u.quote.bid_px = bid;
	t.u.quote.bid_qty = 1;
	t.u.quote.ask_px = bid + 1;
	t.u.quote.ask_qty = 1;
	return t;
}

static void test_quote_update_ids(void **state)
{
	(void)state;
	struct symmap_entry e;
	memset(&e, 0, sizeof(e));
	struct tick t = quote(10000000, 0, 5);
	assert_false(dedup_quote_seen(&e, &t));
	assert_true(dedup_quote_seen(&e, &t));
	t = quote(9999999, 0, 5); /* older: a lagging redundant connection */
	assert_true(dedup_quote_seen(&e, &t));
	t = quote(10000001, 0, 5);
	assert_false(dedup_quote_seen(&e, &t));
	/* far below the last id: the exchange restarted its sequence */
	t = quote(3, 0, 5);
	assert_false(dedup_quote_seen(&e, &t));
	t = quote(4, 0, 5);
	assert_false(dedup_quote_seen(&e, &t));
}

static void test_quote_without_ids(void **state)
{
	(void)state;
	struct symmap_entry e;
	memset(&e, 0, sizeof(e));
	struct tick t = quote(0, 1000, 5);
	assert_false(dedup_quote_seen(&e, &t));
	assert_true(dedup_quote_seen(&e, &t)); /* same time, same values */
	t = quote(0, 1000, 6);
	assert_false(dedup_quote_seen(&e, &t)); /* same time, new values */
	t = quote(0, 2000, 6);
	assert_false(dedup_quote_seen(&e, &t));
	t = quote(0, 2000, 7);
	assert_false(dedup_quote_seen(&e, &t));
	t = quote(0, 2000, 6); /* two connections interleave the same quotes */
	assert_true(dedup_quote_seen(&e, &t));
	t = quote(0, 1500, 8); /* older but new values: kept */
	assert_false(dedup_quote_seen(&e, &t));
}

/* dedup_trade_seen for a trade of symbol sym whose id is the text id */
static bool seen_text(struct dedup *d, uint16_t sym, const char *id)
{
	struct tick t;
	memset(&t, 0, sizeof(t));
	t.kind = TICK_TRADE_BUY;
	t.symbol_id = sym;
	assert_int_equal(trade_id_set(&t, id, strlen(id)), 0);
	return dedup_trade_seen(d, &t);
}

static bool seen(struct dedup *d, uint16_t sym, uint64_t id)
{
	struct tick t;
	memset(&t, 0, sizeof(t));
	t.kind = TICK_TRADE_BUY;
	t.symbol_id = sym;
	trade_id_set_u64(&t, id);
	return dedup_trade_seen(d, &t);
}

static void test_trade_cache(void **state)
{
	(void)state;
	struct dedup *d = malloc(sizeof(*d));
	assert_non_null(d);
	dedup_init(d);
	assert_false(seen(d, 1, 42));
	assert_true(seen(d, 1, 42));
	assert_false(seen(d, 2, 42)); /* another symbol */
	for (uint64_t id = 1000; id < 1000 + 1000; id++)
		assert_false(seen(d, 1, id));
	/* the last thousand are all remembered */
	for (uint64_t id = 1000; id < 1000 + 1000; id++)
		assert_true(seen(d, 1, id));
	/* far more than the cache holds: the oldest are forgotten, not kept forever */
	for (uint64_t id = 100000; id < 100000 + 10 * DEDUP_BUCKETS * DEDUP_WAYS; id++)
		seen(d, 1, id);
	assert_false(seen(d, 1, 1000));
	free(d);
}

/* The whole id is compared: ids equal in their low 64 bits, or in value
 * but not in text, are different trades. */
static void test_trade_cache_exact_ids(void **state)
{
	(void)state;
	struct dedup *d = malloc(sizeof(*d));
	assert_non_null(d);
	dedup_init(d);
	assert_false(seen_text(d, 1, "031145f9-efdc-5dc3-a03d-5f01f40c6222"));
	assert_false(seen_text(d, 1, "131145f9-efdc-5dc3-a03d-5f01f40c6222")); /* high half differs */
	assert_false(seen_text(d, 1, "031145F9-EFDC-5DC3-A03D-5F01F40C6222")); /* not the same text */
	assert_true(seen_text(d, 1, "031145f9-efdc-5dc3-a03d-5f01f40c6222"));
	assert_false(seen_text(d, 1, "18446744073709551616")); /* 2^64: low half 0 */
	assert_false(seen_text(d, 1, "0"));
	assert_true(seen_text(d, 1, "18446744073709551616"));
	assert_false(seen_text(d, 1, "7"));
	assert_false(seen_text(d, 1, "007"));
	assert_false(seen_text(d, 1, "ETH-7"));
	assert_true(seen_text(d, 1, "007"));
	assert_true(seen_text(d, 1, "ETH-7"));
	free(d);
}

static void test_pipeline_drops_replayed_frames(void **state)
{
	(void)state;
	struct symmap m;
	struct pipeline *p = malloc(sizeof(*p));
	assert_non_null(p);
	assert_int_equal(symmap_init(&m, adapter_find("bybit"), 8, false), 0);
	assert_int_equal(symmap_add(&m, "ETH-USDT", 3), 0);
	pipeline_init(p, adapter_find("bybit"), &m, 1, 65536, 0);
	/* a resubscribe replays the same trades (UUID ids, compared whole) */
	const char *frame = "{\"topic\":\"publicTrade.ETHUSDT\",\"type\":\"snapshot\",\"ts\":1786310820511,\"data\":["
			    "{\"T\":1786310820510,\"s\":\"ETHUSDT\",\"S\":\"Buy\",\"v\":\"0.02\",\"p\":\"1922.52\",\"i\":\"a519448f-56e5-58e6-90a1-004086e0e530\"},"
			    "{\"T\":1786310820510,\"s\":\"ETHUSDT\",\"S\":\"Buy\",\"v\":\"0.01\",\"p\":\"1922.54\",\"i\":\"031145f9-efdc-5dc3-a03d-5f01f40c6222\"}]}";
	assert_int_equal(pipeline_frame(p, frame, strlen(frame), false, 0), FRAME_DATA);
	assert_int_equal(p->out.n, 2);
	assert_int_equal(p->accepted, 2);
	assert_int_equal(p->ticks[0].symbol_id, 3);
	assert_int_equal(pipeline_frame(p, frame, strlen(frame), false, 0), FRAME_DATA);
	assert_int_equal(p->accepted, 0);
	assert_int_equal(p->verdict[0], REJECT_DUPLICATE);
	assert_int_equal(p->verdict[1], REJECT_DUPLICATE);
	symmap_free(&m);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_update_ids),
		cmocka_unit_test(test_quote_without_ids),
		cmocka_unit_test(test_trade_cache),
		cmocka_unit_test(test_trade_cache_exact_ids),
		cmocka_unit_test(test_pipeline_drops_replayed_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

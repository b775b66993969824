/* Latency histograms: the bucket of a duration against a linear scan over
 * 1-2-5 bounds built here, observations and their sum, status block slots,
 * and the Prometheus exposition /metrics gives them (cumulative buckets,
 * +Inf equal to _count, seconds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shm/histogram.h"
#include "shm/status.h"
#include "supervisor/metrics.h"
#include "supervisor/strbuf.h"

/* The oracle's bounds: 1, 2 and 5 times each power of ten from 1 us to
 * 1 s, then 10 s. */
static int oracle_bounds(int64_t *out)
{
	int n = 0;
	for (int64_t decade = 1000; decade <= 1000000000; decade *= 10) {
		out[n++] = decade;
		out[n++] = 2 * decade;
		out[n++] = 5 * decade;
	}
	out[n++] = 10000000000LL;
	return n;
}

static unsigned oracle_bucket(const int64_t *bounds, int n, int64_t ns)
{
	for (int i = 0; i < n; i++)
		if (ns <= bounds[i])
			return (unsigned)i;
	return (unsigned)n;
}

static void test_bounds_are_1_2_5_from_1us_to_10s(void **state)
{
	(void)state;
	int64_t bounds[32];
	assert_int_equal(oracle_bounds(bounds), HISTOGRAM_BOUNDS);
	for (unsigned i = 0; i < HISTOGRAM_BOUNDS; i++)
		assert_int_equal(histogram_bound_ns(i), bounds[i]);
}

static void test_bucket_matches_linear_scan(void **state)
{
	(void)state;
	int64_t bounds[32];
	int n = oracle_bounds(bounds);
	/* every bound, one below and one above: le is inclusive */
	for (int i = 0; i < n; i++)
		for (int64_t d = -1; d <= 1; d++)
			assert_int_equal(histogram_bucket(bounds[i] + d), oracle_bucket(bounds, n, bounds[i] + d));
	assert_int_equal(histogram_bucket(0), 0);
	assert_int_equal(histogram_bucket(-5000000), 0); /* exchange clock ahead of ours */
	assert_int_equal(histogram_bucket(INT64_MAX), HISTOGRAM_BOUNDS);
	/* log-uniform durations from 1 ns to about 100 s */
	uint64_t x = 88172645463325252ULL;
	for (int k = 0; k < 200000; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int64_t ns = (int64_t)1 << (x % 37);
		ns += (int64_t)((x >> 8) % (uint64_t)ns);
		assert_int_equal(histogram_bucket(ns), oracle_bucket(bounds, n, ns));
	}
}

static void test_observe_counts_and_sums(void **state)
{
	(void)state;
	struct histogram h;
	struct histogram_snapshot s;
	memset(&h, 0, sizeof(h));
	histogram_observe(&h, 1500, 3);         /* 1.5 us x3: le 2e-06 */
	histogram_observe(&h, -7, 1);           /* counted as 0: le 1e-06 */
	histogram_observe(&h, 20000000000LL, 1); /* 20 s: +Inf only */
	histogram_observe(&h, 42, 0);           /* nothing */
	histogram_observe(NULL, 42, 1);         /* no slot: nothing, no crash */
	histogram_read(&h, &s);
	assert_int_equal(s.count, 5);
	assert_int_equal(s.sum_ns, 3 * 1500 + 20000000000ULL);
	assert_int_equal(s.cumulative[0], 1);
	assert_int_equal(s.cumulative[1], 4);
	assert_int_equal(s.cumulative[HISTOGRAM_BOUNDS - 1], 4);
	assert_int_equal(s.cumulative[HISTOGRAM_BOUNDS], 5);
}

static void test_block_slots_found_again_and_bounded(void **state)
{
	(void)state;
	struct status_block *b = calloc(1, sizeof(*b));
	assert_non_null(b);
	struct histogram *ring = status_histogram_claim(b, SH_RECEIVE_TO_RING, "okx");
	struct histogram *exch = status_histogram_claim(b, SH_EXCHANGE_TO_RECEIVE, "okx");
	assert_non_null(ring);
	assert_non_null(exch);
	assert_ptr_not_equal(ring, exch);
	histogram_observe(ring, 3000, 2);
	/* a restarted child finds its slot with its counts */
	assert_ptr_equal(status_histogram_claim(b, SH_RECEIVE_TO_RING, "okx"), ring);
	assert_int_equal(ring->bucket[histogram_bucket(3000)], 2);
	assert_null(status_histogram_claim(b, SH_NONE, "okx"));
	assert_null(status_histogram_claim(b, SH_RING_TO_REDIS, "a-name-longer-than-thirty-one-chars"));
	char name[16];
	for (int i = 2; i < STATUS_MAX_HISTOGRAMS; i++) {
		snprintf(name, sizeof(name), "ex%d", i);
		assert_non_null(status_histogram_claim(b, SH_RING_TO_REDIS, name));
	}
	assert_null(status_histogram_claim(b, SH_RING_TO_REDIS, "one-too-many"));
	const char *ex;
	const struct histogram *h;
	assert_int_equal(status_histogram_at(b, 0, &ex, &h), SH_RECEIVE_TO_RING);
	assert_string_equal(ex, "okx");
	assert_ptr_equal(h, ring);
	assert_int_equal(status_histogram_at(b, STATUS_MAX_HISTOGRAMS - 1, &ex, &h), SH_RING_TO_REDIS);
	assert_string_equal(ex, "ex15");
	assert_int_equal(status_histogram_at(b, STATUS_MAX_HISTOGRAMS, &ex, &h), SH_NONE);
	status_conn_error(b, CONN_ERR_DEAD_PEER);
	status_conn_error(b, CONN_ERR_DEAD_PEER);
	assert_int_equal(status_conn_errors(b, CONN_ERR_DEAD_PEER), 2);
	assert_int_equal(status_conn_errors(b, CONN_ERR_CONNECT), 0);
	assert_string_equal(status_conn_error_name(CONN_ERR_SUBSCRIBE_REJECTED), "subscribe_rejected");
	free(b);
}

static void test_exposition_is_cumulative_in_seconds(void **state)
{
	(void)state;
	struct histogram h;
	struct strbuf b;
	memset(&h, 0, sizeof(h));
	histogram_observe(&h, 700, 1);          /* le 1e-06 */
	histogram_observe(&h, 150000, 2);       /* 150 us: le 0.0002 */
	histogram_observe(&h, 3000000000LL, 1); /* 3 s: le 5 */
	strbuf_init(&b);
	metrics_histogram(&b, "receive_to_ring_seconds", "exchange=\"okx\"", &h);
	assert_false(b.failed);
	static const char *const want[] = {
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"1e-06\"} 1",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"2e-06\"} 1",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"5e-06\"} 1",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"1e-05\"} 1",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"2e-05\"} 1",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"5e-05\"} 1",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"0.0001\"} 1",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"0.0002\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"0.0005\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"0.001\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"0.002\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"0.005\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"0.01\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"0.02\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"0.05\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"0.1\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"0.2\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"0.5\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"1\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"2\"} 3",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"5\"} 4",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"10\"} 4",
		"spreadbus_receive_to_ring_seconds_bucket{exchange=\"okx\",le=\"+Inf\"} 4",
		"spreadbus_receive_to_ring_seconds_sum{exchange=\"okx\"} 3.000300700",
		"spreadbus_receive_to_ring_seconds_count{exchange=\"okx\"} 4",
	};
	const char *p = b.data;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		char line[160];
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		assert_string_equal(line, want[i]);
		p = nl + 1;
	}
	assert_int_equal(*p, '\0');
	strbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounds_are_1_2_5_from_1us_to_10s),
		cmocka_unit_test(test_bucket_matches_linear_scan),
		cmocka_unit_test(test_observe_counts_and_sums),
		cmocka_unit_test(test_block_slots_found_again_and_bounded),
		cmocka_unit_test(test_exposition_is_cumulative_in_seconds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The rolling window against a brute-force recomputation on random
 * sequences: exact count/min/max/mean/std/last, percentiles in their bin,
 * expiry exactly at the bucket boundary, and the histogram's error bound. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "aggregator/window.h"
#include "tests/unit/test_window_brute.h"

#define SEC 1000000000LL

struct fixture {
	struct window_geometry geo;
	struct window_pool *pool;
	struct window *w;
	struct brute_window brute;
};

static struct fixture *fixture_new(uint32_t window_s, uint32_t buckets)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(window_geometry_init(&f->geo, window_s, buckets), 0);
	assert_int_equal(window_pool_create(&f->pool, &f->geo, 64u << 20), 0);
	f->w = window_new(f->pool);
	assert_non_null(f->w);
	brute_init(&f->brute, window_s, buckets);
	return f;
}

static void fixture_free(struct fixture *f)
{
	window_pool_free(f->pool);
	free(f);
}

static void assert_close(double got, double want, double tol)
{
	if (fabs(got - want) > tol * (1.0 + fabs(want))) {
		fprintf(stderr, "got %.17g want %.17g\n", got, want);
		fail();
	}
}

/* The documented bound, written out here rather than taken from the code:
 * 16 bins per power of two, read at their midpoint, so within 1/32 of the
 * exact value; below 2^-7 reads 0, at 2^14 and above saturates. */
#define PCT_REL_BOUND (1.0 / 32)
#define PCT_ZERO_BELOW 0.0078125
#define PCT_SATURATE_AT 16384.0

static void assert_pct(double got, double exact)
{
	double a = fabs(exact);
	int ok;
	if (a < PCT_ZERO_BELOW)
		ok = got == 0.0;
	else if (a >= PCT_SATURATE_AT)
		ok = (got < 0) == (exact < 0) && fabs(got) >= PCT_SATURATE_AT * (1 - 1.0 / 16) && fabs(got) < PCT_SATURATE_AT;
	else
		ok = (got < 0) == (exact < 0) && fabs(got - exact) <= a * PCT_REL_BOUND;
	if (!ok) {
		fprintf(stderr, "percentile %.17g for exact %.17g\n", got, exact);
		fail();
	}
}

static void check(struct fixture *f, int64_t now)
{
	struct window_stats s;
	struct brute_stats b;
	window_query(f->pool, f->w, now, &s);
	brute_query(&f->brute, now, &b);
	assert_int_equal(s.count, b.count);
	if (b.count == 0)
		return;
	assert_true(s.min == b.min);
	assert_true(s.max == b.max);
	assert_true(s.last == b.last);
	assert_close(s.mean, b.mean, 1e-9);
	assert_close(s.std, b.std, 1e-7);
	assert_int_equal(s.pct_count, b.pct_count);
	/* Bins are ordered like values, so the histogram's rank-r bin holds the
	 * exact rank-r sample: the percentile is within the bound of it. */
	assert_pct(s.p50, b.p50);
	assert_pct(s.p95, b.p95);
	/* a second read with nothing added answers the same (kept result) */
	struct window_stats again;
	window_query(f->pool, f->w, now, &again);
	assert_memory_equal(&again, &s, sizeof(s));
}

static double random_value(void)
{
	int kind = rand() % 10;
	if (kind == 0)
		return 0.0;
	if (kind == 1)
		return 12.5; /* repeated values */
	double mag = pow(10.0, -3.0 + 6.0 * rand() / (double)RAND_MAX);
	return rand() % 2 ? mag : -mag;
}

static void run_random(uint32_t window_s, uint32_t buckets, unsigned seed, int steps)
{
	srand(seed);
	struct fixture *f = fixture_new(window_s, buckets);
	int64_t t = 1700000000LL * SEC + (int64_t)(rand() % 1000) * 1000000LL;
	for (int i = 0; i < steps; i++) {
		int r = rand() % 100;
		if (r < 60)
			t += (int64_t)(rand() % 300) * 1000000LL; /* up to 0.3 s */
		else if (r < 75)
			t += (int64_t)(rand() % (window_s * 1000)) * 1000000LL / 4;
		else if (r < 77)
			t += (int64_t)window_s * SEC * (1 + rand() % 3); /* everything expires */
		/* sometimes an older time: counted in the newest bucket */
		int64_t ts = r >= 95 ? t - (int64_t)(rand() % 2000) * 1000000LL : t;
		double x = random_value();
		window_add(f->pool, f->w, ts, x);
		brute_add(&f->brute, ts, x);
		if (i % 7 == 0)
			check(f, t + (rand() % 3 == 0 ? (int64_t)(rand() % (window_s * 1000)) * 1000000LL : 0));
	}
	fixture_free(f);
}

/* Random runs per geometry: window_s, buckets, seeds, steps per seed. */
struct random_case {
	uint32_t window_s, buckets;
	unsigned first_seed, seeds;
	int steps;
};

static void random_cases(void **state)
{
	const struct random_case *c = *state;
	for (unsigned seed = c->first_seed; seed < c->first_seed + c->seeds; seed++)
		run_random(c->window_s, c->buckets, seed, c->steps);
}

static const struct random_case one_second_buckets = {10, 10, 1, 20, 1500};
static const struct random_case sliced_percentiles = {60, 60, 100, 16, 1500};
static const struct random_case default_geometry = {900, 900, 200, 6, 3000};
static const struct random_case coarse_buckets = {30, 7, 300, 6, 1500};

/* A sample leaves the window exactly when its bucket is window_buckets
 * buckets older than the newest one. */
static void expiry_at_bucket_boundary(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(10, 10);
	int64_t t0 = 1000 * SEC;
	window_add(f->pool, f->w, t0 + SEC / 2, 5.0);   /* bucket 1000 */
	window_add(f->pool, f->w, t0 + 3 * SEC, -1.0);  /* bucket 1003 */
	struct window_stats s;
	window_query(f->pool, f->w, t0 + 10 * SEC - 1, &s); /* bucket 1009: both live */
	assert_int_equal(s.count, 2);
	assert_true(s.max == 5.0);
	window_query(f->pool, f->w, t0 + 10 * SEC, &s); /* bucket 1010: 1000 expired */
	assert_int_equal(s.count, 1);
	assert_true(s.max == -1.0 && s.min == -1.0 && s.last == -1.0);
	assert_true(s.p50 == window_bin_value(-1.0));
	window_query(f->pool, f->w, t0 + 13 * SEC - 1, &s);
	assert_int_equal(s.count, 1);
	window_query(f->pool, f->w, t0 + 13 * SEC, &s);
	assert_int_equal(s.count, 0);
	fixture_free(f);
}

/* Every representable magnitude maps to a value within 1/32 of itself;
 * tiny values read as 0, huge ones saturate. */
static void histogram_error_bound(void **state)
{
	(void)state;
	srand(7);
	for (int i = 0; i < 200000; i++) {
		double x = ldexp(1.0 + rand() / (double)RAND_MAX, WINDOW_OCT_LO + rand() % (WINDOW_OCT_HI - WINDOW_OCT_LO));
		if (rand() % 2)
			x = -x;
		double v = window_bin_value(x);
		assert_pct(v, x);
	}
	assert_true(window_bin_value(0.0) == 0.0);
	assert_true(window_bin_value(0.007) == 0.0);
	assert_true(window_bin_value(-0.007) == 0.0);
	assert_true(window_bin_value(1e9) > 15000.0 && window_bin_value(1e9) < 16384.0);
	assert_true(window_bin_value(-1e9) < -15000.0);
}

/* 15-s buckets: a window's fixed part fits the 45,000 windows of 10
 * exchanges x 500 symbols in 256 MB with room for the histogram logs. */
static void memory_by_geometry(void **state)
{
	(void)state;
	struct window_geometry g;
	assert_int_equal(window_geometry_init(&g, 900, 60), 0);
	assert_int_equal(g.bucket_ns, 15 * SEC);
	assert_int_equal(g.slice_buckets, 4);
	assert_int_equal(g.slices, 16);
	size_t fixed = window_fixed_bytes(&g);
	assert_int_equal(fixed % 64, 0);
	assert_true(fixed >= 60 * 40 + 673);
	assert_true(fixed <= 3328);
	assert_int_equal(window_geometry_init(&g, 0, 900), -EINVAL);
	assert_int_equal(window_geometry_init(&g, 900, 0), -EINVAL);
	struct window_pool *p;
	assert_int_equal(window_pool_create(&p, &g, fixed - 1), -EINVAL);
}

/* At the cap a new window is refused and counted; the windows made keep
 * working and the pool never hands out more than its maximum. */
static void cap_refuses_windows_counted(void **state)
{
	(void)state;
	struct window_geometry g;
	assert_int_equal(window_geometry_init(&g, 60, 60), 0);
	size_t fixed = window_fixed_bytes(&g);
	struct window_pool *p;
	assert_int_equal(window_pool_create(&p, &g, 3 * fixed), 0);
	struct window *w[3];
	for (int i = 0; i < 3; i++)
		assert_non_null(w[i] = window_new(p));
	assert_null(window_new(p));
	assert_null(window_new(p));
	struct window_pool_usage u;
	window_pool_usage(p, &u);
	assert_int_equal(u.windows, 3);
	assert_int_equal(u.windows_refused, 2);
	assert_int_equal(u.bytes_used, 3 * fixed);
	assert_int_equal(u.bytes_max, 3 * fixed);
	/* no room for a log chunk: percentiles refuse the closed slice's
	 * samples, counted, while count/min/max stay exact */
	for (int i = 0; i < 10; i++)
		window_add(p, w[0], 1000 * SEC + i * SEC / 10, (double)(i + 1));
	struct window_stats s;
	window_query(p, w[0], 1004 * SEC, &s); /* next slice (4 buckets of 1 s) */
	assert_int_equal(s.count, 10);
	assert_true(s.min == 1.0 && s.max == 10.0);
	assert_int_equal(s.pct_count, 0);
	window_pool_usage(p, &u);
	assert_int_equal(u.pct_refused, 10);
	assert_true(u.bytes_used <= u.bytes_max);
	window_pool_free(p);
}

/* A log entry that finds the pool full is counted out of the percentiles;
 * the rest of the window's percentiles still cover what was kept. */
static void cap_refuses_log_entries_counted(void **state)
{
	(void)state;
	struct window_geometry g;
	assert_int_equal(window_geometry_init(&g, 60, 60), 0);
	size_t fixed = window_fixed_bytes(&g);
	struct window_pool *p;
	/* one window and one 128-byte chunk (62 entries) */
	assert_int_equal(window_pool_create(&p, &g, (fixed + 127) / 128 * 128 + 128), 0);
	struct window *w = window_new(p);
	assert_non_null(w);
	/* 70 values in 70 different bins (16 per power of two), one sample
	 * each, in slice 0 */
	for (int i = 0; i < 70; i++)
		window_add(p, w, 1000 * SEC + i * 1000, ldexp(1.0 + (i % 16) / 16.0, i / 16));
	struct window_stats s;
	window_query(p, w, 1004 * SEC, &s);
	assert_int_equal(s.count, 70);
	struct window_pool_usage u;
	window_pool_usage(p, &u);
	assert_int_equal(u.pct_refused, 8);
	assert_int_equal(s.pct_count, 62);
	assert_int_equal(s.pct_count + u.pct_refused, s.count);
	window_pool_free(p);
}

/* Expired slices give their chunks back: a long run over many windows'
 * length takes no more memory than its first two windows did. */
static void expired_log_chunks_are_reused(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(60, 60);
	srand(11);
	int64_t t = 5000 * SEC;
	struct window_pool_usage u;
	size_t after_two = 0;
	for (int sec = 0; sec < 600; sec++) {
		for (int k = 0; k < 50; k++)
			window_add(f->pool, f->w, t + sec * SEC + k * (SEC / 50), random_value());
		if (sec == 120) {
			window_pool_usage(f->pool, &u);
			after_two = u.bytes_used;
		}
	}
	window_pool_usage(f->pool, &u);
	assert_true(after_two > 0);
	/* live slices vary in size; a leak would grow five-fold */
	assert_true(u.bytes_used < after_two * 5 / 4);
	assert_int_equal(u.pct_refused, 0);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		{"random_one_second_buckets", random_cases, NULL, NULL, (void *)&one_second_buckets},
		{"random_sliced_percentiles", random_cases, NULL, NULL, (void *)&sliced_percentiles},
		{"random_default_geometry", random_cases, NULL, NULL, (void *)&default_geometry},
		{"random_coarse_buckets", random_cases, NULL, NULL, (void *)&coarse_buckets},
		cmocka_unit_test(expiry_at_bucket_boundary),
		cmocka_unit_test(histogram_error_bound),
		cmocka_unit_test(memory_by_geometry),
		cmocka_unit_test(cap_refuses_windows_counted),
		cmocka_unit_test(cap_refuses_log_entries_counted),
		cmocka_unit_test(expired_log_chunks_are_reused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

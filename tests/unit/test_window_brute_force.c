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
	struct window w;
	void *mem;
	struct brute_window brute;
};

static struct fixture *fixture_new(uint32_t window_s, uint32_t buckets)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(window_geometry_init(&f->geo, window_s, buckets), 0);
	f->mem = aligned_alloc(64, window_memory_bytes(&f->geo));
	assert_non_null(f->mem);
	window_init(&f->w, &f->geo, f->mem);
	brute_init(&f->brute, window_s, buckets);
	return f;
}

static void fixture_free(struct fixture *f)
{
	free(f->mem);
	free(f);
}

static void assert_close(double got, double want, double tol)
{
	if (fabs(got - want) > tol * (1.0 + fabs(want))) {
		fprintf(stderr, "got %.17g want %.17g\n", got, want);
		fail();
	}
}

static void check(struct fixture *f, int64_t now)
{
	struct window_stats s;
	struct brute_stats b;
	window_query(&f->w, now, &s);
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
	/* bin_of is monotonic, so the histogram's rank-r bin is the bin of the
	 * exact rank-r sample. */
	assert_true(s.p50 == window_bin_value(b.p50));
	assert_true(s.p95 == window_bin_value(b.p95));
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
		window_add(&f->w, ts, x);
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
	window_add(&f->w, t0 + SEC / 2, 5.0);   /* bucket 1000 */
	window_add(&f->w, t0 + 3 * SEC, -1.0);  /* bucket 1003 */
	struct window_stats s;
	window_query(&f->w, t0 + 10 * SEC - 1, &s); /* bucket 1009: both live */
	assert_int_equal(s.count, 2);
	assert_true(s.max == 5.0);
	window_query(&f->w, t0 + 10 * SEC, &s); /* bucket 1010: 1000 expired */
	assert_int_equal(s.count, 1);
	assert_true(s.max == -1.0 && s.min == -1.0 && s.last == -1.0);
	assert_true(s.p50 == window_bin_value(-1.0));
	window_query(&f->w, t0 + 13 * SEC - 1, &s);
	assert_int_equal(s.count, 1);
	window_query(&f->w, t0 + 13 * SEC, &s);
	assert_int_equal(s.count, 0);
	fixture_free(f);
}

/* Every representable magnitude maps to a value within 1/64 of itself;
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
		assert_true(fabs(v - x) <= fabs(x) / (2.0 * WINDOW_SUB));
		assert_true((v < 0) == (x < 0));
	}
	assert_true(window_bin_value(0.0) == 0.0);
	assert_true(window_bin_value(0.007) == 0.0);
	assert_true(window_bin_value(-0.007) == 0.0);
	assert_true(window_bin_value(1e9) > 15000.0 && window_bin_value(1e9) < 16384.0);
	assert_true(window_bin_value(-1e9) < -15000.0);
}

static void memory_is_fixed_by_geometry(void **state)
{
	(void)state;
	struct window_geometry g;
	assert_int_equal(window_geometry_init(&g, 900, 900), 0);
	assert_int_equal(g.bucket_ns, SEC);
	assert_int_equal(g.slice_buckets, 60);
	assert_int_equal(g.slices, 16);
	size_t raw = 900 * sizeof(struct window_bucket) + 16 * 8 + 17 * WINDOW_BINS * sizeof(uint32_t);
	assert_int_equal(window_memory_bytes(&g), (raw + 63) / 64 * 64);
	assert_int_equal(window_memory_bytes(&g) % 64, 0);
	assert_int_equal(window_geometry_init(&g, 0, 900), -EINVAL);
	assert_int_equal(window_geometry_init(&g, 900, 0), -EINVAL);
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
		cmocka_unit_test(memory_is_fixed_by_geometry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

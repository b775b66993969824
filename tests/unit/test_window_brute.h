/* Independent brute-force rolling window for the tests: keeps every sample
 * and recomputes the statistics from scratch by the documented rules. */
#ifndef SPREADBUS_TESTS_UNIT_TEST_WINDOW_BRUTE_H
#define SPREADBUS_TESTS_UNIT_TEST_WINDOW_BRUTE_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BRUTE_MAX 20000

struct brute_window {
	int64_t bucket_ns;
	int64_t buckets, slice_buckets;
	int64_t cur; /* newest bucket seen (by samples or queries) */
	int have;
	size_t n;
	int64_t bucket[BRUTE_MAX]; /* bucket a sample was counted in */
	double x[BRUTE_MAX];
};

static int64_t brute_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void brute_init(struct brute_window *b, int64_t window_s, int64_t buckets)
{
	memset(b, 0, sizeof(*b));
	b->bucket_ns = window_s * 1000000000LL / buckets;
	b->buckets = buckets;
	b->slice_buckets = (buckets + 14) / 15;
}

static void brute_touch(struct brute_window *b, int64_t t)
{
	int64_t nb = brute_floor_div(t, b->bucket_ns);
	if (!b->have || nb > b->cur)
		b->cur = nb;
	b->have = 1;
}

static void brute_add(struct brute_window *b, int64_t t, double x)
{
	brute_touch(b, t);
	if (b->n < BRUTE_MAX) {
		b->bucket[b->n] = b->cur;
		b->x[b->n++] = x;
	}
}

static int brute_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct brute_stats {
	uint64_t count, pct_count;
	double min, max, mean, std, last, p50, p95;
};

/* Statistics over buckets > cur - buckets; percentiles over the slices that
 * overlap that range. */
static void brute_query(struct brute_window *b, int64_t now, struct brute_stats *s)
{
	static double sorted[BRUTE_MAX];
	memset(s, 0, sizeof(*s));
	if (!b->have)
		return;
	brute_touch(b, now);
	int64_t first = b->cur - b->buckets + 1;
	int64_t first_slice = brute_floor_div(first, b->slice_buckets);
	double sum = 0;
	size_t m = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (brute_floor_div(b->bucket[i], b->slice_buckets) >= first_slice)
			sorted[m++] = b->x[i];
		if (b->bucket[i] < first)
			continue;
		if (s->count == 0 || b->x[i] < s->min)
			s->min = b->x[i];
		if (s->count == 0 || b->x[i] > s->max)
			s->max = b->x[i];
		s->count++;
		sum += b->x[i];
		s->last = b->x[i];
	}
	if (s->count == 0)
		return;
	s->mean = sum / (double)s->count;
	double ss = 0;
	for (size_t i = 0; i < b->n; i++)
		if (b->bucket[i] >= first)
			ss += (b->x[i] - s->mean) * (b->x[i] - s->mean);
	s->std = sqrt(ss / (double)s->count);
	qsort(sorted, m, sizeof(double), brute_cmp);
	s->pct_count = m;
	size_t r50 = (size_t)ceil(0.5 * (double)m), r95 = (size_t)ceil(0.95 * (double)m);
	s->p50 = sorted[(r50 ? r50 : 1) - 1];
	s->p95 = sorted[(r95 ? r95 : 1) - 1];
}

#endif

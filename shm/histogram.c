/* Fixed-bucket latency histograms for the status blocks: a binary search
 * over 22 bounds and two relaxed stores per observation. */
#include "shm/histogram.h"

#include <stddef.h>

#define US 1000LL
#define MS 1000000LL
#define S 1000000000LL

static const int64_t bounds_ns[HISTOGRAM_BOUNDS] = {
	1 * US,  2 * US,  5 * US,  10 * US,  20 * US,  50 * US,  100 * US, 200 * US,
	500 * US, 1 * MS, 2 * MS,  5 * MS,   10 * MS,  20 * MS,  50 * MS,  100 * MS,
	200 * MS, 500 * MS, 1 * S, 2 * S,    5 * S,    10 * S,
};

int64_t histogram_bound_ns(unsigned i)
{
	return i < HISTOGRAM_BOUNDS ? bounds_ns[i] : INT64_MAX;
}

unsigned histogram_bucket(int64_t ns)
{
	unsigned lo = 0, hi = HISTOGRAM_BOUNDS;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (ns <= bounds_ns[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

void histogram_observe(struct histogram *h, int64_t ns, uint64_t n)
{
	if (!h || n == 0)
		return;
	if (ns < 0)
		ns = 0;
	/* One writer per histogram (its child's loop thread): a relaxed load
	 * and store, without the locked add a shared counter needs, keep each
	 * word whole for the supervisor. A scrape between the two may see the
	 * sum a moment ahead of the buckets, which rate() does not mind. */
	uint64_t *bucket = &h->bucket[histogram_bucket(ns)];
	__atomic_store_n(&h->sum_ns, __atomic_load_n(&h->sum_ns, __ATOMIC_RELAXED) + (uint64_t)ns * n, __ATOMIC_RELAXED);
	__atomic_store_n(bucket, __atomic_load_n(bucket, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

void histogram_read(const struct histogram *h, struct histogram_snapshot *out)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++) {
		total += __atomic_load_n(&h->bucket[i], __ATOMIC_RELAXED);
		out->cumulative[i] = total;
	}
	out->count = total;
	out->sum_ns = __atomic_load_n(&h->sum_ns, __ATOMIC_RELAXED);
}

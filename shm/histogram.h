/* Latency histograms that live in shared memory (status blocks): fixed
 * 1-2-5 buckets from 1 us to 10 s, recorded by one writer with relaxed
 * atomic stores, no allocation and no syscall; read by the supervisor for
 * /metrics. */
#ifndef SPREADBUS_SHM_HISTOGRAM_H
#define SPREADBUS_SHM_HISTOGRAM_H

#include <stdint.h>

/* Finite upper bounds (1, 2, 5 us ... 5 s, 10 s); one more bucket, the
 * last, holds what is above 10 s (le="+Inf"). Part of the status layout. */
#define HISTOGRAM_BOUNDS 22
#define HISTOGRAM_BUCKETS (HISTOGRAM_BOUNDS + 1)

struct histogram {
	uint64_t bucket[HISTOGRAM_BUCKETS]; /* observations per bucket, not cumulative */
	uint64_t sum_ns;                    /* of the observations as counted (negatives as 0) */
};

/* Upper bound of bucket i in ns (inclusive, as Prometheus' le), i <
 * HISTOGRAM_BOUNDS. */
int64_t histogram_bound_ns(unsigned i);
/* The bucket of a duration: the first whose bound is >= ns; a negative
 * duration (clocks of two hosts) falls in the first; HISTOGRAM_BOUNDS for
 * more than 10 s. */
unsigned histogram_bucket(int64_t ns);
/* n observations of ns each (a frame's ticks share a receive-to-ring
 * time). One thread writes a histogram; any process may read it. h may be
 * NULL (no slot): nothing is recorded. */
void histogram_observe(struct histogram *h, int64_t ns, uint64_t n);

/* A reader's copy in Prometheus' form: cumulative buckets, the last being
 * the count, so that the count always equals the +Inf bucket. */
struct histogram_snapshot {
	uint64_t cumulative[HISTOGRAM_BUCKETS];
	uint64_t count;
	uint64_t sum_ns;
};
void histogram_read(const struct histogram *h, struct histogram_snapshot *out);

#endif

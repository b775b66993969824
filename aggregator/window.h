/* Rolling-window statistics of one spread series: exact count, min, max,
 * mean, standard deviation and last over time buckets, and p50/p95 from a
 * log-linear histogram with a bounded relative error. Fixed memory. */
#ifndef SPREADBUS_AGGREGATOR_WINDOW_H
#define SPREADBUS_AGGREGATOR_WINDOW_H

#include <stddef.h>
#include <stdint.h>

/*
 * Histogram bins: |x| in [2^WINDOW_OCT_LO, 2^WINDOW_OCT_HI) is split into
 * octaves of WINDOW_SUB equal bins each; a bin's representative is its
 * midpoint, so a percentile is within 1/(2*WINDOW_SUB) = 1.5625 % of the
 * exact sample at that rank. |x| below 2^-7 (0.0078 bps) counts as 0;
 * |x| at or above 2^14 (16384 bps) saturates into the outermost bin.
 */
#define WINDOW_SUB 32
#define WINDOW_OCT_LO (-7)
#define WINDOW_OCT_HI 14
#define WINDOW_MAG_BINS ((WINDOW_OCT_HI - WINDOW_OCT_LO) * WINDOW_SUB)
#define WINDOW_BINS (2 * WINDOW_MAG_BINS + 1)
#define WINDOW_BLOCK_BINS 64
#define WINDOW_BLOCKS ((WINDOW_BINS + WINDOW_BLOCK_BINS - 1) / WINDOW_BLOCK_BINS)
/* Percentiles are kept per slice of buckets; at most this many slices
 * cover a window (bounds the histogram memory). */
#define WINDOW_MAX_SLICES 15

/* Shared by every window of one aggregator. */
struct window_geometry {
	int64_t bucket_ns;      /* width of one time bucket */
	uint32_t buckets;       /* buckets per window */
	uint32_t slice_buckets; /* buckets per percentile slice */
	uint32_t slices;        /* slice ring length (live slices at most) */
};

struct window_stats {
	uint64_t count; /* samples in the window */
	double min, max, mean, std, last;
	double p50, p95;
	uint64_t pct_count; /* samples the percentiles were taken over */
};

struct window_bucket {
	int64_t index; /* absolute bucket number (time / bucket_ns) */
	uint64_t count;
	double mean, m2, min, max;
};

struct window {
	const struct window_geometry *geo;
	struct window_bucket *buckets; /* geo->buckets */
	int64_t *slice_index;          /* geo->slices; absolute slice number held */
	uint32_t *slice_bins;          /* geo->slices * WINDOW_BINS */
	uint32_t *bins;                /* WINDOW_BINS: sum of the live slices */
	uint32_t blocks[WINDOW_BLOCKS];/* sums of WINDOW_BLOCK_BINS bins, for fast rank search */
	uint64_t bins_total;
	int64_t cur_bucket;            /* newest bucket; INT64_MIN when nothing was added */
	int64_t oldest_slice;          /* slices below this were expired */
	struct window_bucket closed;   /* aggregate of the live buckets before cur_bucket */
	double last;
};

/* window_s seconds split into buckets (>= 1). Returns 0 or -EINVAL. */
int window_geometry_init(struct window_geometry *g, uint32_t window_s, uint32_t buckets);
/* Bytes of external memory one window needs (what window_init carves). */
size_t window_memory_bytes(const struct window_geometry *g);
/* mem: window_memory_bytes(g) bytes, 8-byte aligned, owned by the caller. */
void window_init(struct window *w, const struct window_geometry *g, void *mem);

/* Add sample x observed at t_ns. A sample older than the newest bucket is
 * counted in the newest bucket (readers of several rings interleave). */
void window_add(struct window *w, int64_t t_ns, double x);
/* Statistics as of now_ns (expires what fell out of the window). */
void window_query(struct window *w, int64_t now_ns, struct window_stats *out);

/* The histogram's value for sample x (exposed for tests of the error bound). */
double window_bin_value(double x);

#endif

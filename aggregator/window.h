/* Rolling-window statistics of spread series: exact count, min, max, mean,
 * standard deviation and last over time buckets, and p50/p95 from a
 * log-linear histogram with a bounded relative error. Every window lives in
 * one pool whose size is capped; windows are made on first use. */
#ifndef SPREADBUS_AGGREGATOR_WINDOW_H
#define SPREADBUS_AGGREGATOR_WINDOW_H

#include <stddef.h>
#include <stdint.h>

/*
 * Histogram bins: |x| in [2^WINDOW_OCT_LO, 2^WINDOW_OCT_HI) is split into
 * octaves of WINDOW_SUB equal bins each; a bin's representative is its
 * midpoint, so a percentile is within 1/(2*WINDOW_SUB) = 3.125 % of the
 * exact sample at that rank. |x| below 2^-7 (0.0078 bps) counts as 0;
 * |x| at or above 2^14 (16384 bps) saturates into the outermost bin.
 */
#define WINDOW_SUB 16
#define WINDOW_OCT_LO (-7)
#define WINDOW_OCT_HI 14
#define WINDOW_MAG_BINS ((WINDOW_OCT_HI - WINDOW_OCT_LO) * WINDOW_SUB)
#define WINDOW_BINS (2 * WINDOW_MAG_BINS + 1)
/* Percentiles are kept per slice of buckets; at most this many slices
 * cover a window (bounds the histogram memory). */
#define WINDOW_MAX_SLICES 15

/* Shared by every window of one pool. */
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

struct window;
struct window_pool;

/* window_s seconds split into buckets (>= 1). Returns 0 or -EINVAL. */
int window_geometry_init(struct window_geometry *g, uint32_t window_s, uint32_t buckets);
/* Bytes one window takes before its histogram log grows. */
size_t window_fixed_bytes(const struct window_geometry *g);

/* A pool of at most max_bytes (address space reserved now, memory touched
 * as windows and log chunks are handed out). Returns 0, -EINVAL (max_bytes
 * cannot hold one window) or -ENOMEM. */
int window_pool_create(struct window_pool **out, const struct window_geometry *g, size_t max_bytes);
void window_pool_free(struct window_pool *p);
/* A new empty window, or NULL when the pool is full (counted). */
struct window *window_new(struct window_pool *p);
/* Give w and its log back to the pool (a pair whose symbol left an
 * exchange): the next window_new reuses it. */
void window_release(struct window_pool *p, struct window *w);
/* Count bytes the caller holds elsewhere (its tables of windows) against
 * the cap: 0, or -ENOSPC when they do not fit beside what is handed out. */
int window_pool_charge(struct window_pool *p, size_t bytes);
void window_pool_uncharge(struct window_pool *p, size_t bytes);

struct window_pool_usage {
	size_t bytes_used;       /* handed out so far plus charged (freed chunks and windows are reused, not returned) */
	size_t bytes_max;
	uint64_t windows;        /* windows in use */
	uint64_t windows_refused;/* window_new calls refused: pool full */
	uint64_t pct_refused;    /* samples left out of percentiles: no room for their histogram entry */
};
void window_pool_usage(const struct window_pool *p, struct window_pool_usage *u);

/* Add sample x observed at t_ns. A sample older than the newest bucket is
 * counted in the newest bucket (readers of several rings interleave). */
void window_add(struct window_pool *p, struct window *w, int64_t t_ns, double x);
/* Statistics as of now_ns (expires what fell out of the window). */
void window_query(struct window_pool *p, struct window *w, int64_t now_ns, struct window_stats *out);

/* The histogram's value for sample x (exposed for tests of the error bound). */
double window_bin_value(double x);

#endif

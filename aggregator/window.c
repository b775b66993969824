/* Rolling window: buckets hold count/mean/M2/min/max (exact, merged with
 * Chan's formula); slices of buckets hold log-linear histograms whose sum
 * answers percentiles. Nothing here allocates. */
#include "aggregator/window.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <string.h>

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

int window_geometry_init(struct window_geometry *g, uint32_t window_s, uint32_t buckets)
{
	if (window_s == 0 || buckets == 0 || (uint64_t)window_s * 1000000000ULL < buckets)
		return -EINVAL;
	g->buckets = buckets;
	g->bucket_ns = (int64_t)((uint64_t)window_s * 1000000000ULL / buckets);
	g->slice_buckets = (buckets + WINDOW_MAX_SLICES - 1) / WINDOW_MAX_SLICES;
	/* Live slices span [slice(cur - buckets + 1), slice(cur)]: at most
	 * ceil(buckets / slice_buckets) + 1 of them. */
	g->slices = (buckets + g->slice_buckets - 1) / g->slice_buckets + 1;
	return 0;
}

size_t window_memory_bytes(const struct window_geometry *g)
{
	size_t n = (size_t)g->buckets * sizeof(struct window_bucket) + (size_t)g->slices * sizeof(int64_t) +
		   (size_t)g->slices * WINDOW_BINS * sizeof(uint32_t) + WINDOW_BINS * sizeof(uint32_t);
	/* whole cache lines, so windows carved one after another stay aligned */
	return (n + 63) / 64 * 64;
}

void window_init(struct window *w, const struct window_geometry *g, void *mem)
{
	unsigned char *p = mem;
	memset(w, 0, sizeof(*w));
	w->geo = g;
	w->buckets = (struct window_bucket *)p;
	p += (size_t)g->buckets * sizeof(struct window_bucket);
	w->slice_index = (int64_t *)p;
	p += (size_t)g->slices * sizeof(int64_t);
	w->slice_bins = (uint32_t *)p;
	p += (size_t)g->slices * WINDOW_BINS * sizeof(uint32_t);
	w->bins = (uint32_t *)p;
	memset(mem, 0, window_memory_bytes(g));
	for (uint32_t i = 0; i < g->buckets; i++)
		w->buckets[i].index = INT64_MIN;
	for (uint32_t i = 0; i < g->slices; i++)
		w->slice_index[i] = INT64_MIN;
	w->cur_bucket = INT64_MIN;
	w->oldest_slice = INT64_MIN;
}

/* Bin of x: negative values first (most negative at 0), then the zero bin,
 * then positive values, so bin order is value order. The octave and the
 * sub-bin come straight from the IEEE-754 exponent and top mantissa bits. */
static unsigned bin_of(double x)
{
	uint64_t bits;
	memcpy(&bits, &x, sizeof(bits));
	int oct = (int)((bits >> 52) & 0x7ff) - 1023;
	if (oct < WINDOW_OCT_LO)
		return WINDOW_MAG_BINS;
	unsigned mag = oct >= WINDOW_OCT_HI ? WINDOW_MAG_BINS - 1
					    : (unsigned)(oct - WINDOW_OCT_LO) * WINDOW_SUB +
						      (unsigned)((bits >> (52 - 5)) & (WINDOW_SUB - 1));
	_Static_assert(WINDOW_SUB == 32, "sub-bin = top 5 mantissa bits");
	return (bits >> 63) ? WINDOW_MAG_BINS - 1 - mag : WINDOW_MAG_BINS + 1 + mag;
}

static double bin_value(unsigned bin)
{
	if (bin == WINDOW_MAG_BINS)
		return 0.0;
	int neg = bin < WINDOW_MAG_BINS;
	unsigned mag = neg ? WINDOW_MAG_BINS - 1 - bin : bin - WINDOW_MAG_BINS - 1;
	int oct = (int)(mag / WINDOW_SUB) + WINDOW_OCT_LO;
	double v = ldexp(1.0 + ((double)(mag % WINDOW_SUB) + 0.5) / WINDOW_SUB, oct);
	return neg ? -v : v;
}

double window_bin_value(double x)
{
	return bin_value(bin_of(x));
}

/* Chan et al.: merge two (count, mean, M2) summaries exactly. */
static void merge(struct window_bucket *into, const struct window_bucket *b)
{
	if (b->count == 0)
		return;
	if (into->count == 0) {
		*into = *b;
		return;
	}
	double n = (double)(into->count + b->count);
	double delta = b->mean - into->mean;
	into->mean += delta * (double)b->count / n;
	into->m2 += b->m2 + delta * delta * (double)into->count * (double)b->count / n;
	into->count += b->count;
	if (b->min < into->min)
		into->min = b->min;
	if (b->max > into->max)
		into->max = b->max;
}

static void expire_slices(struct window *w, int64_t oldest)
{
	const struct window_geometry *g = w->geo;
	for (uint32_t s = 0; s < g->slices; s++) {
		if (w->slice_index[s] == INT64_MIN || w->slice_index[s] >= oldest)
			continue;
		uint32_t *sb = w->slice_bins + (size_t)s * WINDOW_BINS;
		for (unsigned i = 0; i < WINDOW_BINS; i++) {
			if (sb[i] == 0)
				continue;
			w->bins[i] -= sb[i];
			w->blocks[i / WINDOW_BLOCK_BINS] -= sb[i];
			w->bins_total -= sb[i];
			sb[i] = 0;
		}
		w->slice_index[s] = INT64_MIN;
	}
	w->oldest_slice = oldest;
}

/* Make bucket nb the newest: reset its slot, re-merge the older live
 * buckets (O(buckets), at most once per bucket width per window) and drop
 * slices that fell out. */
static void advance(struct window *w, int64_t nb)
{
	const struct window_geometry *g = w->geo;
	if (nb <= w->cur_bucket)
		return;
	w->cur_bucket = nb;
	struct window_bucket *cur = &w->buckets[floor_mod(nb, g->buckets)];
	memset(cur, 0, sizeof(*cur));
	cur->index = nb;
	memset(&w->closed, 0, sizeof(w->closed));
	int64_t first = nb - (int64_t)g->buckets + 1;
	for (uint32_t i = 0; i < g->buckets; i++) {
		const struct window_bucket *b = &w->buckets[i];
		if (b->index >= first && b->index < nb)
			merge(&w->closed, b);
	}
	int64_t oldest = floor_div(first, g->slice_buckets);
	if (oldest > w->oldest_slice)
		expire_slices(w, oldest);
	int64_t cs = floor_div(nb, g->slice_buckets);
	uint32_t slot = (uint32_t)floor_mod(cs, g->slices);
	assert(w->slice_index[slot] == INT64_MIN || w->slice_index[slot] == cs);
	w->slice_index[slot] = cs;
}

void window_add(struct window *w, int64_t t_ns, double x)
{
	const struct window_geometry *g = w->geo;
	int64_t nb = floor_div(t_ns, g->bucket_ns);
	if (nb > w->cur_bucket)
		advance(w, nb);
	struct window_bucket *cur = &w->buckets[floor_mod(w->cur_bucket, g->buckets)];
	/* Welford's update keeps the bucket's variance stable. */
	cur->count++;
	double d = x - cur->mean;
	cur->mean += d / (double)cur->count;
	cur->m2 += d * (x - cur->mean);
	if (cur->count == 1 || x < cur->min)
		cur->min = x;
	if (cur->count == 1 || x > cur->max)
		cur->max = x;
	w->last = x;

	unsigned bin = bin_of(x);
	uint32_t slot = (uint32_t)floor_mod(floor_div(w->cur_bucket, g->slice_buckets), g->slices);
	w->slice_bins[(size_t)slot * WINDOW_BINS + bin]++;
	w->bins[bin]++;
	w->blocks[bin / WINDOW_BLOCK_BINS]++;
	w->bins_total++;
}

/* Value of the sample of 1-based rank r in the histogram. */
static double rank_value(const struct window *w, uint64_t r)
{
	uint64_t cum = 0;
	unsigned blk = 0;
	while (blk < WINDOW_BLOCKS - 1 && cum + w->blocks[blk] < r)
		cum += w->blocks[blk++];
	unsigned bin = blk * WINDOW_BLOCK_BINS;
	while (bin < WINDOW_BINS - 1 && cum + w->bins[bin] < r)
		cum += w->bins[bin++];
	return bin_value(bin);
}

/* Nearest-rank percentile: the sample of rank ceil(q * n). */
static double percentile(const struct window *w, double q)
{
	uint64_t r = (uint64_t)ceil(q * (double)w->bins_total);
	return rank_value(w, r < 1 ? 1 : r);
}

void window_query(struct window *w, int64_t now_ns, struct window_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (w->cur_bucket == INT64_MIN)
		return;
	advance(w, floor_div(now_ns, w->geo->bucket_ns));
	struct window_bucket all = w->closed;
	merge(&all, &w->buckets[floor_mod(w->cur_bucket, w->geo->buckets)]);
	if (all.count == 0)
		return;
	out->count = all.count;
	out->min = all.min;
	out->max = all.max;
	out->mean = all.mean;
	out->std = sqrt(all.m2 > 0 ? all.m2 / (double)all.count : 0.0);
	out->last = w->last;
	out->pct_count = w->bins_total;
	out->p50 = percentile(w, 0.50);
	out->p95 = percentile(w, 0.95);
}

/* Rolling window: buckets hold count/mean/M2/min/max (exact, merged with
 * Chan's formula); the current slice of buckets counts samples per
 * histogram bin in one byte each, and closed slices are kept as a FIFO log
 * of 16-bit (bin, count) entries in pool chunks, dropped slice by slice as they
 * expire. Windows and chunks come from one capped pool; nothing here calls
 * malloc after window_pool_create. */
#include "aggregator/window.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define POOL_ALIGN 64
#define NO_CHUNK UINT32_MAX
/* A log entry is 16 bits: the bin in the low 10, a count of 1 to 63 in the
 * high 6. A bin of the current slice reaching 63 samples is written to the
 * log as one entry and starts again from 0, so its byte never overflows. */
#define ENTRY_BIN_BITS 10
#define CUR_BIN_FLUSH 63
_Static_assert(WINDOW_BINS <= (1 << ENTRY_BIN_BITS), "a bin fits an entry");

struct window_agg {
	uint64_t count;
	double mean, m2, min, max;
};

/* 40 bytes: the bucket number is kept modulo 2^32, which is unambiguous
 * because every bucket older than the window is cleared on each advance;
 * a 32-bit count is 4e9 samples in one bucket, far above any pair's rate. */
struct window_bucket {
	uint32_t index;
	uint32_t count;
	double mean, m2, min, max;
};

#define CHUNK_BYTES 128
#define CHUNK_ENTRIES ((CHUNK_BYTES - sizeof(uint32_t)) / sizeof(uint16_t))

struct log_chunk {
	uint32_t next; /* chunk number, NO_CHUNK at the tail (or in the free list's last) */
	uint16_t e[CHUNK_ENTRIES];
};
_Static_assert(sizeof(struct log_chunk) == CHUNK_BYTES, "chunk is two cache lines");

struct window {
	int64_t cur_bucket;   /* newest bucket; INT64_MIN when nothing was added */
	int64_t cur_slice;    /* slice of cur_bucket: the one counted in cur_bins */
	int64_t oldest_slice; /* oldest live slice; slices below it are dropped from the log */
	struct window_agg closed; /* aggregate of the live buckets before cur_bucket */
	double last;
	uint32_t head_chunk, tail_chunk; /* the log, NO_CHUNK when empty */
	uint16_t head_pos, tail_pos;     /* next entry to drop / to write */
	uint16_t cur_lo, cur_hi;         /* bins the current slice touched: only these are scanned */
	/* The last query's percentiles, kept until a sample or an advance
	 * changes the histogram: a quote adds samples to the pairs of its own
	 * exchange only, and a symbol's update reads all its pairs. */
	bool pct_cached;
	double cached_p50, cached_p95;
	uint64_t cached_pct_count;
	/* entries in the log per live slice, at slice % geo->slices */
	uint32_t slice_entries[WINDOW_MAX_SLICES + 1];
	/* then geo->buckets struct window_bucket, then WINDOW_BINS uint8_t */
	struct window_bucket buckets[];
};

struct window_pool {
	struct window_geometry geo;
	unsigned char *base; /* reserved region of cap bytes */
	size_t cap, used;
	size_t charged;      /* the caller's tables, counted against cap (window_pool_charge) */
	size_t window_bytes;
	uint32_t free_chunk; /* chunks freed by expiry, reused first */
	struct window *free_window; /* released windows, reused first; linked through their first bytes */
	uint64_t windows, windows_refused, pct_refused;
	uint32_t scratch[WINDOW_BINS]; /* a query's histogram of the whole window */
};

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
	assert(g->slices <= WINDOW_MAX_SLICES + 1);
	return 0;
}

size_t window_fixed_bytes(const struct window_geometry *g)
{
	size_t n = sizeof(struct window) + (size_t)g->buckets * sizeof(struct window_bucket) + WINDOW_BINS;
	/* whole cache lines, so windows carved one after another stay aligned */
	return (n + POOL_ALIGN - 1) / POOL_ALIGN * POOL_ALIGN;
}

static uint8_t *cur_bins(const struct window_pool *p, struct window *w)
{
	return (uint8_t *)&w->buckets[p->geo.buckets];
}

static struct log_chunk *chunk_at(const struct window_pool *p, uint32_t c)
{
	return (struct log_chunk *)(p->base + (size_t)c * CHUNK_BYTES);
}

int window_pool_create(struct window_pool **out, const struct window_geometry *g, size_t max_bytes)
{
	*out = NULL;
	size_t window_bytes = window_fixed_bytes(g);
	/* chunk numbers are 32-bit */
	if (max_bytes < window_bytes || max_bytes / CHUNK_BYTES >= NO_CHUNK)
		return -EINVAL;
	struct window_pool *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	/* Reserved, not committed: pages cost memory only once handed out. */
	void *base = mmap(NULL, max_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		free(p);
		return -ENOMEM;
	}
	p->geo = *g;
	p->base = base;
	p->cap = max_bytes;
	p->window_bytes = window_bytes;
	p->free_chunk = NO_CHUNK;
	*out = p;
	return 0;
}

void window_pool_free(struct window_pool *p)
{
	if (!p)
		return;
	munmap(p->base, p->cap);
	free(p);
}

int window_pool_charge(struct window_pool *p, size_t bytes)
{
	if (p->cap - p->used - p->charged < bytes)
		return -ENOSPC;
	p->charged += bytes;
	return 0;
}

void window_pool_uncharge(struct window_pool *p, size_t bytes)
{
	assert(bytes <= p->charged);
	p->charged -= bytes;
}

void window_pool_usage(const struct window_pool *p, struct window_pool_usage *u)
{
	u->bytes_used = p->used + p->charged;
	u->bytes_max = p->cap;
	u->windows = p->windows;
	u->windows_refused = p->windows_refused;
	u->pct_refused = p->pct_refused;
}

/* Bump allocation from the region; fresh pages are zero. */
static void *pool_take(struct window_pool *p, size_t bytes)
{
	if (p->cap - p->used - p->charged < bytes)
		return NULL;
	void *m = p->base + p->used;
	p->used += bytes;
	return m;
}

struct window *window_new(struct window_pool *p)
{
	struct window *w = p->free_window;
	if (w) {
		memcpy(&p->free_window, w, sizeof(p->free_window));
		memset(w, 0, p->window_bytes);
	} else if (!(w = pool_take(p, p->window_bytes))) {
		p->windows_refused++;
		return NULL;
	}
	p->windows++;
	w->cur_bucket = INT64_MIN;
	w->head_chunk = w->tail_chunk = NO_CHUNK;
	w->cur_lo = WINDOW_BINS;
	return w;
}

static uint32_t chunk_new(struct window_pool *p)
{
	uint32_t c = p->free_chunk;
	if (c != NO_CHUNK) {
		p->free_chunk = chunk_at(p, c)->next;
		return c;
	}
	/* chunks sit at CHUNK_BYTES multiples so a number finds them */
	size_t pad = (CHUNK_BYTES - p->used % CHUNK_BYTES) % CHUNK_BYTES;
	if (p->cap - p->used - p->charged < pad + CHUNK_BYTES)
		return NO_CHUNK;
	p->used += pad;
	c = (uint32_t)(p->used / CHUNK_BYTES);
	p->used += CHUNK_BYTES;
	return c;
}

static void chunk_free(struct window_pool *p, uint32_t c)
{
	chunk_at(p, c)->next = p->free_chunk;
	p->free_chunk = c;
}

void window_release(struct window_pool *p, struct window *w)
{
	for (uint32_t c = w->head_chunk; c != NO_CHUNK;) {
		uint32_t next = c == w->tail_chunk ? NO_CHUNK : chunk_at(p, c)->next;
		chunk_free(p, c);
		c = next;
	}
	memcpy(w, &p->free_window, sizeof(p->free_window));
	p->free_window = w;
	p->windows--;
}

/* Append (bin, count) to the log as an entry of the current slice; with
 * the pool full the samples are left out of the percentiles, counted. */
static void log_append(struct window_pool *p, struct window *w, unsigned bin, unsigned count)
{
	if (w->tail_chunk == NO_CHUNK || w->tail_pos == CHUNK_ENTRIES) {
		uint32_t c = chunk_new(p);
		if (c == NO_CHUNK) {
			p->pct_refused += count;
			return;
		}
		chunk_at(p, c)->next = NO_CHUNK;
		if (w->tail_chunk == NO_CHUNK) {
			w->head_chunk = c;
			w->head_pos = 0;
		} else {
			chunk_at(p, w->tail_chunk)->next = c;
		}
		w->tail_chunk = c;
		w->tail_pos = 0;
	}
	assert(count >= 1 && count <= CUR_BIN_FLUSH);
	chunk_at(p, w->tail_chunk)->e[w->tail_pos++] = (uint16_t)(bin | count << ENTRY_BIN_BITS);
	w->slice_entries[floor_mod(w->cur_slice, p->geo.slices)]++;
}

/* Drop the n oldest entries, freeing the chunks they emptied. */
static void log_drop(struct window_pool *p, struct window *w, uint32_t n)
{
	while (n > 0 && w->head_chunk != NO_CHUNK) {
		uint32_t in_chunk = (w->head_chunk == w->tail_chunk ? w->tail_pos : CHUNK_ENTRIES) - w->head_pos;
		uint32_t k = n < in_chunk ? n : in_chunk;
		w->head_pos = (uint16_t)(w->head_pos + k);
		n -= k;
		if (k < in_chunk)
			break;
		uint32_t c = w->head_chunk;
		w->head_chunk = c == w->tail_chunk ? NO_CHUNK : chunk_at(p, c)->next;
		w->head_pos = 0;
		if (w->head_chunk == NO_CHUNK)
			w->tail_chunk = NO_CHUNK;
		chunk_free(p, c);
	}
	assert(n == 0);
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
						      (unsigned)((bits >> (52 - 4)) & (WINDOW_SUB - 1));
	_Static_assert(WINDOW_SUB == 16, "sub-bin = top 4 mantissa bits");
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

/* Chan et al.: merge a bucket into a summary exactly. */
static void merge(struct window_agg *into, const struct window_bucket *b)
{
	if (b->count == 0)
		return;
	if (into->count == 0) {
		*into = (struct window_agg){ b->count, b->mean, b->m2, b->min, b->max };
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

/* Move the current slice's counts into the log, or drop them when that
 * slice has expired too. */
static void close_slice(struct window_pool *p, struct window *w, int64_t oldest)
{
	uint8_t *cb = cur_bins(p, w);
	for (unsigned i = w->cur_lo; i <= w->cur_hi && i < WINDOW_BINS; i++) {
		if (cb[i] == 0)
			continue;
		if (w->cur_slice >= oldest)
			log_append(p, w, i, cb[i]);
		cb[i] = 0;
	}
	w->cur_lo = WINDOW_BINS;
	w->cur_hi = 0;
}

/* Make bucket nb the newest: clear its slot and every expired one,
 * re-merge the older live buckets (O(buckets), at most once per bucket
 * width per window), close the slice it leaves and drop expired slices. */
static void advance(struct window_pool *p, struct window *w, int64_t nb)
{
	const struct window_geometry *g = &p->geo;
	int64_t first = nb - (int64_t)g->buckets + 1;
	int64_t oldest = floor_div(first, g->slice_buckets);
	int64_t ns = floor_div(nb, g->slice_buckets);
	if (w->cur_bucket == INT64_MIN) {
		w->cur_slice = w->oldest_slice = ns;
	} else {
		if (ns != w->cur_slice)
			close_slice(p, w, oldest);
		for (int64_t s = w->oldest_slice; s < oldest && s <= w->cur_slice; s++) {
			uint32_t *n = &w->slice_entries[floor_mod(s, g->slices)];
			log_drop(p, w, *n);
			*n = 0;
		}
		if (oldest > w->oldest_slice)
			w->oldest_slice = oldest;
		w->cur_slice = ns;
	}
	int wiped = w->cur_bucket == INT64_MIN || nb - w->cur_bucket >= (int64_t)g->buckets;
	w->cur_bucket = nb;
	memset(&w->closed, 0, sizeof(w->closed));
	for (uint32_t i = 0; i < g->buckets; i++) {
		struct window_bucket *b = &w->buckets[i];
		/* distance in buckets, exact while below 2^32 (see wiped) */
		uint32_t age = (uint32_t)nb - b->index;
		if (wiped || age == 0 || age >= g->buckets)
			b->count = 0;
		else
			merge(&w->closed, b);
	}
	struct window_bucket *cur = &w->buckets[floor_mod(nb, g->buckets)];
	memset(cur, 0, sizeof(*cur));
	cur->index = (uint32_t)nb;
	w->pct_cached = false;
}

void window_add(struct window_pool *p, struct window *w, int64_t t_ns, double x)
{
	const struct window_geometry *g = &p->geo;
	int64_t nb = floor_div(t_ns, g->bucket_ns);
	if (nb > w->cur_bucket)
		advance(p, w, nb);
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
	w->pct_cached = false;

	unsigned bin = bin_of(x);
	if (bin < w->cur_lo)
		w->cur_lo = (uint16_t)bin;
	if (bin > w->cur_hi)
		w->cur_hi = (uint16_t)bin;
	uint8_t *cb = cur_bins(p, w);
	if (++cb[bin] == CUR_BIN_FLUSH) {
		log_append(p, w, bin, CUR_BIN_FLUSH);
		cb[bin] = 0;
	}
}

/* Nearest-rank percentile: the bin holding the sample of rank ceil(q * n),
 * searched from lo, the lowest non-empty bin. */
static double percentile(const uint32_t *bins, unsigned lo, uint64_t total, double q)
{
	uint64_t r = (uint64_t)ceil(q * (double)total);
	if (r < 1)
		r = 1;
	uint64_t cum = 0;
	unsigned bin = lo;
	while (bin < WINDOW_BINS - 1 && cum + bins[bin] < r)
		cum += bins[bin++];
	return bin_value(bin);
}

void window_query(struct window_pool *p, struct window *w, int64_t now_ns, struct window_stats *out)
{
	const struct window_geometry *g = &p->geo;
	memset(out, 0, sizeof(*out));
	if (w->cur_bucket == INT64_MIN)
		return;
	int64_t nb = floor_div(now_ns, g->bucket_ns);
	if (nb > w->cur_bucket)
		advance(p, w, nb);
	struct window_agg all = w->closed;
	merge(&all, &w->buckets[floor_mod(w->cur_bucket, g->buckets)]);
	if (all.count == 0)
		return;
	out->count = all.count;
	out->min = all.min;
	out->max = all.max;
	out->mean = all.mean;
	out->std = sqrt(all.m2 > 0 ? all.m2 / (double)all.count : 0.0);
	out->last = w->last;
	if (w->pct_cached) {
		out->pct_count = w->cached_pct_count;
		out->p50 = w->cached_p50;
		out->p95 = w->cached_p95;
		return;
	}

	/* The window's histogram: the current slice plus every logged entry,
	 * in the scratch histogram, which is all zero between queries. Only
	 * the bins from lo to hi are touched. */
	uint32_t *bins = p->scratch;
	const uint8_t *cb = cur_bins(p, w);
	uint64_t total = 0;
	unsigned lo = w->cur_lo, hi = w->cur_hi;
	for (unsigned i = lo; i <= hi && i < WINDOW_BINS; i++) {
		bins[i] = cb[i];
		total += cb[i];
	}
	uint32_t c = w->head_chunk;
	unsigned pos = w->head_pos;
	while (c != NO_CHUNK) {
		const struct log_chunk *ch = chunk_at(p, c);
		unsigned end = c == w->tail_chunk ? w->tail_pos : CHUNK_ENTRIES;
		for (; pos < end; pos++) {
			unsigned count = ch->e[pos] >> ENTRY_BIN_BITS, bin = ch->e[pos] & ((1u << ENTRY_BIN_BITS) - 1);
			bins[bin] += count;
			total += count;
			if (bin < lo)
				lo = bin;
			if (bin > hi)
				hi = bin;
		}
		c = c == w->tail_chunk ? NO_CHUNK : ch->next;
		pos = 0;
	}
	out->pct_count = total;
	if (total > 0) {
		out->p50 = percentile(bins, lo, total, 0.50);
		out->p95 = percentile(bins, lo, total, 0.95);
		memset(&bins[lo], 0, (hi - lo + 1) * sizeof(*bins));
	}
	w->pct_cached = true;
	w->cached_pct_count = out->pct_count;
	w->cached_p50 = out->p50;
	w->cached_p95 = out->p95;
}

/* Statistics for one column chunk, computed at flush from the chunk's
 * values; written to ColumnMetaData.statistics (fields 3, 5, 6). */
#include "writer/parquet_stats.h"

#include <math.h>
#include <string.h>

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void set_fixed8(struct parquet_stats *st, uint64_t min_bits, uint64_t max_bits)
{
	put_le64(st->min, min_bits);
	put_le64(st->max, max_bits);
	st->min_len = st->max_len = 8;
	st->has_minmax = 1;
}

void parquet_stats_from_i64(struct parquet_stats *st, const int64_t *v, size_t n)
{
	memset(st, 0, sizeof(*st));
	if (n == 0)
		return;
	int64_t lo = v[0], hi = v[0];
	for (size_t i = 1; i < n; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	set_fixed8(st, (uint64_t)lo, (uint64_t)hi);
}

void parquet_stats_from_double(struct parquet_stats *st, const double *v, size_t n)
{
	memset(st, 0, sizeof(*st));
	int any = 0;
	double lo = 0, hi = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(v[i]))
			continue;
		if (!any || v[i] < lo)
			lo = v[i];
		if (!any || v[i] > hi)
			hi = v[i];
		any = 1;
	}
	if (!any)
		return;
	if (lo == 0)
		lo = -0.0;
	if (hi == 0)
		hi = 0.0;
	uint64_t lo_bits, hi_bits;
	memcpy(&lo_bits, &lo, 8);
	memcpy(&hi_bits, &hi, 8);
	set_fixed8(st, lo_bits, hi_bits);
}

static int bytes_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	int c = n ? memcmp(a, b, n) : 0;
	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

void parquet_stats_from_dict(struct parquet_stats *st, const struct parquet_dict *d)
{
	memset(st, 0, sizeof(*st));
	if (d->count == 0)
		return;
	const uint8_t *lo, *hi;
	size_t lo_n, hi_n;
	parquet_dict_entry(d, 0, &lo, &lo_n);
	hi = lo;
	hi_n = lo_n;
	for (uint32_t i = 1; i < d->count; i++) {
		const uint8_t *p;
		size_t n;
		parquet_dict_entry(d, i, &p, &n);
		if (bytes_cmp(p, n, lo, lo_n) < 0) {
			lo = p;
			lo_n = n;
		}
		if (bytes_cmp(p, n, hi, hi_n) > 0) {
			hi = p;
			hi_n = n;
		}
	}
	if (lo_n > PARQUET_STATS_MAX_BYTES || hi_n > PARQUET_STATS_MAX_BYTES)
		return;
	memcpy(st->min, lo, lo_n);
	memcpy(st->max, hi, hi_n);
	st->min_len = lo_n;
	st->max_len = hi_n;
	st->has_minmax = 1;
}

void parquet_stats_write(const struct parquet_stats *st, struct thrift_writer *w, int16_t id)
{
	thrift_field_struct_begin(w, id);
	thrift_field_i64(w, 3, st->null_count);
	if (st->has_minmax) {
		thrift_field_binary(w, 5, st->max, st->max_len); /* max_value */
		thrift_field_binary(w, 6, st->min, st->min_len); /* min_value */
	}
	thrift_struct_end(w);
}

/* Column chunk statistics (min_value, max_value, null_count) in Parquet's
 * PLAIN byte form, so readers can skip row groups and files. */
#ifndef SPREADBUS_WRITER_PARQUET_STATS_H
#define SPREADBUS_WRITER_PARQUET_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "writer/parquet_dict.h"
#include "writer/thrift_compact.h"

/* Longer strings get no min/max rather than a truncated, inexact one. */
#define PARQUET_STATS_MAX_BYTES 64

struct parquet_stats {
	int has_minmax;
	uint8_t min[PARQUET_STATS_MAX_BYTES];
	uint8_t max[PARQUET_STATS_MAX_BYTES];
	size_t min_len, max_len;
	int64_t null_count;
};

/* Signed order, 8-byte little-endian values. */
void parquet_stats_from_i64(struct parquet_stats *st, const int64_t *v, size_t n);
/* IEEE order ignoring NaN; a zero min is written as -0.0 and a zero max as
 * +0.0, as the format asks. No min/max if every value is NaN. */
void parquet_stats_from_double(struct parquet_stats *st, const double *v, size_t n);
/* Unsigned lexicographic byte order over the dictionary's entries. */
void parquet_stats_from_dict(struct parquet_stats *st, const struct parquet_dict *d);
/* Writes a Statistics struct as field id of the enclosing struct. */
void parquet_stats_write(const struct parquet_stats *st, struct thrift_writer *w, int16_t id);

#endif

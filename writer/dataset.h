/* The three recorded datasets (quotes, trades, gaps): their Parquet schemas
 * and how a tick becomes a row. */
#ifndef SPREADBUS_WRITER_DATASET_H
#define SPREADBUS_WRITER_DATASET_H

#include <stdint.h>

#include "shm/tick.h"
#include "writer/parquet_file.h"

enum dataset { DATASET_QUOTES, DATASET_TRADES, DATASET_GAPS, DATASET_COUNT };

const char *dataset_name(enum dataset d);
const struct parquet_schema *dataset_schema(enum dataset d);
/* Which dataset a tick belongs to. Kinds the writer does not know become
 * gap rows with reason "unknown", so no bus_seq ever goes missing. */
enum dataset dataset_of(const struct tick *t);

/*
 * Append t as one row of dataset d (= dataset_of(t)) to w. Unsigned ids,
 * counts and bus_seq are stored as INT64 by two's-complement
 * reinterpretation (values >= 2^63 would read back negative). 0 or -errno.
 */
int dataset_add_row(struct parquet_writer *w, enum dataset d, const struct tick *t, uint64_t bus_seq,
		    const char *exchange, const char *symbol);

#endif

/* One Parquet file being written: flat columns (required, or optional where
 * a value can be unknown), row groups of a fixed row count, PLAIN or
 * dictionary pages compressed with zstd. */
#ifndef SPREADBUS_WRITER_PARQUET_FILE_H
#define SPREADBUS_WRITER_PARQUET_FILE_H

#include <stddef.h>
#include <stdint.h>

enum parquet_col_kind {
	PARQUET_COL_INT64,        /* INT64, PLAIN */
	PARQUET_COL_TIMESTAMP_NS, /* INT64, TIMESTAMP(isAdjustedToUTC=true, NANOS), PLAIN */
	PARQUET_COL_DOUBLE,       /* DOUBLE, PLAIN */
	PARQUET_COL_STRING,       /* BYTE_ARRAY STRING/UTF8, dictionary encoded */
};

struct parquet_column_def {
	const char *name;
	enum parquet_col_kind kind;
	int optional; /* INT64, TIMESTAMP_NS and STRING: a row may hold NULL */
};

struct parquet_schema {
	size_t column_count;
	const struct parquet_column_def *columns;
};

struct parquet_writer;

/* Column buffers for row_group_rows rows are allocated here, once. */
int parquet_writer_new(struct parquet_writer **out, const struct parquet_schema *schema, uint32_t row_group_rows,
		       int zstd_level);
void parquet_writer_free(struct parquet_writer *w);

/* Create (or truncate) path and write the file's leading magic. */
int parquet_writer_open(struct parquet_writer *w, const char *path);

/* Fill the current row column by column (in any order), then end it. */
void parquet_writer_put_i64(struct parquet_writer *w, size_t col, int64_t v);
void parquet_writer_put_double(struct parquet_writer *w, size_t col, double v);
int parquet_writer_put_string(struct parquet_writer *w, size_t col, const char *s, size_t n);
/* NULL in an optional column (put_i64 there means "defined"). */
void parquet_writer_put_null(struct parquet_writer *w, size_t col);
/* Ends the row; writes a row group once it holds row_group_rows rows.
 * 0 or -errno (the file is then unusable: abandon it). */
int parquet_writer_end_row(struct parquet_writer *w);

/* Write the last row group and the footer, fsync and close. 0 or -errno. */
int parquet_writer_finish(struct parquet_writer *w);
/* Close without finishing (after an error or to start over). */
void parquet_writer_abandon(struct parquet_writer *w);

int parquet_writer_is_open(const struct parquet_writer *w);
uint64_t parquet_writer_rows(const struct parquet_writer *w);
/* Bytes in the file so far (row groups written; after finish, the size). */
uint64_t parquet_writer_file_bytes(const struct parquet_writer *w);

#endif

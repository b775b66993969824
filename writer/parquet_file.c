/* Parquet file writer: pages (dictionary + RLE_DICTIONARY, or PLAIN) with
 * DataPageHeader v1, zstd, and the Thrift compact FileMetaData footer. */
#include "writer/parquet_file.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "writer/bytebuf.h"
#include "writer/fileio.h"
#include "writer/parquet_dict.h"
#include "writer/parquet_rle.h"
#include "writer/parquet_stats.h"
#include "writer/thrift_compact.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "PLAIN pages are written straight from memory: little-endian hosts only"
#endif

/* parquet.thrift enum values */
enum { PQ_TYPE_INT64 = 2, PQ_TYPE_DOUBLE = 5, PQ_TYPE_BYTE_ARRAY = 6 };
enum { PQ_ENC_PLAIN = 0, PQ_ENC_RLE = 3, PQ_ENC_RLE_DICTIONARY = 8 };
enum { PQ_PAGE_DATA = 0, PQ_PAGE_DICTIONARY = 2 };
enum { PQ_CODEC_ZSTD = 6 };
enum { PQ_REQUIRED = 0, PQ_OPTIONAL = 1 };
enum { PQ_CONVERTED_UTF8 = 0 };

static const uint8_t MAGIC[4] = {'P', 'A', 'R', '1'};

struct chunk_meta {
	int64_t data_page_offset;
	int64_t dict_page_offset; /* -1: no dictionary page */
	int64_t uncompressed;     /* page headers included */
	int64_t compressed;
	struct parquet_stats stats;
};

struct column {
	enum parquet_col_kind kind;
	int64_t *i64;   /* INT64 and TIMESTAMP_NS */
	uint32_t *defined; /* optional columns: 1 value, 0 NULL (definition level) */
	double *f64;    /* DOUBLE */
	uint32_t *idx;  /* STRING: dictionary indices */
	struct parquet_dict dict;
};

struct parquet_writer {
	const struct parquet_schema *schema;
	uint32_t row_group_rows;
	int zstd_level;
	ZSTD_CCtx *zctx;
	struct column *cols;
	uint32_t rows_in_group;
	uint64_t rows_total;
	int fd;
	int64_t pos;
	/* finished row groups: row_group_count * column_count chunk_meta */
	struct chunk_meta *chunks;
	int64_t *group_rows;
	size_t row_group_count, row_group_cap;
	struct bytebuf body, zout, header, footer;
};

static int is_dict(enum parquet_col_kind k)
{
	return k == PARQUET_COL_STRING;
}

void parquet_writer_free(struct parquet_writer *w)
{
	if (!w)
		return;
	parquet_writer_abandon(w);
	if (w->cols) {
		for (size_t c = 0; c < w->schema->column_count; c++) {
			free(w->cols[c].i64);
			free(w->cols[c].defined);
			free(w->cols[c].f64);
			free(w->cols[c].idx);
			if (is_dict(w->cols[c].kind))
				parquet_dict_free(&w->cols[c].dict);
		}
	}
	free(w->cols);
	free(w->chunks);
	free(w->group_rows);
	ZSTD_freeCCtx(w->zctx);
	bytebuf_free(&w->body);
	bytebuf_free(&w->zout);
	bytebuf_free(&w->header);
	bytebuf_free(&w->footer);
	free(w);
}

int parquet_writer_new(struct parquet_writer **out, const struct parquet_schema *schema, uint32_t row_group_rows,
		       int zstd_level)
{
	if (row_group_rows == 0 || schema->column_count == 0)
		return -EINVAL;
	struct parquet_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->schema = schema;
	w->row_group_rows = row_group_rows;
	w->zstd_level = zstd_level;
	w->fd = -1;
	w->zctx = ZSTD_createCCtx();
	w->cols = calloc(schema->column_count, sizeof(*w->cols));
	if (!w->zctx || !w->cols)
		goto nomem;
	for (size_t c = 0; c < schema->column_count; c++) {
		struct column *col = &w->cols[c];
		col->kind = schema->columns[c].kind;
		if (schema->columns[c].optional) {
			if (col->kind == PARQUET_COL_DOUBLE) {
				parquet_writer_free(w);
				return -EINVAL;
			}
			col->defined = calloc(row_group_rows, sizeof(uint32_t));
			if (!col->defined)
				goto nomem;
		}
		switch (col->kind) {
		case PARQUET_COL_INT64:
		case PARQUET_COL_TIMESTAMP_NS:
			col->i64 = calloc(row_group_rows, sizeof(int64_t));
			if (!col->i64)
				goto nomem;
			break;
		case PARQUET_COL_DOUBLE:
			col->f64 = calloc(row_group_rows, sizeof(double));
			if (!col->f64)
				goto nomem;
			break;
		case PARQUET_COL_STRING:
			col->idx = calloc(row_group_rows, sizeof(uint32_t));
			if (!col->idx || parquet_dict_init(&col->dict) < 0)
				goto nomem;
			break;
		}
	}
	/* The largest PLAIN page: one 8-byte value per row. */
	size_t page_max = (size_t)row_group_rows * 8 + 64;
	if (bytebuf_reserve(&w->body, page_max) < 0 || bytebuf_reserve(&w->zout, ZSTD_compressBound(page_max)) < 0)
		goto nomem;
	*out = w;
	return 0;
nomem:
	parquet_writer_free(w);
	return -ENOMEM;
}

int parquet_writer_open(struct parquet_writer *w, const char *path)
{
	parquet_writer_abandon(w);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	int rc = fileio_write_all(fd, MAGIC, sizeof(MAGIC));
	if (rc < 0) {
		close(fd);
		return rc;
	}
	w->fd = fd;
	w->pos = sizeof(MAGIC);
	w->rows_in_group = 0;
	w->rows_total = 0;
	w->row_group_count = 0;
	for (size_t c = 0; c < w->schema->column_count; c++)
		if (is_dict(w->cols[c].kind))
			parquet_dict_reset(&w->cols[c].dict);
	return 0;
}

void parquet_writer_abandon(struct parquet_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

int parquet_writer_is_open(const struct parquet_writer *w)
{
	return w->fd >= 0;
}

uint64_t parquet_writer_rows(const struct parquet_writer *w)
{
	return w->rows_total;
}

uint64_t parquet_writer_file_bytes(const struct parquet_writer *w)
{
	return (uint64_t)w->pos;
}

void parquet_writer_put_i64(struct parquet_writer *w, size_t col, int64_t v)
{
	w->cols[col].i64[w->rows_in_group] = v;
	if (w->cols[col].defined)
		w->cols[col].defined[w->rows_in_group] = 1;
}

void parquet_writer_put_null(struct parquet_writer *w, size_t col)
{
	struct column *c = &w->cols[col];
	assert(c->defined);
	c->defined[w->rows_in_group] = 0;
	if (c->kind == PARQUET_COL_STRING)
		c->idx[w->rows_in_group] = 0;
	else
		c->i64[w->rows_in_group] = 0;
}

/* An optional column's page starts with its definition levels (0 NULL,
 * 1 value), length-prefixed RLE/bit-packed at bit width 1; only the
 * defined values (or dictionary indices) follow, so they are moved to the
 * front. Returns how many values are defined. */
static uint32_t put_definition_levels(struct bytebuf *body, struct column *col, uint32_t n)
{
	size_t len_at = body->len;
	bytebuf_put_le32(body, 0);
	parquet_rle_encode(body, col->defined, n, 1);
	if (!body->failed) {
		uint32_t len = (uint32_t)(body->len - len_at - 4);
		memcpy(body->data + len_at, &len, sizeof(len)); /* little-endian host (checked above) */
	}
	uint32_t kept = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (!col->defined[i])
			continue;
		if (col->kind == PARQUET_COL_STRING)
			col->idx[kept] = col->idx[i];
		else
			col->i64[kept] = col->i64[i];
		kept++;
	}
	return kept;
}

void parquet_writer_put_double(struct parquet_writer *w, size_t col, double v)
{
	w->cols[col].f64[w->rows_in_group] = v;
}

int parquet_writer_put_string(struct parquet_writer *w, size_t col, const char *s, size_t n)
{
	int64_t idx = parquet_dict_add(&w->cols[col].dict, s, n);
	if (idx < 0)
		return (int)idx;
	w->cols[col].idx[w->rows_in_group] = (uint32_t)idx;
	if (w->cols[col].defined)
		w->cols[col].defined[w->rows_in_group] = 1;
	return 0;
}

/* Compress w->body and write header + compressed body at the file's end.
 * Adds the page's sizes (header included) to the chunk's totals. */
static int write_page(struct parquet_writer *w, int page_type, uint32_t num_values, int encoding,
		      struct chunk_meta *m)
{
	size_t bound = ZSTD_compressBound(w->body.len);
	if (bytebuf_reserve(&w->zout, bound) < 0)
		return -ENOMEM;
	size_t zn = ZSTD_compressCCtx(w->zctx, w->zout.data, w->zout.cap, w->body.data, w->body.len, w->zstd_level);
	if (ZSTD_isError(zn))
		return -EIO;
	if (w->body.len > INT32_MAX || zn > INT32_MAX)
		return -EFBIG;

	bytebuf_reset(&w->header);
	struct thrift_writer t;
	thrift_writer_init(&t, &w->header);
	thrift_field_i32(&t, 1, page_type);
	thrift_field_i32(&t, 2, (int32_t)w->body.len);
	thrift_field_i32(&t, 3, (int32_t)zn);
	if (page_type == PQ_PAGE_DATA) {
		thrift_field_struct_begin(&t, 5); /* DataPageHeader */
		thrift_field_i32(&t, 1, (int32_t)num_values);
		thrift_field_i32(&t, 2, encoding);
		thrift_field_i32(&t, 3, PQ_ENC_RLE); /* definition levels (optional columns only) */
		thrift_field_i32(&t, 4, PQ_ENC_RLE); /* repetition levels: none (flat) */
		thrift_struct_end(&t);
	} else {
		thrift_field_struct_begin(&t, 7); /* DictionaryPageHeader */
		thrift_field_i32(&t, 1, (int32_t)num_values);
		thrift_field_i32(&t, 2, encoding);
		thrift_struct_end(&t);
	}
	thrift_struct_end(&t);
	int rc = thrift_writer_status(&t);
	if (rc < 0)
		return rc;
	rc = fileio_write_all(w->fd, w->header.data, w->header.len);
	if (rc == 0)
		rc = fileio_write_all(w->fd, w->zout.data, zn);
	if (rc < 0)
		return rc;
	m->uncompressed += (int64_t)(w->header.len + w->body.len);
	m->compressed += (int64_t)(w->header.len + zn);
	w->pos += (int64_t)(w->header.len + zn);
	return 0;
}

static int write_column_chunk(struct parquet_writer *w, struct column *col, struct chunk_meta *m)
{
	uint32_t n = w->rows_in_group;
	int rc;
	memset(m, 0, sizeof(*m));
	m->dict_page_offset = -1;
	bytebuf_reset(&w->body);
	switch (col->kind) {
	case PARQUET_COL_INT64:
	case PARQUET_COL_TIMESTAMP_NS: {
		uint32_t values = col->defined ? put_definition_levels(&w->body, col, n) : n;
		parquet_stats_from_i64(&m->stats, col->i64, values);
		m->stats.null_count = n - values;
		bytebuf_put(&w->body, col->i64, (size_t)values * 8);
		break;
	}
	case PARQUET_COL_DOUBLE:
		parquet_stats_from_double(&m->stats, col->f64, n);
		bytebuf_put(&w->body, col->f64, (size_t)n * 8);
		break;
	case PARQUET_COL_STRING:
		parquet_stats_from_dict(&m->stats, &col->dict);
		parquet_dict_encode_plain(&col->dict, &w->body);
		if (w->body.failed)
			return -ENOMEM;
		m->dict_page_offset = w->pos;
		rc = write_page(w, PQ_PAGE_DICTIONARY, col->dict.count, PQ_ENC_PLAIN, m);
		if (rc < 0)
			return rc;
		bytebuf_reset(&w->body);
		uint32_t values = col->defined ? put_definition_levels(&w->body, col, n) : n;
		m->stats.null_count = n - values;
		unsigned width = parquet_rle_bit_width(col->dict.count ? col->dict.count - 1 : 0);
		bytebuf_put_u8(&w->body, (uint8_t)width);
		parquet_rle_encode(&w->body, col->idx, values, width);
		break;
	}
	if (w->body.failed)
		return -ENOMEM;
	m->data_page_offset = w->pos;
	return write_page(w, PQ_PAGE_DATA, n, is_dict(col->kind) ? PQ_ENC_RLE_DICTIONARY : PQ_ENC_PLAIN, m);
}

static int flush_row_group(struct parquet_writer *w)
{
	size_t ncols = w->schema->column_count;
	if (w->rows_in_group == 0)
		return 0;
	if (w->row_group_count == w->row_group_cap) {
		size_t cap = w->row_group_cap ? w->row_group_cap * 2 : 16;
		struct chunk_meta *chunks = realloc(w->chunks, cap * ncols * sizeof(*chunks));
		if (!chunks)
			return -ENOMEM;
		w->chunks = chunks;
		int64_t *rows = realloc(w->group_rows, cap * sizeof(*rows));
		if (!rows)
			return -ENOMEM;
		w->group_rows = rows;
		w->row_group_cap = cap;
	}
	struct chunk_meta *m = &w->chunks[w->row_group_count * ncols];
	for (size_t c = 0; c < ncols; c++) {
		int rc = write_column_chunk(w, &w->cols[c], &m[c]);
		if (rc < 0)
			return rc;
		if (is_dict(w->cols[c].kind))
			parquet_dict_reset(&w->cols[c].dict);
	}
	w->group_rows[w->row_group_count++] = w->rows_in_group;
	w->rows_in_group = 0;
	return 0;
}

int parquet_writer_end_row(struct parquet_writer *w)
{
	w->rows_in_group++;
	w->rows_total++;
	if (w->rows_in_group < w->row_group_rows)
		return 0;
	return flush_row_group(w);
}

static void write_schema(const struct parquet_writer *w, struct thrift_writer *t)
{
	const struct parquet_schema *s = w->schema;
	thrift_field_list_begin(t, 2, THRIFT_STRUCT, (uint32_t)s->column_count + 1);
	thrift_elem_struct_begin(t); /* root group */
	thrift_field_string(t, 4, "schema");
	thrift_field_i32(t, 5, (int32_t)s->column_count);
	thrift_struct_end(t);
	for (size_t c = 0; c < s->column_count; c++) {
		const struct parquet_column_def *d = &s->columns[c];
		thrift_elem_struct_begin(t);
		thrift_field_i32(t, 1,
				 d->kind == PARQUET_COL_DOUBLE   ? PQ_TYPE_DOUBLE
				 : d->kind == PARQUET_COL_STRING ? PQ_TYPE_BYTE_ARRAY
								 : PQ_TYPE_INT64);
		thrift_field_i32(t, 3, d->optional ? PQ_OPTIONAL : PQ_REQUIRED);
		thrift_field_string(t, 4, d->name);
		if (d->kind == PARQUET_COL_STRING) {
			thrift_field_i32(t, 6, PQ_CONVERTED_UTF8);
			thrift_field_struct_begin(t, 10); /* LogicalType */
			thrift_field_struct_begin(t, 1);  /* STRING */
			thrift_struct_end(t);
			thrift_struct_end(t);
		} else if (d->kind == PARQUET_COL_TIMESTAMP_NS) {
			/* No converted_type: TIMESTAMP_MILLIS/MICROS cannot say nanos. */
			thrift_field_struct_begin(t, 10); /* LogicalType */
			thrift_field_struct_begin(t, 8);  /* TIMESTAMP */
			thrift_field_bool(t, 1, 1);       /* isAdjustedToUTC */
			thrift_field_struct_begin(t, 2);  /* unit */
			thrift_field_struct_begin(t, 3);  /* NANOS */
			thrift_struct_end(t);
			thrift_struct_end(t);
			thrift_struct_end(t);
			thrift_struct_end(t);
		}
		thrift_struct_end(t);
	}
}

static void write_column_meta(const struct parquet_writer *w, struct thrift_writer *t, size_t c,
			      const struct chunk_meta *m, int64_t rows)
{
	const struct parquet_column_def *d = &w->schema->columns[c];
	thrift_elem_struct_begin(t); /* ColumnChunk */
	thrift_field_i64(t, 2, m->dict_page_offset >= 0 ? m->dict_page_offset : m->data_page_offset);
	thrift_field_struct_begin(t, 3); /* ColumnMetaData */
	thrift_field_i32(t, 1,
			 d->kind == PARQUET_COL_DOUBLE   ? PQ_TYPE_DOUBLE
			 : d->kind == PARQUET_COL_STRING ? PQ_TYPE_BYTE_ARRAY
							 : PQ_TYPE_INT64);
	if (is_dict(d->kind)) {
		thrift_field_list_begin(t, 2, THRIFT_I32, 2);
		thrift_elem_i32(t, PQ_ENC_PLAIN);
		thrift_elem_i32(t, PQ_ENC_RLE_DICTIONARY);
	} else {
		thrift_field_list_begin(t, 2, THRIFT_I32, 1);
		thrift_elem_i32(t, PQ_ENC_PLAIN);
	}
	thrift_field_list_begin(t, 3, THRIFT_BINARY, 1);
	thrift_elem_binary(t, d->name, strlen(d->name));
	thrift_field_i32(t, 4, PQ_CODEC_ZSTD);
	thrift_field_i64(t, 5, rows);
	thrift_field_i64(t, 6, m->uncompressed);
	thrift_field_i64(t, 7, m->compressed);
	thrift_field_i64(t, 9, m->data_page_offset);
	if (m->dict_page_offset >= 0)
		thrift_field_i64(t, 11, m->dict_page_offset);
	parquet_stats_write(&m->stats, t, 12);
	thrift_struct_end(t); /* ColumnMetaData */
	thrift_struct_end(t); /* ColumnChunk */
}

static void write_row_groups(const struct parquet_writer *w, struct thrift_writer *t)
{
	size_t ncols = w->schema->column_count;
	thrift_field_list_begin(t, 4, THRIFT_STRUCT, (uint32_t)w->row_group_count);
	for (size_t g = 0; g < w->row_group_count; g++) {
		const struct chunk_meta *m = &w->chunks[g * ncols];
		int64_t uncompressed = 0, compressed = 0;
		thrift_elem_struct_begin(t); /* RowGroup */
		thrift_field_list_begin(t, 1, THRIFT_STRUCT, (uint32_t)ncols);
		for (size_t c = 0; c < ncols; c++) {
			write_column_meta(w, t, c, &m[c], w->group_rows[g]);
			uncompressed += m[c].uncompressed;
			compressed += m[c].compressed;
		}
		thrift_field_i64(t, 2, uncompressed);
		thrift_field_i64(t, 3, w->group_rows[g]);
		thrift_field_i64(t, 5, m[0].dict_page_offset >= 0 ? m[0].dict_page_offset : m[0].data_page_offset);
		thrift_field_i64(t, 6, compressed);
		thrift_struct_end(t);
	}
}

static int write_footer(struct parquet_writer *w)
{
	struct bytebuf *f = &w->footer;
	bytebuf_reset(f);
	struct thrift_writer t;
	thrift_writer_init(&t, f);
	thrift_field_i32(&t, 1, 2); /* version */
	write_schema(w, &t);
	thrift_field_i64(&t, 3, (int64_t)w->rows_total);
	write_row_groups(w, &t);
	thrift_field_string(&t, 6, "spreadbus-writer version 1.0");
	/* column_orders: TYPE_ORDER for every column, so readers trust
	 * min_value/max_value (signed ints, IEEE doubles, unsigned bytes). */
	thrift_field_list_begin(&t, 7, THRIFT_STRUCT, (uint32_t)w->schema->column_count);
	for (size_t c = 0; c < w->schema->column_count; c++) {
		thrift_elem_struct_begin(&t);
		thrift_field_struct_begin(&t, 1);
		thrift_struct_end(&t);
		thrift_struct_end(&t);
	}
	thrift_struct_end(&t);
	int rc = thrift_writer_status(&t);
	if (rc < 0)
		return rc;
	if (f->len > UINT32_MAX)
		return -EFBIG;
	uint32_t flen = (uint32_t)f->len;
	bytebuf_put_le32(f, flen);
	bytebuf_put(f, MAGIC, sizeof(MAGIC));
	if (f->failed)
		return -ENOMEM;
	rc = fileio_write_all(w->fd, f->data, f->len);
	if (rc < 0)
		return rc;
	w->pos += (int64_t)f->len;
	return 0;
}

int parquet_writer_finish(struct parquet_writer *w)
{
	if (w->fd < 0)
		return -EBADF;
	int rc = flush_row_group(w);
	if (rc == 0)
		rc = write_footer(w);
	if (rc == 0 && fsync(w->fd) < 0)
		rc = -errno;
	if (rc == 0 && close(w->fd) < 0)
		rc = -errno;
	else if (rc < 0)
		close(w->fd);
	w->fd = -1;
	return rc;
}

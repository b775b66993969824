/* Thrift compact protocol encoder, just what Parquet metadata needs:
 * structs, lists, i32/i64 (zigzag varints), binary and bool fields. */
#ifndef SPREADBUS_WRITER_THRIFT_COMPACT_H
#define SPREADBUS_WRITER_THRIFT_COMPACT_H

#include <stddef.h>
#include <stdint.h>

#include "writer/bytebuf.h"

/* Compact protocol type codes (field headers and list element types). */
enum thrift_type {
	THRIFT_BOOL_TRUE = 1,
	THRIFT_BOOL_FALSE = 2,
	THRIFT_BYTE = 3,
	THRIFT_I16 = 4,
	THRIFT_I32 = 5,
	THRIFT_I64 = 6,
	THRIFT_DOUBLE = 7,
	THRIFT_BINARY = 8,
	THRIFT_LIST = 9,
	THRIFT_SET = 10,
	THRIFT_MAP = 11,
	THRIFT_STRUCT = 12,
};

#define THRIFT_MAX_DEPTH 16

/* Encoder state: the last field id of every open struct (field ids are
 * written as deltas from the previous one in the same struct). */
struct thrift_writer {
	struct bytebuf *out;
	int depth;
	int16_t last_field[THRIFT_MAX_DEPTH];
	int overflow; /* nesting deeper than THRIFT_MAX_DEPTH: output invalid */
};

/* Start encoding one top-level struct into out. */
void thrift_writer_init(struct thrift_writer *w, struct bytebuf *out);
/* 0 if everything was encoded, else -ENOMEM or -EOVERFLOW. */
int thrift_writer_status(const struct thrift_writer *w);

void thrift_field_i32(struct thrift_writer *w, int16_t id, int32_t v);
void thrift_field_i64(struct thrift_writer *w, int16_t id, int64_t v);
void thrift_field_bool(struct thrift_writer *w, int16_t id, int v);
void thrift_field_binary(struct thrift_writer *w, int16_t id, const void *p, size_t n);
void thrift_field_string(struct thrift_writer *w, int16_t id, const char *s);
/* A nested struct field; end it with thrift_struct_end. */
void thrift_field_struct_begin(struct thrift_writer *w, int16_t id);
/* A list field of n elements of elem_type; then write n elements. */
void thrift_field_list_begin(struct thrift_writer *w, int16_t id, enum thrift_type elem_type, uint32_t n);
/* Ends the innermost struct (writes its stop byte); also ends the top level. */
void thrift_struct_end(struct thrift_writer *w);

/* List elements. */
void thrift_elem_i32(struct thrift_writer *w, int32_t v);
void thrift_elem_binary(struct thrift_writer *w, const void *p, size_t n);
void thrift_elem_struct_begin(struct thrift_writer *w);

#endif

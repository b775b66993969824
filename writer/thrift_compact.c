/* Thrift compact protocol encoding (field header deltas, zigzag varints,
 * list headers), as specified by Apache Thrift's compact protocol. */
#include "writer/thrift_compact.h"

#include <errno.h>
#include <string.h>

void thrift_writer_init(struct thrift_writer *w, struct bytebuf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

int thrift_writer_status(const struct thrift_writer *w)
{
	if (w->overflow)
		return -EOVERFLOW;
	return w->out->failed ? -ENOMEM : 0;
}

static uint64_t zigzag64(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* Short form (delta 1..15 in the high nibble) when the id follows closely
 * enough, else the type byte followed by the zigzag id. */
static void field_header(struct thrift_writer *w, int16_t id, enum thrift_type type)
{
	int16_t *last = &w->last_field[w->depth];
	int delta = id - *last;
	if (delta > 0 && delta <= 15) {
		bytebuf_put_u8(w->out, (uint8_t)(delta << 4 | type));
	} else {
		bytebuf_put_u8(w->out, (uint8_t)type);
		bytebuf_put_uvarint(w->out, zigzag64(id));
	}
	*last = id;
}

static void push(struct thrift_writer *w)
{
	if (w->depth + 1 >= THRIFT_MAX_DEPTH) {
		w->overflow = 1;
		return;
	}
	w->last_field[++w->depth] = 0;
}

void thrift_field_i32(struct thrift_writer *w, int16_t id, int32_t v)
{
	field_header(w, id, THRIFT_I32);
	bytebuf_put_uvarint(w->out, zigzag64(v));
}

void thrift_field_i64(struct thrift_writer *w, int16_t id, int64_t v)
{
	field_header(w, id, THRIFT_I64);
	bytebuf_put_uvarint(w->out, zigzag64(v));
}

/* Compact protocol folds a bool field's value into the field type. */
void thrift_field_bool(struct thrift_writer *w, int16_t id, int v)
{
	field_header(w, id, v ? THRIFT_BOOL_TRUE : THRIFT_BOOL_FALSE);
}

void thrift_field_binary(struct thrift_writer *w, int16_t id, const void *p, size_t n)
{
	field_header(w, id, THRIFT_BINARY);
	thrift_elem_binary(w, p, n);
}

void thrift_field_string(struct thrift_writer *w, int16_t id, const char *s)
{
	thrift_field_binary(w, id, s, strlen(s));
}

void thrift_field_struct_begin(struct thrift_writer *w, int16_t id)
{
	field_header(w, id, THRIFT_STRUCT);
	push(w);
}

void thrift_field_list_begin(struct thrift_writer *w, int16_t id, enum thrift_type elem_type, uint32_t n)
{
	field_header(w, id, THRIFT_LIST);
	if (n < 15) {
		bytebuf_put_u8(w->out, (uint8_t)(n << 4 | elem_type));
	} else {
		bytebuf_put_u8(w->out, (uint8_t)(0xf0 | elem_type));
		bytebuf_put_uvarint(w->out, n);
	}
}

void thrift_struct_end(struct thrift_writer *w)
{
	bytebuf_put_u8(w->out, 0); /* STOP */
	if (w->depth > 0)
		w->depth--;
}

void thrift_elem_i32(struct thrift_writer *w, int32_t v)
{
	bytebuf_put_uvarint(w->out, zigzag64(v));
}

void thrift_elem_binary(struct thrift_writer *w, const void *p, size_t n)
{
	bytebuf_put_uvarint(w->out, n);
	bytebuf_put(w->out, p, n);
}

void thrift_elem_struct_begin(struct thrift_writer *w)
{
	push(w);
}

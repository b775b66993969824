/* Thrift compact protocol encoding: field header deltas (short and long
 * form), zigzag varints, bools folded into the type, lists, nesting. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "writer/thrift_compact.h"

static void expect_bytes(const struct bytebuf *b, const uint8_t *want, size_t n)
{
	assert_int_equal(b->len, n);
	assert_memory_equal(b->data, want, n);
}

static void test_short_and_long_field_headers(void **state)
{
	(void)state;
	struct bytebuf b;
	bytebuf_init(&b);
	struct thrift_writer w;
	thrift_writer_init(&w, &b);
	thrift_field_i32(&w, 1, 3);   /* delta 1, I32 (5): 0x15; zigzag(3) = 6 */
	thrift_field_i32(&w, 20, -1); /* delta 19 > 15: type byte 0x05, zigzag id 40, zigzag(-1) = 1 */
	thrift_field_i64(&w, 21, 64); /* delta 1, I64 (6): 0x16; zigzag(64) = 128 = 0x80 0x01 */
	thrift_struct_end(&w);
	static const uint8_t want[] = {0x15, 0x06, 0x05, 0x28, 0x01, 0x16, 0x80, 0x01, 0x00};
	assert_int_equal(thrift_writer_status(&w), 0);
	expect_bytes(&b, want, sizeof(want));
	bytebuf_free(&b);
}

static void test_zigzag_extremes(void **state)
{
	(void)state;
	struct bytebuf b;
	bytebuf_init(&b);
	struct thrift_writer w;
	thrift_writer_init(&w, &b);
	thrift_field_i64(&w, 1, INT64_MIN); /* zigzag: 2^64 - 1, ten varint bytes */
	thrift_field_i64(&w, 2, INT64_MAX); /* zigzag: 2^64 - 2 */
	thrift_struct_end(&w);
	static const uint8_t want[] = {0x16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
				       0x16, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00};
	expect_bytes(&b, want, sizeof(want));
	bytebuf_free(&b);
}

static void test_bool_binary_and_lists(void **state)
{
	(void)state;
	struct bytebuf b;
	bytebuf_init(&b);
	struct thrift_writer w;
	thrift_writer_init(&w, &b);
	thrift_field_bool(&w, 1, 1);             /* 0x11 */
	thrift_field_bool(&w, 2, 0);             /* 0x12 */
	thrift_field_string(&w, 3, "ab");        /* 0x18, len 2, 'a' 'b' */
	thrift_field_list_begin(&w, 4, THRIFT_I32, 2); /* 0x19, 0x25 */
	thrift_elem_i32(&w, 0);
	thrift_elem_i32(&w, 8);
	thrift_field_list_begin(&w, 5, THRIFT_BINARY, 15); /* long list header: 0xf8, varint 15 */
	for (int i = 0; i < 15; i++)
		thrift_elem_binary(&w, "", 0);
	thrift_struct_end(&w);
	uint8_t want[64];
	size_t n = 0;
	const uint8_t head[] = {0x11, 0x12, 0x18, 0x02, 'a', 'b', 0x19, 0x25, 0x00, 0x10, 0x19, 0xf8, 0x0f};
	memcpy(want, head, sizeof(head));
	n = sizeof(head);
	for (int i = 0; i < 15; i++)
		want[n++] = 0x00;
	want[n++] = 0x00;
	expect_bytes(&b, want, n);
	bytebuf_free(&b);
}

static void test_nested_structs_restore_field_ids(void **state)
{
	(void)state;
	struct bytebuf b;
	bytebuf_init(&b);
	struct thrift_writer w;
	thrift_writer_init(&w, &b);
	thrift_field_i32(&w, 4, 1);          /* 0x45 0x02 */
	thrift_field_struct_begin(&w, 10);   /* delta 6: 0x6c */
	thrift_field_struct_begin(&w, 8);    /* inner ids restart at 0: delta 8: 0x8c */
	thrift_field_bool(&w, 1, 1);         /* 0x11 */
	thrift_struct_end(&w);               /* 0x00 */
	thrift_struct_end(&w);               /* 0x00 */
	thrift_field_i32(&w, 11, 0);         /* outer continues from 10: delta 1: 0x15 0x00 */
	thrift_field_list_begin(&w, 12, THRIFT_STRUCT, 1); /* 0x19 0x1c */
	thrift_elem_struct_begin(&w);
	thrift_field_i32(&w, 1, 0);          /* 0x15 0x00 */
	thrift_struct_end(&w);               /* 0x00 */
	thrift_struct_end(&w);               /* 0x00 */
	static const uint8_t want[] = {0x45, 0x02, 0x6c, 0x8c, 0x11, 0x00, 0x00, 0x15, 0x00,
				       0x19, 0x1c, 0x15, 0x00, 0x00, 0x00};
	expect_bytes(&b, want, sizeof(want));
	bytebuf_free(&b);
}

static void test_too_deep_nesting_is_reported(void **state)
{
	(void)state;
	struct bytebuf b;
	bytebuf_init(&b);
	struct thrift_writer w;
	thrift_writer_init(&w, &b);
	for (int i = 0; i < THRIFT_MAX_DEPTH + 1; i++)
		thrift_field_struct_begin(&w, 1);
	assert_int_equal(thrift_writer_status(&w), -EOVERFLOW);
	bytebuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_and_long_field_headers),
		cmocka_unit_test(test_zigzag_extremes),
		cmocka_unit_test(test_bool_binary_and_lists),
		cmocka_unit_test(test_nested_structs_restore_field_ids),
		cmocka_unit_test(test_too_deep_nesting_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

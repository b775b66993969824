/* jsonw: commas and nesting, escaping, numbers, and that a small buffer is
 * never overrun but reported as overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "common/jsonw.h"

static void write_sample(struct jsonw *w)
{
	jsonw_object_begin(w);
	jsonw_kv_string(w, "exchange", "binance");
	jsonw_kv_double(w, "bid_px", 25.3519);
	jsonw_kv_int64(w, "ts", -5);
	jsonw_kv_uint64(w, "seq", UINT64_MAX);
	jsonw_kv_bool(w, "ok", true);
	jsonw_key(w, "list");
	jsonw_array_begin(w);
	jsonw_int64(w, 1);
	jsonw_array_begin(w);
	jsonw_array_end(w);
	jsonw_object_begin(w);
	jsonw_object_end(w);
	jsonw_null(w);
	jsonw_double(w, NAN);
	jsonw_array_end(w);
	jsonw_key(w, "raw");
	jsonw_raw(w, "{\"a\":1}", 7);
	jsonw_kv_string(w, "none", NULL);
	jsonw_object_end(w);
}

static const char sample[] = "{\"exchange\":\"binance\",\"bid_px\":25.3519,\"ts\":-5,\"seq\":18446744073709551615,"
			     "\"ok\":true,\"list\":[1,[],{},null,null],\"raw\":{\"a\":1},\"none\":null}";

static void test_document_layout(void **state)
{
	(void)state;
	char buf[512];
	struct jsonw w;
	size_t len;
	jsonw_init(&w, buf, sizeof(buf));
	write_sample(&w);
	assert_int_equal(jsonw_finish(&w, &len), 0);
	assert_string_equal(buf, sample);
	assert_int_equal(len, strlen(sample));
}

static void test_string_escaping(void **state)
{
	(void)state;
	char buf[256];
	struct jsonw w;
	jsonw_init(&w, buf, sizeof(buf));
	jsonw_string_n(&w, "a\"b\\c\n\t\r\b\f\x01\x1f\x7f\xc3\xa9\0z", 17);
	assert_int_equal(jsonw_finish(&w, NULL), 0);
	assert_string_equal(buf, "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\x7f\xc3\xa9\\u0000z\"");
}

/* Every buffer size shorter than the document overflows without writing a
 * byte past its end; the full size succeeds. */
static void test_every_short_buffer_overflows_safely(void **state)
{
	(void)state;
	char buf[sizeof(sample) + 16];
	for (size_t cap = 1; cap <= sizeof(sample); cap++) {
		struct jsonw w;
		memset(buf, '#', sizeof(buf));
		jsonw_init(&w, buf, cap);
		write_sample(&w);
		size_t len;
		int rc = jsonw_finish(&w, &len);
		if (cap < sizeof(sample))
			assert_int_equal(rc, -ENOSPC);
		else
			assert_int_equal(rc, 0);
		for (size_t i = cap; i < sizeof(buf); i++)
			assert_int_equal(buf[i], '#');
		assert_true(memchr(buf, '\0', cap) != NULL);
	}
}

static void test_unbalanced_is_invalid(void **state)
{
	(void)state;
	char buf[64];
	struct jsonw w;
	jsonw_init(&w, buf, sizeof(buf));
	jsonw_object_begin(&w);
	assert_int_equal(jsonw_finish(&w, NULL), -EINVAL);
	jsonw_key(&w, "k");
	jsonw_object_end(&w);
	assert_int_equal(jsonw_finish(&w, NULL), -EINVAL);
}

static void test_too_deep_overflows(void **state)
{
	(void)state;
	char buf[256];
	struct jsonw w;
	jsonw_init(&w, buf, sizeof(buf));
	for (int i = 0; i <= JSONW_MAX_DEPTH; i++)
		jsonw_array_begin(&w);
	assert_int_equal(jsonw_finish(&w, NULL), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document_layout),
		cmocka_unit_test(test_string_escaping),
		cmocka_unit_test(test_every_short_buffer_overflows_safely),
		cmocka_unit_test(test_unbalanced_is_invalid),
		cmocka_unit_test(test_too_deep_overflows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

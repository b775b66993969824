/* The JSON scanner against plain references: js_string (eight bytes at a
 * time) finds the same end, span and escape flag as a byte-by-byte reading
 * of RFC 8259 for random strings at every alignment; js_object gives every
 * field its value whatever the order of the keys (its next-field guess
 * must never change the result). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "collector/json_scan.h"
#include "tests/unit/test_common_rng.h"

#define MAX_LEN 48

/* The reference: the string at buf[0] == '"' read one byte at a time.
 * Returns the bytes consumed (closing quote included) or -1. */
static long reference_string(const char *buf, size_t len, bool *escaped)
{
	*escaped = false;
	for (size_t i = 1; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '"')
			return (long)i + 1;
		if (c < 0x20)
			return -1;
		if (c != '\\')
			continue;
		*escaped = true;
		if (i + 1 >= len)
			return -1;
		char e = buf[i + 1];
		if (e == 'u') {
			if (i + 5 >= len)
				return -1;
			for (size_t k = i + 2; k < i + 6; k++)
				if (!strchr("0123456789abcdefABCDEF", buf[k]) || buf[k] == '\0')
					return -1;
			i += 5;
		} else if (e != '\0' && strchr("\"\\/bfnrt", e)) {
			i++;
		} else {
			return -1;
		}
	}
	return -1;
}

/* A byte for a string body: mostly plain, often one of the bytes that stop
 * a run (quote, backslash, control, high bit), sometimes an escape letter. */
static char random_byte(uint64_t *rng)
{
	static const char pick[] = "\"\\\x01\x1f\x20\x21\x7f\x80\xff" "u0aF/nbx";
	uint64_t r = test_rng_next(rng);
	if (r % 4)
		return (char)('a' + (r >> 8) % 26);
	return pick[(r >> 8) % (sizeof(pick) - 1)];
}

static void test_strings_match_reference(void **state)
{
	(void)state;
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	char buf[MAX_LEN + 16];
	for (int round = 0; round < 400000; round++) {
		size_t offset = test_rng_next(&rng) % 8, len = 1 + test_rng_next(&rng) % MAX_LEN;
		char *s = buf + offset;
		s[0] = '"';
		for (size_t i = 1; i < len; i++)
			s[i] = random_byte(&rng);
		bool want_escaped;
		long want = reference_string(s, len, &want_escaped);
		struct js j;
		struct js_span span;
		js_init(&j, s, len);
		int rc = js_string(&j, &span);
		if ((rc == 0) != (want >= 0))
			fail_msg("round %d: js_string %d, reference %ld (len %zu)", round, rc, want, len);
		if (rc < 0)
			continue;
		assert_int_equal(j.p - s, want);
		assert_ptr_equal(span.s, s + 1);
		assert_int_equal(span.len, (size_t)want - 2);
		assert_true(span.quoted);
		assert_int_equal(span.escaped, want_escaped);
	}
}

struct three {
	struct js_span a, bb, ccc;
};

static const struct js_field three_fields[] = {
	JS_FIELD(struct three, a, "a"),
	JS_FIELD(struct three, bb, "bb"),
	JS_FIELD(struct three, ccc, "ccc"),
};

/* Every order of the three keys, with an unknown key and a nested value
 * in between: each field gets its own value. */
static void test_object_any_key_order(void **state)
{
	(void)state;
	static const char *const orders[][3] = {
		{"a", "bb", "ccc"}, {"a", "ccc", "bb"}, {"bb", "a", "ccc"},
		{"bb", "ccc", "a"}, {"ccc", "a", "bb"}, {"ccc", "bb", "a"},
	};
	for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
		char frame[256];
		snprintf(frame, sizeof(frame), "{\"%s\":\"v%s\", \"zz\":{\"a\":[1,2]}, \"%s\":\"v%s\",\"%s\":\"v%s\"}",
			 orders[o][0], orders[o][0], orders[o][1], orders[o][1], orders[o][2], orders[o][2]);
		struct three t;
		memset(&t, 0, sizeof(t));
		struct js j;
		js_init(&j, frame, strlen(frame));
		assert_int_equal(js_object(&j, three_fields, 3, &t, NULL, NULL), 0);
		assert_true(js_at_end(&j));
		assert_true(JS_IS(&t.a, "va"));
		assert_true(JS_IS(&t.bb, "vbb"));
		assert_true(JS_IS(&t.ccc, "vccc"));
	}
}

/* A key that only shares a length or a first byte with a field is not it. */
static void test_object_near_keys_are_unknown(void **state)
{
	(void)state;
	const char *frame = "{\"b\":1,\"bc\":2,\"ccx\":3,\"A\":4,\"\":5}";
	struct three t;
	memset(&t, 0, sizeof(t));
	struct js j;
	js_init(&j, frame, strlen(frame));
	assert_int_equal(js_object(&j, three_fields, 3, &t, NULL, NULL), 0);
	assert_null(t.a.s);
	assert_null(t.bb.s);
	assert_null(t.ccc.s);
}

/* Keys the one-letter shortcut must not take: a quote, a backslash or a
 * control character where the letter would be, or no colon after it. */
static void test_object_bad_short_keys_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{\"\"\":1}", "{\"\\\":1}", "{\"\x01\":1}", "{\"a\"1}", "{\"a\",1}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct three t;
		memset(&t, 0, sizeof(t));
		struct js j;
		js_init(&j, bad[i], strlen(bad[i]));
		if (js_object(&j, three_fields, 3, &t, NULL, NULL) != -1)
			fail_msg("'%s' was taken", bad[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_match_reference),
		cmocka_unit_test(test_object_any_key_order),
		cmocka_unit_test(test_object_near_keys_are_unknown),
		cmocka_unit_test(test_object_bad_short_keys_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

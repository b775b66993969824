/* CRC-32C of the journal records: the standard check values, and the
 * slice-by-8 code against a bit-at-a-time oracle for every length and
 * alignment around its 8-byte steps, one shot or piece by piece. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "writer/crc32c.h"

/* The definition itself: reflected polynomial 0x82f63b78, one bit at a
 * time, initial and final xor with all ones. */
static uint32_t crc32c_bitwise(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return ~crc;
}

static void test_check_values(void **state)
{
	(void)state;
	assert_int_equal(crc32c_update(0, "123456789", 9), 0xe3069283);
	assert_int_equal(crc32c_update(0, "", 0), 0);
	const char *s = "The quick brown fox jumps over the lazy dog";
	assert_int_equal(crc32c_update(0, s, strlen(s)), 0x22620404);
}

static void test_every_length_and_alignment_matches_bitwise(void **state)
{
	(void)state;
	static uint8_t buf[256 + 8];
	uint32_t x = 0x12345678u;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 24);
	}
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n <= 256; n++) {
			uint32_t want = crc32c_bitwise(buf + off, n);
			assert_int_equal(crc32c_update(0, buf + off, n), want);
			size_t cut = n / 3;
			assert_int_equal(crc32c_update(crc32c_update(0, buf + off, cut), buf + off + cut, n - cut), want);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_values),
		cmocka_unit_test(test_every_length_and_alignment_matches_bitwise),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

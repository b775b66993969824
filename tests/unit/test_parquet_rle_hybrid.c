/* RLE / bit-packing hybrid: the spec's bit-packing example byte for byte,
 * RLE runs, bit widths, and random sequences decoded back by an
 * independent decoder written from Encodings.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "writer/parquet_rle.h"

/* Test-side decoder: reads n values of width bits from the hybrid stream. */
static size_t decode(const uint8_t *p, size_t len, unsigned width, uint32_t *out, size_t n)
{
	size_t pos = 0, got = 0;
	while (got < n) {
		uint64_t header = 0;
		unsigned shift = 0;
		do {
			assert_true(pos < len);
			header |= (uint64_t)(p[pos] & 0x7f) << shift;
			shift += 7;
		} while (p[pos++] & 0x80);
		if (header & 1) {
			size_t values = (size_t)(header >> 1) * 8;
			assert_true(pos + (values * width + 7) / 8 <= len);
			for (size_t k = 0; k < values; k++) {
				uint32_t v = 0;
				for (unsigned b = 0; b < width; b++) {
					size_t bit = k * width + b;
					v |= (uint32_t)(p[pos + bit / 8] >> (bit % 8) & 1) << b;
				}
				if (got < n)
					out[got++] = v;
			}
			pos += values * width / 8;
		} else {
			size_t count = (size_t)(header >> 1);
			uint32_t v = 0;
			for (unsigned b = 0; b < (width + 7) / 8; b++)
				v |= (uint32_t)p[pos++] << (8 * b);
			assert_true(count > 0);
			for (size_t k = 0; k < count && got < n; k++)
				out[got++] = v;
		}
	}
	assert_int_equal(pos, len); /* nothing after the last run */
	return got;
}

static void test_spec_bit_packing_example(void **state)
{
	(void)state;
	/* Encodings.md: 0..7 with bit width 3 pack to 10001000 11000110 11111010. */
	static const uint32_t vals[] = {0, 1, 2, 3, 4, 5, 6, 7};
	struct bytebuf b;
	bytebuf_init(&b);
	parquet_rle_encode(&b, vals, 8, 3);
	static const uint8_t want[] = {0x03, 0x88, 0xc6, 0xfa};
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.data, want, sizeof(want));
	bytebuf_free(&b);
}

static void test_long_run_is_rle(void **state)
{
	(void)state;
	uint32_t vals[300];
	for (int i = 0; i < 300; i++)
		vals[i] = 5;
	struct bytebuf b;
	bytebuf_init(&b);
	parquet_rle_encode(&b, vals, 300, 9);
	/* varint(300 << 1 = 600) = 0xd8 0x04, then the value in 2 bytes */
	static const uint8_t want[] = {0xd8, 0x04, 0x05, 0x00};
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.data, want, sizeof(want));
	bytebuf_free(&b);
}

static void test_bit_width(void **state)
{
	(void)state;
	assert_int_equal(parquet_rle_bit_width(0), 1);
	assert_int_equal(parquet_rle_bit_width(1), 1);
	assert_int_equal(parquet_rle_bit_width(2), 2);
	assert_int_equal(parquet_rle_bit_width(3), 2);
	assert_int_equal(parquet_rle_bit_width(4), 3);
	assert_int_equal(parquet_rle_bit_width(255), 8);
	assert_int_equal(parquet_rle_bit_width(256), 9);
	assert_int_equal(parquet_rle_bit_width(UINT32_MAX), 32);
}

static void test_random_sequences_round_trip(void **state)
{
	(void)state;
	srand(12345);
	enum { N = 5000 };
	static uint32_t vals[N], back[N];
	for (int iter = 0; iter < 300; iter++) {
		unsigned width = 1 + (unsigned)rand() % 32;
		size_t n = 1 + (size_t)rand() % N;
		uint32_t mask = width == 32 ? UINT32_MAX : (1u << width) - 1;
		for (size_t i = 0; i < n;) {
			/* mixes of long runs, short runs and noise */
			uint32_t v = (uint32_t)rand() & mask;
			size_t run = rand() % 3 == 0 ? 1 + (size_t)rand() % 40 : 1;
			for (size_t k = 0; k < run && i < n; k++)
				vals[i++] = v;
		}
		struct bytebuf b;
		bytebuf_init(&b);
		parquet_rle_encode(&b, vals, n, width);
		assert_false(b.failed);
		assert_int_equal(decode(b.data, b.len, width, back, n), n);
		assert_memory_equal(vals, back, n * sizeof(uint32_t));
		bytebuf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_bit_packing_example),
		cmocka_unit_test(test_long_run_is_rle),
		cmocka_unit_test(test_bit_width),
		cmocka_unit_test(test_random_sequences_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

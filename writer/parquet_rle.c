/* RLE / bit-packing hybrid (Parquet Encodings.md): run headers are ULEB128
 * varints, (count << 1) for RLE runs and (groups << 1 | 1) for bit-packed. */
#include "writer/parquet_rle.h"

#include <assert.h>

/* parquet-mr and Arrow keep bit-packed run headers to one byte (63 groups);
 * staying within that keeps every reader's fast path. */
#define MAX_GROUPS_PER_RUN 63
#define MIN_RLE_RUN 8

unsigned parquet_rle_bit_width(uint32_t max_value)
{
	unsigned w = 1;
	while (w < 32 && (max_value >> w) != 0)
		w++;
	return w;
}

static size_t run_length(const uint32_t *vals, size_t n, size_t i)
{
	size_t j = i + 1;
	while (j < n && vals[j] == vals[i])
		j++;
	return j - i;
}

static void put_rle_run(struct bytebuf *out, uint32_t value, size_t count, unsigned bit_width)
{
	bytebuf_put_uvarint(out, (uint64_t)count << 1);
	for (unsigned b = 0; b < (bit_width + 7) / 8; b++)
		bytebuf_put_u8(out, (uint8_t)(value >> (8 * b)));
}

/* Values are packed least significant bit first, across byte boundaries. */
static void put_group(struct bytebuf *out, const uint32_t *vals, size_t avail, unsigned bit_width)
{
	uint8_t bytes[32] = {0}; /* 8 values * 32 bits */
	unsigned bit = 0;
	for (size_t k = 0; k < 8; k++) {
		uint64_t v = k < avail ? vals[k] : 0;
		for (unsigned b = 0; b < bit_width; b++, bit++)
			if (v >> b & 1)
				bytes[bit / 8] |= (uint8_t)(1u << (bit % 8));
	}
	bytebuf_put(out, bytes, bit_width); /* 8 values * bit_width bits = bit_width bytes */
}

void parquet_rle_encode(struct bytebuf *out, const uint32_t *vals, size_t n, unsigned bit_width)
{
	assert(bit_width >= 1 && bit_width <= 32);
	size_t i = 0;
	while (i < n) {
		size_t run = run_length(vals, n, i);
		if (run >= MIN_RLE_RUN) {
			put_rle_run(out, vals[i], run, bit_width);
			i += run;
			continue;
		}
		/* Bit-packed groups until a long run starts at a group boundary
		 * (a run may only begin there: packed groups hold exactly 8). */
		size_t groups = 0;
		size_t j = i;
		while (j < n && groups < MAX_GROUPS_PER_RUN) {
			if (groups > 0 && run_length(vals, n, j) >= MIN_RLE_RUN)
				break;
			groups++;
			j += 8;
		}
		bytebuf_put_uvarint(out, (uint64_t)groups << 1 | 1);
		for (size_t g = 0; g < groups; g++) {
			size_t start = i + g * 8;
			put_group(out, vals + start, n - start < 8 ? n - start : 8, bit_width);
		}
		i = j < n ? j : n;
	}
}

/* Parquet's RLE / bit-packing hybrid encoding, used for dictionary indices
 * in RLE_DICTIONARY data pages. */
#ifndef SPREADBUS_WRITER_PARQUET_RLE_H
#define SPREADBUS_WRITER_PARQUET_RLE_H

#include <stddef.h>
#include <stdint.h>

#include "writer/bytebuf.h"

/* Bits needed to store every value 0..max_value (at least 1). */
unsigned parquet_rle_bit_width(uint32_t max_value);

/* Append the hybrid encoding of vals (each < 2^bit_width, bit_width 1..32)
 * to out, without a length prefix (dictionary indices carry none). Runs of
 * 8 or more equal values become RLE runs, the rest bit-packed groups of 8;
 * the last group is zero-padded, which readers ignore past n values. */
void parquet_rle_encode(struct bytebuf *out, const uint32_t *vals, size_t n, unsigned bit_width);

#endif

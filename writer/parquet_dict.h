/* A string dictionary for one column chunk: distinct values in first-seen
 * order, so RLE_DICTIONARY pages store small indices instead of strings. */
#ifndef SPREADBUS_WRITER_PARQUET_DICT_H
#define SPREADBUS_WRITER_PARQUET_DICT_H

#include <stddef.h>
#include <stdint.h>

#include "writer/bytebuf.h"

struct parquet_dict {
	struct bytebuf arena; /* entry bytes, back to back */
	uint32_t *entry_off;
	uint32_t *entry_len;
	uint32_t count;
	uint32_t entry_cap;
	uint32_t *slots; /* open addressing: entry index + 1, 0 = empty */
	uint32_t slot_count; /* power of two, kept at least twice count */
};

int parquet_dict_init(struct parquet_dict *d);
void parquet_dict_free(struct parquet_dict *d);
/* Forget every entry (start of a new column chunk); keeps the memory. */
void parquet_dict_reset(struct parquet_dict *d);
/* Index of s (added if new), or -ENOMEM / -E2BIG (strings over 64 KiB). */
int64_t parquet_dict_add(struct parquet_dict *d, const char *s, size_t n);
void parquet_dict_entry(const struct parquet_dict *d, uint32_t idx, const uint8_t **p, size_t *n);
/* The dictionary page body: PLAIN BYTE_ARRAY (4-byte little-endian length,
 * then the bytes) for every entry in index order. */
void parquet_dict_encode_plain(const struct parquet_dict *d, struct bytebuf *out);

#endif

/* String dictionary with an open-addressing hash index (FNV-1a). Entries
 * are few (symbols, exchange, side, reason), lookups are on the tick path. */
#include "writer/parquet_dict.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_ENTRIES 64
#define MAX_ENTRY_BYTES 65536

static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (uint8_t)s[i];
		h *= 16777619u;
	}
	return h;
}

int parquet_dict_init(struct parquet_dict *d)
{
	memset(d, 0, sizeof(*d));
	bytebuf_init(&d->arena);
	d->entry_cap = INITIAL_ENTRIES;
	d->slot_count = INITIAL_ENTRIES * 2;
	d->entry_off = calloc(d->entry_cap, sizeof(uint32_t));
	d->entry_len = calloc(d->entry_cap, sizeof(uint32_t));
	d->slots = calloc(d->slot_count, sizeof(uint32_t));
	/* The arena always has memory, so entry pointers are never NULL-based. */
	if (!d->entry_off || !d->entry_len || !d->slots || bytebuf_reserve(&d->arena, 256) < 0) {
		parquet_dict_free(d);
		return -ENOMEM;
	}
	return 0;
}

void parquet_dict_free(struct parquet_dict *d)
{
	bytebuf_free(&d->arena);
	free(d->entry_off);
	free(d->entry_len);
	free(d->slots);
	memset(d, 0, sizeof(*d));
}

void parquet_dict_reset(struct parquet_dict *d)
{
	bytebuf_reset(&d->arena);
	d->count = 0;
	memset(d->slots, 0, d->slot_count * sizeof(uint32_t));
}

static int entry_equals(const struct parquet_dict *d, uint32_t idx, const char *s, size_t n)
{
	return d->entry_len[idx] == n && (n == 0 || memcmp(d->arena.data + d->entry_off[idx], s, n) == 0);
}

static void slot_insert(struct parquet_dict *d, uint32_t idx)
{
	const char *s = (const char *)d->arena.data + d->entry_off[idx];
	uint32_t mask = d->slot_count - 1;
	uint32_t pos = hash_bytes(s, d->entry_len[idx]) & mask;
	while (d->slots[pos] != 0)
		pos = (pos + 1) & mask;
	d->slots[pos] = idx + 1;
}

static int grow(struct parquet_dict *d)
{
	uint32_t cap = d->entry_cap * 2;
	uint32_t *off = realloc(d->entry_off, cap * sizeof(uint32_t));
	if (!off)
		return -ENOMEM;
	d->entry_off = off;
	uint32_t *len = realloc(d->entry_len, cap * sizeof(uint32_t));
	if (!len)
		return -ENOMEM;
	d->entry_len = len;
	uint32_t *slots = calloc((size_t)cap * 2, sizeof(uint32_t));
	if (!slots)
		return -ENOMEM;
	free(d->slots);
	d->slots = slots;
	d->slot_count = cap * 2;
	d->entry_cap = cap;
	for (uint32_t i = 0; i < d->count; i++)
		slot_insert(d, i);
	return 0;
}

int64_t parquet_dict_add(struct parquet_dict *d, const char *s, size_t n)
{
	if (n > MAX_ENTRY_BYTES)
		return -E2BIG;
	uint32_t mask = d->slot_count - 1;
	uint32_t pos = hash_bytes(s, n) & mask;
	while (d->slots[pos] != 0) {
		uint32_t idx = d->slots[pos] - 1;
		if (entry_equals(d, idx, s, n))
			return idx;
		pos = (pos + 1) & mask;
	}
	if (d->count == d->entry_cap) {
		int rc = grow(d);
		if (rc < 0)
			return rc;
	}
	if (d->arena.len + n > UINT32_MAX || bytebuf_reserve(&d->arena, n) < 0)
		return -ENOMEM;
	uint32_t idx = d->count++;
	d->entry_off[idx] = (uint32_t)d->arena.len;
	d->entry_len[idx] = (uint32_t)n;
	bytebuf_put(&d->arena, s, n);
	slot_insert(d, idx);
	return idx;
}

void parquet_dict_entry(const struct parquet_dict *d, uint32_t idx, const uint8_t **p, size_t *n)
{
	*p = d->arena.data + d->entry_off[idx];
	*n = d->entry_len[idx];
}

void parquet_dict_encode_plain(const struct parquet_dict *d, struct bytebuf *out)
{
	for (uint32_t i = 0; i < d->count; i++) {
		bytebuf_put_le32(out, d->entry_len[i]);
		bytebuf_put(out, d->arena.data + d->entry_off[i], d->entry_len[i]);
	}
}

/* Growable byte buffer: the one place encoder output memory is managed.
 * Failures are sticky so encoders can check once at the end. */
#include "writer/bytebuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void bytebuf_init(struct bytebuf *b)
{
	memset(b, 0, sizeof(*b));
}

void bytebuf_free(struct bytebuf *b)
{
	free(b->data);
	bytebuf_init(b);
}

void bytebuf_reset(struct bytebuf *b)
{
	b->len = 0;
	b->failed = 0;
}

int bytebuf_reserve(struct bytebuf *b, size_t n)
{
	if (b->failed)
		return -ENOMEM;
	if (b->cap - b->len >= n)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2) {
			b->failed = 1;
			return -ENOMEM;
		}
		cap *= 2;
	}
	uint8_t *p = realloc(b->data, cap);
	if (!p) {
		b->failed = 1;
		return -ENOMEM;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void bytebuf_put(struct bytebuf *b, const void *p, size_t n)
{
	if (n == 0 || bytebuf_reserve(b, n) < 0)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void bytebuf_put_u8(struct bytebuf *b, uint8_t v)
{
	bytebuf_put(b, &v, 1);
}

void bytebuf_put_le32(struct bytebuf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	bytebuf_put(b, x, 4);
}

void bytebuf_put_uvarint(struct bytebuf *b, uint64_t v)
{
	uint8_t x[10];
	size_t n = 0;
	while (v >= 0x80) {
		x[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	x[n++] = (uint8_t)v;
	bytebuf_put(b, x, n);
}

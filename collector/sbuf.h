/* A bounded string builder for requests the collector sends (paths,
 * subscribe messages): appends never overrun, overflow is remembered. */
#ifndef SPREADBUS_COLLECTOR_SBUF_H
#define SPREADBUS_COLLECTOR_SBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sbuf {
	char *p;
	size_t len, cap; /* cap includes room for the NUL */
	bool overflow;
};

static inline void sbuf_init(struct sbuf *b, char *p, size_t cap)
{
	b->p = p;
	b->len = 0;
	b->cap = cap;
	b->overflow = cap == 0;
	if (cap)
		p[0] = '\0';
}

static inline void sbuf_putn(struct sbuf *b, const char *s, size_t n)
{
	if (b->overflow || b->len + n + 1 > b->cap) {
		b->overflow = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void sbuf_put(struct sbuf *b, const char *s)
{
	sbuf_putn(b, s, strlen(s));
}

static inline void sbuf_u64(struct sbuf *b, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sbuf_putn(b, tmp + i, sizeof(tmp) - i);
}

/* Roll back to a length saved before a piece that did not fit. */
static inline void sbuf_truncate(struct sbuf *b, size_t len)
{
	b->len = len;
	b->overflow = false;
	if (b->cap)
		b->p[len] = '\0';
}

#endif

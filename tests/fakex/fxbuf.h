/* fakex: a bounded append buffer for building frames without malloc or
 * printf, with exact decimal formatting of fixed-point prices. */
#ifndef SPREADBUS_FAKEX_FXBUF_H
#define SPREADBUS_FAKEX_FXBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fxbuf {
	char *p;
	size_t len;
	size_t cap;
	bool overflow; /* set once anything did not fit; len stays valid */
};

static inline struct fxbuf fxbuf_on(void *mem, size_t cap)
{
	return (struct fxbuf){ .p = mem, .len = 0, .cap = cap, .overflow = false };
}

void fxbuf_putn(struct fxbuf *b, const char *s, size_t n);
void fxbuf_put(struct fxbuf *b, const char *s);
void fxbuf_char(struct fxbuf *b, char c, size_t count);
void fxbuf_u64(struct fxbuf *b, uint64_t v);
void fxbuf_i64(struct fxbuf *b, int64_t v);
/* mantissa * 10^-decimals; trim drops trailing zeros (and a bare point),
 * as OKX writes "30236" and "30243.5"; without trim, "0.00100000". */
void fxbuf_decimal(struct fxbuf *b, int64_t mantissa, int decimals, bool trim);

#endif

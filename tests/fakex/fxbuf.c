/* fakex: bounded append buffer; everything that does not fit is counted as
 * overflow instead of written, so callers check once at the end. */
#include "tests/fakex/fxbuf.h"

#include <string.h>

void fxbuf_putn(struct fxbuf *b, const char *s, size_t n)
{
	if (b->overflow || n > b->cap - b->len) {
		b->overflow = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

void fxbuf_put(struct fxbuf *b, const char *s)
{
	fxbuf_putn(b, s, strlen(s));
}

void fxbuf_char(struct fxbuf *b, char c, size_t count)
{
	if (b->overflow || count > b->cap - b->len) {
		b->overflow = true;
		return;
	}
	memset(b->p + b->len, c, count);
	b->len += count;
}

void fxbuf_u64(struct fxbuf *b, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof tmp;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fxbuf_putn(b, tmp + i, sizeof tmp - i);
}

void fxbuf_i64(struct fxbuf *b, int64_t v)
{
	if (v < 0) {
		fxbuf_char(b, '-', 1);
		fxbuf_u64(b, (uint64_t)0 - (uint64_t)v);
		return;
	}
	fxbuf_u64(b, (uint64_t)v);
}

void fxbuf_decimal(struct fxbuf *b, int64_t mantissa, int decimals, bool trim)
{
	uint64_t scale = 1;
	uint64_t m;

	if (mantissa < 0) {
		fxbuf_char(b, '-', 1);
		m = (uint64_t)0 - (uint64_t)mantissa;
	} else {
		m = (uint64_t)mantissa;
	}
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	fxbuf_u64(b, m / scale);
	if (decimals <= 0)
		return;
	uint64_t frac = m % scale;
	int digits = decimals;
	if (trim) {
		while (digits > 0 && frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		if (digits == 0)
			return;
	}
	char tmp[24];
	for (int i = digits - 1; i >= 0; i--) {
		tmp[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	fxbuf_char(b, '.', 1);
	fxbuf_putn(b, tmp, (size_t)digits);
}

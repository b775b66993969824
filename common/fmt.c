/* Integer and shortest round-trip double formatting. Doubles with at most
 * 17 fractional digits and a magnitude below 2^53 take an exact fast path. */
#include "common/fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2^53: every integer below it is exactly representable. */
#define EXACT_INT_LIMIT 9007199254740992.0
#define FAST_MAX_FRAC_DIGITS 17

static const double pow10_exact[FAST_MAX_FRAC_DIGITS + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
};

static size_t put(char *buf, size_t len, const char *s, size_t n)
{
	if (n + 1 > len) {
		if (len > 0)
			buf[0] = '\0';
		return 0;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return n;
}

/* Digits of v right-aligned ending at end; returns the first digit. */
static char *digits_u64(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

size_t fmt_u64(char *buf, size_t len, uint64_t v)
{
	char tmp[FMT_NUM_MAX];
	char *end = tmp + sizeof(tmp);
	char *p = digits_u64(end, v);
	return put(buf, len, p, (size_t)(end - p));
}

size_t fmt_i64(char *buf, size_t len, int64_t v)
{
	char tmp[FMT_NUM_MAX];
	char *end = tmp + sizeof(tmp);
	/* Negate in unsigned arithmetic so INT64_MIN does not overflow. */
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	char *p = digits_u64(end, mag);
	if (v < 0)
		*--p = '-';
	return put(buf, len, p, (size_t)(end - p));
}

/*
 * Fast path: the smallest k such that m = round(|v| * 10^k) gives back v as
 * m / 10^k. With m < 2^53 and 10^k exact, that division is correctly
 * rounded, exactly like strtod on the decimal "m / 10^k", so the string reads
 * back as v; the smallest k gives the fewest digits.
 */
static size_t fmt_double_fixed(char *buf, size_t len, double v)
{
	double mag = fabs(v);
	if (!(mag < EXACT_INT_LIMIT))
		return 0;
	for (int k = 0; k <= FAST_MAX_FRAC_DIGITS; k++) {
		double scaled = nearbyint(mag * pow10_exact[k]);
		if (scaled >= EXACT_INT_LIMIT)
			return 0;
		if (scaled / pow10_exact[k] != mag)
			continue;
		char tmp[FMT_NUM_MAX + FAST_MAX_FRAC_DIGITS];
		char *end = tmp + sizeof(tmp);
		char *p = digits_u64(end, (uint64_t)scaled);
		/* Pad with zeros so there is at least one digit before the point. */
		while (end - p <= k)
			*--p = '0';
		if (k > 0) {
			char *point = end - k - 1;
			memmove(p - 1, p, (size_t)(point + 1 - p));
			p--;
			*point = '.';
		}
		if (signbit(v))
			*--p = '-';
		return put(buf, len, p, (size_t)(end - p));
	}
	return 0;
}

size_t fmt_double(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		return put(buf, len, "null", 4);
	if (len == 0)
		return 0;
	size_t n = fmt_double_fixed(buf, len, v);
	if (n > 0)
		return n;
	/* Slow path for huge, tiny or long values: the first precision that
	 * round-trips is the shortest %g form. */
	char tmp[FMT_NUM_MAX];
	for (int prec = 1; prec <= 17; prec++) {
		int w = snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (w < 0 || (size_t)w >= sizeof(tmp))
			break;
		if (strtod(tmp, NULL) == v || prec == 17)
			return put(buf, len, tmp, (size_t)w);
	}
	buf[0] = '\0';
	return 0;
}

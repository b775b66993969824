/* decimal_parse: up to 19 significant digits into a uint64, then one exact
 * multiply or divide by a power of ten where that is correctly rounded. */
#include "common/decimal.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* m <= 2^53 and 10^k for k <= 22 are exact doubles, so m * 10^k or
 * m / 10^k is one correctly rounded IEEE operation (Clinger's fast path). */
#define EXACT_MANTISSA_MAX (1ULL << 53)
#define EXACT_POW10_MAX 22
#define EXP_DIGITS_MAX 4

static const double pow10_exact[EXACT_POW10_MAX + 1] = {
	1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* The C locale's strtod: the program never calls setlocale(), so '.' is
 * the decimal point. */
static int parse_slow(const char *s, size_t len, double *out)
{
	char copy[DECIMAL_MAX_LEN + 1];
	memcpy(copy, s, len);
	copy[len] = '\0';
	double v = strtod(copy, NULL);
	if (isinf(v))
		return -ERANGE; /* "1e9999": no price is infinite */
	*out = v;
	return 0;
}

/* The usual exchange decimal: [-]digits[.digits], at most 19 digits, so
 * that every digit fits in the mantissa. Returns 1 when s is not of that
 * shape (the general parse decides), else what decimal_parse returns. */
static int parse_short(const char *s, size_t len, double *out)
{
	size_t i = s[0] == '-';
	const char *dot = NULL;
	uint64_t mant = 0;
	int digits = 0;
	for (; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (d <= 9) {
			mant = mant * 10 + d;
			digits++;
		} else if (s[i] == '.' && !dot) {
			dot = s + i;
		} else {
			return 1;
		}
	}
	if (digits == 0 || digits > 19 || mant > EXACT_MANTISSA_MAX)
		return 1;
	int frac = dot ? (int)(s + len - dot - 1) : 0;
	if (frac > EXACT_POW10_MAX)
		return 1;
	double v = (double)mant / pow10_exact[frac];
	*out = s[0] == '-' ? -v : v;
	return 0;
}

int decimal_parse(const char *s, size_t len, double *out)
{
	if (len == 0 || len > DECIMAL_MAX_LEN)
		return -EINVAL;
	int rc = parse_short(s, len, out);
	if (rc != 1)
		return rc;
	size_t i = 0;
	bool neg = s[0] == '-';
	if (neg)
		i++;
	uint64_t mant = 0;
	int sig_digits = 0;  /* significant digits taken into mant */
	bool inexact = false; /* a non-zero digit did not fit into mant */
	int digits = 0;
	int exp10 = 0;
	bool dot = false;
	for (; i < len; i++) {
		char c = s[i];
		if (c == '.') {
			if (dot)
				return -EINVAL;
			dot = true;
			continue;
		}
		if (c < '0' || c > '9')
			break;
		digits++;
		if (sig_digits < 19) {
			if (mant == 0 && c == '0') {
				if (dot)
					exp10--; /* leading zero after the point */
				continue;
			}
			mant = mant * 10 + (uint64_t)(c - '0');
			sig_digits++;
			if (dot)
				exp10--;
		} else {
			/* Digits past 19: the integer part still scales. */
			if (!dot)
				exp10++;
			if (c != '0')
				inexact = true;
		}
	}
	if (digits == 0)
		return -EINVAL;
	if (i < len) {
		if (s[i] != 'e' && s[i] != 'E')
			return -EINVAL;
		i++;
		bool eneg = false;
		if (i < len && (s[i] == '-' || s[i] == '+')) {
			eneg = s[i] == '-';
			i++;
		}
		int e = 0, edigits = 0;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, edigits++)
			if (edigits < EXP_DIGITS_MAX) /* no int overflow on long junk exponents */
				e = e * 10 + (s[i] - '0');
		if (edigits == 0 || edigits > EXP_DIGITS_MAX || i < len)
			return -EINVAL;
		exp10 += eneg ? -e : e;
	}
	if (inexact || mant > EXACT_MANTISSA_MAX || exp10 < -EXACT_POW10_MAX || exp10 > EXACT_POW10_MAX)
		return parse_slow(s, len, out);
	double v = (double)mant;
	if (exp10 < 0)
		v /= pow10_exact[-exp10];
	else
		v *= pow10_exact[exp10];
	*out = neg ? -v : v;
	return 0;
}

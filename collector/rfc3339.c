/* RFC 3339 UTC timestamps to ns: fixed-width fields, days from the civil
 * date by the proleptic Gregorian calendar. */
#include "collector/rfc3339.h"

#include <stdbool.h>

static bool digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Days since 1970-01-01 of y-m-d (m 1..12), for y >= 1970. */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = y / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int rfc3339_to_ns(const char *s, size_t len, int64_t *out_ns)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, sec;
	if (len < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
	    s[16] != ':' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
	    !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &sec))
		return -1;
	if (y < 1970 || y > 2262 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap(y)) ||
	    h > 23 || mi > 59 || sec > 59)
		return -1;
	size_t i = 19;
	int64_t frac_ns = 0;
	if (s[i] == '.') {
		size_t n = 0;
		int64_t scale = 100000000;
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, n++) {
			if (n >= 9)
				return -1;
			frac_ns += (s[i] - '0') * scale;
			scale /= 10;
		}
		if (n == 0)
			return -1;
	}
	if (i + 1 != len || (s[i] != 'Z' && s[i] != 'z'))
		return -1;
	int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	/* 2262-04-11T23:47:16.854775807Z is the last ns an int64 holds */
	if (secs > INT64_MAX / 1000000000 - 1)
		return -1;
	*out_ns = secs * 1000000000 + frac_ns;
	return 0;
}

/* The interval names [candles] intervals accepts, and their lengths. */
#include "common/candle_interval.h"

#include <stdio.h>
#include <string.h>

#define NS_PER_MIN (60LL * 1000000000LL)

static const struct {
	const char *name;
	int64_t ns;
} allowed[] = {{"1m", NS_PER_MIN}, {"5m", 5 * NS_PER_MIN}, {"15m", 15 * NS_PER_MIN}, {"1h", 60 * NS_PER_MIN}};
#define ALLOWED (sizeof(allowed) / sizeof(allowed[0]))

int candle_intervals_parse(const char *list, int64_t out_ns[CONFIG_MAX_CANDLE_INTERVALS], char *err, size_t err_len)
{
	int n = 0;
	const char *p = list;
	for (;;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, " ,");
		size_t a = 0;
		while (a < ALLOWED && !(strlen(allowed[a].name) == len && memcmp(allowed[a].name, p, len) == 0))
			a++;
		if (a == ALLOWED) {
			snprintf(err, err_len, "[candles] intervals: '%.*s' is not one of 1m, 5m, 15m, 1h", (int)len, p);
			return -1;
		}
		for (int i = 0; i < n; i++)
			if (out_ns[i] == allowed[a].ns) {
				snprintf(err, err_len, "[candles] intervals: %s is listed twice", allowed[a].name);
				return -1;
			}
		out_ns[n++] = allowed[a].ns;
		p += len;
	}
	if (n == 0)
		snprintf(err, err_len, "[candles] intervals: no interval given");
	return n ? n : -1;
}

const char *candle_interval_name(int64_t interval_ns)
{
	for (size_t a = 0; a < ALLOWED; a++)
		if (allowed[a].ns == interval_ns)
			return allowed[a].name;
	return "?";
}

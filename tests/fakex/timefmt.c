/* fakex: RFC 3339 times for the protocols that send them. */
#include "tests/fakex/timefmt.h"

#include <stdio.h>
#include <time.h>

void fx_put_rfc3339(struct fxbuf *b, int64_t ms, int digits)
{
	char out[48];
	struct tm tm;
	time_t secs = (time_t)(ms / 1000);
	gmtime_r(&secs, &tm);
	size_t n = strftime(out, sizeof out, "\"%Y-%m-%dT%H:%M:%S", &tm);
	/* the fraction past the milliseconds is zeros: the walk steps each ms */
	snprintf(out + n, sizeof out - n, ".%03d%0*dZ\"", (int)(ms % 1000), digits - 3, 0);
	fxbuf_put(b, out);
}

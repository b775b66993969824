/* Clocks: wall time in ns since the Unix epoch (for ticks and heartbeats)
 * and monotonic time (for timeouts). */
#ifndef SPREADBUS_COMMON_CLOCK_H
#define SPREADBUS_COMMON_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t clock_realtime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline int64_t clock_monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Monotonic time at the kernel tick's resolution (a few ms) for stamps
 * that only meet timeouts of seconds: read once per frame, where the
 * precise clock's cost shows. */
static inline int64_t clock_monotonic_coarse_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

#endif

/* Exponential backoff with jitter for reconnects. */
#include "collector/backoff.h"

uint32_t backoff_delay_ms(uint32_t min_ms, uint32_t max_ms, unsigned attempt, uint64_t *rng)
{
	uint64_t base = min_ms ? min_ms : 1;
	if (max_ms < base)
		max_ms = (uint32_t)base;
	for (unsigned i = 0; i < attempt && base < max_ms; i++)
		base *= 2;
	if (base > max_ms)
		base = max_ms;
	/* xorshift64: cheap, and good enough to spread reconnects */
	uint64_t x = *rng ? *rng : 0x9E3779B97F4A7C15ULL;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*rng = x;
	uint64_t half = base / 2;
	return (uint32_t)(base - half + x % (half + 1));
}

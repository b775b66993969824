/* A small deterministic generator (xorshift64) for the common/ tests and
 * benchmarks: the same inputs on every run, so failures reproduce. */
#ifndef SPREADBUS_TESTS_UNIT_TEST_COMMON_RNG_H
#define SPREADBUS_TESTS_UNIT_TEST_COMMON_RNG_H

#include <stdint.h>

/* *state must start non-zero. */
static inline uint64_t test_rng_next(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

#endif

/* Reconnect delays: exponential from reconnect_min_ms, capped at
 * reconnect_max_ms, with "equal jitter" so that collectors restarted
 * together do not reconnect in step. */
#ifndef SPREADBUS_COLLECTOR_BACKOFF_H
#define SPREADBUS_COLLECTOR_BACKOFF_H

#include <stdint.h>

/* Delay before attempt number attempt (0 = first retry): with
 * base = min(max_ms, min_ms * 2^attempt), a value in [base/2, base].
 * rng is a xorshift state (never 0), advanced by the call. */
uint32_t backoff_delay_ms(uint32_t min_ms, uint32_t max_ms, unsigned attempt, uint64_t *rng);

#endif

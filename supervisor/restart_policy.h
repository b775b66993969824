/* The per-child restart policy: immediate first restart, exponential backoff
 * with jitter, and a circuit breaker that holds a crash-looping child. */
#ifndef SPREADBUS_SUPERVISOR_RESTART_POLICY_H
#define SPREADBUS_SUPERVISOR_RESTART_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "common/config.h"

#define RESTART_POLICY_HISTORY 64 /* crash times kept; burst_count is capped to this */

struct restart_policy {
	int64_t crash_ns[RESTART_POLICY_HISTORY]; /* monotonic times of recent crashes, a ring */
	uint32_t crash_next;                      /* next slot in crash_ns */
	uint32_t crash_stored;                    /* slots in use */
	uint32_t consecutive;                     /* crashes since the last stable run */
	uint32_t holds;                           /* circuit openings since the last stable run */
	bool probation;                           /* started from a hold: one quick crash re-opens */
};

struct restart_decision {
	int64_t delay_ms; /* wait this long before the next start */
	bool held;        /* circuit open: the child is held for delay_ms */
};

/* Forget every crash (operator start/restart, config change). */
void restart_policy_reset(struct restart_policy *p);

/*
 * A child crashed (any exit nobody asked for) at now_ns after running for
 * ran_ms. jitter is a random number in [0, 1) that spreads the backoff.
 * Returns when to start it again and whether the circuit opened.
 */
struct restart_decision restart_policy_on_crash(struct restart_policy *p, const struct config_restart *cfg,
						 int64_t now_ns, int64_t ran_ms, double jitter);

#endif

/* Restart policy arithmetic, free of processes and clocks so that unit tests
 * can drive it with made-up times. */
#include "supervisor/restart_policy.h"

#include <string.h>

void restart_policy_reset(struct restart_policy *p)
{
	memset(p, 0, sizeof(*p));
}

static uint32_t crashes_within(const struct restart_policy *p, int64_t now_ns, int64_t window_ns)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < p->crash_stored; i++)
		if (now_ns - p->crash_ns[i] <= window_ns)
			n++;
	return n;
}

static int64_t hold_delay_ms(const struct config_restart *cfg, uint32_t holds)
{
	int64_t d = cfg->hold_ms;
	for (uint32_t i = 0; i < holds && d < (int64_t)cfg->hold_max_ms; i++)
		d *= 2;
	return d < (int64_t)cfg->hold_max_ms ? d : (int64_t)cfg->hold_max_ms;
}

static int64_t backoff_delay_ms(const struct config_restart *cfg, uint32_t consecutive, double jitter)
{
	/* The first crash after a stable run restarts at once: most crashes are
	 * one-off (a bad frame, an OOM kill) and every second counts for data. */
	if (consecutive <= 1)
		return 0;
	int64_t d = cfg->backoff_initial_ms;
	for (uint32_t i = 2; i < consecutive && d < (int64_t)cfg->backoff_max_ms; i++)
		d *= 2;
	if (d > (int64_t)cfg->backoff_max_ms)
		d = cfg->backoff_max_ms;
	/* Jitter in [d/2, d): children of several supervisors (or several
	 * collectors hitting one dead endpoint) do not retry in lockstep. */
	if (jitter < 0 || jitter >= 1)
		jitter = 0;
	return d / 2 + (int64_t)((double)(d - d / 2) * jitter);
}

struct restart_decision restart_policy_on_crash(struct restart_policy *p, const struct config_restart *cfg,
						 int64_t now_ns, int64_t ran_ms, double jitter)
{
	struct restart_decision dec = { 0, false };
	int64_t window_ns = (int64_t)cfg->burst_window_s * 1000000000LL;

	/* A run as long as the burst window was healthy: start counting afresh. */
	if (ran_ms * 1000000LL >= window_ns) {
		p->consecutive = 0;
		p->holds = 0;
		p->probation = false;
	}
	p->consecutive++;

	uint32_t keep = cfg->burst_count + 1 < RESTART_POLICY_HISTORY ? cfg->burst_count + 1 : RESTART_POLICY_HISTORY;
	p->crash_ns[p->crash_next] = now_ns;
	p->crash_next = (p->crash_next + 1) % keep;
	if (p->crash_stored < keep)
		p->crash_stored++;

	if (p->probation || crashes_within(p, now_ns, window_ns) > cfg->burst_count) {
		dec.held = true;
		dec.delay_ms = hold_delay_ms(cfg, p->holds);
		p->holds++;
		p->probation = true;
		p->crash_stored = 0;
		p->crash_next = 0;
		return dec;
	}
	dec.delay_ms = backoff_delay_ms(cfg, p->consecutive, jitter);
	return dec;
}

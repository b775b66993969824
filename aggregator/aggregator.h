/* The aggregator's loop: read every ring as reader "aggregator", feed the
 * spread core, publish conflated updates to Redis, keep the status block. */
#ifndef SPREADBUS_AGGREGATOR_AGGREGATOR_H
#define SPREADBUS_AGGREGATOR_AGGREGATOR_H

#include <signal.h>

#include "common/config.h"
#include "shm/bus.h"
#include "shm/status.h"

/* Runs until *stop is set (then drains the rings to their heads, flushes
 * Redis for at most ~1 s) or the parent process changes. Returns 0, or a
 * negative errno on a setup failure (already logged). */
int aggregator_run(const struct config *cfg, struct bus *bus, struct status_block *status,
		   volatile sig_atomic_t *stop);

#endif

/* The aggregator's loop: read every ring as reader "aggregator", feed the
 * spread core, publish conflated updates to Redis, keep the status block. */
#ifndef SPREADBUS_AGGREGATOR_AGGREGATOR_H
#define SPREADBUS_AGGREGATOR_AGGREGATOR_H

#include "shm/runtime.h"

/* Runs with the runtime's config, bus and status block until the runtime
 * says stop, then drains the rings to their heads and flushes Redis for at
 * most ~1 s. Returns 0, or a negative errno on a setup failure (already
 * logged). */
int aggregator_run(struct runtime *rt);

#endif

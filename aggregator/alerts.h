/* The [alert.NAME] rules over the aggregator's spreads: each rule's state per
 * symbol, and where open and close events go: the _spreads ring (kind
 * alert), Redis (XADD alerts, PUBLISH alert:<SYMBOL>) and the rule's
 * webhook. Events to Redis wait in a bounded queue while it is not ready. */
#ifndef SPREADBUS_AGGREGATOR_ALERTS_H
#define SPREADBUS_AGGREGATOR_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "aggregator/redis_pub.h"
#include "aggregator/spread.h"
#include "common/config.h"
#include "shm/registry.h"
#include "shm/ring.h"

struct alerts_counters {
	uint64_t opened, closed;
	uint64_t redis_dropped; /* events the Redis queue had no room for */
	uint64_t webhook_sent, webhook_failed, webhook_dropped;
};

struct alerts;

/* NULL in *out when cfg has no enabled rule. Names in a rule's symbols or
 * exchanges that the core does not have are an error (-EINVAL, logged). */
int alerts_create(struct alerts **out, const struct config *cfg, const struct spread_core *core,
		  struct ring *spreads, const struct registry *reg, bool to_redis);
void alerts_free(struct alerts *a);
/* Room for symbols core symbols (listed at run time): rules whose symbols
 * are "*" apply to the new ones, every state kept. 0 or -ENOMEM (the
 * symbols not taken yet). Allocates: not on the tick path. */
int alerts_grow(struct alerts *a, size_t symbols);

/* After a spread update of sym with these fresh pairs, at now_ns (realtime). */
void alerts_on_update(struct alerts *a, unsigned sym, const struct spread_pair_view *pairs, size_t n, int64_t now_ns);
/* Opens the holds that lasted min_duration_ms by now_ns; cheap to call often. */
void alerts_poll(struct alerts *a, int64_t now_ns);
/* Redis's turn: send the queued events while it is ready. */
void alerts_redis(struct alerts *a, struct redis_pub *redis);
/* Events still queued for Redis. */
size_t alerts_redis_queued(const struct alerts *a);

void alerts_counters(const struct alerts *a, struct alerts_counters *out);

#endif

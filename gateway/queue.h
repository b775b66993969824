/* One client's bounded send queue of message sequences. A client that
 * keeps up gets every message in order. One that lags (its oldest waiting
 * message is older than the caller's limit, or the queue reached its
 * bound) has its spreads and quotes conflated: the latest per key replaces
 * the one waiting, and the older ones still queued are skipped. Past the
 * bound anything else makes the push fail: the caller disconnects the
 * client. */
#ifndef SPREADBUS_GATEWAY_QUEUE_H
#define SPREADBUS_GATEWAY_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

/* Conflation key of a message: channel, exchange (0 for spreads), symbol. */
static inline uint32_t gw_queue_key(unsigned channel, unsigned exchange, unsigned symbol)
{
	return (uint32_t)channel << 24 | (uint32_t)(exchange & 0xff) << 16 | (symbol & 0xffff);
}

struct gw_queue_slot {
	uint32_t key; /* GW_QUEUE_NO_KEY = free */
	uint64_t seq;
};

struct gw_queue {
	uint32_t bound;
	uint64_t *seqs;   /* FIFO, capacity bound */
	uint32_t *keys;   /* the FIFO entries' keys; GW_QUEUE_NO_KEY for a trade */
	uint32_t head, len;
	/* Conflation, set up the first time the client lags: the latest
	 * sequence per key, and the keys in the order they first waited. */
	bool conflating;
	struct gw_queue_slot *map; /* open addressing, map_mask + 1 slots */
	uint32_t map_mask, map_count;
	uint32_t *order;  /* FIFO of keys, capacity bound */
	uint32_t order_head;
	uint64_t conflated; /* messages replaced by a newer one */
};

enum gw_push { GW_PUSH_QUEUED, GW_PUSH_CONFLATED, GW_PUSH_FULL };

int gw_queue_init(struct gw_queue *q, uint32_t bound);
void gw_queue_free(struct gw_queue *q);

/* conflatable: spreads and quotes; key: gw_queue_key(); lagging: the
 * client is too far behind to be sent every update (conflation starts). */
enum gw_push gw_queue_push(struct gw_queue *q, uint64_t seq, uint32_t key, bool conflatable, bool lagging);
/* The oldest sequence waiting in order, false if none (its age tells the
 * caller whether the client lags). */
bool gw_queue_oldest(const struct gw_queue *q, uint64_t *seq);
#define GW_QUEUE_NO_KEY UINT32_MAX

struct gw_pop {
	uint64_t seq;
	uint32_t key;   /* GW_QUEUE_NO_KEY for a trade */
	bool conflated; /* from the conflated keys: send the key's newest message */
};

/* The next message to send, false when empty: the FIFO first (without
 * the spreads and quotes a conflated newer one replaced), then the
 * conflated keys in the order they first waited. */
bool gw_queue_pop(struct gw_queue *q, struct gw_pop *out);
/* The message of a popped FIFO entry of key is gone (the caller's log
 * dropped it): the key waits with the conflated ones instead, so that its
 * newest message is sent. GW_PUSH_FULL if that is not possible. */
enum gw_push gw_queue_defer(struct gw_queue *q, uint64_t seq, uint32_t key);
/* Messages waiting. */
uint32_t gw_queue_len(const struct gw_queue *q);

#endif

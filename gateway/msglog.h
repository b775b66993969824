/* The gateway's outgoing messages, each formatted once for every client:
 * a circular byte arena and a ring of references by sequence. Clients
 * queue sequences; a message overwritten before a client sent it is gone
 * (gw_msglog_get returns NULL). Nothing is allocated after init. */
#ifndef SPREADBUS_GATEWAY_MSGLOG_H
#define SPREADBUS_GATEWAY_MSGLOG_H

#include <stddef.h>
#include <stdint.h>

#include "gateway/request.h"

struct gw_msg {
	uint64_t seq;
	uint64_t at;       /* absolute arena offset of the payload */
	uint32_t len;
	uint8_t channel;   /* enum gw_channel */
	uint8_t exchange;  /* registry id (0 for spreads) */
	uint16_t symbol;   /* registry id */
	int64_t src_ns;    /* receive time of what the message reports (latency) */
	int64_t made_ns;   /* monotonic time it was made (how far behind a client is) */
};

struct gw_msglog {
	char *arena;
	size_t arena_cap;
	size_t pre;        /* bytes kept writable before each payload (LWS_PRE) */
	uint64_t arena_head; /* absolute bytes used */
	uint64_t reserved_at; /* where the reserved payload starts */
	struct gw_msg *msgs;
	uint64_t cap, mask;  /* messages, a power of two */
	uint64_t head;       /* sequence of the next message; starts at 1 */
};

int gw_msglog_init(struct gw_msglog *l, size_t arena_bytes, uint64_t messages, size_t pre);
void gw_msglog_free(struct gw_msglog *l);

/* Room for a payload of up to max bytes (pre bytes before it are the
 * writer's too), or NULL if max exceeds a quarter of the arena. */
char *gw_msglog_reserve(struct gw_msglog *l, size_t max);
/* Commits the reserved payload of len (<= max) bytes as the next message; returns it. */
const struct gw_msg *gw_msglog_commit(struct gw_msglog *l, uint32_t len, enum gw_channel ch, unsigned symbol,
				      unsigned exchange, int64_t src_ns);

/* The message seq if it is still whole, else NULL. */
const struct gw_msg *gw_msglog_get(const struct gw_msglog *l, uint64_t seq);
/* Its payload (pre writable bytes before it). */
char *gw_msglog_payload(const struct gw_msglog *l, const struct gw_msg *m);

#endif

/* The latest spread and quote message per key (channel, exchange, symbol),
 * kept apart from the message log: what a lagging client gets for a key it
 * has waiting, however long ago the log dropped the message itself. One
 * buffer per key, allocated the first time the key is seen. */
#ifndef SPREADBUS_GATEWAY_LATEST_H
#define SPREADBUS_GATEWAY_LATEST_H

#include <stddef.h>
#include <stdint.h>

struct gw_latest_entry {
	uint32_t key;  /* GW_LATEST_FREE = unused */
	uint32_t len;
	uint32_t cap;
	char *buf;     /* pre + cap bytes; the message starts at buf + pre */
};

struct gw_latest {
	struct gw_latest_entry *e;
	uint32_t mask, count;
	size_t pre;
};

int gw_latest_init(struct gw_latest *l, uint32_t slots, size_t pre);
void gw_latest_free(struct gw_latest *l);
/* Keeps text as key's latest message; room: the largest message the key
 * can have (its buffer is allocated once, at the key's first message).
 * -ENOMEM or -ENOSPC (table full): the key then has none, and a lagging
 * client waiting on it gets nothing. */
int gw_latest_put(struct gw_latest *l, uint32_t key, const char *text, uint32_t len, uint32_t room);
/* Key's latest message (pre writable bytes before it) and its length, or NULL. */
char *gw_latest_get(const struct gw_latest *l, uint32_t key, uint32_t *len);

#endif

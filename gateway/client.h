/* One WebSocket client of the gateway: its subscriptions, its bounded
 * queue of messages, pending replies, and why it is being closed. */
#ifndef SPREADBUS_GATEWAY_CLIENT_H
#define SPREADBUS_GATEWAY_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "gateway/queue.h"
#include "gateway/subs.h"

#define GW_REPLY_MAX 512   /* one reply (subscribed / error) */
#define GW_REPLIES 8       /* replies waiting; a client that floods past this is closed */

enum gw_close { GW_CLOSE_NONE, GW_CLOSE_SLOW, GW_CLOSE_PING, GW_CLOSE_FLOOD, GW_CLOSE_TOO_BIG };

struct gw_client {
	struct lws *wsi;
	unsigned index;            /* in the gateway's client table */
	struct gw_subs subs;
	struct gw_queue queue;
	int64_t last_rx_ns;        /* monotonic: last frame of any kind, pong included */
	int64_t last_ping_ns;
	bool ping_due;
	bool rx_paused;            /* replies are full: nothing is read until they drain */
	enum gw_close closing;
	char close_text[96];
	/* replies, sent before queued messages */
	unsigned reply_head, reply_count;
	uint16_t reply_len[GW_REPLIES];
	unsigned char reply[GW_REPLIES][LWS_PRE + GW_REPLY_MAX];
	/* a request that came in fragments */
	char *rx;
	size_t rx_len;
};

#endif

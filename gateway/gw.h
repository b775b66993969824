/* The gateway's state, shared by its parts: server.c (the libwebsockets
 * context and the loop), clients.c (one client's requests, replies, writes
 * and keepalive), fanout.c (the rings read and each record queued for the
 * clients that want it) and access.c (who may upgrade). Not for other
 * directories: gateway.h is the gateway's header. */
#ifndef SPREADBUS_GATEWAY_GW_H
#define SPREADBUS_GATEWAY_GW_H

#include <stdint.h>

#include <libwebsockets.h>

#include "common/log.h"
#include "common/loop_timer.h"
#include "gateway/client.h"
#include "gateway/latest.h"
#include "gateway/msglog.h"
#include "gateway/request.h"
#include "gateway/status_msg.h"
#include "shm/runtime.h"

#define GW_BATCH 256               /* ticks per ring read */
#define GW_SPREAD_BATCH 64         /* _spreads records per read */

struct gw {
	struct runtime *rt;
	const struct config *cfg;
	struct lws_context *ctx;
	struct lws_vhost *vhost;
	char host[64];
	uint16_t port;
	char www[CONFIG_PATH_MAX];
	struct lws_http_mount mount;
	struct lws_protocols protocols[2];

	struct gw_client **clients; /* max_clients slots, the first client_count used */
	unsigned client_count;
	unsigned subscribers[GW_CHANNELS]; /* clients with the channel active */

	struct gw_msglog log;
	struct gw_latest latest;
	size_t readers;
	struct ring_reader *reader[CONFIG_MAX_EXCHANGES];
	struct ring_reader *spreads;
	struct tick ticks[GW_BATCH];
	unsigned char *spread_buf; /* GW_SPREAD_BATCH records */
	uint32_t spread_size;

	/* the rings' poll and the housekeeping tick (loop_timer.h); a failed
	 * listen's retry, once a second, is an lws timer */
	struct loop_timer poll_timer, house_timer;
	lws_sorted_usec_list_t sul_listen;
	int64_t now_ns; /* monotonic, at the last housekeeping */
	int64_t next_status_ns;
	struct gw_rates rates;

	/* counters (the status block shows them) */
	uint64_t accepted, refused, sent, bytes, conflated_gone, dropped_slow, dropped_ping, bad_requests;
	uint64_t read, lost;
	struct log_limit lim_bad, lim_lost;
};

/* clients.c */
void gw_client_want_write(struct gw_client *c);
/* Stops queueing to c and closes it with reason as soon as it can be
 * written to; one that never reads again is cut off after ping_timeout_ms. */
void gw_client_close(struct gw *g, struct gw_client *c, enum gw_close why, const char *text);
int gw_client_open(struct gw *g, struct lws *wsi, struct gw_client **slot);
void gw_client_free(struct gw *g, struct gw_client *c);
void gw_client_receive(struct gw *g, struct gw_client *c, struct lws *wsi, const char *in, size_t len);
/* Writes what c has waiting (replies first); -1 closes the connection. */
int gw_client_writeable(struct gw *g, struct gw_client *c);
void gw_clients_keepalive(struct gw *g, int64_t now_mono_ns);

/* fanout.c */
/* Reads what the rings hold (one batch each); returns records read. */
size_t gw_fanout_drain(struct gw *g);
/* The status channel's message, to the clients that subscribed to it. */
void gw_fanout_status(struct gw *g);

/* access.c: nonzero refuses the upgrade (counted and logged). */
int gw_access_filter(struct gw *g, struct lws *wsi);

#endif

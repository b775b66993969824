/* The gateway's loop: one libwebsockets context serving /ws and the
 * dashboard's files, a scheduled poll of the rings (fanout.c), and a
 * housekeeping tick for pings, timeouts, the status channel and the status
 * block. A client's slowness only ever fills its own queue (clients.c). */
#include "gateway/gateway.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/loop_timer.h"
#include "common/netaddr.h"
#include "gateway/gw.h"
#include "shm/spreads.h"

#define POLL_BUSY_US 1000          /* next poll after one that found data */
#define POLL_IDLE_US 10000         /* ... and after one that found none */
#define HOUSE_US 100000            /* pings, timeouts, status block */
#define STATUS_MSG_NS 1000000000LL /* the status channel's period */
#define LISTEN_RETRY_US 1000000
#define LOG_MESSAGES 65536         /* messages the log remembers */
#define LOG_ARENA_BYTES (64u << 20)
#define UNUPGRADED_MAX 4096        /* connections still sending their request */
#define LATEST_KEYS (1u << 17)     /* spread and quote keys kept (symbols x exchanges) */

static struct gw *gw_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct gw *g = gw_of(wsi);
	struct gw_client **slot = user;
	struct gw_client *c = slot ? *slot : NULL;

	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return gw_access_filter(g, wsi);
	case LWS_CALLBACK_ESTABLISHED:
		return gw_client_open(g, wsi, slot);
	case LWS_CALLBACK_RECEIVE:
		if (c)
			gw_client_receive(g, c, wsi, in, len);
		return 0;
	case LWS_CALLBACK_RECEIVE_PONG:
		if (c)
			c->last_rx_ns = clock_monotonic_ns();
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return c ? gw_client_writeable(g, c) : 0;
	case LWS_CALLBACK_CLOSED:
		if (c) {
			gw_client_free(g, c);
			*slot = NULL;
		}
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static void poll_rings(void *arg)
{
	struct gw *g = arg;
	size_t n = gw_fanout_drain(g);
	int rc = loop_timer_set_period(&g->poll_timer, n ? POLL_BUSY_US : POLL_IDLE_US);
	if (rc < 0)
		log_err("gateway: cannot set the ring poll's period: %s", strerror(-rc));
}

static void report(struct gw *g)
{
	struct status_block *st = g->rt->status;
	uint64_t lag = ring_head(ring_reader_ring(g->spreads)) - ring_reader_position(g->spreads);
	uint64_t conflated = g->conflated_gone, queue_max = 0;
	for (size_t i = 0; i < g->readers; i++)
		lag += ring_head(ring_reader_ring(g->reader[i])) - ring_reader_position(g->reader[i]);
	for (unsigned i = 0; i < g->client_count; i++) {
		const struct gw_queue *q = &g->clients[i]->queue;
		conflated += q->conflated;
		if (gw_queue_len(q) > queue_max)
			queue_max = gw_queue_len(q);
	}
	status_set(st, SM_TICKS_READ, g->read);
	status_set(st, SM_TICKS_LOST, g->lost);
	status_set(st, SM_READ_LAG, lag);
	status_set(st, SM_GW_CLIENTS, g->client_count);
	status_set(st, SM_GW_ACCEPTED, g->accepted);
	status_set(st, SM_GW_REFUSED, g->refused);
	status_set(st, SM_GW_MESSAGES_SENT, g->sent);
	status_set(st, SM_GW_BYTES_SENT, g->bytes);
	status_set(st, SM_GW_CONFLATED, conflated);
	status_set(st, SM_GW_DROPPED_SLOW, g->dropped_slow);
	status_set(st, SM_GW_DROPPED_PING, g->dropped_ping);
	status_set(st, SM_GW_BAD_REQUESTS, g->bad_requests);
	status_set(st, SM_GW_QUEUE_MAX, queue_max);
}

static void housekeeping(void *arg)
{
	struct gw *g = arg;
	g->now_ns = clock_monotonic_ns();
	gw_clients_keepalive(g, g->now_ns);
	if (g->now_ns >= g->next_status_ns) {
		g->next_status_ns = g->now_ns + STATUS_MSG_NS;
		gw_fanout_status(g);
	}
	report(g);
}

static void listen_retry(lws_sorted_usec_list_t *sul);

/* Binding may fail (the port is taken): the gateway stays up, degraded, and
 * tries again every second rather than crash-looping. */
static void listen_now(struct gw *g)
{
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof(info));
	info.port = g->port;
	info.iface = g->host;
	info.protocols = g->protocols;
	info.mounts = &g->mount;
	info.vhost_name = "gateway";
	/* A connection that holds a header buffer without finishing its
	 * request (idle sockets, slowloris) gives it back after 5 s. */
	info.timeout_secs_ah_idle = 5;
	info.timeout_secs = 10;
	g->vhost = lws_create_vhost(g->ctx, &info);
	char detail[STATUS_DETAIL_MAX];
	if (!g->vhost) {
		snprintf(detail, sizeof(detail), "cannot listen on %s:%u, retrying", g->host, g->port);
		if (strcmp(g->rt->status->detail, detail) != 0) {
			log_err("gateway: %s", detail);
			status_set_detail(g->rt->status, detail);
			status_set_state(g->rt->status, CHILD_DEGRADED);
		}
		lws_sul_schedule(g->ctx, 0, &g->sul_listen, listen_retry, LISTEN_RETRY_US);
		return;
	}
	log_info("gateway: listening on ws://%s:%u/ws, dashboard from %s", g->host, g->port, g->www);
	status_set_detail(g->rt->status, "");
	status_set_state(g->rt->status, CHILD_RUNNING);
}

static void listen_retry(lws_sorted_usec_list_t *sul)
{
	listen_now(lws_container_of(sul, struct gw, sul_listen));
}

/* [gateway] www_dir, or <directory of this program>/../share/spreadbus/www. */
static int find_www(struct gw *g)
{
	if (g->cfg->gateway.www_dir[0]) {
		snprintf(g->www, sizeof(g->www), "%s", g->cfg->gateway.www_dir);
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -errno;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	if ((size_t)snprintf(g->www, sizeof(g->www), "%s/../share/spreadbus/www", exe) >= sizeof(g->www))
		return -ENAMETOOLONG;
	return 0;
}

static int open_readers(struct gw *g)
{
	struct bus *bus = &g->rt->bus;
	int rc;
	g->readers = bus->ring_count;
	for (size_t i = 0; i < g->readers; i++) {
		if ((rc = ring_reader_open(&g->reader[i], bus->rings[i], "gateway")) < 0) {
			log_err("gateway: cannot open reader slot on ring %s: %s", bus->ring_exchange[i], strerror(-rc));
			return rc;
		}
		/* live data only: a restarted gateway does not replay what its clients missed */
		ring_reader_seek(g->reader[i], ring_head(bus->rings[i]));
	}
	if ((rc = ring_reader_open(&g->spreads, bus->spreads, "gateway")) < 0) {
		log_err("gateway: cannot open reader slot on ring %s: %s", SPREADS_RING_NAME, strerror(-rc));
		return rc;
	}
	ring_reader_seek(g->spreads, ring_head(bus->spreads));
	g->spread_size = ring_record_size(bus->spreads);
	g->spread_buf = malloc((size_t)GW_SPREAD_BATCH * g->spread_size);
	return g->spread_buf ? 0 : -ENOMEM;
}

static void lws_logger(int level, const char *line)
{
	size_t n = strlen(line);
	while (n && line[n - 1] == '\n')
		n--;
	if (level & LLL_ERR)
		log_err("gateway: lws: %.*s", (int)n, line);
	else
		log_warn("gateway: lws: %.*s", (int)n, line);
}

static int setup(struct gw *g)
{
	const struct config_gateway *gc = &g->cfg->gateway;
	char msg[128];
	int rc;
	if (netaddr_listen_parse(gc->listen, g->host, sizeof(g->host), &g->port, msg, sizeof(msg)) != 0) {
		log_err("gateway: [gateway] listen '%s': %s", gc->listen, msg);
		return -EINVAL;
	}
	if ((rc = find_www(g)) < 0) {
		log_err("gateway: cannot find the dashboard's files: %s", strerror(-rc));
		return rc;
	}
	g->clients = calloc(gc->max_clients, sizeof(*g->clients));
	if (!g->clients || gw_msglog_init(&g->log, LOG_ARENA_BYTES, LOG_MESSAGES, LWS_PRE) < 0 ||
	    gw_latest_init(&g->latest, LATEST_KEYS, LWS_PRE) < 0)
		return -ENOMEM;
	if ((rc = open_readers(g)) < 0)
		return rc;

	g->mount.mountpoint = "/";
	g->mount.mountpoint_len = 1;
	g->mount.origin = g->www;
	g->mount.def = "index.html";
	g->mount.origin_protocol = LWSMPRO_FILE;
	g->protocols[0].name = "spreadbus";
	g->protocols[0].callback = ws_callback;
	g->protocols[0].per_session_data_size = sizeof(struct gw_client *);
	g->protocols[0].rx_buffer_size = gc->max_message_bytes;

	lws_set_log_level(LLL_ERR | LLL_WARN, lws_logger);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DISABLE_IPV6;
	info.user = g;
	/* Every client, plus room for sockets that never become clients (idle
	 * or hostile): each gets a socket and a header buffer at once (taken
	 * only while used), so a crowd of them cannot keep a newcomer waiting
	 * for one until lws times the newcomer out. */
	info.fd_limit_per_thread = gc->max_clients + UNUPGRADED_MAX;
	info.max_http_header_pool = UNUPGRADED_MAX;
	g->ctx = lws_create_context(&info);
	if (!g->ctx) {
		log_err("gateway: cannot create the libwebsockets context");
		return -ENOMEM;
	}
	listen_now(g);
	rc = loop_timer_start(&g->poll_timer, g->ctx, POLL_IDLE_US, poll_rings, g);
	if (rc == 0)
		rc = loop_timer_start(&g->house_timer, g->ctx, HOUSE_US, housekeeping, g);
	if (rc < 0)
		log_err("gateway: cannot start the loop's timers: %s", strerror(-rc));
	return rc;
}

static void teardown(struct gw *g)
{
	if (g->ctx)
		lws_context_destroy(g->ctx); /* closes every client (CLOSED frees each) */
	for (size_t i = 0; i < g->readers; i++)
		ring_reader_close(g->reader[i]);
	ring_reader_close(g->spreads);
	free(g->spread_buf);
	gw_msglog_free(&g->log);
	gw_latest_free(&g->latest);
	free(g->clients);
}

int gateway_run(struct runtime *rt)
{
	struct gw *g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->rt = rt;
	g->cfg = rt->cfg;
	int rc = setup(g);
	if (rc == 0) {
		runtime_set_running(rt);
		while (!runtime_should_stop(rt)) {
			if (lws_service(g->ctx, 0) < 0)
				break;
			runtime_heartbeat(rt);
		}
		runtime_set_stopping(rt);
		report(g);
		log_info("gateway: stopped, %llu messages sent to %llu clients", (unsigned long long)g->sent,
			 (unsigned long long)g->accepted);
	}
	teardown(g);
	free(g);
	return rc;
}

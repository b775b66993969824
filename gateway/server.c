/* The gateway's loop: one libwebsockets context serving /ws and the
 * dashboard's files, a scheduled poll of the rings that formats each new
 * record once and queues it for every client that subscribed, and a
 * housekeeping tick for pings, timeouts and the status block. A client's
 * slowness only ever fills its own queue. */
#include "gateway/gateway.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "common/clock.h"
#include "common/jsonw.h"
#include "common/log.h"
#include "common/netaddr.h"
#include "gateway/client.h"
#include "gateway/format.h"
#include "gateway/latest.h"
#include "gateway/msglog.h"
#include "gateway/request.h"
#include "gateway/status_msg.h"
#include "shm/spreads.h"

#define BATCH 256                  /* ticks per ring read */
#define SPREAD_BATCH 64            /* _spreads records per read */
/* One batch per ring per poll: reading more at once than the clients can
 * take between two polls would fill a fast client's queue in one go. */
#define BATCHES_PER_POLL 1
#define POLL_BUSY_US 1000          /* next poll after one that found data */
#define POLL_IDLE_US 10000         /* ... and after one that found none */
#define HOUSE_US 100000            /* pings, timeouts, status block */
#define STATUS_MSG_NS 1000000000LL /* the status channel's period */
#define STATUS_MSG_MAX 8192
#define LISTEN_RETRY_US 1000000
#define WRITES_PER_TURN 256        /* messages per writeable callback */
#define LOG_MESSAGES 65536         /* messages the log remembers */
#define LOG_ARENA_BYTES (64u << 20)
#define UNUPGRADED_MAX 4096        /* connections still sending their request */
#define LATEST_KEYS (1u << 17)     /* spread and quote keys kept (symbols x exchanges) */

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
	struct tick ticks[BATCH];
	unsigned char *spread_buf; /* SPREAD_BATCH records */
	uint32_t spread_size;

	lws_sorted_usec_list_t sul_poll, sul_house, sul_listen;
	int64_t now_ns; /* monotonic, at the last housekeeping */
	int64_t next_status_ns;
	struct gw_rates rates;

	/* counters (the status block shows them) */
	uint64_t accepted, refused, sent, bytes, conflated_gone, dropped_slow, dropped_ping, bad_requests;
	uint64_t read, lost;
	struct log_limit lim_bad, lim_lost;
};

static struct gw *gw_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

/* ---- clients ---- */

static void want_write(struct gw_client *c)
{
	if (!c->writable_requested) {
		c->writable_requested = true;
		lws_callback_on_writable(c->wsi);
	}
}

/* Stops queueing to c and closes it with reason as soon as it can be
 * written to; one that never reads again is cut off after ping_timeout_ms. */
static void client_close(struct gw *g, struct gw_client *c, enum gw_close why, const char *text)
{
	if (c->closing)
		return;
	c->closing = why;
	snprintf(c->close_text, sizeof(c->close_text), "%s", text);
	if (why == GW_CLOSE_SLOW)
		g->dropped_slow++;
	else if (why == GW_CLOSE_PING)
		g->dropped_ping++;
	log_info("gateway: closing client %u: %s", c->index, text);
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, (int)((g->cfg->gateway.ping_timeout_ms + 999) / 1000));
	want_write(c);
}

static void subscribers_update(struct gw *g, const struct gw_subs *before, const struct gw_subs *after)
{
	for (unsigned ch = 0; ch < GW_CHANNELS; ch++) {
		g->subscribers[ch] -= before && before->ch[ch].active;
		g->subscribers[ch] += after && after->ch[ch].active;
	}
}

static int client_open(struct gw *g, struct lws *wsi, struct gw_client **slot)
{
	struct gw_client *c = calloc(1, sizeof(*c));
	if (!c || gw_queue_init(&c->queue, g->cfg->gateway.queue_messages) < 0) {
		free(c);
		log_err("gateway: out of memory for a client");
		return -1;
	}
	c->wsi = wsi;
	c->index = g->client_count;
	c->last_rx_ns = c->last_ping_ns = clock_monotonic_ns();
	g->clients[g->client_count++] = c;
	g->accepted++;
	*slot = c;
	return 0;
}

static void client_free(struct gw *g, struct gw_client *c)
{
	subscribers_update(g, &c->subs, NULL);
	g->conflated_gone += c->queue.conflated;
	/* the last client takes the freed slot */
	struct gw_client *last = g->clients[--g->client_count];
	g->clients[c->index] = last;
	last->index = c->index;
	gw_queue_free(&c->queue);
	free(c->rx);
	free(c);
}

/* Queues a reply; false if the client already has GW_REPLIES waiting. */
static bool reply_push(struct gw_client *c, const char *text, size_t len)
{
	if (c->reply_count == GW_REPLIES || len > GW_REPLY_MAX)
		return false;
	unsigned i = (c->reply_head + c->reply_count++) % GW_REPLIES;
	memcpy(c->reply[i] + LWS_PRE, text, len);
	c->reply_len[i] = (uint16_t)len;
	want_write(c);
	return true;
}

static void put_names(struct jsonw *w, const char *key, bool given, size_t count)
{
	jsonw_key(w, key);
	if (given)
		jsonw_uint64(w, count);
	else
		jsonw_null(w);
}

static void reply_request(struct gw *g, struct gw_client *c, const struct gw_request *r, const char *err)
{
	char buf[GW_REPLY_MAX];
	struct jsonw w;
	size_t len;
	jsonw_init(&w, buf, sizeof(buf));
	jsonw_object_begin(&w);
	if (err) {
		jsonw_kv_string(&w, "op", "error");
		jsonw_kv_string(&w, "error", err);
	} else {
		jsonw_kv_string(&w, "op", r->op == GW_OP_SUBSCRIBE ? "subscribed" : "unsubscribed");
		jsonw_key(&w, "channels");
		jsonw_array_begin(&w);
		for (unsigned ch = 0; ch < GW_CHANNELS; ch++)
			if (r->channels & (1u << ch))
				jsonw_string(&w, gw_channel_name(ch));
		jsonw_array_end(&w);
		put_names(&w, "symbols", r->symbols_given, r->symbol_count);
		put_names(&w, "exchanges", r->exchanges_given, r->exchange_count);
		jsonw_kv_uint64(&w, "subscriptions", gw_subs_count(&c->subs));
	}
	if (r->id[0]) {
		jsonw_key(&w, "id");
		jsonw_raw(&w, r->id, strlen(r->id));
	}
	jsonw_object_end(&w);
	if (jsonw_finish(&w, &len) < 0 || !reply_push(c, buf, len)) {
		client_close(g, c, GW_CLOSE_FLOOD, "too many requests without reading the replies");
		return;
	}
	/* A burst of requests is throttled, not punished: reading stops until
	 * the client has taken most of its replies. */
	if (c->reply_count == GW_REPLIES && !c->rx_paused) {
		c->rx_paused = true;
		lws_rx_flow_control(c->wsi, 0);
	}
}

static void handle_request(struct gw *g, struct gw_client *c, const char *text, size_t len, bool binary)
{
	static struct gw_request r; /* large; one request at a time */
	char err[160];
	int rc = -1;
	memset(&r, 0, offsetof(struct gw_request, symbols));
	r.id[0] = '\0';
	if (binary) {
		snprintf(err, sizeof(err), "binary frames are not accepted: send JSON text");
	} else if (gw_request_parse(text, len, &r, err, sizeof(err)) == 0) {
		struct gw_subs before = c->subs;
		rc = gw_subs_apply(&c->subs, &r, g->rt->bus.registry, g->cfg->gateway.max_subscriptions_per_client, err,
				   sizeof(err));
		if (rc == 0)
			subscribers_update(g, &before, &c->subs);
	}
	if (rc < 0) {
		g->bad_requests++;
		log_limited(&g->lim_bad, LOG_LVL_INFO, "gateway: client %u: bad request: %s", c->index, err);
	}
	reply_request(g, c, &r, rc < 0 ? err : NULL);
}

/* A request may arrive in fragments: collected up to max_message_bytes. */
static void on_receive(struct gw *g, struct gw_client *c, struct lws *wsi, const char *in, size_t len)
{
	size_t max = g->cfg->gateway.max_message_bytes;
	bool final = lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0;
	c->last_rx_ns = clock_monotonic_ns();
	if (c->closing)
		return;
	if (final && c->rx_len == 0) {
		handle_request(g, c, in, len, lws_frame_is_binary(wsi));
		return;
	}
	if (!c->rx && !(c->rx = malloc(max))) {
		client_close(g, c, GW_CLOSE_TOO_BIG, "out of memory");
		return;
	}
	if (c->rx_len + len > max) {
		g->bad_requests++;
		char text[64];
		snprintf(text, sizeof(text), "message larger than %zu bytes", max);
		client_close(g, c, GW_CLOSE_TOO_BIG, text);
		return;
	}
	memcpy(c->rx + c->rx_len, in, len);
	c->rx_len += len;
	if (final) {
		handle_request(g, c, c->rx, c->rx_len, lws_frame_is_binary(wsi));
		c->rx_len = 0;
	}
}

static int close_status(enum gw_close why)
{
	switch (why) {
	case GW_CLOSE_TOO_BIG: return LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE;
	case GW_CLOSE_PING: return LWS_CLOSE_STATUS_GOINGAWAY;
	default: return LWS_CLOSE_STATUS_POLICY_VIOLATION;
	}
}

static int on_writeable(struct gw *g, struct gw_client *c)
{
	struct lws *wsi = c->wsi;
	c->writable_requested = false;
	if (c->closing) {
		lws_close_reason(wsi, close_status(c->closing), (unsigned char *)c->close_text, strlen(c->close_text));
		return -1;
	}
	if (c->ping_due) {
		/* with a payload: lws reports no RECEIVE_PONG for an empty pong */
		unsigned char ping[LWS_PRE + 4] = { [LWS_PRE] = 's', 'b', 'g', 'w' };
		c->ping_due = false;
		if (lws_write(wsi, ping + LWS_PRE, 4, LWS_WRITE_PING) < 0)
			return -1;
	}
	for (int n = 0; n < WRITES_PER_TURN; n++) {
		if (lws_send_pipe_choked(wsi)) {
			want_write(c);
			return 0;
		}
		if (c->reply_count) {
			unsigned i = c->reply_head;
			c->reply_head = (c->reply_head + 1) % GW_REPLIES;
			c->reply_count--;
			if (lws_write(wsi, c->reply[i] + LWS_PRE, c->reply_len[i], LWS_WRITE_TEXT) < 0)
				return -1;
			if (c->rx_paused && c->reply_count <= GW_REPLIES / 2) {
				c->rx_paused = false;
				lws_rx_flow_control(wsi, 1);
			}
			continue;
		}
		struct gw_pop p;
		uint32_t len;
		char *text;
		if (!gw_queue_pop(&c->queue, &p))
			return 0;
		if (p.conflated) {
			/* the key's newest message, wherever the log is */
			if (!(text = gw_latest_get(&g->latest, p.key, &len)))
				continue;
		} else {
			const struct gw_msg *m = gw_msglog_get(&g->log, p.seq);
			if (!m) {
				/* The log dropped it while this client lagged: a
				 * spread or quote waits for its key's newest; a trade
				 * is lost, and the client with it. */
				if (gw_queue_defer(&c->queue, p.seq, p.key) == GW_PUSH_FULL) {
					client_close(g, c, GW_CLOSE_SLOW, "slow consumer: messages lost while lagging");
					return 0;
				}
				continue;
			}
			text = gw_msglog_payload(&g->log, m);
			len = m->len;
		}
		if (lws_write(wsi, (unsigned char *)text, len, LWS_WRITE_TEXT) < 0)
			return -1;
		g->sent++;
		g->bytes += len;
	}
	want_write(c);
	return 0;
}

/* Compares in time independent of where they differ. */
static bool secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;
	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* [gateway] token, as "Authorization: Bearer TOKEN" or ?token=TOKEN (what
 * a browser's WebSocket can send). */
static bool token_ok(const struct gw *g, struct lws *wsi)
{
	const char *want = g->cfg->gateway.token;
	char got[CONFIG_STR_MAX + 16];
	if (!want[0])
		return true;
	if (lws_hdr_copy(wsi, got, sizeof(got), WSI_TOKEN_HTTP_AUTHORIZATION) > 7 && strncasecmp(got, "Bearer ", 7) == 0)
		return secret_equal(got + 7, want);
	const char *arg = lws_get_urlarg_by_name(wsi, "token=", got, (int)sizeof(got));
	return arg && secret_equal(arg, want);
}

/* Browsers send Origin: a page of another site may not use the gateway
 * unless [gateway] allowed_origins lists it; the dashboard's own origin
 * (http://<Host>) always may. Clients that send no Origin are not browsers. */
static bool origin_ok(const struct gw *g, struct lws *wsi)
{
	const char *list = g->cfg->gateway.allowed_origins;
	char origin[256], host[200], own[256];
	if (!list[0] || lws_hdr_copy(wsi, origin, sizeof(origin), WSI_TOKEN_ORIGIN) <= 0)
		return true;
	if (lws_hdr_copy(wsi, host, sizeof(host), WSI_TOKEN_HOST) > 0) {
		snprintf(own, sizeof(own), "http://%s", host);
		if (strcmp(origin, own) == 0)
			return true;
	}
	size_t n = strlen(origin);
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ", ");
		if (len == n && strncmp(p, origin, n) == 0)
			return true;
		p += len;
	}
	return false;
}

/* Only /ws upgrades, only while there is room, with the token and from an
 * allowed origin. */
static int filter_connection(struct gw *g, struct lws *wsi)
{
	char uri[32];
	const char *why = NULL;
	if (lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) < 0 || strcmp(uri, "/ws") != 0)
		return 1;
	if (g->client_count >= g->cfg->gateway.max_clients)
		why = "max_clients reached";
	else if (!token_ok(g, wsi))
		why = "wrong or missing token";
	else if (!origin_ok(g, wsi))
		why = "origin not allowed";
	if (!why)
		return 0;
	g->refused++;
	log_limited(&g->lim_bad, LOG_LVL_INFO, "gateway: upgrade refused: %s", why);
	return 1;
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct gw *g = gw_of(wsi);
	struct gw_client **slot = user;
	struct gw_client *c = slot ? *slot : NULL;

	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return filter_connection(g, wsi);
	case LWS_CALLBACK_ESTABLISHED:
		return client_open(g, wsi, slot);
	case LWS_CALLBACK_RECEIVE:
		if (c)
			on_receive(g, c, wsi, in, len);
		return 0;
	case LWS_CALLBACK_RECEIVE_PONG:
		if (c)
			c->last_rx_ns = clock_monotonic_ns();
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return c ? on_writeable(g, c) : 0;
	case LWS_CALLBACK_CLOSED:
		if (c) {
			client_free(g, c);
			*slot = NULL;
		}
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

/* ---- fan-out ---- */

static bool client_wants(const struct gw_client *c, enum gw_channel ch, unsigned sym, unsigned ex, unsigned buy,
			 unsigned sell)
{
	if (c->closing)
		return false;
	if (ch == GW_CH_STATUS)
		return c->subs.ch[GW_CH_STATUS].active;
	return ch == GW_CH_SPREADS ? gw_subs_match_spread(&c->subs, sym, buy, sell) : gw_subs_match(&c->subs, ch, sym, ex);
}

/* Is there a client for it? A message is only made if one wants it. */
static bool anyone_wants(struct gw *g, enum gw_channel ch, unsigned sym, unsigned ex, unsigned buy, unsigned sell)
{
	if (!g->subscribers[ch])
		return false;
	for (unsigned i = 0; i < g->client_count; i++)
		if (client_wants(g->clients[i], ch, sym, ex, buy, sell))
			return true;
	return false;
}

/* Queues message m (made once) for every client whose filters take it. A
 * conflatable one is also kept as its key's latest (room: the largest
 * message of its kind). */
static void fan_out(struct gw *g, const struct gw_msg *m, unsigned buy, unsigned sell, uint32_t room)
{
	uint32_t key = gw_queue_key(m->channel, m->exchange, m->symbol);
	bool conflatable = m->channel != GW_CH_TRADES;
	if (conflatable)
		gw_latest_put(&g->latest, key, gw_msglog_payload(&g->log, m), m->len, room);
	for (unsigned i = 0; i < g->client_count; i++) {
		struct gw_client *c = g->clients[i];
		if (!client_wants(c, m->channel, m->symbol, m->exchange, buy, sell))
			continue;
		switch (gw_queue_push(&c->queue, m->seq, key, conflatable)) {
		case GW_PUSH_QUEUED:
			want_write(c);
			break;
		case GW_PUSH_CONFLATED:
			break;
		case GW_PUSH_FULL:
			client_close(g, c, GW_CLOSE_SLOW,
				     conflatable ? "slow consumer: queue full" : "slow consumer: trade queue full");
			break;
		}
	}
}

static void on_tick(struct gw *g, const struct tick *t, uint64_t seq)
{
	enum gw_channel ch;
	if (t->kind == TICK_QUOTE)
		ch = GW_CH_QUOTES;
	else if (tick_is_trade(t))
		ch = GW_CH_TRADES;
	else
		return;
	if (!anyone_wants(g, ch, t->symbol_id, t->exchange_id, 0, 0))
		return;
	char *out = gw_msglog_reserve(&g->log, GW_TICK_MSG_MAX);
	size_t len = out ? gw_format_tick(out, GW_TICK_MSG_MAX, gw_channel_name(ch), g->rt->bus.registry, t, seq) : 0;
	if (len)
		fan_out(g, gw_msglog_commit(&g->log, (uint32_t)len, ch, t->symbol_id, t->exchange_id, t->ts_recv_ns), 0, 0,
			GW_TICK_MSG_MAX);
}

static void on_spread(struct gw *g, const struct spreads_record *r)
{
	if (r->json_len > spreads_json_room(g->spread_size) ||
	    !anyone_wants(g, GW_CH_SPREADS, r->symbol_id, 0, r->buy_exchange_id, r->sell_exchange_id))
		return;
	size_t max = r->json_len + GW_SPREAD_ENVELOPE;
	char *out = gw_msglog_reserve(&g->log, max);
	size_t len = out ? gw_format_spread(out, max, r) : 0;
	if (len)
		fan_out(g, gw_msglog_commit(&g->log, (uint32_t)len, GW_CH_SPREADS, r->symbol_id, 0, r->ts_ns),
			r->buy_exchange_id, r->sell_exchange_id,
			(uint32_t)(spreads_json_room(g->spread_size) + GW_SPREAD_ENVELOPE));
}

static void count_read(struct gw *g, const char *ring, size_t n, uint64_t lost)
{
	g->read += n;
	if (lost) {
		g->lost += lost;
		log_limited(&g->lim_lost, LOG_LVL_WARNING, "gateway: lapped on ring %s, %llu records lost", ring,
			    (unsigned long long)lost);
	}
}

/* Reads what the rings hold (a bounded amount per poll); returns records read. */
static size_t drain(struct gw *g)
{
	size_t total = 0;
	for (size_t i = 0; i < g->readers; i++) {
		for (int b = 0; b < BATCHES_PER_POLL; b++) {
			uint64_t first = 0, lost = 0;
			size_t n = ring_reader_read(g->reader[i], g->ticks, BATCH, &first, &lost);
			count_read(g, g->rt->bus.ring_exchange[i], n, lost);
			for (size_t k = 0; k < n; k++)
				on_tick(g, &g->ticks[k], first + k);
			if (n || lost)
				ring_reader_commit(g->reader[i], ring_reader_position(g->reader[i]));
			total += n;
			if (n < BATCH)
				break;
		}
	}
	for (int b = 0; b < BATCHES_PER_POLL; b++) {
		uint64_t first = 0, lost = 0;
		size_t n = ring_reader_read_records(g->spreads, g->spread_buf, SPREAD_BATCH, &first, &lost);
		count_read(g, SPREADS_RING_NAME, n, lost);
		for (size_t k = 0; k < n; k++)
			on_spread(g, (const struct spreads_record *)(g->spread_buf + k * g->spread_size));
		if (n || lost)
			ring_reader_commit(g->spreads, ring_reader_position(g->spreads));
		total += n;
		if (n < SPREAD_BATCH)
			break;
	}
	return total;
}

static void poll_rings(lws_sorted_usec_list_t *sul)
{
	struct gw *g = lws_container_of(sul, struct gw, sul_poll);
	size_t n = drain(g);
	lws_sul_schedule(g->ctx, 0, &g->sul_poll, poll_rings, n ? POLL_BUSY_US : POLL_IDLE_US);
}

/* ---- housekeeping ---- */

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

/* A ping every ping_interval_ms; silence (not even a pong) for
 * ping_timeout_ms closes the client. */
static void keepalive(struct gw *g, int64_t now)
{
	int64_t interval = (int64_t)g->cfg->gateway.ping_interval_ms * 1000000LL;
	int64_t timeout = (int64_t)g->cfg->gateway.ping_timeout_ms * 1000000LL;
	for (unsigned i = 0; i < g->client_count; i++) {
		struct gw_client *c = g->clients[i];
		if (c->closing)
			continue;
		if (now - c->last_rx_ns > timeout) {
			char text[64];
			snprintf(text, sizeof(text), "no pong in %u ms", g->cfg->gateway.ping_timeout_ms);
			client_close(g, c, GW_CLOSE_PING, text);
		} else if (now - c->last_ping_ns >= interval) {
			c->last_ping_ns = now;
			c->ping_due = true;
			want_write(c);
		}
	}
}

static void send_status(struct gw *g)
{
	if (!anyone_wants(g, GW_CH_STATUS, 0, 0, 0, 0))
		return;
	char *out = gw_msglog_reserve(&g->log, STATUS_MSG_MAX);
	int64_t now = clock_realtime_ns();
	size_t len = out ? gw_status_msg(out, STATUS_MSG_MAX, g->rt->bus.status, &g->rates, now, g->client_count) : 0;
	if (len)
		fan_out(g, gw_msglog_commit(&g->log, (uint32_t)len, GW_CH_STATUS, 0, 0, now), 0, 0, STATUS_MSG_MAX);
}

static void housekeeping(lws_sorted_usec_list_t *sul)
{
	struct gw *g = lws_container_of(sul, struct gw, sul_house);
	g->now_ns = clock_monotonic_ns();
	keepalive(g, g->now_ns);
	if (g->now_ns >= g->next_status_ns) {
		g->next_status_ns = g->now_ns + STATUS_MSG_NS;
		send_status(g);
	}
	report(g);
	lws_sul_schedule(g->ctx, 0, &g->sul_house, housekeeping, HOUSE_US);
}

/* ---- setup ---- */

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
	g->spread_buf = malloc((size_t)SPREAD_BATCH * g->spread_size);
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
	lws_sul_schedule(g->ctx, 0, &g->sul_poll, poll_rings, POLL_IDLE_US);
	lws_sul_schedule(g->ctx, 0, &g->sul_house, housekeeping, HOUSE_US);
	return 0;
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

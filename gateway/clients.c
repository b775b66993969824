/* One client of the gateway: its requests and their replies, its queue
 * written out while the socket takes it, its pings, and its closing with a
 * reason. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/clock.h"
#include "common/jsonw.h"
#include "gateway/gw.h"

#define WRITES_PER_TURN 256 /* messages per writeable callback */
/* The kernel's send buffer per client. Left to autotuning it grows to
 * megabytes, seconds of spread updates for a client that reads slowly,
 * which conflation can no longer replace by newer ones. */
#define CLIENT_SNDBUF (64 * 1024)

/* Asked every time, not remembered: lws may spend a request on flushing
 * what it kept of a partial write, and a remembered one would then never
 * be asked again. */
void gw_client_want_write(struct gw_client *c)
{
	lws_callback_on_writable(c->wsi);
}

/* Stops queueing to c and closes it with reason as soon as it can be
 * written to; one that never reads again is cut off after ping_timeout_ms. */
void gw_client_close(struct gw *g, struct gw_client *c, enum gw_close why, const char *text)
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
	gw_client_want_write(c);
}

static void subscribers_update(struct gw *g, const struct gw_subs *before, const struct gw_subs *after)
{
	for (unsigned ch = 0; ch < GW_CHANNELS; ch++) {
		g->subscribers[ch] -= before && before->ch[ch].active;
		g->subscribers[ch] += after && after->ch[ch].active;
	}
}

int gw_client_open(struct gw *g, struct lws *wsi, struct gw_client **slot)
{
	struct gw_client *c = calloc(1, sizeof(*c));
	if (!c || gw_queue_init(&c->queue, g->cfg->gateway.queue_messages) < 0) {
		free(c);
		log_err("gateway: out of memory for a client");
		return -1;
	}
	int sndbuf = CLIENT_SNDBUF;
	if (setsockopt(lws_get_socket_fd(wsi), SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) < 0)
		log_warn("gateway: client %u: SO_SNDBUF: %s", g->client_count, strerror(errno));
	c->wsi = wsi;
	c->index = g->client_count;
	c->last_rx_ns = c->last_ping_ns = clock_monotonic_ns();
	g->clients[g->client_count++] = c;
	g->accepted++;
	*slot = c;
	return 0;
}

void gw_client_free(struct gw *g, struct gw_client *c)
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
	gw_client_want_write(c);
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
		gw_client_close(g, c, GW_CLOSE_FLOOD, "too many requests without reading the replies");
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
void gw_client_receive(struct gw *g, struct gw_client *c, struct lws *wsi, const char *in, size_t len)
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
		gw_client_close(g, c, GW_CLOSE_TOO_BIG, "out of memory");
		return;
	}
	if (c->rx_len + len > max) {
		g->bad_requests++;
		char text[64];
		snprintf(text, sizeof(text), "message larger than %zu bytes", max);
		gw_client_close(g, c, GW_CLOSE_TOO_BIG, text);
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

/* One frame; 1 when lws had to keep part of it (the socket is full: stop
 * writing until the next writeable callback), -1 on a failed write. Checked
 * after each write rather than polling the socket before each. */
static int send_frame(struct lws *wsi, void *payload, size_t len, enum lws_write_protocol kind)
{
	if (lws_write(wsi, payload, len, kind) < 0)
		return -1;
	return lws_partial_buffered(wsi) ? 1 : 0;
}

int gw_client_writeable(struct gw *g, struct gw_client *c)
{
	int rc = 0;
	struct lws *wsi = c->wsi;
	if (c->closing) {
		lws_close_reason(wsi, close_status(c->closing), (unsigned char *)c->close_text, strlen(c->close_text));
		return -1;
	}
	if (c->ping_due) {
		/* with a payload: lws reports no RECEIVE_PONG for an empty pong */
		unsigned char ping[LWS_PRE + 4] = { [LWS_PRE] = 's', 'b', 'g', 'w' };
		c->ping_due = false;
		rc = send_frame(wsi, ping + LWS_PRE, 4, LWS_WRITE_PING);
	}
	for (int n = 0; n < WRITES_PER_TURN && rc == 0; n++) {
		if (c->reply_count) {
			unsigned i = c->reply_head;
			c->reply_head = (c->reply_head + 1) % GW_REPLIES;
			c->reply_count--;
			rc = send_frame(wsi, c->reply[i] + LWS_PRE, c->reply_len[i], LWS_WRITE_TEXT);
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
					gw_client_close(g, c, GW_CLOSE_SLOW, "slow consumer: messages lost while lagging");
					return 0;
				}
				continue;
			}
			text = gw_msglog_payload(&g->log, m);
			len = m->len;
		}
		rc = send_frame(wsi, text, len, LWS_WRITE_TEXT);
		if (rc >= 0) {
			g->sent++;
			g->bytes += len;
		}
	}
	if (rc < 0)
		return -1;
	gw_client_want_write(c); /* more may wait (or the socket was full) */
	return 0;
}

/* A ping every ping_interval_ms; silence (not even a pong) for
 * ping_timeout_ms closes the client. A client with messages waiting is
 * asked to be written to again: a push conflated into a waiting key asks
 * nothing, and lws may have spent the last request on flushing a partial
 * write, which would leave the queue waiting for the next new key. */
void gw_clients_keepalive(struct gw *g, int64_t now)
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
			gw_client_close(g, c, GW_CLOSE_PING, text);
		} else if (now - c->last_ping_ns >= interval) {
			c->last_ping_ns = now;
			c->ping_due = true;
			gw_client_want_write(c);
		} else if (gw_queue_len(&c->queue) || c->reply_count) {
			gw_client_want_write(c);
		}
	}
}

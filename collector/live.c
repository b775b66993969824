/* The libwebsockets client loop: connects each link, subscribes with the
 * adapter's pacing, keeps connections alive by the exchange's rules, feeds
 * frames to the pipeline and the ring, and reconnects with backoff. */
#include <errno.h>
#include <stdarg.h>
#include <libwebsockets.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/backfill.h"
#include "collector/backoff.h"
#include "collector/collector.h"
#include "collector/health.h"
#include "collector/live_symbols.h"
#include "common/clock.h"
#include "common/loop_timer.h"

/* Housekeeping period: timeouts, pings, pacing, heartbeat (<= 250 ms). */
#define TICK_MS 50
/* Health score data-quality window. */
#define HEALTH_WINDOW_NS (10 * 1000000000LL)
#define SUBSCRIBE_BUF 8192
#define SYSTEM_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"
/* Bytes of a refused frame quoted in the log. */
#define LOG_SNIPPET 96

static void session_closed(struct session *s, struct lws *wsi, const char *why);

/* A connection that failed before it opened: libwebsockets says why only
 * in words ("HS: ..." for the WebSocket upgrade, SSL/cert for TLS). */
static enum conn_error connect_error_reason(const char *why)
{
	static const char *const tls_words[] = {"HS:", "SSL", "ssl", "tls", "TLS", "cert"};
	for (size_t i = 0; i < sizeof(tls_words) / sizeof(tls_words[0]); i++)
		if (strstr(why, tls_words[i]))
			return CONN_ERR_TLS;
	return CONN_ERR_CONNECT;
}

static const char *gap_reason_name(uint32_t r)
{
	switch (r) {
	case GAP_STALL:
		return "stall";
	case GAP_SERVER_SHUTDOWN:
		return "server shutdown";
	case GAP_RECONNECT_PLANNED:
		return "planned reconnect";
	default:
		return "disconnect";
	}
}

static enum status_metric reject_metric(enum reject_reason r)
{
	switch (r) {
	case REJECT_JSON:
		return SM_REJECT_JSON;
	case REJECT_MISSING_FIELD:
	case REJECT_NON_NUMERIC:
		return SM_REJECT_FIELD;
	case REJECT_NON_POSITIVE:
		return SM_REJECT_PRICE;
	case REJECT_CROSSED:
		return SM_REJECT_CROSSED;
	case REJECT_CLOCK_SKEW:
		return SM_REJECT_TIME;
	case REJECT_UNKNOWN_SYMBOL:
		return SM_REJECT_SYMBOL;
	case REJECT_OVERSIZE:
		return SM_REJECT_OVERSIZE;
	case REJECT_BINARY:
		return SM_REJECT_BINARY;
	case REJECT_OFF_TICK:
		return SM_REJECT_TICK_SIZE;
	case REJECT_OFF_LOT:
		return SM_REJECT_LOT_SIZE;
	case REJECT_PRICE_JUMP:
		return SM_REJECT_PRICE_JUMP;
	default:
		return SM_DUPLICATES;
	}
}

static void count_reject(struct collector *c, struct link *l, enum reject_reason r, const char *buf, size_t len)
{
	status_add(c->status, reject_metric(r), 1);
	if (r == REJECT_DUPLICATE)
		return;
	c->window_rejects++;
	char snip[LOG_SNIPPET + 1];
	size_t n = buf && len < LOG_SNIPPET ? len : buf ? LOG_SNIPPET : 0;
	for (size_t i = 0; i < n; i++)
		snip[i] = buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '?';
	snip[n] = '\0';
	log_limited(&c->lim_reject, LOG_LVL_WARNING, "%s: link %u: rejected (%s): %s", c->name, l->idx,
		    adapter_reject_reason_name(r), snip);
}

static void set_detail(struct collector *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_detail(struct collector *c, const char *fmt, ...)
{
	char buf[STATUS_DETAIL_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	status_set_detail(c->status, buf);
}

static void session_reset(struct session *s)
{
	s->wsi = NULL;
	s->state = SESSION_IDLE;
	s->streaming = false;
	s->retiring = false;
	s->retire_at_ns = 0;
	s->seq_known = false;
	s->killing = false;
	s->awaiting_pong = false;
	s->want_ping = false;
	s->reply_len = 0;
	s->close_gap_reason = 0;
	s->close_why[0] = '\0';
	s->rx_len = 0;
	s->rx_in_msg = false;
}

static int64_t backoff_ns(struct collector *c, struct link *l)
{
	uint32_t ms = backoff_delay_ms(c->cx->reconnect_min_ms, c->cx->reconnect_max_ms, l->attempt, &c->rng);
	if (l->attempt < 32)
		l->attempt++;
	return (int64_t)ms * 1000000;
}

/* Ask libwebsockets to close s; the close arrives as a callback. */
static void session_kill(struct session *s, uint32_t gap_reason, const char *why)
{
	if (!s->wsi || s->killing)
		return;
	s->killing = true;
	s->close_gap_reason = gap_reason;
	snprintf(s->close_why, sizeof(s->close_why), "%s", why);
	lws_set_timeout(s->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* Subscribe steps of a link: each symbol once, or twice (quotes first,
 * then trades) on an exchange whose subscribe message names one channel. */
static size_t sub_steps(const struct collector *c, const struct link *l)
{
	bool split = c->adapter->one_channel_per_subscribe && c->cx->quotes && c->cx->trades;
	return split ? 2 * l->count : l->count;
}

/* Step `step` of `steps` (sub_steps) of a link: req's count and channels
 * for its pass (a split link: every symbol's quotes, then every symbol's
 * trades); returns the entry the step starts at. */
static size_t sub_pass(const struct collector *c, struct sub_request *req, size_t step, size_t steps)
{
	bool split = c->adapter->one_channel_per_subscribe && c->cx->quotes && c->cx->trades;
	size_t count = split ? steps / 2 : steps;
	bool trades_pass = split && step >= count;
	req->count = count;
	req->quotes = c->cx->quotes && !trades_pass;
	req->trades = c->cx->trades && (!split || trades_pass);
	return trades_pass ? step - count : step;
}

static void session_connect(struct link *l, int which, int64_t now)
{
	struct collector *c = l->c;
	struct session *s = &l->sess[which];
	struct sub_request req = {.symbols = &c->symbols, .first = l->first, .count = l->count,
				  .quotes = c->cx->quotes, .trades = c->cx->trades};
	session_reset(s);
	/* this connection asks for the symbols wanted now; later changes come
	 * as changes (session_writable) */
	s->sub_total = sub_steps(c, l);
	s->gen_done = s->delta_gen = c->sym_gen;
	s->delta_next = 0;
	s->delta_adding = false;
	if (c->adapter->build_path(&req, c->base_path, s->path, sizeof(s->path), &s->path_consumed) < 0) {
		log_err("%s: link %u: request path too long", c->name, l->idx);
		s->path_consumed = 0;
		snprintf(s->path, sizeof(s->path), "%s", c->base_path);
	}
	struct lws_client_connect_info ci;
	memset(&ci, 0, sizeof(ci));
	ci.context = c->ctx;
	ci.address = c->url.host;
	ci.port = c->url.port;
	ci.path = s->path;
	ci.host = c->url.host;
	ci.origin = c->url.host;
	ci.ssl_connection = 0;
	if (c->url.tls) {
		ci.ssl_connection = LCCSCF_USE_SSL;
		if (!c->cx->tls_verify)
			ci.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK |
					     LCCSCF_ALLOW_EXPIRED | LCCSCF_ALLOW_INSECURE;
	}
	ci.opaque_user_data = s;
	ci.pwsi = &s->wsi;
	s->state = SESSION_CONNECTING;
	s->connect_ns = now;
	log_info("%s: link %u: connecting to %s://%s:%d%.80s%s", c->name, l->idx, c->url.tls ? "wss" : "ws", c->url.host,
		 c->url.port, s->path, strlen(s->path) > 80 ? "..." : "");
	struct lws *w = lws_client_connect_via_info(&ci);
	if (w)
		s->wsi = w;
	else if (s->state == SESSION_CONNECTING)
		session_closed(s, NULL, "connect failed at once");
}

static void link_write_gap_if_open(struct link *l)
{
	if (!l->gap_open)
		return;
	int64_t end = clock_realtime_ns();
	collector_write_gap(l->c, l, l->gap_reason, l->gap_start_ns, end);
	log_info("%s: link %u: data flows again; gap of %.3f s (%s) marked", l->c->name, l->idx,
		 (double)(end - l->gap_start_ns) / 1e9, gap_reason_name(l->gap_reason));
	l->gap_open = false;
}

/* s is gone (wsi: the connection the news came from, if known). */
static void session_closed(struct session *s, struct lws *wsi, const char *why)
{
	struct link *l = s->link;
	struct collector *c = l->c;
	int idx = (int)(s - l->sess);
	struct session *other = &l->sess[1 - idx];
	/* no later callback of this connection may reach the session again */
	if (wsi)
		lws_set_opaque_user_data(wsi, NULL);
	if (s->state == SESSION_IDLE)
		return;
	if (s->wsi && s->wsi != wsi)
		lws_set_opaque_user_data(s->wsi, NULL);
	bool was_streaming = s->streaming, retiring = s->retiring, was_primary = l->primary == idx;
	uint32_t gap_reason = s->close_gap_reason ? s->close_gap_reason : GAP_DISCONNECT;
	char reason[STATUS_DETAIL_MAX];
	snprintf(reason, sizeof(reason), "%s", s->close_why[0] ? s->close_why : why);
	/* our own kills were counted where they were decided (session_tick) */
	bool unasked = !s->killing && !retiring && !runtime_should_stop(c->rt);
	if (unasked)
		status_conn_error(c->status, s->state == SESSION_OPEN ? CONN_ERR_CLOSED_BY_PEER : connect_error_reason(why));
	session_reset(s);
	if (runtime_should_stop(c->rt))
		return;
	if (retiring) {
		log_info("%s: link %u: old connection closed after planned reconnect", c->name, l->idx);
		return;
	}
	log_limited(&c->lim_conn, LOG_LVL_WARNING, "%s: link %u: connection lost: %s", c->name, l->idx, reason);
	set_detail(c, "link %u: %s", l->idx, reason);
	if (was_streaming && !other->streaming && !l->gap_open) {
		l->gap_open = true;
		l->gap_start_ns = l->last_data_wall_ns;
		l->gap_reason = gap_reason;
	}
	int64_t now = clock_monotonic_ns();
	if (was_primary) {
		if (other->state != SESSION_IDLE) {
			l->primary = 1 - idx; /* the successor being opened takes over */
			return;
		}
		l->retry_at_ns = now + backoff_ns(c, l);
	} else {
		l->successor_at_ns = now + backoff_ns(c, l); /* a planned successor failed: try again later */
	}
}

/* Subscribe messages still to send: the first subscription, or a change. */
static bool session_sub_work(const struct session *s)
{
	return s->sub_next < s->sub_total || s->gen_done < s->link->c->sym_gen;
}

static void session_open(struct session *s)
{
	struct link *l = s->link;
	struct collector *c = l->c;
	int64_t now = clock_monotonic_ns();
	s->state = SESSION_OPEN;
	s->open_ns = s->last_frame_ns = s->last_ping_ns = now;
	s->last_data_ns = 0;
	s->sub_next = s->path_consumed;
	s->next_sub_ns = now;
	if (l->ever_connected)
		status_add(c->status, SM_RECONNECTS, 1);
	l->ever_connected = true;
	log_info("%s: link %u: connected (%zu symbols, %zu in the URL)", c->name, l->idx, l->count, s->path_consumed);
	if (session_sub_work(s))
		lws_callback_on_writable(s->wsi);
}

/* The first market data on s: the link streams. */
static void session_first_data(struct session *s)
{
	s->streaming = true;
	s->link->attempt = 0;
	link_write_gap_if_open(s->link);
}

/* Market data on a planned successor that has sent every subscribe
 * message: it replaces the old connection, which closes after
 * COLLECTOR_RETIRE_DRAIN_MS (session_tick), so there is no hole. (At its
 * first data, exchanges that take one channel per message would lose what
 * the old connection carried for the channels still to subscribe.) */
static void session_take_over(struct session *s)
{
	struct link *l = s->link;
	int idx = (int)(s - l->sess);
	if (l->primary != idx && !s->retiring && s->sub_next >= s->sub_total) {
		struct session *old = &l->sess[l->primary];
		if (old->state != SESSION_IDLE) {
			old->retiring = true;
			old->retire_at_ns = clock_monotonic_ns() + (int64_t)COLLECTOR_RETIRE_DRAIN_MS * 1000000;
		}
		l->primary = idx;
		l->successor_at_ns = 0;
		log_info("%s: link %u: successor connection streams, old one closes in %d ms", l->c->name, l->idx,
			 COLLECTOR_RETIRE_DRAIN_MS);
	}
}

/* A message number skipped on the connection (Coinbase sequence_num):
 * what that message carried is lost, and a gap marker says so. A repeat
 * (an older number) changes nothing. */
static void session_check_seq(struct session *s, uint64_t seq, int64_t wall)
{
	struct link *l = s->link;
	struct collector *c = l->c;
	if (s->seq_known && seq > s->next_seq) {
		log_limited(&c->lim_conn, LOG_LVL_WARNING, "%s: link %u: message number %llu, expected %llu: %llu lost",
			    c->name, l->idx, (unsigned long long)seq, (unsigned long long)s->next_seq,
			    (unsigned long long)(seq - s->next_seq));
		collector_write_gap(c, l, GAP_SEQUENCE, l->last_data_wall_ns, wall);
	}
	if (!s->seq_known || seq >= s->next_seq) {
		s->next_seq = seq + 1;
		s->seq_known = true;
	}
}

static void handle_control(struct session *s, const struct frame_out *o)
{
	struct link *l = s->link;
	struct collector *c = l->c;
	int idx = (int)(s - l->sess);
	switch (o->control) {
	case CONTROL_ERROR:
		log_limited(&c->lim_control, LOG_LVL_WARNING, "%s: link %u: exchange error: %s", c->name, l->idx, o->detail);
		set_detail(c, "link %u: exchange error: %.80s", l->idx, o->detail);
		status_conn_error(c->status, CONN_ERR_SUBSCRIBE_REJECTED);
		break;
	case CONTROL_SERVER_SHUTDOWN:
		log_msg(LOG_LVL_NOTICE, "%s: link %u: exchange announced a disconnect; opening a successor", c->name, l->idx);
		s->close_gap_reason = GAP_SERVER_SHUTDOWN;
		if (l->primary == idx && l->sess[1 - idx].state == SESSION_IDLE)
			l->successor_at_ns = clock_monotonic_ns();
		break;
	case CONTROL_NOTICE:
		log_limited(&c->lim_control, LOG_LVL_INFO, "%s: link %u: notice: %s", c->name, l->idx, o->detail);
		break;
	case CONTROL_UNSUPPORTED:
		log_limited(&c->lim_control, LOG_LVL_DEBUG, "%s: link %u: ignored channel %s", c->name, l->idx, o->detail);
		break;
	case CONTROL_REPLY: /* a newer request replaces an unsent answer */
		s->reply_len = strlen(o->detail);
		memcpy(s->reply, o->detail, s->reply_len);
		lws_callback_on_writable(s->wsi);
		break;
	default:
		break;
	}
}

static void session_frame(struct session *s, const char *buf, size_t len, bool binary)
{
	struct link *l = s->link;
	struct collector *c = l->c;
	struct pipeline *p = c->pipe;
	/* liveness at the coarse clock; the tick's own times are precise */
	int64_t now = clock_monotonic_coarse_ns(), wall = clock_realtime_ns();
	s->last_frame_ns = now;
	s->awaiting_pong = false;
	status_add(c->status, SM_MESSAGES, 1);
	status_add(c->status, SM_BYTES, len);
	c->window_frames++;
	enum frame_kind k = pipeline_frame(p, buf, len, binary, wall);
	if (p->out.has_conn_seq)
		session_check_seq(s, p->out.conn_seq, wall);
	if (k == FRAME_REJECT) {
		count_reject(c, l, p->out.reject, buf, len);
		return;
	}
	if (k == FRAME_CONTROL) {
		handle_control(s, &p->out);
		return;
	}
	s->last_data_ns = now;
	l->last_data_wall_ns = wall;
	status_set(c->status, SM_LAST_MESSAGE_NS, (uint64_t)wall);
	if (!s->streaming)
		session_first_data(s);
	session_take_over(s);
	size_t kept = 0;
	for (size_t i = 0; i < p->out.n; i++) {
		if (p->verdict[i] != REJECT_NONE) {
			count_reject(c, l, (enum reject_reason)p->verdict[i], buf, len);
			continue;
		}
		if (c->any_removed && symmap_by_id(&c->symbols, p->ticks[i].symbol_id)->removed)
			continue; /* sent before the exchange took our unsubscribe */
		if (kept != i)
			p->ticks[kept] = p->ticks[i];
		if (c->backfill && tick_is_trade(&p->ticks[kept]))
			backfill_observe(c->backfill, symmap_by_id(&c->symbols, p->ticks[kept].symbol_id), &p->ticks[kept]);
		if (p->ticks[kept].ts_exchange_ns) /* Binance spot's bookTicker carries no time */
			histogram_observe(c->lat_exchange_to_receive, wall - p->ticks[kept].ts_exchange_ns, 1);
		kept++;
	}
	if (!kept)
		return;
	/* one clock read per frame: its ticks share the append's time */
	histogram_observe(c->lat_receive_to_ring, clock_realtime_ns() - wall, kept);
	if (c->ring)
		ring_publish(c->ring, p->ticks, kept);
	status_add(c->status, SM_TICKS_PUBLISHED, kept);
}

/* Frames arrive in pieces (lws buffer size, WebSocket fragments): collect
 * them up to max_frame_bytes; a frame in one piece is used in place. */
static void session_receive(struct session *s, struct lws *wsi, const char *in, size_t len)
{
	struct collector *c = s->link->c;
	bool done = lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0;
	if (!s->rx_in_msg && done) {
		session_frame(s, in, len, lws_frame_is_binary(wsi));
		return;
	}
	if (!s->rx_in_msg) {
		s->rx_in_msg = true;
		s->rx_len = 0;
		s->rx_oversize = false;
		s->rx_binary = lws_frame_is_binary(wsi);
	}
	if (!s->rx_oversize && s->rx_len + len <= c->cx->max_frame_bytes) {
		memcpy(s->rx + s->rx_len, in, len);
		s->rx_len += len;
	} else {
		s->rx_oversize = true;
	}
	if (!done)
		return;
	s->rx_in_msg = false;
	if (s->rx_oversize) {
		s->last_frame_ns = clock_monotonic_ns();
		status_add(c->status, SM_MESSAGES, 1);
		c->window_frames++;
		count_reject(c, s->link, REJECT_OVERSIZE, s->rx, s->rx_len);
		return;
	}
	session_frame(s, s->rx, s->rx_len, s->rx_binary);
}

/* One (un)subscribe message for req's picks from start on, paced by the
 * adapter's interval; *consumed = entries looked at (0 = cannot build:
 * the caller gives up on the rest). Returns -1 when the write failed. */
static int send_sub(struct session *s, const struct sub_request *req, size_t start, char *msg, size_t *consumed)
{
	struct link *l = s->link;
	struct collector *c = l->c;
	int n = c->adapter->build_subscribe(req, start, msg, SUBSCRIBE_BUF, consumed);
	if (n < 0 || *consumed == 0) {
		log_err("%s: link %u: cannot build a%s message for symbol %zu: %d", c->name, l->idx,
			req->unsubscribe ? "n unsubscribe" : " subscribe", start, n);
		*consumed = 0;
		return 0;
	}
	if (n == 0) /* none of them picked: nothing to send */
		return 0;
	/* log first: lws_write masks the buffer in place */
	log_debug("%s: link %u: %ssubscribing %zu symbols: %.200s", c->name, l->idx, req->unsubscribe ? "un" : "",
		  *consumed, msg);
	if (lws_write(s->wsi, (unsigned char *)msg, (size_t)n, LWS_WRITE_TEXT) < n)
		return -1;
	s->next_sub_ns = clock_monotonic_ns() + (int64_t)c->adapter->subscribe_interval_ms * 1000000;
	return 0;
}

static int session_writable(struct session *s)
{
	struct link *l = s->link;
	struct collector *c = l->c;
	unsigned char buf[LWS_PRE + SUBSCRIBE_BUF];
	char *msg = (char *)buf + LWS_PRE;
	int64_t now = clock_monotonic_ns();
	if (s->state != SESSION_OPEN || s->killing)
		return 0;
	if (s->reply_len > 0) {
		memcpy(msg, s->reply, s->reply_len);
		if (lws_write(s->wsi, (unsigned char *)msg, s->reply_len, LWS_WRITE_TEXT) < (int)s->reply_len)
			return -1;
		s->reply_len = 0;
		lws_callback_on_writable(s->wsi);
		return 0;
	}
	if (s->want_ping && c->adapter->ping_text) {
		size_t n = strlen(c->adapter->ping_text);
		memcpy(msg, c->adapter->ping_text, n);
		if (lws_write(s->wsi, (unsigned char *)msg, n, LWS_WRITE_TEXT) < (int)n)
			return -1;
		s->want_ping = false;
		s->awaiting_pong = true;
		s->last_ping_ns = now;
		if (session_sub_work(s))
			lws_callback_on_writable(s->wsi);
		return 0;
	}
	if (!session_sub_work(s) || now < s->next_sub_ns)
		return 0;
	struct sub_request req = {.symbols = &c->symbols, .first = l->first, .quotes = c->cx->quotes,
				  .trades = c->cx->trades, .req_id = ++c->req_id};
	size_t consumed = 0;
	if (s->sub_next < s->sub_total) {
		/* the symbols the link had when this connection opened; those
		 * added since come as a change */
		size_t start = sub_pass(c, &req, s->sub_next, s->sub_total);
		if (send_sub(s, &req, start, msg, &consumed) < 0)
			return -1;
		s->sub_next = consumed ? s->sub_next + consumed : s->sub_total;
	} else {
		/* a live change: unsubscribe the removed, then subscribe the added */
		size_t steps = sub_steps(c, l);
		if (s->delta_next == 0 && !s->delta_adding)
			s->delta_gen = c->sym_gen;
		size_t start = sub_pass(c, &req, s->delta_next, steps);
		req.unsubscribe = !s->delta_adding;
		req.pick = s->delta_adding ? SUB_PICK_ADDED : SUB_PICK_REMOVED;
		req.since_gen = s->gen_done;
		if (send_sub(s, &req, start, msg, &consumed) < 0)
			return -1;
		s->delta_next += consumed;
		if (consumed == 0 || s->delta_next >= steps) {
			if (s->delta_adding)
				s->gen_done = s->delta_gen;
			s->delta_adding = !s->delta_adding;
			s->delta_next = 0;
		}
	}
	if (session_sub_work(s))
		lws_callback_on_writable(s->wsi);
	return 0;
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct session *s = lws_get_opaque_user_data(wsi);
	(void)user;
	if (!s || (s->wsi && s->wsi != wsi))
		return 0;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
		char why[STATUS_DETAIL_MAX];
		snprintf(why, sizeof(why), "connect failed: %.90s", in ? (const char *)in : "unknown error");
		session_closed(s, wsi, why);
		break;
	}
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		session_open(s);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		session_receive(s, wsi, in, len);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		s->last_frame_ns = clock_monotonic_ns();
		s->awaiting_pong = false;
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return session_writable(s);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (!s->close_why[0] && len >= 2) {
			const unsigned char *b = in;
			snprintf(s->close_why, sizeof(s->close_why), "closed by the exchange (code %u)", b[0] << 8 | b[1]);
		}
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		session_closed(s, wsi, "closed by the exchange");
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		session_closed(s, wsi, "connection destroyed");
		break;
	default:
		break;
	}
	return 0;
}

/* Bytes per read from a connection (the service buffer and each
 * connection's receive buffer): 64 KiB take a busy stream in a sixteenth
 * of the 4 KiB default's poll and recv calls. */
#define READ_BYTES 65536

static const struct lws_protocols protocols[] = {
	{"spreadbus-collector", ws_callback, 0, READ_BYTES, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

/* libwebsockets answers the exchange's protocol pings itself and gives us
 * no callback for them, so a Binance connection whose data is quiet but
 * whose pings arrive would look dead. The kernel knows when bytes last
 * came in (TCP ACKs and keepalive probes do not count): the peer is alive
 * if any did within limit_ns. */
static bool session_heard_within(struct session *s, int64_t limit_ns, int64_t now)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	int fd = lws_get_socket_fd(s->wsi);
	if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return false;
	int64_t ago_ns = (int64_t)ti.tcpi_last_data_recv * 1000000;
	if (ago_ns >= limit_ns)
		return false;
	s->last_frame_ns = now - ago_ns;
	return true;
}

static void session_tick(struct link *l, struct session *s, int64_t now)
{
	struct collector *c = l->c;
	char why[STATUS_DETAIL_MAX];
	if (s->killing)
		return;
	if (s->state == SESSION_CONNECTING && now - s->connect_ns > c->connect_timeout_ns) {
		status_conn_error(c->status, CONN_ERR_CONNECT);
		session_kill(s, GAP_DISCONNECT, "connect timeout");
		return;
	}
	if (s->state != SESSION_OPEN)
		return;
	if (s->retiring) {
		/* on its way out: no timeouts, pings or successor of its own */
		if (now >= s->retire_at_ns)
			session_kill(s, GAP_RECONNECT_PLANNED, "replaced by its successor");
		return;
	}
	int64_t data_ref = s->last_data_ns > s->open_ns ? s->last_data_ns : s->open_ns;
	if (now - s->last_frame_ns > c->dead_peer_ns && !session_heard_within(s, c->dead_peer_ns, now)) {
		snprintf(why, sizeof(why), "dead peer: no frame for %u ms", c->cx->dead_peer_timeout_ms);
		status_conn_error(c->status, CONN_ERR_DEAD_PEER);
		session_kill(s, GAP_STALL, why);
		return;
	}
	if (s->sub_next >= s->sub_total && now - data_ref > c->no_data_ns) {
		snprintf(why, sizeof(why), "stalled: no market data for %u ms", c->cx->no_data_timeout_ms);
		status_conn_error(c->status, CONN_ERR_STALLED);
		session_kill(s, GAP_STALL, why);
		return;
	}
	if (s->awaiting_pong && now - s->last_ping_ns > c->pong_timeout_ns) {
		status_conn_error(c->status, CONN_ERR_DEAD_PEER);
		session_kill(s, GAP_STALL, "no answer to our ping");
		return;
	}
	if (c->ping_ns > 0 && c->adapter->ping_text && !s->want_ping && !s->awaiting_pong) {
		bool due = now - s->last_ping_ns >= c->ping_ns;
		if (c->adapter->ping_when_idle)
			due = due && now - s->last_frame_ns >= c->ping_ns;
		if (due) {
			s->want_ping = true;
			lws_callback_on_writable(s->wsi);
		}
	}
	if (session_sub_work(s) && now >= s->next_sub_ns)
		lws_callback_on_writable(s->wsi);
	int idx = (int)(s - l->sess);
	if (l->primary == idx && c->lifetime_ns > 0 && now - s->open_ns > c->lifetime_ns && l->successor_at_ns == 0 &&
	    l->sess[1 - idx].state == SESSION_IDLE) {
		log_info("%s: link %u: connection lifetime reached; opening a successor", c->name, l->idx);
		s->close_gap_reason = GAP_RECONNECT_PLANNED;
		l->successor_at_ns = now;
	}
}

void collector_link_close(struct link *l, const char *why)
{
	l->emptied = true;
	l->retry_at_ns = l->successor_at_ns = 0;
	l->gap_open = false;
	for (int i = 0; i < 2; i++) {
		struct session *s = &l->sess[i];
		if (s->state == SESSION_IDLE)
			continue;
		s->retiring = true;
		session_kill(s, GAP_RECONNECT_PLANNED, why);
	}
	log_info("%s: link %u: closing: %s", l->c->name, l->idx, why);
}

void collector_link_reopen(struct link *l, int64_t now)
{
	l->emptied = false;
	l->attempt = 0;
	l->retry_at_ns = now;
}

void collector_link_resubscribe(struct link *l)
{
	for (int i = 0; i < 2; i++)
		if (l->sess[i].state == SESSION_OPEN && session_sub_work(&l->sess[i]))
			lws_callback_on_writable(l->sess[i].wsi);
}

static enum conn_state link_state(const struct link *l)
{
	const struct session *a = &l->sess[0], *b = &l->sess[1];
	if (a->streaming || b->streaming)
		return CONN_STREAMING;
	if (a->state == SESSION_OPEN || b->state == SESSION_OPEN)
		return CONN_SUBSCRIBING;
	if (a->state == SESSION_CONNECTING || b->state == SESSION_CONNECTING)
		return CONN_CONNECTING;
	return l->retry_at_ns ? CONN_BACKOFF : CONN_IDLE;
}

/* Connection attempts are the exchange's interval apart plus a tick: the
 * exchange counts them when it sees them, after a connect and handshake
 * whose time varies, and attempts exactly the interval apart here can
 * arrive a little closer there. */
static int64_t connect_spacing_ns(const struct adapter *a)
{
	return ((int64_t)a->connect_interval_ms + TICK_MS) * 1000000;
}

static void link_tick(struct link *l, int64_t now, int64_t wall)
{
	struct collector *c = l->c;
	for (int i = 0; i < 2; i++)
		session_tick(l, &l->sess[i], now);
	struct session *p = &l->sess[l->primary], *o = &l->sess[1 - l->primary];
	/* attempts of all links are spaced by the exchange's per-IP limit */
	bool may_connect = now >= c->next_connect_ns;
	int64_t next_connect = now + connect_spacing_ns(c->adapter);
	if (may_connect && p->state == SESSION_IDLE && o->state == SESSION_IDLE && l->retry_at_ns &&
	    now >= l->retry_at_ns) {
		l->retry_at_ns = 0;
		c->next_connect_ns = next_connect;
		session_connect(l, l->primary, now);
	} else if (may_connect && l->successor_at_ns && now >= l->successor_at_ns && o->state == SESSION_IDLE &&
		   p->state == SESSION_OPEN) {
		l->successor_at_ns = 0;
		c->next_connect_ns = next_connect;
		session_connect(l, 1 - l->primary, now);
	}
	enum conn_state st = link_state(l);
	if (st != l->shown) {
		status_set_conn(c->status, l->idx, st, wall);
		l->shown = st;
	}
}

static void report(struct collector *c, int64_t now, int64_t wall)
{
	unsigned streaming = 0;
	bool failed = false;
	for (size_t i = 0; i < c->link_count; i++) {
		streaming += c->links[i].shown == CONN_STREAMING;
		failed = failed || c->links[i].attempt > 0;
	}
	c->ever_streamed = c->ever_streamed || streaming > 0;
	if (now - c->window_start_ns >= HEALTH_WINDOW_NS) {
		c->last_window_frames = c->window_frames;
		c->last_window_rejects = c->window_rejects;
		c->window_frames = c->window_rejects = 0;
		c->window_start_ns = now;
	}
	uint64_t frames = c->last_window_frames + c->window_frames, rejects = c->last_window_rejects + c->window_rejects;
	status_set(c->status, SM_HEALTH_SCORE, health_score(streaming, (unsigned)c->link_count, frames, rejects));
	if (streaming > 0)
		status_set_state(c->status, CHILD_RUNNING);
	else if (c->ever_streamed || failed || now - c->started_mono_ns > c->connect_timeout_ns)
		status_set_state(c->status, CHILD_DEGRADED); /* else still STARTING: first connects under way */
	status_heartbeat(c->status, wall);
}

static void tick(void *arg)
{
	struct collector *c = arg;
	int64_t now = clock_monotonic_ns(), wall = clock_realtime_ns();
	if (runtime_should_stop(c->rt))
		return;
	if (collector_symbols_change_due())
		collector_change_symbols(c);
	for (size_t i = 0; i < c->link_count; i++)
		link_tick(&c->links[i], now, wall);
	if (c->backfill)
		backfill_drain(c->backfill, &c->pipe->dedup, c->ring, c->status);
	if (validate_poll(c->pipe->validate))
		log_info("%s: the tick and lot sizes of %zu instruments in force", c->name, c->pipe->validate->current->count);
	report(c, now, wall);
}

static void lws_log_emit(int level, const char *line)
{
	size_t n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		n--;
	log_msg(level == LLL_ERR ? LOG_LVL_ERR : LOG_LVL_WARNING, "libwebsockets: %.*s", (int)n, line);
}

int collector_run_live(struct collector *c)
{
	struct lws_context_creation_info info;
	int64_t now = clock_monotonic_ns();
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.gid = -1;
	info.uid = -1;
	info.connect_timeout_secs = (unsigned)(c->connect_timeout_ns / 1000000000LL);
	info.pt_serv_buf_size = READ_BYTES;
	if (c->url.tls) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		/* the system's CA bundle: the library's built-in default
		 * directory is not where Debian keeps them */
		if (access(SYSTEM_CA_BUNDLE, R_OK) == 0)
			info.client_ssl_ca_filepath = SYSTEM_CA_BUNDLE;
	}
	lws_set_log_level(LLL_ERR, lws_log_emit);
	c->ctx = lws_create_context(&info);
	if (!c->ctx) {
		log_err("%s: cannot create the libwebsockets context", c->name);
		return -ENOMEM;
	}
	c->started_mono_ns = now;
	c->window_start_ns = now;
	for (size_t i = 0; i < c->link_count; i++)
		c->links[i].retry_at_ns = now; /* spaced by connect_interval_ms */
	int rc = loop_timer_start(&c->tick_timer, c->ctx, TICK_MS * 1000, tick, c);
	if (rc < 0) {
		log_err("%s: cannot start the loop's timer: %s", c->name, strerror(-rc));
		lws_context_destroy(c->ctx);
		c->ctx = NULL;
		return rc;
	}
	while (!runtime_should_stop(c->rt))
		if (lws_service(c->ctx, 0) < 0)
			break;
	runtime_set_stopping(c->rt);
	lws_context_destroy(c->ctx);
	c->ctx = NULL;
	return 0;
}

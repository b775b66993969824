/* fakex: the WebSocket side. One lws protocol serves every exchange vhost;
 * each writable callback sends one batch of pre-formatted frames (built in
 * one static buffer, one lws_write) paced by a per-connection token bucket;
 * a 5 ms tick enforces the keepalive rules and paces idle connections. */
#include "tests/fakex/fakex.h"
#include "tests/fakex/misbehave.h"
#include "tests/fakex/gzframe.h"
#include "tests/fakex/wsframe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TICK_US 5000
#define BATCH_BYTES (384 * 1024)
#define BATCH_SOFT_LIMIT (256 * 1024) /* stop adding data frames past this */
#define EVENT_LINE_BYTES 9000           /* a client request (8 KiB) quoted whole */

struct fx_server fx;

const char *const fx_counter_names[FXC_COUNT] = {
	"connections_total",
	"refused",
	"subscribe_requests",
	"quotes",
	"trades",
	"malformed",
	"oversize",
	"binary",
	"duplicate",
	"out_of_order",
	"crossed",
	"off_tick",
	"off_lot",
	"jump",
	"notices",
	"pings_sent",
	"pongs_received",
	"pings_received",
	"pongs_sent",
	"closed_keepalive",
	"closed_command",
	"closed_lifetime",
	"closed_rate_limit",
	"closed_protocol",
	"bytes_sent",
	"seq_skipped",
};

static uint8_t batch[LWS_PRE + BATCH_BYTES];
int64_t fx_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t fx_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

const struct fx_symbol *fx_symbol_find(const char *name, size_t len, int which)
{
	for (unsigned i = 0; i < fx.nsymbols; i++) {
		const struct fx_symbol *s = &fx.symbols[i];
		const char *n = which == FX_NAME_CANON ? s->canon : which == FX_NAME_COMPACT ? s->compact : s->lower;
		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return s;
	}
	return NULL;
}

void fx_log_event(const struct fx_exchange *ex, unsigned conn, const char *fmt, ...)
{
	char line[EVENT_LINE_BYTES];
	struct timespec ts;
	va_list ap;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	int n = snprintf(line, sizeof line - 1, "fakex-event %lld.%03ld %s %u ", ms, (ts.tv_nsec / 1000) % 1000,
			 ex->proto->name, conn);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof line - 1 - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof line - 2)
		n = (int)sizeof line - 2;
	for (int i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20)
			line[i] = '?';
	line[n++] = '\n';
	/* one write per line: lines of a busy server never interleave */
	if (write(STDOUT_FILENO, line, (size_t)n) < 0)
		return;
}

void fx_session_reply(struct fx_session *s, const char *text, size_t len)
{
	struct fxbuf b = fxbuf_on(s->ctl + s->ctl_len, sizeof s->ctl - s->ctl_len);
	size_t start = wsframe_begin(&b);
	fxbuf_putn(&b, text, len);
	if (!(s->ex->proto->gzip_frames ? gzframe_end(&b, start) : wsframe_end(&b, start, WS_TEXT))) {
		fprintf(stderr, "fakex: %s: reply queue full, closing\n", s->ex->proto->name);
		fx_session_close(s, FXC_CLOSED_PROTOCOL);
		return;
	}
	s->ctl_len += b.len;
	lws_callback_on_writable(s->wsi);
}

void fx_session_close(struct fx_session *s, enum fx_counter why)
{
	if (!s->close_why)
		s->close_why = (int)why;
	lws_callback_on_writable(s->wsi);
}

/* A real feed goes on while nobody listens: a stream whose last reader
 * left skips the ids it would have used meanwhile (one per 10 ms, at least
 * one) when a reader comes back, so a hole between two connections shows
 * in the ids sent. */
#define UNREAD_MS_PER_ID 10

static void stream_join(struct fx_exchange *ex, uint16_t sym, enum fx_kind kind)
{
	if (ex->readers[sym][kind]++ == 0 && ex->unread_since_ns[sym][kind]) {
		uint64_t skip = 1 + (uint64_t)((fx_now_ns() - ex->unread_since_ns[sym][kind]) / 1000000 / UNREAD_MS_PER_ID);
		if (kind == FX_QUOTES)
			ex->markets[sym].update_id += skip;
		else
			ex->markets[sym].trade_id += skip;
	}
	ex->streams++;
}

static void stream_leave(struct fx_exchange *ex, uint16_t sym, enum fx_kind kind)
{
	if (--ex->readers[sym][kind] == 0)
		ex->unread_since_ns[sym][kind] = fx_now_ns();
	ex->streams--;
}

int fx_session_subscribe(struct fx_session *s, const struct fx_symbol *sym, enum fx_kind kind)
{
	uint16_t idx = (uint16_t)(sym - fx.symbols);
	for (unsigned i = 0; i < s->nsubs; i++)
		if (s->subs[i].sym == idx && s->subs[i].kind == kind)
			return -EEXIST;
	if (s->nsubs == FX_MAX_SUBS)
		return -ENOSPC;
	/* like a real feed, a new subscriber gets events from now on */
	s->subs[s->nsubs++] =
		(struct fx_sub){ .sym = idx, .kind = (uint8_t)kind, .cursor = s->ex->tapes[idx][kind].head };
	stream_join(s->ex, idx, kind);
	lws_callback_on_writable(s->wsi);
	return 0;
}

int fx_session_unsubscribe(struct fx_session *s, const struct fx_symbol *sym, enum fx_kind kind)
{
	uint16_t idx = (uint16_t)(sym - fx.symbols);
	for (unsigned i = 0; i < s->nsubs; i++) {
		if (s->subs[i].sym == idx && s->subs[i].kind == kind) {
			s->subs[i] = s->subs[--s->nsubs];
			stream_leave(s->ex, idx, kind);
			return 0;
		}
	}
	return -ENOENT;
}

/* ---- data frames, good and bad ---- */

/* Next stream to serve: round robin over the subscriptions, where trade
 * streams take part in one round out of trade_every. */
static struct fx_sub *next_sub(struct fx_session *s)
{
	for (unsigned tries = 0; tries < s->nsubs * fx.opt.trade_every + 1; tries++) {
		unsigned i = s->next_sub++;
		struct fx_sub *sub = &s->subs[i % s->nsubs];
		if (sub->kind == FX_QUOTES || (i / s->nsubs) % fx.opt.trade_every == 0)
			return sub;
	}
	return &s->subs[0];
}

static void count(struct fx_session *s, enum fx_counter c)
{
	s->ex->counters[c]++;
}

struct gen_arg {
	struct fx_symbol *sym;
	struct fx_market *market;
	int64_t now_ms;
};

static void gen_quote(union fx_event *out, void *arg)
{
	struct gen_arg *g = arg;
	prices_quote(g->sym, g->market, g->now_ms, &out->quote);
}

static void gen_trade(union fx_event *out, void *arg)
{
	struct gen_arg *g = arg;
	prices_trade(g->sym, g->market, g->now_ms, &out->trade);
}

/* Which misbehaviour, if any, this frame carries: repeats need a previous
 * frame, and backwards ids and crossed books need a quote stream. */
static enum fx_fault choose_fault(const struct fx_session *s, const struct fx_sub *sub)
{
	static const enum fx_fault any_stream[] = { FXF_MALFORMED, FXF_OVERSIZE, FXF_BINARY };

	if (s->last_len && misbehave_take(FXF_DUPLICATE))
		return FXF_DUPLICATE;
	for (size_t i = 0; i < sizeof any_stream / sizeof any_stream[0]; i++)
		if (misbehave_take(any_stream[i]))
			return any_stream[i];
	if (sub->kind != FX_QUOTES)
		return FXF_COUNT;
	if (s->last_quote_id[sub->sym] > 1 && misbehave_take(FXF_OUT_OF_ORDER))
		return FXF_OUT_OF_ORDER;
	if (misbehave_take(FXF_CROSSED))
		return FXF_CROSSED;
	return misbehave_take_spoiler(s->ex->proto);
}

/* Formats the stream's next event (spoiled as the fault says) as a frame;
 * returns the event's own id (update or trade id). */
static uint64_t format_event(struct fx_session *s, struct fx_sub *sub, struct fxbuf *b, enum fx_fault fault,
			 enum malformed_kind mk, int64_t now_ms)
{
	struct fx_tape *tape = &s->ex->tapes[sub->sym][sub->kind];
	struct gen_arg gen = { .sym = &fx.symbols[sub->sym], .market = &s->ex->markets[sub->sym], .now_ms = now_ms };
	struct fx_taint taint = { .pad_bytes = fault == FXF_OVERSIZE ? MISBEHAVE_OVERSIZE_PAD : 0 };

	if (sub->kind == FX_QUOTES) {
		struct fx_quote q = tape_next(tape, &sub->cursor, gen_quote, &gen)->quote;
		misbehave_taint(mk, &taint, &q.sym, &q.ts_ms);
		q.taint = taint;
		uint64_t id = q.update_id;
		if (fault == FXF_OUT_OF_ORDER)
			q.update_id = s->last_quote_id[sub->sym] - 1;
		if (fault == FXF_CROSSED)
			q.bid = q.ask + (q.ask - q.bid);
		misbehave_spoil_quote(fault, &q);
		s->ex->proto->quote(b, s, &q);
		if (fault == FXF_COUNT)
			s->last_quote_id[sub->sym] = q.update_id;
		return id;
	}
	struct fx_trade t = tape_next(tape, &sub->cursor, gen_trade, &gen)->trade;
	misbehave_taint(mk, &taint, &t.sym, &t.ts_ms);
	t.taint = taint;
	s->ex->proto->trade(b, s, &t);
	return t.trade_id;
}

/* A good event left on some connection: count it once per stream. */
static void record_sent(struct fx_session *s, struct fx_sub *sub, uint64_t id)
{
	struct fx_sent *sent = &s->ex->sent[sub->sym][sub->kind];
	if (!tape_mark_sent(&s->ex->tapes[sub->sym][sub->kind], sub->cursor - 1))
		return;
	if (!sent->count || id < sent->first_id)
		sent->first_id = id;
	if (!sent->count || id > sent->last_id)
		sent->last_id = id;
	sent->count++;
}

static void append_data(struct fx_session *s, struct fxbuf *b, int64_t now_ms)
{
	static const enum fx_counter fault_counter[FXF_COUNT] = {
		[FXF_MALFORMED] = FXC_MALFORMED, [FXF_OVERSIZE] = FXC_OVERSIZE,         [FXF_BINARY] = FXC_BINARY,
		[FXF_DUPLICATE] = FXC_DUPLICATE, [FXF_OUT_OF_ORDER] = FXC_OUT_OF_ORDER, [FXF_CROSSED] = FXC_CROSSED,
		[FXF_OFF_TICK] = FXC_OFF_TICK,   [FXF_OFF_LOT] = FXC_OFF_LOT,           [FXF_JUMP] = FXC_JUMP,
		[FXF_SEQ_SKIP] = FXC_SEQ_SKIPPED,
	};
	struct fx_sub *sub = next_sub(s);
	enum fx_fault fault = choose_fault(s, sub);
	enum malformed_kind mk = fault == FXF_MALFORMED ? misbehave_next_malformed(s->ex->proto, sub->kind) : MF_NONE;
	size_t start = b->len;
	uint64_t id = 0;
	bool sent, skip = false;

	if (fault == FXF_DUPLICATE) {
		fxbuf_putn(b, (const char *)s->last_frame, s->last_len);
		sent = !b->overflow;
	} else {
		start = wsframe_begin(b);
		if (mk == MF_GARBAGE) {
			fxbuf_put(b, MISBEHAVE_GARBAGE);
		} else {
			/* a number skipped: as if a message had been lost */
			skip = s->ex->proto->numbers_messages && misbehave_take(FXF_SEQ_SKIP);
			s->msgs_numbered += skip;
			id = format_event(s, sub, b, fault, mk, now_ms);
		}
		if (mk == MF_TRUNCATED && !b->overflow)
			b->len = start + 4 + (b->len - start - 4) / 2;
		sent = s->ex->proto->gzip_frames && fault != FXF_BINARY ? gzframe_end(b, start)
								      : wsframe_end(b, start, fault == FXF_BINARY ? WS_BINARY : WS_TEXT);
		/* did not fit: the event waits for the next batch */
		if (!sent && mk != MF_GARBAGE)
			sub->cursor--;
	}
	if (!sent) {
		b->len = start;
		b->overflow = false;
		if (fault != FXF_COUNT)
			misbehave_give_back(fault);
		if (skip) {
			s->msgs_numbered--;
			misbehave_give_back(FXF_SEQ_SKIP);
		}
		return;
	}
	if (fault != FXF_DUPLICATE && mk != MF_GARBAGE)
		s->msgs_numbered++;
	if (skip)
		count(s, FXC_SEQ_SKIPPED);
	if (fault != FXF_COUNT) {
		count(s, fault_counter[fault]);
		return;
	}
	count(s, sub->kind == FX_QUOTES ? FXC_QUOTES : FXC_TRADES);
	record_sent(s, sub, id);
	if (b->len - start <= sizeof s->last_frame) {
		memcpy(s->last_frame, b->p + start, b->len - start);
		s->last_len = b->len - start;
	}
}

static bool stalled(int64_t now_ns)
{
	return now_ns < fx.stall_until_ns;
}

/* "quiet": no market data, while pings, pongs and acks still flow */
static bool quiet(int64_t now_ns)
{
	return now_ns < fx.quiet_until_ns;
}

static bool silent(const struct fx_session *s, int64_t now_ns)
{
	return now_ns < s->silent_until_ns;
}

static void refill(struct fx_session *s, int64_t now_ns)
{
	/* at most 20 ms of backlog: a slow reader lowers the achieved rate
	 * instead of receiving a burst later */
	double cap = fx.rate * 0.02 > 1 ? fx.rate * 0.02 : 1;
	s->tokens += (double)(now_ns - s->tokens_ns) * 1e-9 * fx.rate;
	if (s->tokens > cap)
		s->tokens = cap;
	s->tokens_ns = now_ns;
}

static int write_batch(struct fx_session *s)
{
	int64_t now_ns = fx_now_ns(), now_ms = fx_wall_ms();
	struct fxbuf b = fxbuf_on(batch + LWS_PRE, BATCH_BYTES);

	if (silent(s, now_ns))
		return 0; /* a dead peer does not even close */
	if (s->close_why) {
		if (!s->close_counted)
			count(s, (enum fx_counter)s->close_why);
		s->close_counted = true;
		lws_close_reason(s->wsi,
				 s->close_why == FXC_CLOSED_PROTOCOL ? LWS_CLOSE_STATUS_POLICY_VIOLATION
								     : LWS_CLOSE_STATUS_GOINGAWAY,
				 NULL, 0);
		return -1;
	}
	if (stalled(now_ns))
		return 0;
	if (s->want_ping) {
		size_t start = wsframe_begin(&b);
		fxbuf_i64(&b, now_ms);
		s->ping_payload_len = b.len - start - 4;
		memcpy(s->ping_payload, b.p + start + 4, s->ping_payload_len);
		wsframe_end(&b, start, WS_PING);
		s->want_ping = false;
		s->ping_outstanding = true;
		s->ping_sent_ns = now_ns;
		count(s, FXC_PINGS_SENT);
	}
	fxbuf_putn(&b, (const char *)s->ctl, s->ctl_len);
	s->ctl_len = 0;
	if (s->notice_pending && s->ex->proto->notice) {
		size_t start = wsframe_begin(&b);
		s->ex->proto->notice(&b, s, now_ms);
		if (wsframe_end(&b, start, WS_TEXT)) {
			count(s, FXC_NOTICES);
			fx_log_event(s->ex, s->serial, "notice");
		}
		s->notice_pending = false;
	}
	refill(s, now_ns);
	while (s->nsubs && s->tokens >= 1 && b.len < BATCH_SOFT_LIMIT && !quiet(now_ns)) {
		size_t before = b.len;
		append_data(s, &b, now_ms);
		if (b.len == before)
			break;
		s->tokens -= 1;
	}
	if (b.len == 0)
		return 0;
	if (lws_write(s->wsi, batch + LWS_PRE, b.len, LWS_WRITE_RAW) < 0)
		return -1;
	s->ex->counters[FXC_BYTES_SENT] += b.len;
	s->last_push_ns = now_ns;
	if (s->nsubs && s->tokens >= 1 && !quiet(now_ns))
		lws_callback_on_writable(s->wsi);
	return 0;
}

/* ---- keepalive rules and pacing, every tick ---- */

static void check_session(struct fx_session *s, int64_t now)
{
	const int64_t ms = 1000000;
	int64_t idle_limit = fx.opt.okx_idle_ms * ms;

	if (silent(s, now))
		return;
	if (s->silenced) {
		/* back to life: read again; timers start over */
		s->silenced = false;
		s->last_push_ns = s->last_client_ping_ns = s->ping_sent_ns = now;
		s->ping_outstanding = false;
		lws_rx_flow_control(s->wsi, 1);
	}
	if (fx.opt.max_lifetime_ms && now - s->opened_ns > fx.opt.max_lifetime_ms * ms)
		fx_session_close(s, FXC_CLOSED_LIFETIME);
	if (s->close_at_ns && now >= s->close_at_ns)
		fx_session_close(s, FXC_CLOSED_COMMAND);
	switch (s->ex->proto->keepalive) {
	case FX_KA_SERVER_PING:
		if (s->ping_outstanding && now - s->ping_sent_ns > fx.opt.binance_pong_timeout_ms * ms)
			fx_session_close(s, FXC_CLOSED_KEEPALIVE);
		if (!stalled(now) && !s->want_ping &&
		    now - (s->ping_sent_ns ? s->ping_sent_ns : s->opened_ns) >= fx.opt.binance_ping_ms * ms &&
		    !s->ping_outstanding) {
			s->want_ping = true;
			lws_callback_on_writable(s->wsi);
		}
		break;
	case FX_KA_CLIENT_PING:
		if (now - s->last_client_ping_ns > fx.opt.bybit_ping_timeout_ms * ms)
			fx_session_close(s, FXC_CLOSED_KEEPALIVE);
		if (s->ex->proto->app_ping && !stalled(now) &&
		    now - (s->ping_sent_ns ? s->ping_sent_ns : s->opened_ns) >= fx.opt.binance_ping_ms * ms) {
			s->ex->proto->app_ping(s);
			s->ping_sent_ns = now;
			lws_callback_on_writable(s->wsi);
		}
		break;
	case FX_KA_IDLE_CLOSE:
		if ((!s->nsubs && now - s->opened_ns > idle_limit) || now - s->last_push_ns > idle_limit)
			fx_session_close(s, FXC_CLOSED_KEEPALIVE);
		break;
	}
	if (stalled(now) || s->close_why)
		return;
	if (s->ctl_len || s->notice_pending) {
		lws_callback_on_writable(s->wsi);
	} else if (s->nsubs && fx.rate > 0 && !quiet(now)) {
		refill(s, now);
		if (s->tokens >= 1)
			lws_callback_on_writable(s->wsi);
	}
}

static void on_tick(void *arg)
{
	(void)arg;
	int64_t now = fx_now_ns();
	for (struct fx_session *s = fx.sessions; s; s = s->next)
		check_session(s, now);
}

int fx_server_start_tick(void)
{
	misbehave_init();
	return loop_timer_start(&fx.tick, fx.ctx, TICK_US, on_tick, NULL);
}

void fx_close_all(void)
{
	for (struct fx_session *s = fx.sessions; s; s = s->next)
		fx_session_close(s, FXC_CLOSED_COMMAND);
}

void fx_shutdown_notice(void)
{
	int64_t now = fx_now_ns();
	for (struct fx_session *s = fx.sessions; s; s = s->next) {
		s->notice_pending = s->ex->proto->notice != NULL;
		s->close_at_ns = now + (s->notice_pending ? fx.opt.shutdown_grace_ms * 1000000 : 0);
		lws_callback_on_writable(s->wsi);
	}
}

void fx_silence(int64_t ms)
{
	int64_t until = fx_now_ns() + ms * 1000000;
	for (struct fx_session *s = fx.sessions; s; s = s->next) {
		s->silent_until_ns = until;
		s->silenced = true;
		/* reading nothing, libwebsockets answers no ping either */
		lws_rx_flow_control(s->wsi, 0);
		fx_log_event(s->ex, s->serial, "silent %lld ms", (long long)ms);
	}
}

int fx_drop(unsigned serial)
{
	for (struct fx_session *s = fx.sessions; s; s = s->next) {
		if (s->serial != serial)
			continue;
		if (shutdown(lws_get_socket_fd(s->wsi), SHUT_RDWR) < 0)
			return -errno;
		count(s, FXC_CLOSED_COMMAND);
		s->close_why = FXC_CLOSED_COMMAND;
		s->close_counted = true;
		fx_log_event(s->ex, s->serial, "dropped");
		return 0;
	}
	return -ENOENT;
}

void fx_set_rate(double rate)
{
	fx.rate = rate;
	for (struct fx_session *s = fx.sessions; s; s = s->next)
		s->tokens = 0;
}

/* ---- the lws protocol ---- */

static int request_target(struct lws *wsi, char *path, size_t path_cap, char *query, size_t query_cap)
{
	if (lws_hdr_copy(wsi, path, (int)path_cap, WSI_TOKEN_GET_URI) < 0)
		return -EINVAL;
	query[0] = '\0';
	size_t used = 0;
	for (int i = 0;; i++) {
		char frag[4096];
		int n = lws_hdr_copy_fragment(wsi, frag, sizeof frag, WSI_TOKEN_HTTP_URI_ARGS, i);
		if (n <= 0)
			break;
		if (used + (size_t)n + 2 > query_cap)
			return -EINVAL;
		if (used)
			query[used++] = '&';
		memcpy(query + used, frag, (size_t)n + 1);
		used += (size_t)n;
	}
	return 0;
}

static void conn_id(char *out, size_t cap)
{
	static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	uint64_t r1 = prices_rand(&fx.rng), r2 = prices_rand(&fx.rng);
	size_t i = 0;
	for (; i < 20 && i + 1 < cap; i++, r1 /= 36)
		out[i] = alphabet[(r1 ^ (r2 >> i)) % 36];
	out[i] = '\0';
}

static void session_open(struct fx_session *s, struct lws *wsi, struct fx_exchange *ex)
{
	char path[256], query[8192];
	int64_t now = fx_now_ns();

	s->wsi = wsi;
	s->ex = ex;
	s->opened_ns = s->last_push_ns = s->last_client_ping_ns = s->tokens_ns = s->window_start_ns = now;
	conn_id(s->conn_id, sizeof s->conn_id);
	s->next = fx.sessions;
	s->pprev = &fx.sessions;
	if (fx.sessions)
		fx.sessions->pprev = &s->next;
	fx.sessions = s;
	s->serial = ++fx.sessions_opened;
	ex->connections++;
	count(s, FXC_CONNECTIONS_TOTAL);
	if (request_target(wsi, path, sizeof path, query, sizeof query) == 0) {
		ex->proto->open(s, path, query[0] ? query : NULL);
		fx_log_event(s->ex, s->serial, "open %s%s%s streams=%u", path, query[0] ? "?" : "", query, s->nsubs);
	}
}

static void session_gone(struct fx_session *s)
{
	if (!s->ex)
		return;
	fx_log_event(s->ex, s->serial, "closed %s", s->close_why ? fx_counter_names[s->close_why] : "by_client");
	*s->pprev = s->next;
	if (s->next)
		s->next->pprev = s->pprev;
	s->ex->connections--;
	for (unsigned i = 0; i < s->nsubs; i++)
		stream_leave(s->ex, s->subs[i].sym, (enum fx_kind)s->subs[i].kind);
	s->ex = NULL;
}

/* Binance's limit on incoming messages (pongs and requests alike). */
static void count_incoming(struct fx_session *s)
{
	int64_t now = fx_now_ns();
	if (s->ex->proto != &fx_proto_binance || !fx.opt.binance_max_msgs_per_s)
		return;
	if (now - s->window_start_ns >= 1000000000LL) {
		s->window_start_ns = now;
		s->window_msgs = 0;
	}
	if (++s->window_msgs > fx.opt.binance_max_msgs_per_s)
		fx_session_close(s, FXC_CLOSED_RATE_LIMIT);
}

static void on_receive(struct fx_session *s, struct lws *wsi, const char *in, size_t len)
{
	if (s->rx_len + len >= sizeof s->rx) {
		fprintf(stderr, "fakex: %s: client message over %zu bytes, closing\n", s->ex->proto->name,
			sizeof s->rx);
		fx_session_close(s, FXC_CLOSED_PROTOCOL);
		s->rx_len = 0;
		return;
	}
	memcpy(s->rx + s->rx_len, in, len);
	s->rx_len += len;
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return;
	count_incoming(s);
	if (lws_frame_is_binary(wsi))
		fx_log_event(s->ex, s->serial, "recv binary %zu bytes", s->rx_len);
	else
		fx_log_event(s->ex, s->serial, "recv text %.*s", (int)s->rx_len, s->rx);
	if (!lws_frame_is_binary(wsi))
		s->ex->proto->on_text(s, s->rx, s->rx_len);
	s->rx_len = 0;
}

static int callback_exchange(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct fx_session *s = user;
	struct lws_vhost *vh = wsi ? lws_get_vhost(wsi) : NULL;
	struct fx_exchange *ex = vh ? lws_vhost_user(vh) : NULL;

	switch (reason) {
	case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		if (fx_now_ns() < fx.refuse_until_ns) {
			if (ex) {
				ex->counters[FXC_REFUSED]++;
				fx_log_event(ex, 0, "refused");
			}
			return 1;
		}
		if (reason == LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION && ex) {
			char path[256], query[8192];
			if (request_target(wsi, path, sizeof path, query, sizeof query) ||
			    ex->proto->open(NULL, path, query[0] ? query : NULL)) {
				if (fx.opt.verbose)
					fprintf(stderr, "fakex: %s: rejected upgrade to %s?%s\n", ex->proto->name, path,
						query);
				return 1;
			}
		}
		return 0;
	case LWS_CALLBACK_ESTABLISHED:
		if (!ex)
			return -1;
		session_open(s, wsi, ex);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		if (s->ex)
			on_receive(s, wsi, in, len);
		return 0;
	case LWS_CALLBACK_RECEIVE_PONG:
		if (!s->ex)
			return 0;
		count(s, FXC_PONGS_RECEIVED);
		count_incoming(s);
		fx_log_event(s->ex, s->serial, "recv pong");
		/* only a pong carrying our ping's payload counts; unsolicited
		 * ones do not prevent the disconnect (Binance's rule) */
		if (len == s->ping_payload_len && memcmp(in, s->ping_payload, len) == 0)
			s->ping_outstanding = false;
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE: return s->ex ? write_batch(s) : 0;
	case LWS_CALLBACK_CLOSED: session_gone(s); return 0;
	default: return 0;
	}
}

const struct lws_protocols fx_exchange_protocols[2] = {
	{
		.name = "fakex-exchange",
		.callback = callback_exchange,
		.per_session_data_size = sizeof(struct fx_session),
		.rx_buffer_size = 4096,
	},
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

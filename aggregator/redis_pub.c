/* hiredis async driven by poll(2) with a zero timeout from the caller's
 * loop: our own event "adapter" only records what hiredis wants. Failures
 * close the connection outside hiredis callbacks and open the breaker. */
#include "aggregator/redis_pub.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <hiredis/sds.h>

#include "common/fmt.h"
#include "common/log.h"

#define MAX_FIELDS 32
/* Unsent bytes in hiredis's output buffer above which no new update is
 * queued: hiredis moves the unsent rest to the front after every partial
 * write, and whatever waits here is older than what conflation holds. */
#define MAX_UNSENT_BYTES (64 * 1024)
/* Redis is "behind" when its oldest unanswered command is older than this:
 * then no new update is sent and they are conflated instead. It bounds the
 * queueing in front of Redis to ~5 ms (the pipeline itself stays full:
 * on loopback a reply normally comes within tens of microseconds). */
#define BEHIND_NS (5 * 1000000LL)
/* Consecutive error replies to data commands that open the breaker. */
#define ERRORS_TO_TRIP 64

enum cmd_kind { CMD_AUTH = 1, CMD_SELECT, CMD_PING, CMD_PUBLISH, CMD_XADD, CMD_HSET, CMD_CANDLE_XADD, CMD_CANDLE_PUBLISH,
		CMD_ALERT_XADD, CMD_ALERT_PUBLISH, CMD_HSET_PAIRS };
enum pub_state { RP_DOWN, RP_CONNECTING, RP_HANDSHAKE, RP_UP };

struct redis_pub {
	struct config_redis cfg;
	redisAsyncContext *ac;
	enum pub_state state;
	bool want_read, want_write;
	bool failing;             /* a callback asked to close; done outside callbacks */
	int64_t now_ns;
	int64_t retry_at_ns;
	int64_t backoff_ns;
	int64_t connect_started_ns;
	int64_t last_progress_ns; /* last reply, or when replies started to be awaited */
	int64_t *sent_ns;         /* ring: send time of each command awaiting a reply, oldest at sent_head */
	size_t sent_cap, sent_head;
	size_t pending;           /* commands awaiting a reply */
	uint32_t errors_in_row;
	struct redis_pub_counters c;
	char detail[REDIS_PUB_DETAIL_MAX];
	char maxlen[24];
	struct log_limit lim;      /* error replies */
	struct log_limit lim_conn; /* connection failures, one per breaker retry */
	char *resp; /* one formatted command */
	size_t resp_cap, resp_len;
	const char *argv[6 + 2 * MAX_FIELDS];
	size_t argvlen[6 + 2 * MAX_FIELDS];
};

static const char *cmd_name(unsigned kind)
{
	static const char *const names[] = {"", "AUTH", "SELECT", "PING", "PUBLISH", "XADD", "HSET", "XADD", "PUBLISH", "XADD", "PUBLISH", "HSET"};
	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

static int64_t stall_timeout_ns(const struct redis_pub *p)
{
	/* A server that answers nothing for this long while commands wait is
	 * treated as dead (hung, stopped, or a black-holed network). Generous:
	 * a busy server replies late, not never. */
	int64_t ms = 4 * (int64_t)p->cfg.connect_timeout_ms;
	return (ms < 2000 ? 2000 : ms) * 1000000LL;
}

static void set_detail(struct redis_pub *p, const char *fmt, const char *what)
{
	snprintf(p->detail, sizeof(p->detail), fmt, what);
}

/* Ask for the connection to be closed; the first reason is the one kept. */
static void fail(struct redis_pub *p, const char *fmt, const char *what)
{
	if (p->failing)
		return;
	p->failing = true;
	set_detail(p, fmt, what);
	log_limited(&p->lim_conn, LOG_LVL_ERR, "%s", p->detail);
}

/* The connection is gone (freed by hiredis or by us): open the breaker. */
static void gone(struct redis_pub *p, const char *why)
{
	p->ac = NULL;
	p->want_read = p->want_write = false;
	p->pending = 0;
	p->sent_head = 0;
	if (p->state == RP_DOWN)
		return;
	if (!p->failing && why) {
		set_detail(p, "redis: %s", why);
		log_limited(&p->lim_conn, LOG_LVL_ERR, "%s", p->detail);
	}
	p->failing = false;
	p->state = RP_DOWN;
	p->c.up = false;
	p->c.errors++;
	p->retry_at_ns = p->now_ns + p->backoff_ns;
	p->backoff_ns *= 2;
	if (p->backoff_ns > (int64_t)p->cfg.breaker_max_ms * 1000000LL)
		p->backoff_ns = (int64_t)p->cfg.breaker_max_ms * 1000000LL;
}

static void close_now(struct redis_pub *p)
{
	redisAsyncContext *ac = p->ac;
	if (ac) {
		p->ac = NULL;
		redisAsyncFree(ac); /* pending callbacks get NULL replies */
	}
	gone(p, NULL);
}

static void on_handshake_error(struct redis_pub *p, unsigned kind, const char *msg)
{
	if (strncmp(msg, "NOAUTH", 6) == 0)
		fail(p, "redis: server requires a password, set [redis] password: %s", msg);
	else if (kind == CMD_AUTH)
		fail(p, "redis: AUTH refused (wrong password?): %s", msg);
	else if (kind == CMD_SELECT)
		fail(p, "redis: SELECT refused (db index out of range?): %s", msg);
	else
		fail(p, "redis: handshake refused: %s", msg);
}

static void on_reply(redisAsyncContext *ac, void *r, void *privdata)
{
	struct redis_pub *p = ac->data;
	const redisReply *reply = r;
	unsigned kind = (unsigned)(uintptr_t)privdata;
	if (p->pending) {
		p->pending--;
		p->sent_head = (p->sent_head + 1) % p->sent_cap;
	}
	p->last_progress_ns = p->now_ns;
	if (!reply) { /* connection closed before the reply */
		if (kind == CMD_PUBLISH)
			p->c.dropped++;
		return;
	}
	if (kind == CMD_CANDLE_XADD) /* answered, either way: it leaves the candle backlog */
		p->c.candles_answered++;
	if (reply->type == REDIS_REPLY_ERROR) {
		p->c.errors++;
		if (kind == CMD_PUBLISH)
			p->c.dropped++;
		if (kind == CMD_CANDLE_XADD)
			p->c.candles_refused++;
		if (kind <= CMD_PING) {
			on_handshake_error(p, kind, reply->str);
			return;
		}
		set_detail(p, "redis: error reply: %s", reply->str);
		log_limited(&p->lim, LOG_LVL_WARNING, "redis: %s failed: %s", cmd_name(kind), reply->str);
		if (++p->errors_in_row >= ERRORS_TO_TRIP)
			fail(p, "redis: %s; opening the breaker", "too many error replies in a row");
		return;
	}
	p->errors_in_row = 0;
	if (kind == CMD_PUBLISH)
		p->c.published++;
	if (kind == CMD_PING && p->state == RP_HANDSHAKE && !p->failing) {
		p->state = RP_UP;
		p->c.up = true;
		p->c.connections++;
		p->backoff_ns = (int64_t)p->cfg.breaker_min_ms * 1000000LL;
		p->detail[0] = '\0';
		if (p->cfg.unix_socket[0])
			log_info("redis: connected to %s db %u", p->cfg.unix_socket, p->cfg.db);
		else
			log_info("redis: connected to %s:%u db %u", p->cfg.host, p->cfg.port, p->cfg.db);
	}
}

static void on_connect(const redisAsyncContext *ac, int status)
{
	struct redis_pub *p = ac->data;
	if (status != REDIS_OK) {
		/* hiredis frees the context after this returns */
		gone(p, ac->errstr[0] ? ac->errstr : "connect failed");
		return;
	}
	if (p->state == RP_CONNECTING)
		p->state = RP_HANDSHAKE;
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
	struct redis_pub *p = ac->data;
	gone(p, status == REDIS_OK ? "connection closed" : (ac->errstr[0] ? ac->errstr : "connection lost"));
}

/* The event "adapter": remember what hiredis wants; the loop polls. */
static void ev_add_read(void *d) { ((struct redis_pub *)d)->want_read = true; }
static void ev_del_read(void *d) { ((struct redis_pub *)d)->want_read = false; }
static void ev_add_write(void *d) { ((struct redis_pub *)d)->want_write = true; }
static void ev_del_write(void *d) { ((struct redis_pub *)d)->want_write = false; }
static void ev_cleanup(void *d)
{
	struct redis_pub *p = d;
	p->want_read = p->want_write = false;
}

static void resp_put(struct redis_pub *p, const char *s, size_t n)
{
	memcpy(p->resp + p->resp_len, s, n);
	p->resp_len += n;
}

static void resp_len_line(struct redis_pub *p, char type, size_t n)
{
	char num[FMT_NUM_MAX];
	p->resp[p->resp_len++] = type;
	resp_put(p, num, fmt_u64(num, sizeof(num), n));
	resp_put(p, "\r\n", 2);
}

/* Format argv as one RESP command ourselves (hiredis's argv formatting
 * costs more than the rest of its send path) and hand it to hiredis with
 * its reply callback. The buffer grows only for a larger command than any
 * before. */
static int queue(struct redis_pub *p, unsigned kind, int argc)
{
	size_t need = 2 * FMT_NUM_MAX;
	for (int i = 0; i < argc; i++)
		need += p->argvlen[i] + FMT_NUM_MAX + 4;
	if (need > p->resp_cap) {
		char *bigger = realloc(p->resp, need);
		if (!bigger)
			return -ENOMEM;
		p->resp = bigger;
		p->resp_cap = need;
	}
	p->resp_len = 0;
	resp_len_line(p, '*', (size_t)argc);
	for (int i = 0; i < argc; i++) {
		resp_len_line(p, '$', p->argvlen[i]);
		resp_put(p, p->argv[i], p->argvlen[i]);
		resp_put(p, "\r\n", 2);
	}
	if (p->pending == p->sent_cap)
		return -ENOBUFS;
	if (redisAsyncFormattedCommand(p->ac, on_reply, (void *)(uintptr_t)kind, p->resp, p->resp_len) != REDIS_OK)
		return -ENOMEM;
	p->sent_ns[(p->sent_head + p->pending) % p->sent_cap] = p->now_ns;
	if (p->pending++ == 0)
		p->last_progress_ns = p->now_ns;
	return 0;
}

static void arg(struct redis_pub *p, int i, const char *s, size_t len)
{
	p->argv[i] = s;
	p->argvlen[i] = len;
}

static void start_connect(struct redis_pub *p)
{
	redisAsyncContext *ac = p->cfg.unix_socket[0] ? redisAsyncConnectUnix(p->cfg.unix_socket)
						       : redisAsyncConnect(p->cfg.host, p->cfg.port);
	p->state = RP_CONNECTING;
	p->connect_started_ns = p->now_ns;
	if (!ac) {
		gone(p, "out of memory");
		return;
	}
	if (ac->err) {
		char why[REDIS_PUB_DETAIL_MAX];
		snprintf(why, sizeof(why), "connect: %s", ac->errstr);
		redisAsyncFree(ac);
		gone(p, why);
		return;
	}
	p->ac = ac;
	ac->data = p;
	ac->ev.data = p;
	ac->ev.addRead = ev_add_read;
	ac->ev.delRead = ev_del_read;
	ac->ev.addWrite = ev_add_write;
	ac->ev.delWrite = ev_del_write;
	ac->ev.cleanup = ev_cleanup;
	redisAsyncSetConnectCallback(ac, on_connect);
	redisAsyncSetDisconnectCallback(ac, on_disconnect);
	char db[16];
	int rc = 0;
	if (p->cfg.password[0]) {
		arg(p, 0, "AUTH", 4);
		arg(p, 1, p->cfg.password, strlen(p->cfg.password));
		rc |= queue(p, CMD_AUTH, 2);
	}
	if (p->cfg.db) {
		snprintf(db, sizeof(db), "%u", p->cfg.db);
		arg(p, 0, "SELECT", 6);
		arg(p, 1, db, strlen(db));
		rc |= queue(p, CMD_SELECT, 2);
	}
	arg(p, 0, "PING", 4);
	rc |= queue(p, CMD_PING, 1);
	if (rc)
		fail(p, "redis: %s", "cannot queue the handshake");
}

int redis_pub_create(struct redis_pub **out, const struct config_redis *cfg)
{
	struct redis_pub *p = calloc(1, sizeof(*p));
	*out = p;
	if (!p)
		return -ENOMEM;
	p->cfg = *cfg;
	if (p->cfg.breaker_min_ms == 0)
		p->cfg.breaker_min_ms = 1;
	if (p->cfg.breaker_max_ms < p->cfg.breaker_min_ms)
		p->cfg.breaker_max_ms = p->cfg.breaker_min_ms;
	if (p->cfg.max_pending < REDIS_PUB_COMMANDS_PER_UPDATE)
		p->cfg.max_pending = REDIS_PUB_COMMANDS_PER_UPDATE;
	/* room for the handshake too */
	p->sent_cap = p->cfg.max_pending + REDIS_PUB_COMMANDS_PER_UPDATE;
	p->sent_ns = calloc(p->sent_cap, sizeof(*p->sent_ns));
	if (!p->sent_ns) {
		free(p);
		*out = NULL;
		return -ENOMEM;
	}
	p->backoff_ns = (int64_t)p->cfg.breaker_min_ms * 1000000LL;
	snprintf(p->maxlen, sizeof(p->maxlen), "%u", p->cfg.stream_maxlen);
	set_detail(p, "redis: %s", "not connected yet");
	return 0;
}

void redis_pub_free(struct redis_pub *p)
{
	if (!p)
		return;
	close_now(p);
	free(p->resp);
	free(p->sent_ns);
	free(p);
}

static void do_io(struct redis_pub *p)
{
	bool connected = p->ac->c.flags & REDIS_CONNECTED;
	struct pollfd pfd = {.fd = p->ac->c.fd, .events = 0};
	if (p->want_read || connected)
		pfd.events |= POLLIN;
	if (p->want_write || !connected)
		pfd.events |= POLLOUT;
	if (poll(&pfd, 1, 0) <= 0)
		return;
	if ((pfd.revents & (POLLIN | POLLHUP | POLLERR)) && connected)
		redisAsyncHandleRead(p->ac);
	if (p->ac && !p->failing && (pfd.revents & (POLLOUT | POLLERR | POLLHUP)))
		redisAsyncHandleWrite(p->ac);
}

void redis_pub_service(struct redis_pub *p, int64_t now_ns)
{
	p->now_ns = now_ns;
	if (p->failing)
		close_now(p);
	if (p->state == RP_DOWN) {
		if (now_ns >= p->retry_at_ns)
			start_connect(p);
	} else if (p->state != RP_UP) {
		if (now_ns - p->connect_started_ns > (int64_t)p->cfg.connect_timeout_ms * 1000000LL)
			fail(p, "redis: %s", "connect timed out");
	} else if (p->pending && now_ns - p->last_progress_ns > stall_timeout_ns(p)) {
		fail(p, "redis: %s", "no reply within the stall timeout; server hung?");
	}
	if (p->ac && !p->failing)
		do_io(p);
	if (p->failing)
		close_now(p);
}

void redis_pub_flush(struct redis_pub *p)
{
	if (p->ac && !p->failing && (p->ac->c.flags & REDIS_CONNECTED) && p->want_write)
		redisAsyncHandleWrite(p->ac);
	if (p->failing)
		close_now(p);
}

bool redis_pub_ready(const struct redis_pub *p)
{
	return p->state == RP_UP && p->ac && !p->failing &&
	       p->pending + REDIS_PUB_COMMANDS_PER_UPDATE <= p->cfg.max_pending &&
	       (p->pending == 0 || p->now_ns - p->sent_ns[p->sent_head] <= BEHIND_NS) &&
	       sdslen(p->ac->c.obuf) < MAX_UNSENT_BYTES;
}

bool redis_pub_busy(const struct redis_pub *p)
{
	return p->ac && (p->pending > 0 || p->want_write);
}

/* XADD stream [MAXLEN ~ maxlen] * fields... (maxlen NULL: no trimming). */
static int xadd(struct redis_pub *p, unsigned kind, const char *stream, const char *maxlen,
		const struct redis_pub_field *fields, size_t field_count)
{
	int argc = 0;
	arg(p, argc++, "XADD", 4);
	arg(p, argc++, stream, strlen(stream));
	if (maxlen) {
		arg(p, argc++, "MAXLEN", 6);
		arg(p, argc++, "~", 1);
		arg(p, argc++, maxlen, strlen(maxlen));
	}
	arg(p, argc++, "*", 1);
	for (size_t i = 0; i < field_count; i++) {
		arg(p, argc++, fields[i].name, strlen(fields[i].name));
		arg(p, argc++, fields[i].value, fields[i].value_len);
	}
	return queue(p, kind, argc);
}

int redis_pub_send(struct redis_pub *p, const char *symbol, const char *json, size_t json_len,
		   const struct redis_pub_field *fields, size_t field_count)
{
	if (p->state != RP_UP || !p->ac || p->failing)
		return -ENOTCONN;
	if (!redis_pub_ready(p))
		return -ENOBUFS;
	if (field_count > MAX_FIELDS)
		return -E2BIG;
	char channel[7 + CONFIG_NAME_MAX];
	int clen = snprintf(channel, sizeof(channel), "spread:%s", symbol);
	if (clen < 0 || (size_t)clen >= sizeof(channel))
		return -ENAMETOOLONG;
	size_t slen = strlen(symbol);
	int rc;

	arg(p, 0, "PUBLISH", 7);
	arg(p, 1, channel, (size_t)clen);
	arg(p, 2, json, json_len);
	if ((rc = queue(p, CMD_PUBLISH, 3)) < 0 ||
	    (rc = xadd(p, CMD_XADD, "spreads", p->cfg.stream_maxlen ? p->maxlen : NULL, fields, field_count)) < 0)
		return rc;

	arg(p, 0, "HSET", 4);
	arg(p, 1, "spread:latest", 13);
	arg(p, 2, symbol, slen);
	arg(p, 3, json, json_len);
	return queue(p, CMD_HSET, 4);
}

int redis_pub_pairs(struct redis_pub *p, const char *symbol, const char *json, size_t json_len)
{
	if (p->state != RP_UP || !p->ac || p->failing)
		return -ENOTCONN;
	arg(p, 0, "HSET", 4);
	arg(p, 1, "spread:pairs", 12);
	arg(p, 2, symbol, strlen(symbol));
	arg(p, 3, json, json_len);
	return queue(p, CMD_HSET_PAIRS, 4);
}

void redis_pub_counters(const struct redis_pub *p, struct redis_pub_counters *out)
{
	*out = p->c;
}

const char *redis_pub_detail(const struct redis_pub *p)
{
	return p->detail;
}

int redis_pub_candle_xadd(struct redis_pub *p, const char *maxlen, const struct redis_pub_field *fields,
			  size_t field_count)
{
	if (!redis_pub_ready(p))
		return p->state != RP_UP || !p->ac || p->failing ? -ENOTCONN : -ENOBUFS;
	if (field_count > MAX_FIELDS)
		return -E2BIG;
	return xadd(p, CMD_CANDLE_XADD, "candles", maxlen, fields, field_count);
}

int redis_pub_candle_publish(struct redis_pub *p, const char *channel, size_t channel_len, const char *json,
			     size_t json_len)
{
	if (!redis_pub_ready(p))
		return p->state != RP_UP || !p->ac || p->failing ? -ENOTCONN : -ENOBUFS;
	arg(p, 0, "PUBLISH", 7);
	arg(p, 1, channel, channel_len);
	arg(p, 2, json, json_len);
	return queue(p, CMD_CANDLE_PUBLISH, 3);
}

int redis_pub_alert(struct redis_pub *p, const char *maxlen, const struct redis_pub_field *fields,
		    size_t field_count, const char *channel, size_t channel_len, const char *json, size_t json_len)
{
	if (!redis_pub_ready(p))
		return p->state != RP_UP || !p->ac || p->failing ? -ENOTCONN : -ENOBUFS;
	if (field_count > MAX_FIELDS)
		return -E2BIG;
	int rc = xadd(p, CMD_ALERT_XADD, "alerts", maxlen, fields, field_count);
	if (rc < 0)
		return rc;
	arg(p, 0, "PUBLISH", 7);
	arg(p, 1, channel, channel_len);
	arg(p, 2, json, json_len);
	return queue(p, CMD_ALERT_PUBLISH, 3);
}

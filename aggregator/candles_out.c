/* Candles to the _spreads ring and to Redis. Closed candles are kept until
 * Redis answers their XADD: a connection lost with some unanswered sends
 * them again (same idempotency key, same values), so none is lost. */
#include "aggregator/candles_out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/candle_interval.h"
#include "common/fmt.h"

enum field {
	F_KEY, F_EXCHANGE, F_SYMBOL, F_INTERVAL, F_START, F_END, F_OPEN, F_HIGH, F_LOW, F_CLOSE, F_VOLUME,
	F_QUOTE_VOLUME, F_BUY_VOLUME, F_VWAP, F_TRADES, F_FIRST_ID, F_LAST_ID, F_GAPS, F_REVISION, F_CLOSED,
};
_Static_assert(F_CLOSED + 1 == CANDLE_FIELDS, "one text per field");

/* The stable names of docs/redis.md; strings are quoted in the JSON. */
static const struct {
	const char *name;
	bool string;
} field_names[CANDLE_FIELDS] = {
	{"key", true}, {"exchange", true}, {"symbol", true}, {"interval", true}, {"start_ms", false},
	{"end_ms", false}, {"open", false}, {"high", false}, {"low", false}, {"close", false},
	{"volume", false}, {"quote_volume", false}, {"buy_volume", false}, {"vwap", false}, {"trades", false},
	{"first_trade_id", true}, {"last_trade_id", true}, {"gaps", false}, {"revision", false}, {"closed", false},
};

static size_t slot_count(const struct candles_out *o)
{
	return spread_core_exchange_count(o->names) * o->symbols * candles_interval_count(o->core);
}

static size_t slot_index(const struct candles_out *o, unsigned ex, unsigned sym, unsigned iv)
{
	return ((size_t)sym * spread_core_exchange_count(o->names) + ex) * candles_interval_count(o->core) + iv;
}

static void set_text(struct candles_out *o, enum field f, const char *s)
{
	snprintf(o->text[f], sizeof(o->text[f]), "%s", s);
}

/* Fills the field texts and the JSON object made of them. */
static void encode(struct candles_out *o, const struct candles_pending *p)
{
	const struct candle *c = &p->c;
	int64_t len = candles_interval_ns(o->core, p->iv);
	const char *ex = spread_core_exchange_name(o->names, p->ex), *sym = spread_core_symbol_name(o->names, p->sym);
	const char *ivn = candle_interval_name(len);
	snprintf(o->key, sizeof(o->key), "%s:%s:%s:%lld:%u", ex, sym, ivn,
		 (long long)(c->start_ns / 1000000), c->revision);
	set_text(o, F_EXCHANGE, ex);
	set_text(o, F_SYMBOL, sym);
	set_text(o, F_INTERVAL, ivn);
	fmt_i64(o->text[F_START], 32, c->start_ns / 1000000);
	fmt_i64(o->text[F_END], 32, (c->start_ns + len) / 1000000);
	const double d[] = {c->open, c->high, c->low, c->close, c->volume, c->quote_volume, c->buy_volume,
			    c->volume > 0 ? c->quote_volume / c->volume : 0};
	for (int i = 0; i < 8; i++)
		fmt_double(o->text[F_OPEN + i], 32, d[i]);
	fmt_u64(o->text[F_TRADES], 32, c->trades);
	trade_id_format(&c->first_id, o->text[F_FIRST_ID]); /* the exchange's text */
	trade_id_format(&c->last_id, o->text[F_LAST_ID]);
	fmt_u64(o->text[F_GAPS], 32, c->gaps);
	fmt_u64(o->text[F_REVISION], 32, c->revision);
	set_text(o, F_CLOSED, c->closed ? "true" : "false");
	size_t n = 0;
	o->json[n++] = '{';
	for (int f = 0; f < CANDLE_FIELDS; f++) {
		const char *v = f == F_KEY ? o->key : o->text[f];
		n += (size_t)snprintf(o->json + n, sizeof(o->json) - n, field_names[f].string ? "%s\"%s\":\"%s\"" : "%s\"%s\":%s",
				      f ? "," : "", field_names[f].name, v);
		o->fields[f].name = field_names[f].name;
		o->fields[f].value = v;
		o->fields[f].value_len = strlen(v);
	}
	o->json[n++] = '}';
	o->json_len = n;
}

static void write_ring(struct candles_out *o, const struct candles_pending *p)
{
	struct spreads_record *r = o->rec;
	r->kind = SPREADS_KIND_CANDLE;
	r->symbol_id = o->spreads->symbol_id[p->sym];
	r->buy_exchange_id = o->spreads->exchange_id[p->ex];
	r->sell_exchange_id = 0;
	r->json_len = (uint32_t)o->json_len;
	r->ts_ns = p->c.closed ? p->c.start_ns + candles_interval_ns(o->core, p->iv) : p->c.close_ts_ns;
	memcpy(r->json, o->json, o->json_len);
	ring_publish_records(o->spreads->ring, r, 1);
	o->written++;
}

static void emit(void *ctx, unsigned ex, unsigned sym, unsigned iv, const struct candle *c)
{
	struct candles_out *o = ctx;
	struct candles_pending p = {.ex = (uint16_t)ex, .sym = (uint16_t)sym, .iv = (uint16_t)iv, .c = *c};
	size_t s = slot_index(o, ex, sym, iv);
	if (!c->closed) {
		o->open[s] = p;
		if (!o->replaying)
			conflate_mark(&o->open_q, (uint32_t)s);
		return;
	}
	/* an open state of this candle still queued is older than this */
	if (o->open[s].c.start_ns == c->start_ns)
		o->open[s].done = true;
	/* Rebuilt at start: Redis may not have it (a backlog dies with us), so it
	 * goes again, the same key and values, unless the ring no longer held
	 * all of its trades. The gateway's clients had it already. */
	if (o->replaying && c->start_ns < o->complete_from[ex])
		return;
	encode(o, &p);
	if (!o->replaying)
		write_ring(o, &p);
	if (!o->to_redis)
		return;
	if (o->tail - o->head == o->cap) {
		/* one line when dropping starts, one with the range when it ends */
		if (o->dropping++ == 0) {
			snprintf(o->drop_first, sizeof(o->drop_first), "%s", o->key);
			log_warn("aggregator: candle backlog full ([candles] backlog = %llu, Redis away): dropping closed "
				    "candles from %s on", (unsigned long long)o->cap, o->key);
		}
		snprintf(o->drop_last, sizeof(o->drop_last), "%s", o->key);
		o->dropped++;
		return;
	}
	if (o->dropping) {
		log_warn("aggregator: candle backlog has room again: %llu closed candles were dropped, from %s to %s",
			    (unsigned long long)o->dropping, o->drop_first, o->drop_last);
		o->dropping = 0;
	}
	o->backlog[o->tail++ % o->cap] = p;
}

int candles_out_init(struct candles_out *o, const struct config_candles *cfg, bool to_redis,
		     const struct spread_core *names, const struct spreads_out *spreads)
{
	memset(o, 0, sizeof(*o));
	uint32_t size = ring_record_size(spreads->ring);
	if (spreads_json_room(size) < CANDLE_JSON_MAX) {
		log_err("aggregator: _spreads records of %u bytes cannot hold a candle of up to %d bytes", size,
			CANDLE_JSON_MAX);
		return -EMSGSIZE;
	}
	size_t exs = spread_core_exchange_count(names), syms = spread_core_symbol_count(names);
	int rc = candles_create(&o->core, exs, syms, cfg->interval_ns, cfg->interval_count,
				(int64_t)cfg->grace_ms * 1000000LL, emit, o);
	if (rc < 0)
		return rc;
	o->names = names;
	o->symbols = syms;
	o->to_redis = to_redis;
	o->spreads = spreads;
	o->cap = cfg->backlog;
	o->open_interval_ns = (int64_t)cfg->open_publish_ms * 1000000LL;
	if (cfg->stream_maxlen)
		snprintf(o->maxlen, sizeof(o->maxlen), "%u", cfg->stream_maxlen);
	o->rec = calloc(1, size);
	o->backlog = calloc(o->cap, sizeof(*o->backlog));
	o->open = calloc(slot_count(o) + 1, sizeof(*o->open));
	if (!o->rec || !o->backlog || !o->open || conflate_init(&o->open_q, slot_count(o)) < 0) {
		candles_out_free(o);
		return -ENOMEM;
	}
	log_info("aggregator: candles %s, grace %u ms, backlog %u closed candles", cfg->intervals, cfg->grace_ms,
		 cfg->backlog);
	return 0;
}

int candles_out_grow(struct candles_out *o, size_t symbols)
{
	if (symbols <= o->symbols)
		return 0;
	size_t per_symbol = spread_core_exchange_count(o->names) * candles_interval_count(o->core);
	size_t before = o->symbols * per_symbol, after = symbols * per_symbol;
	struct candles_pending *open = realloc(o->open, (after + 1) * sizeof(*open));
	if (!open)
		return -ENOMEM;
	o->open = open;
	memset(open + before, 0, (after + 1 - before) * sizeof(*open));
	int rc = candles_grow(o->core, symbols);
	if (rc == 0 && (rc = conflate_grow(&o->open_q, after)) == 0)
		o->symbols = symbols;
	return rc;
}

void candles_out_free(struct candles_out *o)
{
	candles_free(o->core);
	if (o->open_q.queue)
		conflate_free(&o->open_q);
	free(o->rec);
	free(o->backlog);
	free(o->open);
	memset(o, 0, sizeof(*o));
}

void candles_out_redis(struct candles_out *o, struct redis_pub *redis)
{
	struct redis_pub_counters c;
	redis_pub_counters(redis, &c);
	/* Answers come in order: each one frees the oldest candle sent. */
	uint64_t answered = c.candles_answered - o->answered_seen;
	o->answered_seen = c.candles_answered;
	o->head += answered;
	o->closed_sent += answered;
	/* A new connection: what the old one never answered goes out again. */
	if (c.connections != o->connections_seen) {
		o->connections_seen = c.connections;
		o->sent = o->head;
	}
	if (!c.up)
		return;
	while (o->sent < o->tail) {
		encode(o, &o->backlog[o->sent % o->cap]);
		if (redis_pub_candle_xadd(redis, o->maxlen[0] ? o->maxlen : NULL, o->fields, CANDLE_FIELDS) < 0)
			return;
		o->sent++;
	}
}

void candles_out_open(struct candles_out *o, struct redis_pub *redis, int64_t now_ns)
{
	int s;
	while ((s = conflate_pop(&o->open_q, now_ns, o->open_interval_ns)) >= 0) {
		const struct candles_pending *p = &o->open[s];
		if (p->done)
			continue;
		encode(o, p);
		write_ring(o, p);
		if (!redis || !redis_pub_ready(redis))
			continue; /* latest wins: the next change publishes it */
		char channel[8 + 2 * CONFIG_NAME_MAX];
		int n = snprintf(channel, sizeof(channel), "candle:%s:%s", spread_core_exchange_name(o->names, p->ex),
				 spread_core_symbol_name(o->names, p->sym));
		redis_pub_candle_publish(redis, channel, (size_t)n, o->json, o->json_len);
	}
}

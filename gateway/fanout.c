/* Fan-out: each record of the tick rings and _spreads (spreads, candles, alerts, pair matrices) that some client
 * wants is formatted once into the message log and queued, by reference,
 * for every client whose filters take it; spreads and quotes are also kept
 * as their key's newest message (what a lagging client gets). */
#include "common/clock.h"
#include "gateway/format.h"
#include "gateway/gw.h"
#include "shm/spreads.h"

/* One batch per ring per poll: reading more at once than the clients can
 * take between two polls would fill a fast client's queue in one go. */
#define BATCHES_PER_POLL 1
#define STATUS_MSG_MAX 8192

static bool client_wants(const struct gw_client *c, enum gw_channel ch, unsigned sym, unsigned ex, unsigned buy,
			 unsigned sell)
{
	if (c->closing)
		return false;
	if (ch == GW_CH_STATUS)
		return c->subs.ch[GW_CH_STATUS].active;
	if (ch == GW_CH_ALERTS || ch == GW_CH_PAIRS) /* either exchange of the alert's pair (pairs: all) */
		return gw_subs_match(&c->subs, ch, sym, buy) || gw_subs_match(&c->subs, ch, sym, sell);
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

/* Is the oldest message waiting for c older than limit_ns (or gone from
 * the log)? Such a client gets spreads and quotes conflated: sending it
 * every update would only make it later. */
static bool lags(const struct gw *g, const struct gw_client *c, int64_t limit_ns)
{
	uint64_t oldest;
	if (!gw_queue_oldest(&c->queue, &oldest))
		return false;
	const struct gw_msg *o = gw_msglog_get(&g->log, oldest);
	return !o || o->made_ns < limit_ns;
}

/* Queues message m (made once) for every client whose filters take it. A
 * conflatable one is also kept as its key's latest (room: the largest
 * message of its kind). */
static void fan_out(struct gw *g, const struct gw_msg *m, unsigned buy, unsigned sell, uint32_t room)
{
	uint32_t key = gw_queue_key(m->channel, m->exchange, m->symbol);
	/* every candle update counts (a closed one must not be replaced by
	 * the next open one), like trades */
	bool conflatable = m->channel != GW_CH_TRADES && m->channel != GW_CH_CANDLES && m->channel != GW_CH_ALERTS;
	int64_t limit_ns = m->made_ns - (int64_t)g->cfg->gateway.conflate_after_ms * 1000000;
	if (conflatable)
		gw_latest_put(&g->latest, key, gw_msglog_payload(&g->log, m), m->len, room);
	for (unsigned i = 0; i < g->client_count; i++) {
		struct gw_client *c = g->clients[i];
		if (!client_wants(c, m->channel, m->symbol, m->exchange, buy, sell))
			continue;
		switch (gw_queue_push(&c->queue, m->seq, key, conflatable, conflatable && lags(g, c, limit_ns))) {
		case GW_PUSH_QUEUED:
			gw_client_want_write(c);
			break;
		case GW_PUSH_CONFLATED:
			break;
		case GW_PUSH_FULL:
			gw_client_close(g, c, GW_CLOSE_SLOW,
				     conflatable ? "slow consumer: queue full" : "slow consumer: trade, candle or alert queue full");
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

/* A _spreads record: a spread update, an alert event (filtered by its
 * pair, like a spread), or a candle of the exchange in buy_exchange_id
 * (filtered like a tick). */
static void on_spread(struct gw *g, const struct spreads_record *r)
{
	bool candle = r->kind == SPREADS_KIND_CANDLE;
	enum gw_channel ch = candle ? GW_CH_CANDLES
			   : r->kind == SPREADS_KIND_ALERT ? GW_CH_ALERTS
			   : r->kind == SPREADS_KIND_PAIRS ? GW_CH_PAIRS : GW_CH_SPREADS;
	unsigned ex = candle ? r->buy_exchange_id : 0, buy = candle ? 0 : r->buy_exchange_id,
		 sell = candle ? 0 : r->sell_exchange_id;
	bool wanted = anyone_wants(g, ch, r->symbol_id, ex, buy, sell);
	if (r->json_len > spreads_json_room(g->spread_size) || (!wanted && ch != GW_CH_PAIRS))
		return;
	size_t max = r->json_len + GW_SPREAD_ENVELOPE;
	uint32_t room = (uint32_t)(spreads_json_room(g->spread_size) + GW_SPREAD_ENVELOPE);
	char *out = gw_msglog_reserve(&g->log, max);
	size_t len = out ? gw_format_record(out, max, gw_channel_name(ch), r) : 0;
	if (!len)
		return;
	if (!wanted) /* a matrix nobody wants now is kept for a later pairs request */
		gw_latest_put(&g->latest, gw_queue_key(ch, 0, r->symbol_id), out, (uint32_t)len, room);
	else
		fan_out(g, gw_msglog_commit(&g->log, (uint32_t)len, ch, r->symbol_id, ex, r->ts_ns), buy, sell, room);
}

/* A client that subscribed to pairs gets each of its symbols' latest matrix
 * at once: queued again as a new message (the symbol's other subscribers
 * get it again too; it is the same matrix). */
static void pairs_snapshots(struct gw *g)
{
	uint32_t room = (uint32_t)(spreads_json_room(g->spread_size) + GW_SPREAD_ENVELOPE);
	for (unsigned i = 0; g->subscribers[GW_CH_PAIRS] && i < g->client_count; i++) {
		struct gw_client *c = g->clients[i];
		if (!c->subs.pairs_snapshot)
			continue;
		c->subs.pairs_snapshot = false;
		size_t symbols = registry_symbol_count(g->rt->bus.registry);
		for (unsigned sym = 1; sym <= symbols && !c->closing; sym++) {
			uint32_t len;
			const char *text = gw_latest_get(&g->latest, gw_queue_key(GW_CH_PAIRS, 0, sym), &len);
			if (!text || !gw_subs_match(&c->subs, GW_CH_PAIRS, sym, 0))
				continue;
			char *out = gw_msglog_reserve(&g->log, len);
			if (!out)
				break;
			memmove(out, text, len);
			fan_out(g, gw_msglog_commit(&g->log, len, GW_CH_PAIRS, sym, 0, clock_realtime_ns()), 0, 0, room);
		}
	}
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
size_t gw_fanout_drain(struct gw *g)
{
	size_t total = 0;
	pairs_snapshots(g);
	for (size_t i = 0; i < g->readers; i++) {
		for (int b = 0; b < BATCHES_PER_POLL; b++) {
			uint64_t first = 0, lost = 0;
			size_t n = ring_reader_read(g->reader[i], g->ticks, GW_BATCH, &first, &lost);
			count_read(g, g->rt->bus.ring_exchange[i], n, lost);
			for (size_t k = 0; k < n; k++)
				on_tick(g, &g->ticks[k], first + k);
			if (n || lost)
				ring_reader_commit(g->reader[i], ring_reader_position(g->reader[i]));
			total += n;
			if (n < GW_BATCH)
				break;
		}
	}
	for (int b = 0; b < BATCHES_PER_POLL; b++) {
		uint64_t first = 0, lost = 0;
		size_t n = ring_reader_read_records(g->spreads, g->spread_buf, GW_SPREAD_BATCH, &first, &lost);
		count_read(g, SPREADS_RING_NAME, n, lost);
		for (size_t k = 0; k < n; k++)
			on_spread(g, (const struct spreads_record *)(g->spread_buf + k * g->spread_size));
		if (n || lost)
			ring_reader_commit(g->spreads, ring_reader_position(g->spreads));
		total += n;
		if (n < GW_SPREAD_BATCH)
			break;
	}
	return total;
}

void gw_fanout_status(struct gw *g)
{
	if (!anyone_wants(g, GW_CH_STATUS, 0, 0, 0, 0))
		return;
	char *out = gw_msglog_reserve(&g->log, STATUS_MSG_MAX);
	int64_t now = clock_realtime_ns();
	size_t len = out ? gw_status_msg(out, STATUS_MSG_MAX, g->rt->bus.status, &g->rates, now, g->client_count) : 0;
	if (len)
		fan_out(g, gw_msglog_commit(&g->log, (uint32_t)len, GW_CH_STATUS, 0, 0, now), 0, 0, STATUS_MSG_MAX);
}

/* The aggregator loop: wait on the rings with a short timeout, read them in
 * batches, update spreads, then give Redis its non-blocking turn. Redis can
 * only ever delay this loop by one poll(2) with a zero timeout. Symbols
 * change at run time: SIGHUP, or a tick of a symbol registered since the
 * last look, has the config read again (see relist). */
#include "aggregator/aggregator.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aggregator/alerts.h"
#include "aggregator/candles_out.h"
#include "aggregator/candles_replay.h"
#include "aggregator/conflate.h"
#include "aggregator/redis_pub.h"
#include "aggregator/spread.h"
#include "aggregator/spread_json.h"
#include "aggregator/spreads_out.h"
#include "common/clock.h"
#include "common/log.h"
#include "shm/registry.h"

#define BATCH 256
#define BATCHES_PER_TURN 64 /* per ring, before Redis gets its turn */
/* ... and at most this long reading: every update is encoded for _spreads,
 * so a deep backlog must not keep Redis waiting for a whole turn. */
#define TURN_READ_NS (2 * 1000000LL)
#define HOUSEKEEPING_NS (100 * 1000000LL)
#define IDLE_WAIT_MS 50     /* heartbeats stay well under 250 ms */
#define FLUSH_ON_STOP_NS (1000 * 1000000LL)

struct agg {
	const struct config *cfg;                /* as at start: only symbol lists change live */
	const char *config_path;
	struct bus *bus;
	struct status_block *status;
	size_t readers;
	struct ring_reader *reader[CONFIG_MAX_EXCHANGES];
	unsigned ring_ex[CONFIG_MAX_EXCHANGES];  /* ring -> core exchange index */
	int32_t *sym_of_id;                      /* registry symbol id -> core symbol, -1 */
	struct spread_core *core;
	struct conflate queue;
	struct redis_pub *redis;                 /* NULL when [redis] enabled = false */
	struct spread_json json;
	struct spreads_out spreads;
	struct candles_out *candles;             /* NULL when [candles] enabled = false */
	struct alerts *alerts;                   /* NULL without an enabled [alert.NAME] */
	int64_t interval_ns;
	uint64_t dropped_while_down;             /* updates made while Redis was unavailable */
	uint64_t send_failures;
	struct log_limit lim_lost, lim_send, lim_cap;
	uint64_t window_refusals;                /* as last reported */
	/* Registry symbol ids up to this one were there at the last listing: a
	 * tick of a newer id may be a symbol the config lists by now. */
	int ids_known;
	size_t out_symbols;                      /* core symbols every output has room for */
	/* ring_to_redis_seconds: one histogram per core exchange (NULL: no
	 * slot), by the exchange of the quote that changed the spread */
	struct histogram *lat_to_redis[CONFIG_MAX_EXCHANGES];
	struct tick buf[BATCH];
};

static volatile sig_atomic_t relist_requested;

static void on_hup(int sig)
{
	(void)sig;
	relist_requested = 1;
}

/* Every update goes to _spreads as it is made, whatever Redis does. */
static void write_spreads(struct agg *a, unsigned sym)
{
	int rc = spread_json_encode(&a->json, a->core, sym, clock_realtime_ns());
	if (rc == 0) {
		spreads_out_write(&a->spreads, &a->json, sym);
		if (a->alerts)
			alerts_on_update(a->alerts, sym, a->json.pairs, a->json.pair_count, a->json.ts_ns);
	} else
		log_limited(&a->lim_send, LOG_LVL_WARNING, "aggregator: update for %s not written to _spreads: %s",
			    spread_core_symbol_name(a->core, sym), strerror(-rc));
}

static void on_update(void *ctx, unsigned sym)
{
	struct agg *a = ctx;
	if (sym >= a->out_symbols)
		return; /* listed while the outputs had no memory for it (logged) */
	write_spreads(a, sym);
	if (!a->redis)
		return;
	struct redis_pub_counters rc;
	redis_pub_counters(a->redis, &rc);
	if (rc.up) {
		conflate_mark(&a->queue, sym);
		return;
	}
	/* Counted as dropped now; the symbol's latest state still goes out
	 * once Redis is back, so spread:latest is right again. */
	a->dropped_while_down++;
	if (!a->queue.queued[sym])
		conflate_mark(&a->queue, sym);
}

static int map_rings(struct agg *a)
{
	for (size_t i = 0; i < a->readers; i++) {
		size_t e = 0, n = spread_core_exchange_count(a->core);
		while (e < n && strcmp(spread_core_exchange_name(a->core, (unsigned)e), a->bus->ring_exchange[i]) != 0)
			e++;
		if (e == n) {
			log_err("aggregator: ring %s is not an enabled exchange of the config", a->bus->ring_exchange[i]);
			return -EINVAL;
		}
		a->ring_ex[i] = (unsigned)e;
		int rc = ring_reader_open(&a->reader[i], a->bus->rings[i], "aggregator");
		if (rc < 0) {
			log_err("aggregator: cannot open reader slot on ring %s: %s", a->bus->ring_exchange[i], strerror(-rc));
			return rc;
		}
	}
	a->sym_of_id = malloc((REGISTRY_MAX_SYMBOLS + 1) * sizeof(int32_t));
	if (!a->sym_of_id)
		return -ENOMEM;
	for (size_t i = 0; i <= REGISTRY_MAX_SYMBOLS; i++)
		a->sym_of_id[i] = -1;
	return 0;
}

/* Registry ids of the core's symbols from index from on; -EINVAL if one
 * is not registered (the supervisor registers a symbol before any child
 * hears of it). */
static int map_symbols(struct agg *a, size_t from)
{
	int rc = 0;
	for (size_t s = from; s < spread_core_symbol_count(a->core); s++) {
		int id = registry_symbol_id(a->bus->registry, spread_core_symbol_name(a->core, (unsigned)s));
		if (id <= 0 || id > REGISTRY_MAX_SYMBOLS) {
			log_err("aggregator: symbol %s is not in the registry", spread_core_symbol_name(a->core, (unsigned)s));
			rc = -EINVAL;
			continue;
		}
		a->sym_of_id[id] = (int32_t)s;
	}
	return rc;
}

static void report_listing(struct agg *a, const char *why)
{
	const struct spread_listing *l = spread_core_listing(a->core);
	status_set(a->status, SM_AGG_SYMBOLS, l->symbols);
	status_set(a->status, SM_SYMBOLS_REFUSED, l->refused);
	log_info("aggregator: %s: %zu symbols, %zu pairs; %zu listings added, %zu removed", why, l->symbols,
		 spread_core_pair_count(a->core), l->added, l->removed);
	if (l->refused)
		log_warn("aggregator: %zu new (symbol, exchange) listings refused: the window memory cap "
			 "([aggregator] max_window_memory_mb %u) has no room for their tables",
			 l->refused, a->cfg->aggregator.max_window_memory_mb);
}

/* Symbols added at run time: what is sized by symbol count grows with
 * them (spread_json is sized for any symbol and pair the core may list);
 * until all of it did, their updates go nowhere. */
static int grow_outputs(struct agg *a)
{
	size_t n = spread_core_symbol_count(a->core);
	int rc = conflate_grow(&a->queue, n);
	if (rc == 0 && a->candles)
		rc = candles_out_grow(a->candles, n);
	if (rc == 0)
		rc = alerts_grow(a->alerts, n);
	struct spreads_out next;
	if (rc == 0 && n > a->out_symbols &&
	    (rc = spreads_out_init(&next, a->bus->spreads, a->bus->registry, a->core, &a->json)) == 0) {
		/* in place: the candles hold its address */
		next.written = a->spreads.written;
		spreads_out_free(&a->spreads);
		a->spreads = next;
	}
	if (rc == 0)
		a->out_symbols = n;
	return rc;
}

/* Read the config again and take its symbols (SIGHUP from the supervisor
 * after a reload or a new universe, or a tick of a newly registered
 * symbol). Only the symbol lists are taken: any other change restarts the
 * aggregator (supervisor/reload.c). Allocates: never per tick, at most once
 * per registration of new symbols. */
static int relist(struct agg *a, const char *why)
{
	char errs[2048] = "";
	struct spread_listing l;
	size_t before = spread_core_symbol_count(a->core);
	/* before the config: a symbol registered meanwhile is looked at again */
	a->ids_known = registry_symbol_count(a->bus->registry);
	struct config *cfg = config_new();
	int rc = cfg ? config_load(cfg, a->config_path, NULL, errs, sizeof(errs)) : -ENOMEM;
	if (rc != 0) {
		log_err("aggregator: %s: config not read again, symbols unchanged: %s", why, cfg ? errs : "out of memory");
		config_free(cfg);
		return rc > 0 ? -EINVAL : rc;
	}
	rc = spread_core_list(a->core, cfg, &l);
	config_free(cfg);
	int grown = grow_outputs(a);
	int mapped = map_symbols(a, before);
	if (rc == 0)
		rc = grown < 0 ? grown : mapped;
	if (rc < 0)
		log_err("aggregator: %s: symbols not all taken: %s", why, strerror(-rc));
	report_listing(a, why);
	return rc;
}

static int setup(struct agg *a)
{
	int rc = spread_core_create(&a->core, a->cfg, on_update, a);
	if (rc < 0) {
		/* EINVAL: the cap cannot hold one window */
		log_err("aggregator: cannot set up spreads (window %us in %u buckets, max_window_memory_mb %u): %s",
			a->cfg->aggregator.window_s, a->cfg->aggregator.window_buckets,
			a->cfg->aggregator.max_window_memory_mb, strerror(-rc));
		return rc;
	}
	a->ids_known = registry_symbol_count(a->bus->registry);
	a->out_symbols = spread_core_symbol_count(a->core);
	if ((rc = conflate_init(&a->queue, spread_core_symbol_count(a->core))) < 0 ||
	    (rc = spread_json_init(&a->json, a->core, a->cfg->aggregator.pairs_interval_ms)) < 0 ||
	    (rc = map_rings(a)) < 0 || (rc = map_symbols(a, 0)) < 0 ||
	    (rc = spreads_out_init(&a->spreads, a->bus->spreads, a->bus->registry, a->core, &a->json)) < 0)
		return rc;
	status_set(a->status, SM_SPREADS_WRITTEN, 0);
	if (a->cfg->candles.enabled &&
	    (!(a->candles = calloc(1, sizeof(*a->candles))) ||
	     (rc = candles_out_init(a->candles, &a->cfg->candles, a->cfg->redis.enabled, a->core, &a->spreads)) < 0))
		return a->candles ? rc : -ENOMEM;
	for (size_t i = 0; a->candles && i < a->readers; i++) {
		long n = candles_replay(a->candles, a->bus->rings[i], a->ring_ex[i], ring_reader_position(a->reader[i]),
					a->sym_of_id, a->buf, BATCH);
		if (n < 0)
			log_warn("aggregator: candles of %s not rebuilt from its ring: %s", a->bus->ring_exchange[i],
				 strerror((int)-n));
		else if (n > 0)
			log_info("aggregator: candles of %s rebuilt from %ld ticks of its ring, %llu closed candles to send",
				 a->bus->ring_exchange[i], n, (unsigned long long)candles_out_backlog(a->candles));
	}
	if ((rc = alerts_create(&a->alerts, a->cfg, a->core, a->bus->spreads, a->bus->registry, a->cfg->redis.enabled)) < 0)
		return rc;
	if (a->cfg->redis.enabled && (rc = redis_pub_create(&a->redis, &a->cfg->redis)) < 0)
		return rc;
	for (size_t e = 0; a->redis && e < spread_core_exchange_count(a->core); e++)
		a->lat_to_redis[e] = status_histogram_claim(a->status, SH_RING_TO_REDIS,
							     spread_core_exchange_name(a->core, (unsigned)e));
	a->interval_ns = (int64_t)a->cfg->aggregator.publish_interval_ms * 1000000LL;
	struct window_pool_usage u;
	spread_core_window_usage(a->core, &u);
	status_set(a->status, SM_WINDOW_MEMORY, u.bytes_used);
	status_set(a->status, SM_WINDOW_MEMORY_MAX, u.bytes_max);
	log_info("aggregator: %zu rings, window %us in %u buckets, window memory %zu of at most %zu bytes",
		 a->readers, a->cfg->aggregator.window_s, a->cfg->aggregator.window_buckets, u.bytes_used, u.bytes_max);
	report_listing(a, "started");
	return 0;
}

static void teardown(struct agg *a)
{
	redis_pub_free(a->redis);
	alerts_free(a->alerts);
	spreads_out_free(&a->spreads);
	if (a->candles)
		candles_out_free(a->candles);
	free(a->candles);
	spread_json_free(&a->json);
	conflate_free(&a->queue);
	for (size_t i = 0; i < a->readers; i++)
		ring_reader_close(a->reader[i]);
	free(a->sym_of_id);
	spread_core_free(a->core);
}

static int symbol_of(const struct agg *a, uint16_t id)
{
	return id <= REGISTRY_MAX_SYMBOLS ? a->sym_of_id[id] : -1;
}

static uint64_t handle(struct agg *a, unsigned ex, const struct tick *t)
{
	int sym = symbol_of(a, t->symbol_id);
	if (sym < 0 && t->symbol_id > a->ids_known && relist(a, "a tick of a newly registered symbol") == 0)
		sym = symbol_of(a, t->symbol_id);
	if (a->candles)
		candles_tick(a->candles->core, ex, (size_t)sym < a->candles->symbols ? sym : -1, t);
	if (t->kind == TICK_QUOTE) {
		if (sym < 0)
			return 0; /* not a symbol this config lists */
		int n = spread_core_on_quote(a->core, (unsigned)sym, ex, t);
		return n > 0 ? (uint64_t)n : 0;
	}
	if (tick_is_hole(t)) {
		/* symbol_id 0: the whole connection (every symbol of the exchange) */
		if (t->symbol_id == 0)
			spread_core_invalidate(a->core, ex, -1, t->ts_recv_ns);
		else if (sym >= 0)
			spread_core_invalidate(a->core, ex, sym, t->ts_recv_ns);
	}
	return 0;
}

/* One batch from ring i; returns the ticks read. */
static size_t read_batch(struct agg *a, size_t i)
{
	uint64_t first = 0, lost = 0, spreads = 0;
	size_t n = ring_reader_read(a->reader[i], a->buf, BATCH, &first, &lost);
	if (lost) {
		/* Quotes of this exchange may have moved unseen: forget them. */
		spread_core_invalidate(a->core, a->ring_ex[i], -1, clock_realtime_ns());
		status_add(a->status, SM_TICKS_LOST, lost);
		log_limited(&a->lim_lost, LOG_LVL_WARNING, "aggregator: lapped on ring %s, %llu ticks lost",
			    a->bus->ring_exchange[i], (unsigned long long)lost);
	}
	for (size_t k = 0; k < n; k++)
		spreads += handle(a, a->ring_ex[i], &a->buf[k]);
	if (n || lost)
		ring_reader_commit(a->reader[i], ring_reader_position(a->reader[i]));
	if (n) {
		status_add(a->status, SM_TICKS_READ, n);
		status_add(a->status, SM_SPREADS_COMPUTED, spreads);
	}
	return n;
}

/* Read every ring, at most BATCHES_PER_TURN batches each and about
 * TURN_READ_NS in all (each ring gets at least one batch, so none starves);
 * true if a ring may hold more. Adds the ticks read to *got. */
static bool drain_turn(struct agg *a, size_t *got)
{
	bool more = false;
	int64_t deadline = clock_monotonic_ns() + TURN_READ_NS;
	for (size_t i = 0; i < a->readers; i++) {
		int b = 0;
		while (b < BATCHES_PER_TURN) {
			size_t n = read_batch(a, i);
			*got += n;
			if (n < BATCH)
				break;
			b++;
			if (clock_monotonic_ns() >= deadline) {
				more = true;
				break;
			}
		}
		more |= b == BATCHES_PER_TURN;
	}
	return more;
}

static void publish(struct agg *a, int64_t now_ns)
{
	for (;;) {
		/* hiredis's output buffer is kept small: write it out and go on
		 * while the socket takes it */
		if (!redis_pub_ready(a->redis)) {
			redis_pub_flush(a->redis);
			if (!redis_pub_ready(a->redis))
				break;
		}
		int sym = conflate_pop(&a->queue, now_ns, a->interval_ns);
		if (sym < 0)
			break;
		if (!spread_core_symbol_listed(a->core, (unsigned)sym))
			continue; /* removed since it changed: not published again */
		int rc = spread_json_publish(&a->json, a->core, a->redis, (unsigned)sym, now_ns);
		if (rc == 0) {
			int64_t recv_ns, exchange_ns;
			spread_core_trigger(a->core, (unsigned)sym, &recv_ns, &exchange_ns);
			histogram_observe(a->lat_to_redis[spread_core_trigger_exchange(a->core, (unsigned)sym)], now_ns - recv_ns,
					  1);
		} else {
			a->send_failures++;
			log_limited(&a->lim_send, LOG_LVL_WARNING, "aggregator: update for %s not sent: %s",
				    spread_core_symbol_name(a->core, (unsigned)sym), strerror(-rc));
		}
	}
	redis_pub_flush(a->redis);
}

/* The matrices updates held back by pairs_interval_ms go out once their
 * time has come, to _spreads and Redis, as of now. */
static void flush_held_matrices(struct agg *a)
{
	int64_t now = clock_realtime_ns();
	for (unsigned sym = 0; sym < a->out_symbols; sym++) {
		if (!a->json.held[sym] || !spread_core_symbol_listed(a->core, sym))
			continue;
		unsigned due = spread_json_held_due(&a->json, a->core, sym, now);
		if (due & SPREAD_JSON_HELD_RING)
			spreads_out_write_pairs(&a->spreads, &a->json, sym);
		if ((due & SPREAD_JSON_HELD_REDIS) && a->redis &&
		    redis_pub_pairs(a->redis, spread_core_symbol_name(a->core, sym), a->json.pairs_json,
				    a->json.pairs_len) < 0)
			a->send_failures++;
	}
}

static void redis_turn(struct agg *a)
{
	if (!a->redis)
		return;
	redis_pub_service(a->redis, clock_monotonic_ns());
	if (a->candles)
		candles_out_redis(a->candles, a->redis);
	if (a->alerts)
		alerts_redis(a->alerts, a->redis);
	publish(a, clock_realtime_ns());
}

/* Windows are made as pairs first tick, from a capped pool: its use is the
 * window_memory_bytes gauge, and refusals at the cap are logged as they grow. */
static void report_window_memory(struct agg *a)
{
	struct window_pool_usage u;
	spread_core_window_usage(a->core, &u);
	status_set(a->status, SM_WINDOW_MEMORY, u.bytes_used);
	if (u.windows_refused + u.pct_refused == a->window_refusals)
		return;
	a->window_refusals = u.windows_refused + u.pct_refused;
	status_set(a->status, SM_WINDOW_REFUSED, a->window_refusals);
	log_limited(&a->lim_cap, LOG_LVL_WARNING,
		    "aggregator: window memory cap reached (%zu of %zu bytes, [aggregator] max_window_memory_mb): "
		    "%llu window samples refused, %llu samples left out of percentiles",
		    u.bytes_used, u.bytes_max, (unsigned long long)u.windows_refused, (unsigned long long)u.pct_refused);
}

static void report(struct agg *a, bool stopping)
{
	uint64_t lag = 0;
	for (size_t i = 0; i < a->readers; i++)
		lag += ring_head(a->bus->rings[i]) - ring_reader_position(a->reader[i]);
	status_set(a->status, SM_READ_LAG, lag);
	status_set(a->status, SM_CONFLATED, a->queue.conflated);
	status_set(a->status, SM_SPREADS_WRITTEN, a->spreads.written);
	if (a->candles) {
		struct candles_counters n;
		candles_counters(a->candles->core, &n);
		status_set(a->status, SM_CANDLES_CLOSED, a->candles->closed_sent);
		status_set(a->status, SM_CANDLES_BACKLOG, candles_out_backlog(a->candles));
		status_set(a->status, SM_CANDLES_DROPPED, a->candles->dropped);
		status_set(a->status, SM_CANDLES_LATE, n.too_late);
	}
	if (a->alerts) {
		struct alerts_counters n;
		alerts_counters(a->alerts, &n);
		status_set(a->status, SM_ALERTS_OPENED, n.opened);
		status_set(a->status, SM_ALERTS_CLOSED, n.closed);
		status_set(a->status, SM_ALERTS_DROPPED, n.redis_dropped);
		status_set(a->status, SM_WEBHOOK_SENT, n.webhook_sent);
		status_set(a->status, SM_WEBHOOK_FAILED, n.webhook_failed);
		status_set(a->status, SM_WEBHOOK_DROPPED, n.webhook_dropped);
	}
	report_window_memory(a);
	enum child_state st = stopping ? CHILD_STOPPING : CHILD_RUNNING;
	if (a->redis) {
		struct redis_pub_counters c;
		redis_pub_counters(a->redis, &c);
		status_set(a->status, SM_PUBLISHED, c.published);
		status_set(a->status, SM_PUBLISH_DROPPED, c.dropped + a->dropped_while_down + a->send_failures);
		status_set(a->status, SM_REDIS_UP, c.up);
		status_set(a->status, SM_REDIS_ERRORS, c.errors);
		if (strcmp(a->status->detail, redis_pub_detail(a->redis)) != 0)
			status_set_detail(a->status, redis_pub_detail(a->redis));
		if (!c.up && !stopping)
			st = CHILD_DEGRADED;
	}
	if (a->status->state != (uint32_t)st)
		status_set_state(a->status, st);
	status_heartbeat(a->status, clock_realtime_ns());
}

/* SIGTERM: read every ring up to the head it had when we stopped, then give
 * Redis about a second to take what is queued. */
static void finish(struct agg *a)
{
	report(a, true);
	uint64_t target[CONFIG_MAX_EXCHANGES];
	for (size_t i = 0; i < a->readers; i++)
		target[i] = ring_head(a->bus->rings[i]);
	for (size_t i = 0; i < a->readers; i++)
		while (ring_reader_position(a->reader[i]) < target[i] && read_batch(a, i) > 0)
			;
	int64_t deadline = clock_monotonic_ns() + FLUSH_ON_STOP_NS;
	while (a->redis && clock_monotonic_ns() < deadline) {
		struct redis_pub_counters c;
		redis_pub_counters(a->redis, &c);
		if (!c.up || (a->queue.count == 0 && !redis_pub_busy(a->redis) &&
			       (!a->candles || candles_out_backlog(a->candles) == 0) &&
			       (!a->alerts || alerts_redis_queued(a->alerts) == 0)))
			break;
		redis_turn(a);
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	report(a, true);
	log_info("aggregator: stopped, %llu ticks read, %llu updates published",
		 (unsigned long long)status_get(a->status, SM_TICKS_READ),
		 (unsigned long long)status_get(a->status, SM_PUBLISHED));
}

int aggregator_run(struct runtime *rt)
{
	struct agg *a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->cfg = rt->cfg;
	a->config_path = rt->config_path;
	a->bus = &rt->bus;
	a->status = rt->status;
	a->readers = rt->bus.ring_count;
	/* before the status says RUNNING: the supervisor signals only then;
	 * SA_RESTART, since the flag is looked at within IDLE_WAIT_MS anyway
	 * and no thread (webhooks, Redis) need see EINTR for it */
	struct sigaction sa = { .sa_handler = on_hup, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	int rc = sigaction(SIGHUP, &sa, NULL) < 0 ? -errno : setup(a);
	if (rc < 0)
		goto out;
	int64_t next_house = 0;
	bool more = false;
	/* ticks read since the last wait: a wait that follows a busy stretch
	 * may batch (ring_wait_batch), bounded by max_batch_delay_us */
	size_t got = 0;
	struct ring_batch_wait bw = { .batch_ns = (int64_t)a->cfg->aggregator.max_batch_delay_us * 1000 };
	while (!runtime_should_stop(rt)) {
		if (!more) {
			int timeout = a->redis && redis_pub_busy(a->redis) ? 1 : IDLE_WAIT_MS;
			ring_wait_batch(&bw, a->reader, a->readers, timeout, got);
			got = 0;
		}
		if (relist_requested) {
			relist_requested = 0;
			relist(a, "symbols changed (SIGHUP)");
		}
		more = drain_turn(a, &got);
		if (a->alerts)
			alerts_poll(a->alerts, clock_realtime_ns());
		redis_turn(a);
		if (a->candles)
			candles_out_open(a->candles, a->redis, clock_realtime_ns());
		int64_t now = clock_monotonic_ns();
		if (now >= next_house) {
			next_house = now + HOUSEKEEPING_NS;
			spread_core_expire_stale(a->core, clock_realtime_ns());
			flush_held_matrices(a);
			report(a, false);
		}
	}
	finish(a);
out:
	teardown(a);
	free(a);
	return rc;
}

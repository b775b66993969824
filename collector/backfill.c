/* The backfill thread and its two queues (collector/backfill.h). */
#include "collector/backfill.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/backfill_resume.h"
#include "collector/instruments.h"
#include "collector/instruments_thread.h"
#include "common/clock.h"
#include "common/log.h"
#include "shm/trade_id.h"

#define SYMBOL_IDS 65536

extern const struct backfill_api backfill_binance, backfill_bybit, backfill_okx;
static const struct backfill_api *const apis[] = { &backfill_binance, &backfill_bybit, &backfill_okx };

const struct backfill_api *backfill_api_find(const char *adapter)
{
	for (size_t i = 0; i < sizeof(apis) / sizeof(apis[0]); i++)
		if (strcmp(apis[i]->adapter, adapter) == 0)
			return apis[i];
	return NULL;
}

struct backfill_trade *backfill_page_trade(struct backfill_page *pg, const struct js_span *id, const struct js_span *px,
					   const struct js_span *qty, const struct js_span *ts_ms)
{
	if (pg->n == pg->max)
		return NULL;
	struct backfill_trade *t = &pg->out[pg->n];
	struct trade_id exact;
	/* the live feed's parse, so that a page's trade dedups against it */
	if (trade_id_parse(id->s, id->len, &exact) < 0 || !trade_id_u64(&exact, &t->id) ||
	    js_span_decimal(px, &t->px) < 0 || js_span_decimal(qty, &t->qty) < 0 ||
	    js_span_ms_to_ns(ts_ms, &t->ts_ns) < 0 || !(t->px > 0) || !(t->qty > 0))
		return NULL;
	return t;
}

/* A page walked as its format says: each element one trade. */
struct format_walk {
	struct backfill_page pg;
	const struct backfill_format *format;
};

static int format_item(struct js *j, void *ctx)
{
	struct format_walk *w = ctx;
	const struct backfill_format *fmt = w->format;
	struct backfill_spans f = { 0 };
	if (js_object(j, fmt->fields, fmt->nfields, &f, NULL, NULL) < 0)
		return -1;
	struct backfill_trade *t = backfill_page_trade(&w->pg, &f.id, &f.px, &f.qty, &f.ts_ms);
	if (!t)
		return -1;
	t->kind = js_span_is(&f.side, fmt->buy, strlen(fmt->buy))     ? TICK_TRADE_BUY
		  : js_span_is(&f.side, fmt->sell, strlen(fmt->sell)) ? TICK_TRADE_SELL
								       : TICK_TRADE;
	w->pg.n++;
	return 0;
}

static int parse_page(const struct backfill_api *api, const char *body, size_t len, struct backfill_trade *out,
		      size_t max, char *why, size_t why_len)
{
	const struct backfill_format *fmt = api->format;
	if (!fmt)
		return api->parse_page(body, len, out, max, why, why_len);
	struct format_walk w = { { out, max, 0 }, fmt };
	if (instruments_walk(body, len, fmt->path, fmt->path_len, fmt->code_key, fmt->code_ok, format_item, &w, why,
			     why_len) < 0)
		return -1;
	return (int)w.pg.n;
}

bool backfill_wanted(const struct config *cfg, const struct config_exchange *cx, const char *adapter)
{
	return backfill_api_find(adapter) && instruments_api_find(adapter) && instruments_thread_wanted(cfg, cx);
}

/* ---- thread -> loop: ticks ---- */

/* Waits while the loop has not taken enough room; false if stopped. */
static bool push_tick(struct backfill *b, const struct tick *t)
{
	uint32_t head = atomic_load_explicit(&b->ticks_head, memory_order_relaxed);
	while (head - atomic_load_explicit(&b->ticks_tail, memory_order_acquire) >= BACKFILL_TICKS)
		if (!rest_sleep_until(&b->stop, clock_monotonic_ns() + 5000000))
			return false;
	b->ticks[head % BACKFILL_TICKS] = *t;
	atomic_store_explicit(&b->ticks_head, head + 1, memory_order_release);
	return true;
}

static void push_summary(struct backfill *b, const struct backfill_hole *h, uint64_t recovered)
{
	uint64_t wanted = h->to_id - h->from_id + 1, missing = wanted - recovered;
	struct tick t;
	memset(&t, 0, sizeof(t));
	t.symbol_id = h->symbol_id;
	t.exchange_id = b->exchange_id;
	t.kind = TICK_GAP;
	t.ts_recv_ns = clock_realtime_ns();
	t.update_id = missing;
	t.u.gap.ts_start_ns = h->ts_start_ns;
	t.u.gap.ts_end_ns = h->ts_end_ns;
	t.u.gap.reason = GAP_BACKFILL;
	t.u.gap.recovered = (uint32_t)recovered;
	atomic_fetch_add(&b->backfills, 1);
	atomic_fetch_add(&b->recovered, recovered);
	atomic_fetch_add(&b->missing, missing);
	log_info("%s: backfill %s ids %llu..%llu: %s, %llu recovered, %llu missing", b->exchange, h->native,
		 (unsigned long long)h->from_id, (unsigned long long)h->to_id,
		 tick_backfill_status_name(&t), (unsigned long long)recovered, (unsigned long long)missing);
	push_tick(b, &t);
}

/* Pages through one hole. Returns false if stopped. */
static bool repair(struct backfill *b, struct rest_client *rc, const struct backfill_hole *h)
{
	uint64_t lo = h->from_id, hi = h->to_id, recovered = 0;
	unsigned failures = 0;
	/* only a hole across a restart is this large (a live jump this large
	 * is a sequence reset): recorded, not fetched */
	if (hi - lo + 1 >= BACKFILL_MAX_HOLE) {
		push_summary(b, h, 0);
		return true;
	}
	while (lo <= hi) {
		char path[512], why[256];
		struct rest_response resp;
		b->api->page_path(h->native, lo, hi, path, sizeof(path));
		enum rest_result r = rest_get(rc, path, &resp);
		if (r == REST_STOPPED)
			return false;
		int n = -1;
		if (r == REST_OK)
			n = parse_page(b->api, resp.body, resp.len, b->page, BACKFILL_PAGE_MAX, why, sizeof(why));
		if (n < 0) {
			atomic_fetch_add(&b->rest_errors, 1);
			log_err("%s: backfill GET %s: %s", b->exchange, path,
				r == REST_OK ? why : resp.error);
			if (++failures >= BACKFILL_ATTEMPTS)
				break;
			uint32_t wait = BACKFILL_RETRY_MS << (failures - 1);
			if (resp.wait_ms > wait)
				wait = resp.wait_ms;
			if (!rest_sleep_until(&b->stop, clock_monotonic_ns() + (int64_t)wait * 1000000))
				return false;
			continue;
		}
		failures = 0;
		uint64_t seen_lo = UINT64_MAX, seen_hi = 0;
		for (int i = 0; i < n; i++) {
			const struct backfill_trade *bt = &b->page[i];
			if (bt->id < lo || bt->id > hi)
				continue;
			seen_lo = bt->id < seen_lo ? bt->id : seen_lo;
			seen_hi = bt->id > seen_hi ? bt->id : seen_hi;
			struct tick t;
			memset(&t, 0, sizeof(t));
			t.symbol_id = h->symbol_id;
			t.exchange_id = b->exchange_id;
			t.kind = bt->kind;
			t.ts_exchange_ns = bt->ts_ns;
			t.ts_recv_ns = clock_realtime_ns();
			trade_id_set_u64(&t, bt->id);
			t.u.trade.px = bt->px;
			t.u.trade.qty = bt->qty;
			t.u.trade.flags = TICK_TRADE_BACKFILLED;
			if (!push_tick(b, &t))
				return false;
			recovered++;
		}
		/* nothing of the hole left in the history, or no older page to ask
		 * for: the rest is gone */
		if (seen_hi == 0 || b->api->recent_only)
			break;
		if (b->api->newest_first)
			hi = seen_lo - 1;
		else
			lo = seen_hi + 1;
	}
	push_summary(b, h, recovered);
	return true;
}

static void *backfill_main(void *arg)
{
	struct backfill *b = arg;
	struct rest_client rc;
	if (rest_client_init(&rc, b->rest_url, b->timeout_ms, &b->limits, b->tls_verify, &b->stop) < 0) {
		log_err("%s: backfill: cannot set up a REST client for %s", b->exchange, b->rest_url);
		return NULL;
	}
	while (!atomic_load(&b->stop)) {
		backfill_resume_write(b);
		uint32_t tail = atomic_load_explicit(&b->holes_tail, memory_order_relaxed);
		if (tail == atomic_load_explicit(&b->holes_head, memory_order_acquire)) {
			/* idle: holes are rare, 20 ms of latency is nothing next to a REST call */
			rest_sleep_until(&b->stop, clock_monotonic_ns() + 20000000);
			continue;
		}
		struct backfill_hole h = b->holes[tail % BACKFILL_HOLES];
		atomic_store_explicit(&b->holes_tail, tail + 1, memory_order_release);
		if (!repair(b, &rc, &h))
			break;
	}
	rest_client_free(&rc);
	return NULL;
}

int backfill_start(struct backfill **out, const struct config *cfg, const struct config_exchange *cx,
		   const char *adapter, uint8_t exchange_id)
{
	*out = NULL;
	const struct backfill_api *api = backfill_api_find(adapter);
	const struct instruments_api *rest = instruments_api_find(adapter);
	if (!api || !rest)
		return -ENOTSUP;
	struct backfill *b = calloc(1, sizeof(*b));
	if (!b || !(b->last_id = calloc(SYMBOL_IDS, sizeof(*b->last_id))) ||
	    !(b->last_ts_ns = calloc(SYMBOL_IDS, sizeof(*b->last_ts_ns)))) {
		if (b)
			free(b->last_id);
		free(b);
		return -ENOMEM;
	}
	b->exchange = cx->name;
	b->api = api;
	b->limits = rest->limits;
	b->exchange_id = exchange_id;
	snprintf(b->rest_url, sizeof(b->rest_url), "%s", cx->rest_url[0] ? cx->rest_url : rest->default_rest_url);
	b->timeout_ms = cfg->universe.rest_timeout_ms;
	b->tls_verify = cx->tls_verify;
	int rc = backfill_resume_init(b, cfg->state_dir);
	if (rc == 0)
		rc = rest_global_init();
	if (rc == 0)
		rc = -pthread_create(&b->thread, NULL, backfill_main, b);
	if (rc < 0) {
		backfill_resume_free(b);
		free(b->last_ts_ns);
		free(b->last_id);
		free(b);
		return rc;
	}
	b->running = true;
	*out = b;
	return 0;
}

void backfill_stop(struct backfill *b)
{
	if (!b)
		return;
	atomic_store(&b->stop, true);
	pthread_join(b->thread, NULL);
	backfill_resume_save(b);
	backfill_resume_free(b);
	free(b->last_ts_ns);
	free(b->last_id);
	free(b);
}

/* ---- loop side ---- */

void backfill_observe(struct backfill *b, const struct symmap_entry *e, const struct tick *t)
{
	bool resumed = backfill_resume_first_trade(b, t);
	uint64_t last = b->last_id[t->symbol_id];
	int64_t last_ts = b->last_ts_ns[t->symbol_id];
	struct trade_id id = trade_id_of_tick(t);
	uint64_t n;
	if (!trade_id_u64(&id, &n))
		return; /* a UUID, a prefixed or a 128-bit id: no sequence to find holes in */
	if (n <= last)
		return; /* older than the newest seen: out of order or a replay */
	b->last_id[t->symbol_id] = n;
	b->last_ts_ns[t->symbol_id] = t->ts_exchange_ns;
	if (last == 0 || n == last + 1 || (n - last > BACKFILL_MAX_HOLE && !resumed))
		return;
	uint32_t head = atomic_load_explicit(&b->holes_head, memory_order_relaxed);
	if (head - atomic_load_explicit(&b->holes_tail, memory_order_acquire) >= BACKFILL_HOLES) {
		atomic_fetch_add(&b->missing, n - last - 1);
		log_err("%s: backfill queue full: %s ids %llu..%llu not repaired", b->exchange, e->native,
			(unsigned long long)last + 1, (unsigned long long)n - 1);
		return;
	}
	struct backfill_hole *h = &b->holes[head % BACKFILL_HOLES];
	h->symbol_id = t->symbol_id;
	snprintf(h->native, sizeof(h->native), "%.*s", (int)e->native_len, e->native);
	h->from_id = last + 1;
	h->to_id = n - 1;
	h->ts_start_ns = last_ts;
	h->ts_end_ns = t->ts_exchange_ns;
	atomic_store_explicit(&b->holes_head, head + 1, memory_order_release);
}

void backfill_drain(struct backfill *b, struct dedup *d, struct ring *ring, struct status_block *st)
{
	struct tick batch[64];
	size_t n = 0, published = 0, dups = 0;
	uint32_t tail = atomic_load_explicit(&b->ticks_tail, memory_order_relaxed);
	uint32_t head = atomic_load_explicit(&b->ticks_head, memory_order_acquire);
	for (; tail != head; tail++) {
		const struct tick *t = &b->ticks[tail % BACKFILL_TICKS];
		if (tick_is_trade(t) && dedup_trade_seen(d, t)) {
			dups++;
			continue;
		}
		batch[n++] = *t;
		if (n == sizeof(batch) / sizeof(batch[0])) {
			if (ring)
				ring_publish(ring, batch, n);
			published += n;
			n = 0;
		}
	}
	atomic_store_explicit(&b->ticks_tail, tail, memory_order_release);
	if (n && ring)
		ring_publish(ring, batch, n);
	status_add(st, SM_TICKS_PUBLISHED, published + n);
	status_add(st, SM_DUPLICATES, dups);
	status_set(st, SM_BACKFILLS, atomic_load(&b->backfills));
	status_set(st, SM_BACKFILL_RECOVERED, atomic_load(&b->recovered));
	status_set(st, SM_BACKFILL_MISSING, atomic_load(&b->missing));
	status_set(st, SM_BACKFILL_REST_ERRORS, atomic_load(&b->rest_errors));
	backfill_resume_snapshot(b, clock_monotonic_ns());
}

/* Encodes a symbol's spread update once, into the message kept for Redis
 * and _spreads, whose text also gives the XADD values; and, at most every
 * publish_interval_ms, the symbol's pair matrix. Bounded writes into
 * buffers sized at startup. */
#include "aggregator/spread_json.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonw.h"

/* Derived numbers are rounded before printing: basis points and window
 * statistics to 1e-6 bps (what is left below that is binary rounding
 * noise: 65116.4 - 65114.3 = 2.0999999999985). Short numbers also stay on
 * fmt_double's fast path (full-precision doubles take printf/strtod). */
static double bps(double v)
{
	return nearbyint(v * 1e6) / 1e6;
}

/* A window statistic: null when the window is empty (jsonw writes NaN as
 * null). */
static double stat(const struct window_stats *s, double v)
{
	return s->count ? bps(v) : NAN;
}

/* The update message's leaf fields in the order it writes them: the XADD
 * field names (the window's without their prefix). */
static const char *const field_names[SPREAD_JSON_FIELDS] = {
	"schema", "symbol", "update", "ts_recv_ns", "pairs", "buy", "sell", "ask", "bid",
	"qty", "spread_bps", "net_spread_bps", "count", "min", "max", "mean", "p50", "p95"};

/* Each field opened with field() is one XADD field: the span of its value
 * in the text (without a string's quotes) is kept with the message when
 * the next field opens or field_close() is called. */
struct msg_writer {
	struct jsonw w;
	struct spread_msg *m;
	size_t start; /* where the open field's value starts */
	bool open;
};

static void field_close(struct msg_writer *mw)
{
	if (!mw->open)
		return;
	mw->open = false;
	struct spread_msg *m = mw->m;
	size_t len = mw->w.len - mw->start;
	size_t quotes = len >= 2 && mw->w.buf[mw->start] == '"';
	m->value[m->field_count].off = (uint16_t)(mw->start + quotes);
	m->value[m->field_count].len = (uint16_t)(len - 2 * quotes);
	m->field_count++;
}

static void field(struct msg_writer *mw, const char *key)
{
	field_close(mw);
	assert(mw->m->field_count < SPREAD_JSON_FIELDS && strcmp(key, field_names[mw->m->field_count]) == 0);
	jsonw_key(&mw->w, key);
	mw->start = mw->w.len;
	mw->open = true;
}

int spread_json_format(struct spread_msg *m, const struct spread_json_update *u)
{
	struct msg_writer mw = { .m = m };
	struct jsonw *w = &mw.w;
	m->field_count = 0;
	jsonw_init(w, m->json, sizeof(m->json));
	jsonw_object_begin(w);
	field(&mw, "schema");
	jsonw_uint64(w, SPREAD_JSON_SCHEMA);
	field(&mw, "symbol");
	jsonw_string(w, u->symbol);
	field(&mw, "update");
	jsonw_uint64(w, u->update);
	field(&mw, "ts_recv_ns");
	jsonw_int64(w, u->ts_recv_ns);
	field(&mw, "pairs");
	jsonw_uint64(w, u->pair_count);
	const struct spread_pair_view *b = u->best;
	if (b) {
		field(&mw, "buy");
		jsonw_string(w, u->buy);
		field(&mw, "sell");
		jsonw_string(w, u->sell);
		field(&mw, "ask");
		jsonw_double(w, b->buy->ask);
		field(&mw, "bid");
		jsonw_double(w, b->sell->bid);
		field(&mw, "qty");
		jsonw_double(w, b->qty);
		field(&mw, "spread_bps");
		jsonw_double(w, bps(b->spread_bps));
		field(&mw, "net_spread_bps");
		jsonw_double(w, bps(b->net_spread_bps));
		field_close(&mw);
		const struct window_stats *s = &b->stats;
		jsonw_key(w, "window");
		jsonw_object_begin(w);
		field(&mw, "count");
		jsonw_uint64(w, s->count);
		field(&mw, "min");
		jsonw_double(w, stat(s, s->min));
		field(&mw, "max");
		jsonw_double(w, stat(s, s->max));
		field(&mw, "mean");
		jsonw_double(w, stat(s, s->mean));
		field(&mw, "p50");
		jsonw_double(w, stat(s, s->p50));
		field(&mw, "p95");
		jsonw_double(w, stat(s, s->p95));
		field_close(&mw);
		jsonw_object_end(w);
	}
	field_close(&mw);
	jsonw_object_end(w);
	size_t len;
	int rc = jsonw_finish(w, &len);
	m->len = rc == 0 ? (uint16_t)len : 0;
	m->update = rc == 0 ? u->update : 0;
	return rc;
}

/* One entry of the matrix: what a bot needs to rank and size every
 * opportunity of the symbol. */
static void put_pair(struct jsonw *w, const struct spread_core *c, const struct spread_pair_view *v)
{
	jsonw_object_begin(w);
	jsonw_kv_string(w, "buy", spread_core_exchange_name(c, v->buy_ex));
	jsonw_kv_string(w, "sell", spread_core_exchange_name(c, v->sell_ex));
	jsonw_kv_double(w, "ask", v->buy->ask);
	jsonw_kv_double(w, "bid", v->sell->bid);
	jsonw_kv_double(w, "qty", v->qty);
	jsonw_kv_double(w, "spread_bps", bps(v->spread_bps));
	jsonw_kv_double(w, "net_spread_bps", bps(v->net_spread_bps));
	jsonw_kv_uint64(w, "count", v->stats.count);
	jsonw_kv_double(w, "p50", stat(&v->stats, v->stats.p50));
	jsonw_kv_double(w, "p95", stat(&v->stats, v->stats.p95));
	jsonw_object_end(w);
}

int spread_json_format_pairs(char *buf, size_t cap, size_t *len, const struct spread_core *c, unsigned sym,
			     int64_t now_ns, const struct spread_pair_view *pairs, size_t n)
{
	struct jsonw w;
	jsonw_init(&w, buf, cap);
	jsonw_object_begin(&w);
	jsonw_kv_uint64(&w, "schema", SPREAD_JSON_SCHEMA);
	jsonw_kv_string(&w, "symbol", spread_core_symbol_name(c, sym));
	jsonw_kv_int64(&w, "ts_ns", now_ns);
	jsonw_kv_uint64(&w, "window_s", spread_core_window_s(c));
	jsonw_key(&w, "fees_bps");
	jsonw_object_begin(&w);
	for (unsigned e = 0; e < spread_core_exchange_count(c); e++)
		jsonw_kv_double(&w, spread_core_exchange_name(c, e), spread_core_fee_bps(c, e));
	jsonw_object_end(&w);
	jsonw_key(&w, "pairs");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++)
		put_pair(&w, c, &pairs[i]);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	return jsonw_finish(&w, len);
}

int spread_json_init(struct spread_json *j, const struct spread_core *c, uint32_t pairs_interval_ms)
{
	memset(j, 0, sizeof(*j));
	j->pairs_interval_ns = (int64_t)pairs_interval_ms * 1000000LL;
	/* every ordered pair of the exchanges: symbols listed at run time
	 * cannot have more */
	j->max_pairs = spreads_max_pairs(spreads_max_slots(spread_core_exchange_count(c), spread_core_basis_count(c)));
	j->pairs_cap = SPREADS_PAIRS_FIXED_MAX + j->max_pairs * SPREADS_PAIRS_ENTRY_MAX;
	j->pairs_json = malloc(j->pairs_cap);
	j->pairs = calloc(j->max_pairs, sizeof(*j->pairs));
	/* For every symbol the core can ever list (symbols are listed at run
	 * time): calloc maps these untouched, a symbol's memory is touched at
	 * its first update. */
	j->msgs = calloc(SPREAD_MAX_SYMBOLS, sizeof(*j->msgs));
	j->next_ring_pairs_ns = calloc(SPREAD_MAX_SYMBOLS, sizeof(*j->next_ring_pairs_ns));
	j->next_redis_pairs_ns = calloc(SPREAD_MAX_SYMBOLS, sizeof(*j->next_redis_pairs_ns));
	j->held = calloc(SPREAD_MAX_SYMBOLS, sizeof(*j->held));
	if (!j->pairs_json || !j->pairs || !j->msgs || !j->next_ring_pairs_ns || !j->next_redis_pairs_ns || !j->held) {
		spread_json_free(j);
		return -ENOMEM;
	}
	return 0;
}

void spread_json_free(struct spread_json *j)
{
	free(j->msgs);
	free(j->next_ring_pairs_ns);
	free(j->next_redis_pairs_ns);
	free(j->held);
	free(j->pairs_json);
	free(j->pairs);
	memset(j, 0, sizeof(*j));
}

/* Is sym's matrix due on a destination whose next time is *next (0 before
 * the first)? */
static bool pairs_due(const struct spread_json *j, int64_t *next, int64_t now_ns)
{
	if (*next && now_ns < *next)
		return false;
	*next = now_ns + j->pairs_interval_ns;
	return true;
}

/* The matrix of sym as of now (every pair with its window, into j->pairs:
 * *n of them) into pairs_json. */
static int encode_pairs(struct spread_json *j, struct spread_core *c, unsigned sym, int64_t now_ns, size_t *n)
{
	*n = spread_core_pairs(c, sym, now_ns, j->pairs, j->max_pairs);
	return spread_json_format_pairs(j->pairs_json, j->pairs_cap, &j->pairs_len, c, sym, now_ns, j->pairs, *n);
}

int spread_json_encode(struct spread_json *j, struct spread_core *c, unsigned sym, int64_t now_ns)
{
	assert(sym < SPREAD_MAX_SYMBOLS);
	/* the best pair from prices alone: only its window is queried */
	size_t n = spread_core_pairs_now(c, sym, j->pairs, j->max_pairs);
	int best = spread_core_best(j->pairs, n);
	struct spread_pair_view *bp = best >= 0 ? &j->pairs[best] : NULL;
	if (bp)
		spread_core_pair_stats(c, bp, now_ns);
	int64_t recv_ns, exch_ns;
	spread_core_trigger(c, sym, &recv_ns, &exch_ns);
	struct spread_json_update u = {
		.symbol = spread_core_symbol_name(c, sym),
		.update = spread_core_updates(c, sym),
		.ts_recv_ns = recv_ns,
		.pair_count = n,
		.best = bp,
		.buy = bp ? spread_core_exchange_name(c, bp->buy_ex) : NULL,
		.sell = bp ? spread_core_exchange_name(c, bp->sell_ex) : NULL,
	};
	struct spread_msg *m = &j->msgs[sym];
	int rc = spread_json_format(m, &u);
	if (rc < 0)
		return rc;
	j->msg = m;
	j->pair_count = n;
	j->best_buy_ex = bp ? (int)bp->buy_ex : -1;
	j->best_sell_ex = bp ? (int)bp->sell_ex : -1;
	j->ts_ns = now_ns;
	j->pairs_len = 0;
	if (pairs_due(j, &j->next_ring_pairs_ns[sym], now_ns)) {
		j->held[sym] &= (uint8_t)~SPREAD_JSON_HELD_RING;
		rc = encode_pairs(j, c, sym, now_ns, &n);
	} else {
		j->held[sym] |= SPREAD_JSON_HELD_RING;
	}
	return rc;
}

int spread_json_publish(struct spread_json *j, struct spread_core *c, struct redis_pub *redis, unsigned sym,
			int64_t now_ns)
{
	if (sym >= SPREAD_MAX_SYMBOLS || !j->msgs[sym].update)
		return -ENOENT;
	const struct spread_msg *m = &j->msgs[sym];
	for (size_t i = 0; i < m->field_count; i++)
		j->fields[i] = (struct redis_pub_field){ field_names[i], m->json + m->value[i].off, m->value[i].len };
	const char *symbol = spread_core_symbol_name(c, sym);
	int rc = redis_pub_send(redis, symbol, m->json, m->len, j->fields, m->field_count);
	if (rc < 0)
		return rc;
	if (!pairs_due(j, &j->next_redis_pairs_ns[sym], now_ns)) {
		j->held[sym] |= SPREAD_JSON_HELD_REDIS;
		return 0;
	}
	/* the matrix as of now: formatted here for Redis, at most every
	 * pairs_interval_ms (the update's own message is not formatted again) */
	j->held[sym] &= (uint8_t)~SPREAD_JSON_HELD_REDIS;
	size_t n;
	rc = encode_pairs(j, c, sym, now_ns, &n);
	if (rc == 0)
		rc = redis_pub_pairs(redis, symbol, j->pairs_json, j->pairs_len);
	j->pairs_len = 0; /* the buffer is not the last encode's matrix any more */
	return rc;
}

unsigned spread_json_held_due(struct spread_json *j, struct spread_core *c, unsigned sym, int64_t now_ns)
{
	unsigned due = 0;
	if ((j->held[sym] & SPREAD_JSON_HELD_RING) && pairs_due(j, &j->next_ring_pairs_ns[sym], now_ns))
		due |= SPREAD_JSON_HELD_RING;
	if ((j->held[sym] & SPREAD_JSON_HELD_REDIS) && pairs_due(j, &j->next_redis_pairs_ns[sym], now_ns))
		due |= SPREAD_JSON_HELD_REDIS;
	j->held[sym] &= (uint8_t)~due;
	j->pairs_len = 0;
	if (!due)
		return 0;
	size_t n;
	if (encode_pairs(j, c, sym, now_ns, &n) < 0)
		return 0;
	int best = spread_core_best(j->pairs, n);
	j->best_buy_ex = best >= 0 ? (int)j->pairs[best].buy_ex : -1;
	j->best_sell_ex = best >= 0 ? (int)j->pairs[best].sell_ex : -1;
	j->ts_ns = now_ns;
	return due;
}

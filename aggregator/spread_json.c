/* Encodes a symbol's spread update: the best pair in full with its window
 * statistics, every fresh pair in short, and the XADD fields. Bounded
 * writes into buffers sized at startup. */
#include "aggregator/spread_json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/jsonw.h"
#include "shm/spreads.h"

/* Upper bounds used to size the buffer (shared with the _spreads ring's
 * record size): the fixed part with the best pair and its window, and one
 * short pair entry. */
#define JSON_FIXED_MAX SPREADS_JSON_FIXED_MAX
#define JSON_PAIR_MAX SPREADS_JSON_PAIR_MAX

/* Derived numbers are rounded before printing: basis points and window
 * statistics to 1e-6 bps, a price difference to 10 significant digits of
 * the price it is taken from (a notional to 10 of its own) (what is left below that is binary rounding
 * noise: 65116.4 - 65114.3 = 2.0999999999985). Short numbers also stay on
 * fmt_double's fast path (full-precision doubles take printf/strtod). */
static double bps(double v)
{
	return nearbyint(v * 1e6) / 1e6;
}

static double px_diff(double v, double price)
{
	if (!(price > 0))
		return v;
	double scale = pow(10.0, 9.0 - floor(log10(price)));
	return nearbyint(v * scale) / scale;
}

/* The net-of-fees numbers of a pair, in the message and the stream entry
 * alike (docs/redis.md). */
#define NET_FIELDS 6
static const char *const net_names[NET_FIELDS] = {"buy_fee_bps", "sell_fee_bps", "net_spread", "net_spread_bps",
						   "qty", "notional"};

static void net_values(const struct spread_pair_view *v, double out[NET_FIELDS])
{
	out[0] = v->buy_fee_bps;
	out[1] = v->sell_fee_bps;
	out[2] = px_diff(v->net_spread, v->buy->ask);
	out[3] = bps(v->net_spread_bps);
	out[4] = v->qty;
	out[5] = px_diff(v->notional, v->notional);
}

static void put_window(struct jsonw *w, const struct window_stats *s, uint32_t window_s)
{
	jsonw_key(w, "window");
	jsonw_object_begin(w);
	jsonw_kv_uint64(w, "s", window_s);
	jsonw_kv_uint64(w, "count", s->count);
	/* NaN is written as null: an empty window has no statistics */
	double none = s->count ? 0.0 : NAN;
	jsonw_kv_double(w, "min", bps(s->min + none));
	jsonw_kv_double(w, "max", bps(s->max + none));
	jsonw_kv_double(w, "mean", bps(s->mean + none));
	jsonw_kv_double(w, "std", bps(s->std + none));
	jsonw_kv_double(w, "last", bps(s->last + none));
	jsonw_kv_double(w, "p50", bps(s->p50 + none));
	jsonw_kv_double(w, "p95", bps(s->p95 + none));
	jsonw_kv_uint64(w, "pct_count", s->pct_count);
	jsonw_object_end(w);
}

static void put_best(struct jsonw *w, const struct spread_core *c, const struct spread_pair_view *v, uint32_t window_s)
{
	jsonw_kv_string(w, "buy", spread_core_exchange_name(c, v->buy_ex));
	jsonw_kv_string(w, "sell", spread_core_exchange_name(c, v->sell_ex));
	jsonw_kv_double(w, "ask", v->buy->ask);
	jsonw_kv_double(w, "ask_qty", v->buy->ask_qty);
	jsonw_kv_double(w, "bid", v->sell->bid);
	jsonw_kv_double(w, "bid_qty", v->sell->bid_qty);
	jsonw_kv_double(w, "spread", px_diff(v->spread, v->buy->ask));
	jsonw_kv_double(w, "spread_bps", bps(v->spread_bps));
	double net[NET_FIELDS];
	net_values(v, net);
	for (int i = 0; i < NET_FIELDS; i++)
		jsonw_kv_double(w, net_names[i], net[i]);
	jsonw_kv_int64(w, "buy_ts_exchange_ns", v->buy->ts_exchange_ns);
	jsonw_kv_int64(w, "buy_ts_recv_ns", v->buy->ts_recv_ns);
	jsonw_kv_int64(w, "sell_ts_exchange_ns", v->sell->ts_exchange_ns);
	jsonw_kv_int64(w, "sell_ts_recv_ns", v->sell->ts_recv_ns);
	put_window(w, &v->stats, window_s);
}

/* A pair in short: what a bot needs to rank and size the other
 * opportunities; the best pair carries the full detail. */
static void put_pair(struct jsonw *w, const struct spread_core *c, const struct spread_pair_view *v)
{
	jsonw_object_begin(w);
	jsonw_kv_string(w, "buy", spread_core_exchange_name(c, v->buy_ex));
	jsonw_kv_string(w, "sell", spread_core_exchange_name(c, v->sell_ex));
	jsonw_kv_double(w, "ask", v->buy->ask);
	jsonw_kv_double(w, "bid", v->sell->bid);
	jsonw_kv_double(w, "spread_bps", bps(v->spread_bps));
	jsonw_kv_double(w, "net_spread_bps", bps(v->net_spread_bps));
	double none = v->stats.count ? 0.0 : NAN;
	jsonw_kv_double(w, "p50", bps(v->stats.p50 + none));
	jsonw_kv_double(w, "p95", bps(v->stats.p95 + none));
	jsonw_object_end(w);
}

static void field(struct spread_json *j, const char *name, const char *value, size_t len)
{
	struct redis_pub_field *f = &j->fields[j->field_count++];
	f->name = name;
	f->value = value;
	f->value_len = len;
}

static void field_num(struct spread_json *j, const char *name, double v)
{
	char *dst = j->values[j->field_count];
	field(j, name, dst, fmt_double(dst, sizeof(j->values[0]), v));
}

static void field_int(struct spread_json *j, const char *name, int64_t v)
{
	char *dst = j->values[j->field_count];
	field(j, name, dst, fmt_i64(dst, sizeof(j->values[0]), v));
}

static void fill_fields(struct spread_json *j, const struct spread_core *c, unsigned sym, uint64_t update, int64_t now_ns,
			int64_t recv_ns, int64_t exch_ns, const struct spread_pair_view *best)
{
	j->field_count = 0;
	const char *name = spread_core_symbol_name(c, sym);
	field(j, "symbol", name, strlen(name));
	field_int(j, "update", (int64_t)update);
	field_int(j, "ts_ns", now_ns);
	field_int(j, "ts_recv_ns", recv_ns);
	field_int(j, "ts_exchange_ns", exch_ns);
	field(j, "valid", best ? "1" : "0", 1);
	if (!best)
		return;
	const char *buy = spread_core_exchange_name(c, best->buy_ex), *sell = spread_core_exchange_name(c, best->sell_ex);
	field(j, "buy", buy, strlen(buy));
	field(j, "sell", sell, strlen(sell));
	field_num(j, "ask", best->buy->ask);
	field_num(j, "bid", best->sell->bid);
	field_num(j, "spread", px_diff(best->spread, best->buy->ask));
	field_num(j, "spread_bps", bps(best->spread_bps));
	double net[NET_FIELDS];
	net_values(best, net);
	for (int i = 0; i < NET_FIELDS; i++)
		field_num(j, net_names[i], net[i]);
	field_int(j, "count", (int64_t)best->stats.count);
	double none = best->stats.count ? 0.0 : NAN; /* "null" when the window is empty */
	field_num(j, "mean", bps(best->stats.mean + none));
	field_num(j, "std", bps(best->stats.std + none));
	field_num(j, "p50", bps(best->stats.p50 + none));
	field_num(j, "p95", bps(best->stats.p95 + none));
}

int spread_json_init(struct spread_json *j, const struct spread_core *c)
{
	memset(j, 0, sizeof(*j));
	j->max_pairs = spread_core_max_pairs(c);
	j->json_cap = JSON_FIXED_MAX + j->max_pairs * JSON_PAIR_MAX;
	j->json = malloc(j->json_cap);
	j->pairs = calloc(j->max_pairs ? j->max_pairs : 1, sizeof(*j->pairs));
	if (!j->json || !j->pairs) {
		spread_json_free(j);
		return -ENOMEM;
	}
	return 0;
}

void spread_json_free(struct spread_json *j)
{
	free(j->json);
	free(j->pairs);
	j->json = NULL;
	j->pairs = NULL;
}

int spread_json_encode(struct spread_json *j, struct spread_core *c, unsigned sym, int64_t now_ns)
{
	size_t n = spread_core_pairs(c, sym, now_ns, j->pairs, j->max_pairs);
	int best = spread_core_best(j->pairs, n);
	const struct spread_pair_view *bp = best >= 0 ? &j->pairs[best] : NULL;
	int64_t recv_ns, exch_ns;
	spread_core_trigger(c, sym, &recv_ns, &exch_ns);
	uint64_t update = spread_core_updates(c, sym);
	struct jsonw w;
	jsonw_init(&w, j->json, j->json_cap);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "symbol", spread_core_symbol_name(c, sym));
	jsonw_kv_uint64(&w, "update", update);
	jsonw_kv_int64(&w, "ts_ns", now_ns);
	jsonw_kv_int64(&w, "ts_recv_ns", recv_ns);
	jsonw_kv_int64(&w, "ts_exchange_ns", exch_ns);
	jsonw_kv_bool(&w, "valid", bp != NULL);
	if (bp)
		put_best(&w, c, bp, spread_core_window_s(c));
	jsonw_key(&w, "pairs");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++)
		put_pair(&w, c, &j->pairs[i]);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	int rc = jsonw_finish(&w, &j->json_len);
	if (rc < 0)
		return rc;
	fill_fields(j, c, sym, update, now_ns, recv_ns, exch_ns, bp);
	j->pair_count = n;
	j->best_buy_ex = bp ? (int)bp->buy_ex : -1;
	j->best_sell_ex = bp ? (int)bp->sell_ex : -1;
	j->ts_ns = now_ns;
	return 0;
}

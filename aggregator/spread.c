/* Latest quotes, pair spreads and their windows. Everything but the
 * windows is allocated in spread_core_create; a pair's window is taken from
 * the capped window pool at its first sample (no malloc on the tick path). */
#include "aggregator/spread.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/instrument.h"
#include "common/log.h"

#define NO_SLOT 0xff

struct spread_symbol {
	char name[CONFIG_NAME_MAX];
	unsigned ex_count;                      /* exchanges listing the symbol */
	uint8_t ex[CONFIG_MAX_EXCHANGES];       /* slot -> exchange index */
	struct spread_quote quotes[CONFIG_MAX_EXCHANGES];
	uint32_t fresh_mask;                    /* slots fresh at the last evaluation */
	int64_t trigger_recv_ns, trigger_exchange_ns;
	uint64_t updates;
	struct window **windows;                /* ex_count * ex_count, [buy slot][sell slot]; NULL until used */
};

struct spread_core {
	spread_update_fn *on_update;
	void *ctx;
	int64_t stale_ns;
	uint32_t window_s;
	size_t ex_count;
	char ex_names[CONFIG_MAX_EXCHANGES][CONFIG_NAME_MAX];
	double fee_bps[CONFIG_MAX_EXCHANGES];
	size_t sym_count;
	struct spread_symbol *syms;
	uint8_t *slot;                          /* [sym * ex_count + ex] -> slot, NO_SLOT if not listed */
	struct window_geometry geo;
	size_t pair_count, max_pairs;
	struct window **windows;                /* all symbols' window pointers */
	size_t window_ptrs;
	struct window_pool *pool;
};

static int find_symbol(const struct spread_core *c, const char *name)
{
	for (size_t i = 0; i < c->sym_count; i++)
		if (strcmp(c->syms[i].name, name) == 0)
			return (int)i;
	return -ENOENT;
}

_Static_assert(INSTRUMENT_NAME_MAX == CONFIG_NAME_MAX, "universe and config symbol names differ in size");

/* [universe] mode = auto: each exchange's share of the universe the
 * supervisor persisted (none decided yet: none) instead of its list. */
static int universe_symbols(const struct config *cfg, char (*own[])[INSTRUMENT_NAME_MAX], size_t *count)
{
	char err[512];
	for (size_t e = 0; e < cfg->exchange_count; e++) {
		own[e] = NULL;
		count[e] = cfg->exchanges[e].symbol_count;
		if (!config_universe_auto(cfg))
			continue;
		int rc = universe_file_symbols(cfg->state_dir, cfg->exchanges[e].name, &own[e], &count[e], err, sizeof(err));
		if (rc == -ENOENT) {
			count[e] = 0;
		} else if (rc < 0) {
			log_err("aggregator: %s", err);
			return rc;
		}
	}
	return 0;
}

/* Symbols in config order of first appearance; each knows its exchanges. */
static int index_symbols(struct spread_core *c, const struct config *cfg)
{
	char(*own[CONFIG_MAX_EXCHANGES])[INSTRUMENT_NAME_MAX] = { NULL };
	size_t count[CONFIG_MAX_EXCHANGES], max = 0;
	int rc = universe_symbols(cfg, own, count);
	for (size_t e = 0; e < cfg->exchange_count; e++)
		if (cfg->exchanges[e].enabled)
			max += count[e];
	c->syms = rc < 0 ? NULL : calloc(max ? max : 1, sizeof(*c->syms));
	for (size_t e = 0; c->syms && e < cfg->exchange_count; e++) {
		const struct config_exchange *x = &cfg->exchanges[e];
		if (!x->enabled)
			continue;
		unsigned ex = (unsigned)c->ex_count++;
		memcpy(c->ex_names[ex], x->name, CONFIG_NAME_MAX);
		c->fee_bps[ex] = x->taker_fee_bps;
		for (size_t s = 0; s < count[e]; s++) {
			const char *name = own[e] ? own[e][s] : x->symbols[s];
			int i = find_symbol(c, name);
			if (i < 0) {
				i = (int)c->sym_count++;
				memcpy(c->syms[i].name, name, CONFIG_NAME_MAX);
			}
			struct spread_symbol *sym = &c->syms[i];
			sym->ex[sym->ex_count++] = (uint8_t)ex;
		}
	}
	for (size_t e = 0; e < cfg->exchange_count; e++)
		free(own[e]);
	if (!c->syms)
		return rc < 0 ? rc : -ENOMEM;
	c->slot = malloc(c->sym_count * c->ex_count + 1);
	if (!c->slot)
		return -ENOMEM;
	memset(c->slot, NO_SLOT, c->sym_count * c->ex_count + 1);
	for (size_t i = 0; i < c->sym_count; i++)
		for (unsigned k = 0; k < c->syms[i].ex_count; k++)
			c->slot[i * c->ex_count + c->syms[i].ex[k]] = (uint8_t)k;
	return 0;
}

static int alloc_windows(struct spread_core *c, uint32_t max_window_memory_mb)
{
	size_t structs = 0;
	for (size_t i = 0; i < c->sym_count; i++) {
		size_t k = c->syms[i].ex_count;
		if (k < 2)
			continue;
		structs += k * k;
		c->pair_count += k * (k - 1);
		if (k * (k - 1) > c->max_pairs)
			c->max_pairs = k * (k - 1);
	}
	c->window_ptrs = structs;
	c->windows = calloc(structs ? structs : 1, sizeof(*c->windows));
	if (!c->windows)
		return -ENOMEM;
	struct window **w = c->windows;
	for (size_t i = 0; i < c->sym_count; i++) {
		struct spread_symbol *s = &c->syms[i];
		if (s->ex_count < 2)
			continue;
		s->windows = w;
		w += (size_t)s->ex_count * s->ex_count;
	}
	/* the pointer table counts against the cap too */
	size_t max = (size_t)max_window_memory_mb << 20, table = structs * sizeof(*c->windows);
	return window_pool_create(&c->pool, &c->geo, max > table ? max - table : 0);
}

int spread_core_create(struct spread_core **out, const struct config *cfg, spread_update_fn *on_update, void *ctx)
{
	struct spread_core *c = calloc(1, sizeof(*c));
	int rc = -ENOMEM;
	if (!c)
		goto out;
	c->on_update = on_update;
	c->ctx = ctx;
	c->stale_ns = (int64_t)cfg->aggregator.stale_quote_ms * 1000000LL;
	c->window_s = cfg->aggregator.window_s;
	rc = window_geometry_init(&c->geo, cfg->aggregator.window_s, cfg->aggregator.window_buckets);
	if (rc < 0)
		goto out;
	rc = index_symbols(c, cfg);
	if (rc < 0)
		goto out;
	rc = alloc_windows(c, cfg->aggregator.max_window_memory_mb);
out:
	if (rc < 0) {
		spread_core_free(c);
		c = NULL;
	}
	*out = c;
	return rc;
}

void spread_core_free(struct spread_core *c)
{
	if (!c)
		return;
	window_pool_free(c->pool);
	free(c->windows);
	free(c->slot);
	free(c->syms);
	free(c);
}

size_t spread_core_exchange_count(const struct spread_core *c) { return c->ex_count; }
const char *spread_core_exchange_name(const struct spread_core *c, unsigned ex) { return c->ex_names[ex]; }
double spread_core_fee_bps(const struct spread_core *c, unsigned ex) { return c->fee_bps[ex]; }
size_t spread_core_symbol_count(const struct spread_core *c) { return c->sym_count; }
const char *spread_core_symbol_name(const struct spread_core *c, unsigned sym) { return c->syms[sym].name; }
int spread_core_symbol_index(const struct spread_core *c, const char *name) { return find_symbol(c, name); }
size_t spread_core_pair_count(const struct spread_core *c) { return c->pair_count; }
size_t spread_core_max_pairs(const struct spread_core *c) { return c->max_pairs; }

void spread_core_window_usage(const struct spread_core *c, struct window_pool_usage *u)
{
	window_pool_usage(c->pool, u);
	u->bytes_used += c->window_ptrs * sizeof(*c->windows);
	u->bytes_max += c->window_ptrs * sizeof(*c->windows);
}

uint32_t spread_core_window_s(const struct spread_core *c)
{
	return c->window_s;
}

/* Pairs exist only between two or more fresh exchanges. */
static uint32_t pair_mask(uint32_t fresh)
{
	return (fresh & (fresh - 1)) ? fresh : 0;
}

static uint32_t fresh_at(const struct spread_core *c, const struct spread_symbol *s, int64_t now_ns)
{
	uint32_t mask = 0;
	for (unsigned k = 0; k < s->ex_count; k++)
		if (s->quotes[k].valid && now_ns - s->quotes[k].ts_recv_ns <= c->stale_ns)
			mask |= 1u << k;
	return mask;
}

/* Record the new fresh set and tell the caller when the pairs changed. */
static void settle(struct spread_core *c, unsigned sym, uint32_t fresh, bool prices_changed)
{
	struct spread_symbol *s = &c->syms[sym];
	uint32_t before = pair_mask(s->fresh_mask), after = pair_mask(fresh);
	s->fresh_mask = fresh;
	if (before != after || (prices_changed && after)) {
		s->updates++;
		c->on_update(c->ctx, sym);
	}
}

/* A pair's window is made at its first sample; with the pool full the
 * sample is refused (window_new counts it) and tried again next time. */
static void add_sample(struct spread_core *c, struct window **w, int64_t now_ns, double x)
{
	if (!*w && !(*w = window_new(c->pool)))
		return;
	window_add(c->pool, *w, now_ns, x);
}

int spread_core_on_quote(struct spread_core *c, unsigned sym, unsigned ex, const struct tick *t)
{
	uint8_t k = c->slot[(size_t)sym * c->ex_count + ex];
	if (k == NO_SLOT)
		return -ENOENT;
	struct spread_symbol *s = &c->syms[sym];
	struct spread_quote *q = &s->quotes[k];
	bool changed = !q->valid || q->bid != t->u.quote.bid_px || q->ask != t->u.quote.ask_px;
	q->bid = t->u.quote.bid_px;
	q->ask = t->u.quote.ask_px;
	q->bid_qty = t->u.quote.bid_qty;
	q->ask_qty = t->u.quote.ask_qty;
	q->ts_exchange_ns = t->ts_exchange_ns;
	q->ts_recv_ns = t->ts_recv_ns;
	q->valid = true;

	int64_t now = t->ts_recv_ns;
	uint32_t fresh = fresh_at(c, s, now);
	int computed = 0;
	unsigned n = s->ex_count;
	for (unsigned j = 0; j < n; j++) {
		if (j == k || !(fresh & (1u << j)))
			continue;
		const struct spread_quote *o = &s->quotes[j];
		double buy_here = (o->bid - q->ask) / q->ask * 1e4;
		double sell_here = (q->bid - o->ask) / o->ask * 1e4;
		if (isfinite(buy_here)) {
			add_sample(c, &s->windows[k * n + j], now, buy_here);
			computed++;
		}
		if (isfinite(sell_here)) {
			add_sample(c, &s->windows[j * n + k], now, sell_here);
			computed++;
		}
	}
	if (changed) {
		s->trigger_recv_ns = t->ts_recv_ns;
		s->trigger_exchange_ns = t->ts_exchange_ns;
	}
	settle(c, sym, fresh, changed);
	return computed;
}

void spread_core_invalidate(struct spread_core *c, unsigned ex, int sym, int64_t now_ns)
{
	size_t from = sym < 0 ? 0 : (size_t)sym, to = sym < 0 ? c->sym_count : (size_t)sym + 1;
	for (size_t i = from; i < to && i < c->sym_count; i++) {
		uint8_t k = c->slot[i * c->ex_count + ex];
		if (k == NO_SLOT || !c->syms[i].quotes[k].valid)
			continue;
		c->syms[i].quotes[k].valid = false;
		settle(c, (unsigned)i, fresh_at(c, &c->syms[i], now_ns) & c->syms[i].fresh_mask, false);
	}
}

void spread_core_expire_stale(struct spread_core *c, int64_t now_ns)
{
	for (size_t i = 0; i < c->sym_count; i++) {
		struct spread_symbol *s = &c->syms[i];
		if (!s->fresh_mask)
			continue;
		uint32_t fresh = s->fresh_mask & fresh_at(c, s, now_ns);
		if (fresh != s->fresh_mask)
			settle(c, (unsigned)i, fresh, false);
	}
}

static void net_of_fees(struct spread_pair_view *v, double buy_fee_bps, double sell_fee_bps)
{
	double cost = v->buy->ask * (1.0 + buy_fee_bps * 1e-4);
	double proceeds = v->sell->bid * (1.0 - sell_fee_bps * 1e-4);
	v->buy_fee_bps = buy_fee_bps;
	v->sell_fee_bps = sell_fee_bps;
	v->net_spread = proceeds - cost;
	v->net_spread_bps = v->net_spread / cost * 1e4;
	v->qty = fmin(v->buy->ask_qty, v->sell->bid_qty);
	v->notional = v->qty * v->buy->ask;
}

size_t spread_core_pairs(struct spread_core *c, unsigned sym, int64_t now_ns, struct spread_pair_view *out, size_t max)
{
	struct spread_symbol *s = &c->syms[sym];
	uint32_t mask = pair_mask(s->fresh_mask);
	size_t n = 0;
	for (unsigned b = 0; b < s->ex_count; b++) {
		if (!(mask & (1u << b)))
			continue;
		for (unsigned a = 0; a < s->ex_count && n < max; a++) {
			if (a == b || !(mask & (1u << a)))
				continue;
			struct spread_pair_view *v = &out[n++];
			v->buy_ex = s->ex[b];
			v->sell_ex = s->ex[a];
			v->buy = &s->quotes[b];
			v->sell = &s->quotes[a];
			v->spread = v->sell->bid - v->buy->ask;
			v->spread_bps = v->spread / v->buy->ask * 1e4;
			net_of_fees(v, c->fee_bps[v->buy_ex], c->fee_bps[v->sell_ex]);
			struct window *w = s->windows[b * s->ex_count + a];
			if (w)
				window_query(c->pool, w, now_ns, &v->stats);
			else
				memset(&v->stats, 0, sizeof(v->stats));
		}
	}
	return n;
}

int spread_core_best(const struct spread_pair_view *pairs, size_t n)
{
	int best = -1;
	for (size_t i = 0; i < n; i++)
		if (best < 0 || pairs[i].net_spread_bps > pairs[best].net_spread_bps)
			best = (int)i;
	return best;
}

void spread_core_trigger(const struct spread_core *c, unsigned sym, int64_t *ts_recv_ns, int64_t *ts_exchange_ns)
{
	*ts_recv_ns = c->syms[sym].trigger_recv_ns;
	*ts_exchange_ns = c->syms[sym].trigger_exchange_ns;
}

uint64_t spread_core_updates(const struct spread_core *c, unsigned sym)
{
	return c->syms[sym].updates;
}

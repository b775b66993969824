/* Latest quotes, pair spreads and their windows. Symbols are appended as
 * the exchanges list them (at create and at each spread_core_list), never
 * moved or reused; their tables are charged to the capped window pool, and a
 * pair's window is taken from it at its first sample (no malloc on the tick
 * path). */
#include "aggregator/spread.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aggregator/wanted.h"
#include "common/hash.h"

#define NO_SLOT 0xff
#define NO_INDEX (-1)

struct spread_symbol {
	char name[CONFIG_NAME_MAX];
	unsigned ex_count;                      /* slots: exchanges that ever listed the symbol */
	uint32_t listed;                        /* slots listed now */
	uint8_t ex[CONFIG_MAX_EXCHANGES];       /* slot -> exchange index */
	struct spread_quote quotes[CONFIG_MAX_EXCHANGES];
	uint32_t fresh_mask;                    /* slots fresh at the last evaluation */
	int64_t trigger_recv_ns, trigger_exchange_ns;
	unsigned trigger_ex;            /* core exchange of that quote */
	uint64_t updates;
	struct window **windows;                /* ex_count * ex_count, [buy slot][sell slot]; NULL until used */
	/* An [aggregator] basis: its slots are its spot symbol's exchanges and
	 * its derivative's (perp: the latter's slots, an exchange may have one
	 * of each), paired only spot against derivative; fed by its legs'
	 * ticks, never listed by an exchange itself (no slot table row). */
	bool basis;
	uint32_t perp;
};

struct spread_core {
	spread_update_fn *on_update;
	void *ctx;
	int64_t stale_ns;
	uint32_t window_s;
	size_t ex_count;
	char ex_names[CONFIG_MAX_EXCHANGES][CONFIG_NAME_MAX];
	double fee_bps[CONFIG_MAX_EXCHANGES];
	size_t sym_count, sym_cap;
	struct spread_symbol *syms;
	uint8_t *slot;                          /* [sym * ex_count + ex] -> slot, NO_SLOT if never listed */
	int32_t *index;                         /* name hash -> symbol, open addressing, 2 * sym_cap entries */
	int32_t *leg_of;                        /* symbol -> basis symbol << 1 | 1 if the derivative leg, or NO_INDEX */
	size_t basis_count;
	struct config_basis basis[CONFIG_MAX_BASIS];
	size_t index_mask;
	struct window_geometry geo;
	size_t pair_count, max_pairs;           /* of the slots listed now; max_pairs never shrinks */
	struct spread_listing listing;          /* the last spread_core_list */
	struct window_pool *pool;
};

static size_t name_hash(const char *name)
{
	return (size_t)hash_fnv1a64(name, strlen(name));
}

static int find_symbol(const struct spread_core *c, const char *name)
{
	if (!c->index)
		return -ENOENT;
	for (size_t h = name_hash(name) & c->index_mask;; h = (h + 1) & c->index_mask) {
		int32_t i = c->index[h];
		if (i == NO_INDEX)
			return -ENOENT;
		if (strcmp(c->syms[i].name, name) == 0)
			return i;
	}
}

static void index_put(struct spread_core *c, size_t sym)
{
	size_t h = name_hash(c->syms[sym].name) & c->index_mask;
	while (c->index[h] != NO_INDEX)
		h = (h + 1) & c->index_mask;
	c->index[h] = (int32_t)sym;
}

/* Room for cap symbols: the symbol array, the slot table and the index
 * (at most half full) grow together; entries keep their place. */
static int reserve_symbols(struct spread_core *c, size_t cap)
{
	if (cap <= c->sym_cap)
		return 0;
	size_t n = c->sym_cap ? c->sym_cap : 64;
	while (n < cap)
		n *= 2;
	struct spread_symbol *syms = realloc(c->syms, n * sizeof(*syms));
	if (!syms)
		return -ENOMEM;
	c->syms = syms;
	uint8_t *slot = realloc(c->slot, n * c->ex_count + 1);
	if (slot)
		c->slot = slot;
	int32_t *leg_of = slot ? realloc(c->leg_of, n * sizeof(*leg_of)) : NULL;
	if (leg_of)
		c->leg_of = leg_of;
	int32_t *index = malloc(2 * n * sizeof(*index));
	if (!slot || !leg_of || !index) {
		free(index);
		return -ENOMEM;
	}
	for (size_t i = c->sym_cap; i < n; i++)
		leg_of[i] = NO_INDEX;
	memset(slot + c->sym_cap * c->ex_count, NO_SLOT, (n - c->sym_cap) * c->ex_count + 1);
	free(c->index);
	c->index = index;
	c->index_mask = 2 * n - 1;
	for (size_t h = 0; h <= c->index_mask; h++)
		c->index[h] = NO_INDEX;
	c->sym_cap = n;
	for (size_t i = 0; i < c->sym_count; i++)
		index_put(c, i);
	return 0;
}

static size_t table_bytes(unsigned slots)
{
	return (size_t)slots * slots * sizeof(struct window *);
}

/* A symbol's entry and its slot row; its window pointers are charged as
 * its slots are added (add_slots). */
static size_t symbol_bytes(const struct spread_core *c)
{
	return sizeof(struct spread_symbol) + c->ex_count + sizeof(*c->leg_of);
}

/* The slots slot k of s pairs with: any other, or in a basis those of the
 * other leg. */
static uint32_t partners(const struct spread_symbol *s, unsigned k)
{
	if (!s->basis)
		return ~(1u << k);
	return (s->perp >> k) & 1 ? ~s->perp : s->perp;
}

/* Pairs and symbols of what is listed now. */
static void count_pairs(struct spread_core *c, struct spread_listing *out)
{
	c->pair_count = 0;
	out->symbols = 0;
	for (size_t i = 0; i < c->sym_count; i++) {
		const struct spread_symbol *s = &c->syms[i];
		size_t k = (size_t)__builtin_popcount(s->listed), pairs = k > 1 ? k * (k - 1) : 0;
		if (s->basis)
			pairs = 2 * (size_t)__builtin_popcount(s->listed & s->perp) *
				(size_t)__builtin_popcount(s->listed & ~s->perp);
		out->symbols += k > 0;
		c->pair_count += pairs;
		if (pairs > c->max_pairs)
			c->max_pairs = pairs;
	}
}

/* Slots in symbol sym for the exchanges of add (none has one yet), charged
 * at once with extra bytes: the windows table is laid out again for them,
 * [b][a] keeping its windows. leg: -1 for an exchange's own listing (in
 * the slot table), else the basis leg (1: derivative). -ENOSPC at the cap,
 * and nothing changed. */
static int add_slots(struct spread_core *c, size_t sym, uint32_t add, size_t extra, int leg)
{
	struct spread_symbol *s = &c->syms[sym];
	unsigned k = s->ex_count, n = k + (unsigned)__builtin_popcount(add);
	if (n > CONFIG_MAX_EXCHANGES)
		return -ENOSPC; /* a basis whose legs have more exchanges than a symbol may */
	size_t bytes = table_bytes(n) - table_bytes(k) + extra;
	int rc = window_pool_charge(c->pool, bytes);
	if (rc < 0)
		return rc;
	struct window **w = calloc(n ? (size_t)n * n : 1, sizeof(*w));
	if (!w) {
		window_pool_uncharge(c->pool, bytes);
		return -ENOMEM;
	}
	for (unsigned b = 0; b < k; b++)
		for (unsigned a = 0; a < k; a++)
			w[b * n + a] = s->windows[b * k + a];
	free(s->windows);
	s->windows = w;
	for (unsigned e = 0; e < c->ex_count; e++)
		if (add & (1u << e)) {
			if (leg < 0)
				c->slot[sym * c->ex_count + e] = (uint8_t)s->ex_count;
			else if (leg)
				s->perp |= 1u << s->ex_count;
			s->ex[s->ex_count++] = (uint8_t)e;
		}
	return 0;
}

/* A new symbol listed by the exchanges of ex_mask: its entry and tables
 * charged at once, -ENOSPC at the cap (or past SPREAD_MAX_SYMBOLS, which
 * readers may size tables by). Returns its index. */
static int add_symbol(struct spread_core *c, const char *name, uint32_t ex_mask)
{
	if (c->sym_count >= SPREAD_MAX_SYMBOLS)
		return -ENOSPC;
	int rc = reserve_symbols(c, c->sym_count + 1);
	if (rc < 0)
		return rc;
	size_t i = c->sym_count;
	memset(&c->syms[i], 0, sizeof(c->syms[i]));
	memcpy(c->syms[i].name, name, CONFIG_NAME_MAX);
	if ((rc = add_slots(c, i, ex_mask, symbol_bytes(c), -1)) < 0)
		return rc;
	c->sym_count++;
	index_put(c, i);
	return (int)i;
}

/* Slot k is no longer listed: its quote is forgotten without an update
 * (a removed symbol is not published again) and the windows of its pairs
 * go back to the pool. */
static void unlist_slot(struct spread_core *c, struct spread_symbol *s, unsigned k)
{
	s->listed &= ~(1u << k);
	s->quotes[k].valid = false;
	s->fresh_mask &= ~(1u << k);
	for (unsigned j = 0; j < s->ex_count; j++) {
		struct window **pair[2] = { &s->windows[k * s->ex_count + j], &s->windows[j * s->ex_count + k] };
		for (int d = 0; d < 2; d++)
			if (*pair[d]) {
				window_release(c->pool, *pair[d]);
				*pair[d] = NULL;
			}
	}
}

/* The symbol's slots for the exchanges of ex_mask that have one. */
static uint32_t slots_of(const struct spread_core *c, size_t sym, uint32_t ex_mask)
{
	uint32_t slots = 0;
	for (unsigned e = 0; e < c->ex_count; e++) {
		uint8_t k = c->slot[sym * c->ex_count + e];
		if ((ex_mask & (1u << e)) && k != NO_SLOT)
			slots |= 1u << k;
	}
	return slots;
}

/* The exchanges symbol s has a slot for. */
static uint32_t exchanges_of(const struct spread_symbol *s)
{
	uint32_t m = 0;
	for (unsigned k = 0; k < s->ex_count; k++)
		m |= 1u << s->ex[k];
	return m;
}

/* Symbol and slots for every wanted listing that has none yet, each
 * symbol's charged at once: the cap refuses a new symbol whole rather than
 * leave it on one exchange without pairs. idx[i]: wanted i's symbol, or
 * negative. */
static int add_wanted(struct spread_core *c, const struct wanted *w, int32_t *idx, struct spread_listing *out)
{
	for (size_t i = 0; i < w->count; i++) {
		const struct wanted_symbol *ws = &w->syms[i];
		int sym = find_symbol(c, ws->name), rc = 0;
		uint32_t missing = sym < 0 ? ws->ex_mask : ws->ex_mask & ~exchanges_of(&c->syms[sym]);
		if (sym < 0)
			rc = sym = add_symbol(c, ws->name, ws->ex_mask);
		else if (missing)
			rc = add_slots(c, (size_t)sym, missing, 0, -1);
		if (rc == -ENOSPC)
			out->refused += (size_t)__builtin_popcount(missing);
		else if (rc < 0)
			return rc;
		idx[i] = sym;
	}
	return 0;
}

/* The exchanges listing symbol sym now (none if it does not exist). */
static uint32_t listed_exchanges(const struct spread_core *c, int sym)
{
	uint32_t m = 0;
	for (unsigned k = 0; sym >= 0 && k < c->syms[sym].ex_count; k++)
		if (c->syms[sym].listed & (1u << k))
			m |= 1u << c->syms[sym].ex[k];
	return m;
}

/* Slots of basis s on the exchanges of ex_mask in one leg. */
static uint32_t leg_slots(const struct spread_symbol *s, uint32_t ex_mask, unsigned leg)
{
	uint32_t m = 0;
	for (unsigned k = 0; k < s->ex_count; k++)
		if ((ex_mask & (1u << s->ex[k])) && ((s->perp >> k) & 1) == leg)
			m |= 1u << k;
	return m;
}

/* Each basis of the config becomes a symbol once both its legs exist, its
 * slots listed where its legs are listed now; its legs' ticks go to it
 * (leg_of). A slot the cap has no room for is refused. */
static int list_basis(struct spread_core *c, struct spread_listing *out)
{
	for (size_t i = 0; i < c->basis_count; i++) {
		const struct config_basis *b = &c->basis[i];
		int leg[2] = { find_symbol(c, b->spot), find_symbol(c, b->perp) };
		int sym = find_symbol(c, b->name);
		if (leg[0] < 0 || leg[1] < 0)
			continue;
		if (sym < 0) {
			if ((sym = add_symbol(c, b->name, 0)) == -ENOSPC) {
				out->refused++;
				continue;
			}
			if (sym < 0)
				return sym;
			c->syms[sym].basis = true;
		}
		struct spread_symbol *s = &c->syms[sym];
		uint32_t want[2] = { listed_exchanges(c, leg[0]), listed_exchanges(c, leg[1]) }, now = 0;
		for (unsigned l = 0; l < 2; l++) {
			uint32_t have = 0;
			for (unsigned k = 0; k < s->ex_count; k++)
				if (((s->perp >> k) & 1) == l)
					have |= 1u << s->ex[k];
			int rc = want[l] & ~have ? add_slots(c, (size_t)sym, want[l] & ~have, 0, (int)l) : 0;
			if (rc == -ENOSPC)
				out->refused += (size_t)__builtin_popcount(want[l] & ~have);
			else if (rc < 0)
				return rc;
			now |= leg_slots(s, want[l], l);
			c->leg_of[leg[l]] = (int32_t)((unsigned)sym << 1 | l);
		}
		if (!want[0] || !want[1])
			now = 0; /* one leg alone has no pairs: not listed, not published */
		for (unsigned k = 0; k < s->ex_count; k++)
			if ((s->listed & ~now) & (1u << k))
				unlist_slot(c, s, k);
		s->listed = now;
	}
	return 0;
}

int spread_core_list(struct spread_core *c, const struct config *cfg, struct spread_listing *out)
{
	struct wanted w;
	memset(out, 0, sizeof(*out));
	int rc = wanted_read(&w, cfg, c->ex_names, c->ex_count);
	if (rc < 0)
		return rc;
	int32_t *idx = malloc((w.count ? w.count : 1) * sizeof(*idx));
	uint32_t *now = NULL;
	rc = idx ? add_wanted(c, &w, idx, out) : -ENOMEM;
	if (rc == 0 && !(now = calloc(c->sym_count + 1, sizeof(*now))))
		rc = -ENOMEM;
	for (size_t i = 0; rc == 0 && i < w.count; i++)
		if (idx[i] >= 0)
			now[idx[i]] = slots_of(c, (size_t)idx[i], w.syms[i].ex_mask);
	for (size_t i = 0; rc == 0 && i < c->sym_count; i++) {
		struct spread_symbol *s = &c->syms[i];
		if (s->basis)
			continue; /* list_basis: from its legs */
		out->added += (size_t)__builtin_popcount(now[i] & ~s->listed);
		out->removed += (size_t)__builtin_popcount(s->listed & ~now[i]);
		for (unsigned k = 0; k < s->ex_count; k++)
			if ((s->listed & ~now[i]) & (1u << k))
				unlist_slot(c, s, k);
		s->listed = now[i];
	}
	free(now);
	free(idx);
	wanted_free(&w);
	if (rc == 0)
		rc = list_basis(c, out);
	count_pairs(c, out);
	c->listing = *out;
	return rc;
}

static int add_exchanges(struct spread_core *c, const struct config *cfg)
{
	for (size_t e = 0; e < cfg->exchange_count; e++) {
		const struct config_exchange *x = &cfg->exchanges[e];
		if (!x->enabled)
			continue;
		unsigned ex = (unsigned)c->ex_count++;
		memcpy(c->ex_names[ex], x->name, CONFIG_NAME_MAX);
		c->fee_bps[ex] = x->taker_fee_bps;
	}
	return reserve_symbols(c, 1);
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
	rc = window_pool_create(&c->pool, &c->geo, (size_t)cfg->aggregator.max_window_memory_mb << 20);
	if (rc < 0)
		goto out;
	rc = add_exchanges(c, cfg);
	if (rc < 0)
		goto out;
	c->basis_count = cfg->aggregator.basis_count;
	memcpy(c->basis, cfg->aggregator.basis_pairs, c->basis_count * sizeof(*c->basis));
	rc = spread_core_list(c, cfg, &c->listing);
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
	for (size_t i = 0; i < c->sym_count; i++)
		free(c->syms[i].windows);
	window_pool_free(c->pool);
	free(c->index);
	free(c->leg_of);
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
size_t spread_core_basis_count(const struct spread_core *c) { return c->basis_count; }
size_t spread_core_max_pairs(const struct spread_core *c) { return c->max_pairs; }

const struct spread_listing *spread_core_listing(const struct spread_core *c) { return &c->listing; }
bool spread_core_symbol_listed(const struct spread_core *c, unsigned sym) { return c->syms[sym].listed != 0; }

void spread_core_window_usage(const struct spread_core *c, struct window_pool_usage *u)
{
	window_pool_usage(c->pool, u);
}

uint32_t spread_core_window_s(const struct spread_core *c)
{
	return c->window_s;
}

/* Pairs exist only between two or more fresh exchanges (in a basis, one
 * of each leg). */
static uint32_t pair_mask(const struct spread_symbol *s, uint32_t fresh)
{
	if (s->basis)
		return (fresh & s->perp) && (fresh & ~s->perp) ? fresh : 0;
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
	uint32_t before = pair_mask(s, s->fresh_mask), after = pair_mask(s, fresh);
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

/* The slot of exchange ex in a leg of basis s, NO_SLOT if not listed. */
static uint8_t basis_slot(const struct spread_symbol *s, unsigned ex, unsigned leg)
{
	for (unsigned k = 0; k < s->ex_count; k++)
		if (s->ex[k] == ex && ((s->perp >> k) & 1) == leg)
			return (s->listed & (1u << k)) ? (uint8_t)k : NO_SLOT;
	return NO_SLOT;
}

static int quote_slot(struct spread_core *c, unsigned sym, uint8_t k, const struct tick *t)
{
	struct spread_symbol *s = &c->syms[sym];
	if (k == NO_SLOT || !(s->listed & (1u << k)))
		return -ENOENT;
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
	uint32_t others = fresh & partners(s, k);
	for (unsigned j = 0; j < n; j++) {
		if (!(others & (1u << j)))
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
		s->trigger_ex = s->ex[k];
	}
	settle(c, sym, fresh, changed);
	return computed;
}

int spread_core_on_quote(struct spread_core *c, unsigned sym, unsigned ex, const struct tick *t)
{
	int n = quote_slot(c, sym, c->slot[(size_t)sym * c->ex_count + ex], t);
	int32_t leg = c->leg_of[sym]; /* the one extra lookup of a tick */
	if (n >= 0 && leg != NO_INDEX) {
		unsigned b = (unsigned)leg >> 1;
		int m = quote_slot(c, b, basis_slot(&c->syms[b], ex, (unsigned)leg & 1), t);
		n += m > 0 ? m : 0;
	}
	return n;
}

static void invalidate_slot(struct spread_core *c, size_t sym, uint8_t k, int64_t now_ns)
{
	struct spread_symbol *s = &c->syms[sym];
	if (k == NO_SLOT || !s->quotes[k].valid)
		return;
	s->quotes[k].valid = false;
	settle(c, (unsigned)sym, fresh_at(c, s, now_ns) & s->fresh_mask, false);
}

void spread_core_invalidate(struct spread_core *c, unsigned ex, int sym, int64_t now_ns)
{
	size_t from = sym < 0 ? 0 : (size_t)sym, to = sym < 0 ? c->sym_count : (size_t)sym + 1;
	for (size_t i = from; i < to && i < c->sym_count; i++) {
		const struct spread_symbol *s = &c->syms[i];
		for (unsigned k = 0; s->basis && k < s->ex_count; k++)
			if (s->ex[k] == ex)
				invalidate_slot(c, i, (uint8_t)k, now_ns);
		if (s->basis)
			continue;
		invalidate_slot(c, i, c->slot[i * c->ex_count + ex], now_ns);
		int32_t leg = c->leg_of[i];
		if (sym >= 0 && leg != NO_INDEX)
			invalidate_slot(c, (size_t)leg >> 1, basis_slot(&c->syms[leg >> 1], ex, (unsigned)leg & 1), now_ns);
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

void spread_core_pair_stats(struct spread_core *c, struct spread_pair_view *v, int64_t now_ns)
{
	if (v->window)
		window_query(c->pool, v->window, now_ns, &v->stats);
	else
		memset(&v->stats, 0, sizeof(v->stats));
}

size_t spread_core_pairs_now(struct spread_core *c, unsigned sym, struct spread_pair_view *out, size_t max)
{
	struct spread_symbol *s = &c->syms[sym];
	uint32_t mask = pair_mask(s, s->fresh_mask);
	size_t n = 0;
	for (unsigned b = 0; b < s->ex_count; b++) {
		if (!(mask & (1u << b)))
			continue;
		for (unsigned a = 0; a < s->ex_count && n < max; a++) {
			if (!(mask & partners(s, b) & (1u << a)))
				continue;
			struct spread_pair_view *v = &out[n++];
			v->buy_ex = s->ex[b];
			v->sell_ex = s->ex[a];
			v->buy = &s->quotes[b];
			v->sell = &s->quotes[a];
			v->spread = v->sell->bid - v->buy->ask;
			v->spread_bps = v->spread / v->buy->ask * 1e4;
			net_of_fees(v, c->fee_bps[v->buy_ex], c->fee_bps[v->sell_ex]);
			v->window = s->windows[b * s->ex_count + a];
			memset(&v->stats, 0, sizeof(v->stats));
		}
	}
	return n;
}

size_t spread_core_pairs(struct spread_core *c, unsigned sym, int64_t now_ns, struct spread_pair_view *out, size_t max)
{
	size_t n = spread_core_pairs_now(c, sym, out, max);
	for (size_t i = 0; i < n; i++)
		spread_core_pair_stats(c, &out[i], now_ns);
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

unsigned spread_core_trigger_exchange(const struct spread_core *c, unsigned sym)
{
	return c->syms[sym].trigger_ex;
}

uint64_t spread_core_updates(const struct spread_core *c, unsigned sym)
{
	return c->syms[sym].updates;
}

/* Per-instrument validation: tick and lot sizes as exact decimals, the
 * jump rule, and the snapshot the discovery thread hands to the loop. */
#include "collector/validate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2^50: below it the rounding error of x (at most 2^-52 * x) stays under
 * a quarter, so the nearest integer is the one x stands for. */
#define WHOLE_MAX 0x1p50
/* The allowance of validate_on_step, relative to x. */
#define ALLOWANCE 0x1p-51

static const double pow10_exact[VALIDATE_MAX_SCALE + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
};

/* x's nearest integer (0 <= x < WHOLE_MAX), when x is one within the
 * allowance; else -1. x + 0.5 is exact there (x's unit in the last place
 * is at most 1/8) and the conversion truncates: one instruction where
 * nearbyint() is a library call (about 20 against 25-30 ns per quote). */
static int64_t whole(double x)
{
	int64_t n = (int64_t)(x + 0.5);
	return fabs(x - (double)n) <= x * ALLOWANCE ? n : -1;
}

int validate_step_from_size(double size, struct validate_step *s)
{
	s->units = 0;
	s->scale = 0;
	if (!(size > 0) || !isfinite(size))
		return -EINVAL;
	for (int scale = 0; scale <= VALIDATE_MAX_SCALE; scale++) {
		double x = size * pow10_exact[scale];
		if (!(x < WHOLE_MAX))
			return -EINVAL;
		int64_t n = whole(x);
		if (n > 0) {
			s->units = n;
			s->scale = (uint8_t)scale;
			return 0;
		}
	}
	return -EINVAL;
}

bool validate_on_step(double v, const struct validate_step *s)
{
	if (s->units == 0)
		return true;
	double x = v * pow10_exact[s->scale];
	if (!(x < WHOLE_MAX))
		return true;
	int64_t n = whole(x);
	/* units 1 (a power of ten, most sizes) needs no division */
	return n > 0 && (s->units == 1 || n % s->units == 0);
}

struct validate *validate_new(double max_price_jump_pct)
{
	struct validate *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->max_jump_ratio = max_price_jump_pct / 100;
	atomic_init(&v->offered, NULL);
	return v;
}

void validate_free(struct validate *v)
{
	if (!v)
		return;
	free(atomic_load(&v->offered));
	free(v->current);
	free(v);
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct validate_entry *)a)->canonical, ((const struct validate_entry *)b)->canonical);
}

int validate_offer(struct validate *v, const struct instrument_set *set)
{
	struct validate_meta *meta = malloc(sizeof(*meta) + set->count * sizeof(meta->entries[0]));
	if (!meta)
		return -ENOMEM;
	meta->count = set->count;
	for (size_t i = 0; i < set->count; i++) {
		struct validate_entry *e = &meta->entries[i];
		memcpy(e->canonical, set->items[i].canonical, sizeof(e->canonical));
		/* a size that is absent or not a decimal step is no rule */
		validate_step_from_size(set->items[i].tick_size, &e->tick);
		validate_step_from_size(set->items[i].lot_size, &e->lot);
	}
	qsort(meta->entries, meta->count, sizeof(meta->entries[0]), entry_cmp);
	/* release: the entries are written before the loop can see the pointer */
	free(atomic_exchange_explicit(&v->offered, meta, memory_order_acq_rel));
	return 0;
}

bool validate_poll(struct validate *v)
{
	/* cheap check first: the timer runs 20 times a second, offers come hourly */
	if (!atomic_load_explicit(&v->offered, memory_order_relaxed))
		return false;
	/* acquire: pairs with validate_offer's release of the entries */
	struct validate_meta *meta = atomic_exchange_explicit(&v->offered, NULL, memory_order_acq_rel);
	if (!meta)
		return false;
	free(v->current);
	v->current = meta;
	v->epoch++;
	return true;
}

/* A symbol's steps from the current snapshot (none if it is not listed). */
static void resolve(struct validate *v, struct validate_symbol *s, const struct symmap *m, uint16_t id)
{
	const struct symmap_entry *e = symmap_by_id(m, id);
	const struct validate_entry *found = NULL;
	s->epoch = v->epoch;
	if (e && v->current) {
		struct validate_entry key;
		snprintf(key.canonical, sizeof(key.canonical), "%s", e->canonical);
		found = bsearch(&key, v->current->entries, v->current->count, sizeof(key), entry_cmp);
	}
	s->tick = found ? found->tick : (struct validate_step){ 0 };
	s->lot = found ? found->lot : (struct validate_step){ 0 };
}

static bool on_steps(const struct validate_symbol *s, const double *px, size_t npx, const double *qty, size_t nqty,
		     enum reject_reason *why)
{
	for (size_t i = 0; i < npx; i++)
		if (!validate_on_step(px[i], &s->tick)) {
			*why = REJECT_OFF_TICK;
			return false;
		}
	for (size_t i = 0; i < nqty; i++)
		if (!validate_on_step(qty[i], &s->lot)) {
			*why = REJECT_OFF_LOT;
			return false;
		}
	return true;
}

enum reject_reason validate_tick(struct validate *v, const struct symmap *m, const struct tick *t, int64_t now_ns)
{
	enum reject_reason why = REJECT_NONE;
	if (t->symbol_id >= VALIDATE_MAX_SYMBOLS || (t->kind != TICK_QUOTE && !tick_is_trade(t)))
		return REJECT_NONE;
	struct validate_symbol *s = &v->symbols[t->symbol_id];
	if (s->epoch != v->epoch)
		resolve(v, s, m, t->symbol_id);
	if (tick_is_trade(t))
		return on_steps(s, &t->u.trade.px, 1, &t->u.trade.qty, 1, &why) ? REJECT_NONE : why;
	const double px[2] = { t->u.quote.bid_px, t->u.quote.ask_px };
	const double qty[2] = { t->u.quote.bid_qty, t->u.quote.ask_qty };
	if (!on_steps(s, px, 2, qty, 2, &why))
		return why;
	double mid = (px[0] + px[1]) / 2;
	/* a jump is measured from the last mid accepted within the window:
	 * a rejected quote never becomes the reference, and after a quiet
	 * second any mid starts afresh */
	if (v->max_jump_ratio > 0 && s->last_mid > 0 && now_ns - s->last_mid_ns <= VALIDATE_JUMP_WINDOW_NS &&
	    fabs(mid - s->last_mid) > s->last_mid * v->max_jump_ratio)
		return REJECT_PRICE_JUMP;
	s->last_mid = mid;
	s->last_mid_ns = now_ns;
	return REJECT_NONE;
}

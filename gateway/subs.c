/* Subscription sets as bitmaps over registry ids: a match is two bit tests. */
#include "gateway/subs.h"

#include <stdio.h>
#include <string.h>

static bool bit(const uint8_t *set, unsigned i)
{
	return (set[i / 8] >> (i % 8)) & 1;
}

static void bit_put(uint8_t *set, unsigned i, bool on)
{
	if (on)
		set[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		set[i / 8] &= (uint8_t)~(1u << (i % 8));
}

uint32_t gw_subs_count(const struct gw_subs *s)
{
	uint32_t n = 0;
	for (unsigned c = 0; c < GW_CHANNELS; c++)
		if (s->ch[c].active)
			n += s->ch[c].all_symbols ? 1 : s->ch[c].symbol_count;
	return n;
}

/* Registry ids of the request's names; an unknown name is the client's error. */
static int resolve(const struct gw_request *r, const struct registry *reg, int *sym, int *ex, char *err,
		   size_t err_len)
{
	for (size_t i = 0; i < r->symbol_count; i++) {
		sym[i] = registry_symbol_id(reg, r->symbols[i]);
		if (sym[i] <= 0 || sym[i] > REGISTRY_MAX_SYMBOLS) {
			snprintf(err, err_len, "unknown symbol \"%s\"", r->symbols[i]);
			return -1;
		}
	}
	for (size_t i = 0; i < r->exchange_count; i++) {
		ex[i] = registry_exchange_id(reg, r->exchanges[i]);
		if (ex[i] <= 0 || ex[i] > REGISTRY_MAX_EXCHANGES) {
			snprintf(err, err_len, "unknown exchange \"%s\"", r->exchanges[i]);
			return -1;
		}
	}
	return 0;
}

static void set_symbol(struct gw_filter *f, unsigned id, bool on)
{
	if (bit(f->symbols, id) != on) {
		bit_put(f->symbols, id, on);
		f->symbol_count = on ? f->symbol_count + 1 : f->symbol_count - 1;
	}
}

static void subscribe(struct gw_filter *f, const struct gw_request *r, const int *sym, const int *ex)
{
	if (!f->active)
		memset(f, 0, sizeof(*f));
	f->active = true;
	if (!r->symbols_given)
		f->all_symbols = true;
	for (size_t i = 0; i < r->symbol_count; i++)
		set_symbol(f, (unsigned)sym[i], true);
	if (!r->exchanges_given)
		f->all_exchanges = true;
	for (size_t i = 0; i < r->exchange_count; i++)
		bit_put(f->exchanges, (unsigned)ex[i], true);
}

static void unsubscribe(struct gw_filter *f, const struct gw_request *r, const int *sym, const int *ex)
{
	if (!r->symbols_given && !r->exchanges_given) {
		memset(f, 0, sizeof(*f));
		return;
	}
	for (size_t i = 0; i < r->symbol_count; i++)
		set_symbol(f, (unsigned)sym[i], false);
	for (size_t i = 0; i < r->exchange_count; i++)
		bit_put(f->exchanges, (unsigned)ex[i], false);
	if (!f->all_symbols && f->symbol_count == 0)
		memset(f, 0, sizeof(*f)); /* nothing left to match */
}

int gw_subs_apply(struct gw_subs *s, const struct gw_request *r, const struct registry *reg, uint32_t max,
		  char *err, size_t err_len)
{
	int sym[GW_REQ_MAX_NAMES], ex[GW_REQ_MAX_NAMES];
	if (resolve(r, reg, sym, ex, err, err_len) < 0)
		return -1;
	/* Applied to a copy first: a request past the limit changes nothing. */
	struct gw_filter next[GW_CHANNELS];
	memcpy(next, s->ch, sizeof(next));
	for (unsigned c = 0; c < GW_CHANNELS; c++) {
		if (!(r->channels & (1u << c)))
			continue;
		if (r->op == GW_OP_SUBSCRIBE)
			subscribe(&next[c], r, sym, ex);
		else
			unsubscribe(&next[c], r, sym, ex);
	}
	struct gw_subs tmp;
	memcpy(tmp.ch, next, sizeof(next));
	uint32_t n = gw_subs_count(&tmp);
	if (n > max) {
		snprintf(err, err_len, "too many subscriptions: %u, at most %u per client", n, max);
		return -1;
	}
	memcpy(s->ch, next, sizeof(next));
	if (r->op == GW_OP_SUBSCRIBE && (r->channels & (1u << GW_CH_PAIRS)))
		s->pairs_snapshot = true;
	return 0;
}

bool gw_subs_match(const struct gw_subs *s, enum gw_channel c, unsigned symbol_id, unsigned exchange_id)
{
	const struct gw_filter *f = &s->ch[c];
	if (!f->active || symbol_id > REGISTRY_MAX_SYMBOLS || exchange_id > REGISTRY_MAX_EXCHANGES)
		return false;
	return (f->all_symbols || bit(f->symbols, symbol_id)) && (f->all_exchanges || bit(f->exchanges, exchange_id));
}

bool gw_subs_match_spread(const struct gw_subs *s, unsigned symbol_id, unsigned buy_id, unsigned sell_id)
{
	const struct gw_filter *f = &s->ch[GW_CH_SPREADS];
	if (!f->active || symbol_id > REGISTRY_MAX_SYMBOLS || buy_id > REGISTRY_MAX_EXCHANGES ||
	    sell_id > REGISTRY_MAX_EXCHANGES)
		return false;
	if (!f->all_symbols && !bit(f->symbols, symbol_id))
		return false;
	return f->all_exchanges || (buy_id && bit(f->exchanges, buy_id)) || (sell_id && bit(f->exchanges, sell_id));
}

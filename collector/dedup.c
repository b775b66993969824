/* Duplicate detection for quotes (update ids per symbol) and trades (a
 * fixed cache, oldest entry of a bucket replaced first). */
#include "collector/dedup.h"

#include <string.h>

void dedup_init(struct dedup *d)
{
	memset(d, 0, sizeof(*d));
}

bool dedup_quote_seen(struct symmap_entry *e, const struct tick *t)
{
	if (e->have_quote) {
		if (t->update_id != 0 || e->last_quote_id != 0) {
			if (t->update_id == e->last_quote_id)
				return true;
			if (t->update_id < e->last_quote_id && e->last_quote_id - t->update_id < DEDUP_RESET_DISTANCE)
				return true;
		} else if (t->ts_exchange_ns == e->last_quote_ts_ns && t->u.quote.bid_px == e->last_quote[0] &&
			   t->u.quote.bid_qty == e->last_quote[1] && t->u.quote.ask_px == e->last_quote[2] &&
			   t->u.quote.ask_qty == e->last_quote[3]) {
			return true;
		}
	}
	e->have_quote = true;
	e->last_quote_id = t->update_id;
	e->last_quote_ts_ns = t->ts_exchange_ns;
	e->last_quote[0] = t->u.quote.bid_px;
	e->last_quote[1] = t->u.quote.bid_qty;
	e->last_quote[2] = t->u.quote.ask_px;
	e->last_quote[3] = t->u.quote.ask_qty;
	return false;
}

static uint32_t bucket_of(uint16_t symbol_id, const struct trade_id *id)
{
	/* splitmix64 finaliser: consecutive ids spread over all buckets (the
	 * form and zeros are left out: ids differing only there are rare) */
	uint64_t x = id->lo ^ id->hi ^ ((uint64_t)symbol_id << 48);
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (uint32_t)(x & (DEDUP_BUCKETS - 1));
}

bool dedup_trade_seen(struct dedup *d, const struct tick *t)
{
	struct trade_id trade_id = trade_id_of_tick(t);
	uint16_t symbol_id = t->symbol_id;
	uint32_t b = bucket_of(symbol_id, &trade_id);
	struct dedup_slot *row = d->slots[b];
	for (int w = 0; w < DEDUP_WAYS; w++)
		if (row[w].used && row[w].symbol_id == symbol_id && trade_id_equal(&row[w].trade_id, &trade_id))
			return true;
	struct dedup_slot *s = &row[d->next_way[b]];
	d->next_way[b] = (uint8_t)((d->next_way[b] + 1) % DEDUP_WAYS);
	s->trade_id = trade_id;
	s->symbol_id = symbol_id;
	s->used = true;
	return false;
}

/* Duplicate detection for quotes (update ids per symbol) and trades (a
 * fixed cache, oldest entry of a bucket replaced first). */
#include "collector/dedup.h"

#include <string.h>

void dedup_init(struct dedup *d)
{
	memset(d, 0, sizeof(*d));
}

/* Time and values of a quote without an update id (FNV-1a over their bits). */
static uint64_t quote_fingerprint(const struct tick *t)
{
	uint64_t v[5];
	v[0] = (uint64_t)t->ts_exchange_ns;
	memcpy(&v[1], &t->u.quote.bid_px, sizeof(double));
	memcpy(&v[2], &t->u.quote.bid_qty, sizeof(double));
	memcpy(&v[3], &t->u.quote.ask_px, sizeof(double));
	memcpy(&v[4], &t->u.quote.ask_qty, sizeof(double));
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < sizeof(v); i++) {
		h ^= ((const unsigned char *)v)[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Without an update id: one of the last quotes again (same time and
 * values) is what a second connection carries, interleaved with the first
 * while a planned successor overlaps it. An older quote with other values
 * is not a repeat: it is kept. */
static bool quote_without_id_seen(struct symmap_entry *e, const struct tick *t)
{
	uint64_t fp = quote_fingerprint(t);
	for (int i = 0; e->have_quote && i < SYMMAP_RECENT_QUOTES; i++)
		if (e->recent_quotes[i] == fp)
			return true;
	e->recent_quotes[e->recent_next] = fp;
	e->recent_next = (uint8_t)((e->recent_next + 1) % SYMMAP_RECENT_QUOTES);
	return false;
}

bool dedup_quote_seen(struct symmap_entry *e, const struct tick *t)
{
	if (t->update_id == 0 && (!e->have_quote || e->last_quote_id == 0)) {
		if (quote_without_id_seen(e, t))
			return true;
	} else if (e->have_quote) {
		if (t->update_id == e->last_quote_id)
			return true;
		if (t->update_id < e->last_quote_id && e->last_quote_id - t->update_id < DEDUP_RESET_DISTANCE)
			return true;
	}
	e->have_quote = true;
	e->last_quote_id = t->update_id;
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

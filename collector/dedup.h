/* Duplicate detection: per symbol the last quote update id, and a small
 * fixed set-associative cache of recent (symbol, exact trade id) pairs. */
#ifndef SPREADBUS_COLLECTOR_DEDUP_H
#define SPREADBUS_COLLECTOR_DEDUP_H

#include <stdbool.h>
#include <stdint.h>

#include "collector/symbols.h"
#include "shm/tick.h"
#include "shm/trade_id.h"

/* 2048 buckets x 4 ways = the last ~8000 trades are remembered: far more
 * than a resubscribe or a redundant connection can replay. */
#define DEDUP_BUCKETS 2048
#define DEDUP_WAYS 4

/* An update id this far below the last one is a sequence reset by the
 * exchange (e.g. after its restart), not a replay: accept it. */
#define DEDUP_RESET_DISTANCE (1ULL << 20)

struct dedup_slot {
	struct trade_id trade_id; /* the whole id: two UUIDs never match on half of it */
	uint16_t symbol_id;
	bool used;
};

struct dedup {
	struct dedup_slot slots[DEDUP_BUCKETS][DEDUP_WAYS];
	uint8_t next_way[DEDUP_BUCKETS];
};

void dedup_init(struct dedup *d);

/* True if this quote repeats or precedes the last one of its symbol (same
 * or older update id; with no update id, the time and values of one of
 * the last few quotes).
 * Otherwise records it and returns false. */
bool dedup_quote_seen(struct symmap_entry *e, const struct tick *t);

/* True if the trade tick's (symbol, trade id) was seen recently; otherwise
 * remembers it. */
bool dedup_trade_seen(struct dedup *d, const struct tick *t);

#endif

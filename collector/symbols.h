/* The symbol map of one collector: native exchange names to canonical
 * BASE-QUOTE names and bus symbol ids, plus the small per-symbol state
 * (last quote id, level-1 book) the parsers and dedup keep. */
#ifndef SPREADBUS_COLLECTOR_SYMBOLS_H
#define SPREADBUS_COLLECTOR_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/adapter.h"

#define SYMBOL_NATIVE_MAX 32
#define SYMBOL_CANONICAL_MAX 24

/* Level-1 book kept for exchanges that send deltas (Bybit orderbook.1). */
struct l1_book {
	double bid_px, bid_qty, ask_px, ask_qty;
	bool has_bid, has_ask;
};

#define SYMMAP_RECENT_QUOTES 8

struct symmap_entry {
	char native[SYMBOL_NATIVE_MAX];
	uint8_t native_len;
	char canonical[SYMBOL_CANONICAL_MAX];
	uint16_t id;             /* bus symbol id (registry), or a local id in --decode mode */
	bool removed;            /* no longer wanted (a live change): not subscribed, its ticks dropped */
	uint32_t gen;            /* the collector's symbol generation that last added or removed it */
	bool have_quote;         /* last_* below are valid */
	uint64_t last_quote_id;  /* dedup of quotes */
	/* with no update id: fingerprints of the last quotes' time and values
	 * (two overlapping connections interleave the same quotes) */
	uint64_t recent_quotes[SYMMAP_RECENT_QUOTES];
	uint8_t recent_next;
	struct l1_book book;
};

struct symmap {
	const struct adapter *adapter;
	bool open;               /* accept any native name, deriving canonical names (--decode without config) */
	size_t count, cap;
	struct symmap_entry *entries;
	uint32_t *slots;         /* hash of native name -> entry index + 1; 0 = empty */
	size_t slot_mask;
	uint32_t *by_id;         /* symbol id -> entry index + 1 */
};

/* cap: most symbols the map will hold. open: see struct. */
int symmap_init(struct symmap *m, const struct adapter *a, size_t cap, bool open);
void symmap_free(struct symmap *m);

/* Add a canonical symbol with its bus id; the native name comes from the
 * adapter. -EEXIST if already present, -ENOSPC when full, -EINVAL when the
 * adapter cannot name it. */
int symmap_add(struct symmap *m, const char *canonical, uint16_t id);

/* Room for cap entries in all (a live change adds symbols): entries move,
 * so no entry pointer may be held across the call. */
int symmap_reserve(struct symmap *m, size_t cap);

/* The entry for a native name; in an open map an unknown but well-formed
 * name is added. NULL = unknown symbol. */
struct symmap_entry *symmap_lookup(struct symmap *m, const char *native, size_t len);
struct symmap_entry *symmap_by_id(const struct symmap *m, uint16_t id);

static inline struct symmap_entry *symmap_at(const struct symmap *m, size_t i)
{
	return &m->entries[i];
}

/* Split a concatenated native name (BTCUSDT, btcusdt) at a known quote
 * asset into "BTC-USDT". Returns 0 or -EINVAL. */
int symbol_split_concat(const char *native, size_t len, char *out, size_t out_len);
/* "BTC-USDT" -> "BTCUSDT" (upper case) or "btcusdt" (lower). */
int symbol_join_concat(const char *canonical, bool lower, char *out, size_t out_len);
/* Spot names written with a separator: "BTC-USDT" -> "BTC_USDT" (Gate.io)
 * or "BTC/USD" (Kraken), and back. Both sides are exactly two parts of
 * upper-case letters and digits, so a derivative name (BTC-USDT-PERP) is
 * refused. Return 0 or -EINVAL. */
int symbol_join_sep(const char *canonical, char sep, char *out, size_t out_len);
int symbol_split_sep(const char *native, size_t len, char sep, char *out, size_t out_len);

#endif

/* The derived ring _spreads: every spread update the aggregator computes, as
 * the JSON object Redis gets, and each symbol's pair matrix, in fixed
 * records sized from the config. */
#ifndef SPREADBUS_SHM_SPREADS_H
#define SPREADBUS_SHM_SPREADS_H

#include <stddef.h>
#include <stdint.h>

/* Bounds of the JSON texts aggregator/spread_json.c writes, for names of
 * REGISTRY_NAME_MAX - 1 characters and every number at its longest
 * (tests/unit/test_spread_json_schema.c checks them): an update message
 * (the best pair and its window), and a pair matrix (a fixed part with
 * every exchange's fee, and one entry per ordered exchange pair). */
#define SPREADS_UPDATE_JSON_MAX 576
#define SPREADS_PAIRS_FIXED_MAX 1024
#define SPREADS_PAIRS_ENTRY_MAX 336

/* The ring holds about this many bytes of records (at least 1024 records):
 * with 3 exchanges, 8192 records of 4 KiB, 1.6 s of slack for a reader
 * that stalls at 5,000 updates/s. */
#define SPREADS_RING_BYTES (32u << 20)
#define SPREADS_RING_NAME "_spreads"

/* What a record holds: a spread update, a candle update (the json of
 * docs/redis.md "Candles"; buy_exchange_id is then the candle's exchange,
 * sell_exchange_id 0), an alert event (docs/redis.md "Alerts"; the ids
 * of the alert's pair), or a symbol's pair matrix (HSET spread:pairs; the
 * ids of its best pair). */
enum spreads_kind { SPREADS_KIND_SPREAD = 0, SPREADS_KIND_CANDLE = 1, SPREADS_KIND_ALERT = 2, SPREADS_KIND_PAIRS = 3 };

/*
 * One record. The first 8 bytes are published last by the ring (like a
 * tick's): seq_lo, then what a reader filters on without parsing the JSON.
 */
struct spreads_record {
	uint32_t seq_lo;
	uint16_t symbol_id;       /* registry id */
	uint8_t buy_exchange_id;  /* registry ids of the best pair; 0 when no pair is valid */
	uint8_t sell_exchange_id;
	uint32_t json_len;        /* bytes of json, no terminator */
	uint32_t kind;            /* enum spreads_kind */
	int64_t ts_ns;            /* the update's "ts_ns" */
	char json[];              /* record_size - sizeof(struct spreads_record) bytes */
};
_Static_assert(sizeof(struct spreads_record) == 24, "spreads record header is 24 bytes");

/* Most quote slots one symbol can have: one per exchange, or with an
 * [aggregator] basis one per exchange in each leg (at most 16, as
 * CONFIG_MAX_EXCHANGES). */
static inline size_t spreads_max_slots(size_t exchanges, size_t basis_count)
{
	size_t n = basis_count ? 2 * exchanges : exchanges;
	return n < 16 ? n : 16;
}

/* Most ordered pairs one symbol can have with this many enabled exchanges. */
static inline size_t spreads_max_pairs(size_t exchanges)
{
	return exchanges > 1 ? exchanges * (exchanges - 1) : 1;
}

/* Record size for symbols with at most max_pairs pairs: the header and the
 * larger JSON bound (update or matrix), rounded up to a power of two. */
uint32_t spreads_record_size(size_t max_pairs);

/* Records in the ring for that record size: a power of two >= 1024. */
uint64_t spreads_ring_capacity(uint32_t record_size);

/* Bytes of JSON text a record of record_size holds. */
static inline size_t spreads_json_room(uint32_t record_size)
{
	return record_size - sizeof(struct spreads_record);
}

#endif

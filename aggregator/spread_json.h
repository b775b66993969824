/* A symbol's spread update as Redis and _spreads see it (schema 2): the
 * per-update message (best pair, its window, the pair count), its flat XADD
 * fields cut from the same text, and the full pair matrix. Buffers are sized
 * once; encoding allocates nothing. Field names: README.md section 4. */
#ifndef SPREADBUS_AGGREGATOR_SPREAD_JSON_H
#define SPREADBUS_AGGREGATOR_SPREAD_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "aggregator/redis_pub.h"
#include "aggregator/spread.h"
#include "shm/spreads.h"

/* The "schema" field of both messages: bumped when a field changes. */
#define SPREAD_JSON_SCHEMA 2
/* Leaf fields of the update message: the XADD fields. */
#define SPREAD_JSON_FIELDS 18

/* One symbol's last update message, kept until Redis takes it: each XADD
 * value is a span of the JSON text, so every number is formatted once. */
struct spread_msg {
	uint64_t update;     /* the update counter it carries; 0 = none yet */
	uint16_t len, field_count;
	struct { uint16_t off, len; } value[SPREAD_JSON_FIELDS];
	char json[SPREADS_UPDATE_JSON_MAX];
};

/* What an update message says, names resolved (spread_json_format's input). */
struct spread_json_update {
	const char *symbol;
	uint64_t update;
	int64_t ts_recv_ns;
	size_t pair_count;
	const struct spread_pair_view *best; /* NULL when pair_count is 0 */
	const char *buy, *sell;              /* names of best's exchanges */
};

struct spread_json {
	/* per core symbol, SPREAD_MAX_SYMBOLS of each */
	struct spread_msg *msgs;
	int64_t *next_ring_pairs_ns;   /* matrix due on _spreads */
	int64_t *next_redis_pairs_ns;  /* matrix due for HSET spread:pairs */
	int64_t pairs_interval_ns;     /* [aggregator] pairs_interval_ms */
	uint8_t *held;                 /* SPREAD_JSON_HELD_* of a matrix held back by the interval */
	struct spread_pair_view *pairs;
	size_t max_pairs, pair_count;  /* pair_count: fresh pairs of the last encode */
	const struct spread_msg *msg;  /* the message of the last encode */
	int best_buy_ex, best_sell_ex; /* exchange indices of the best pair, -1 when none */
	int64_t ts_ns;                 /* wall clock of the last encode */
	char *pairs_json;              /* the matrix, when the last encode made one */
	size_t pairs_cap, pairs_len;   /* pairs_len 0: no matrix this time */
	struct redis_pub_field fields[SPREAD_JSON_FIELDS];
};

/* A symbol's matrix held back by pairs_interval_ms, on _spreads and for Redis. */
#define SPREAD_JSON_HELD_RING 1u
#define SPREAD_JSON_HELD_REDIS 2u

/* Sized for the core's exchanges and any symbol it may list; the matrix of
 * a symbol is made at most every pairs_interval_ms (0: with every update). */
int spread_json_init(struct spread_json *j, const struct spread_core *c, uint32_t pairs_interval_ms);
void spread_json_free(struct spread_json *j);

/* Encode symbol sym's update as of now_ns (wall clock) into its kept
 * message, and its matrix into pairs_json when one is due on _spreads.
 * Returns 0 or -ENOSPC. */
int spread_json_encode(struct spread_json *j, struct spread_core *c, unsigned sym, int64_t now_ns);

/* Queue sym's kept message to Redis (PUBLISH, XADD, HSET spread:latest)
 * and, when one is due, its matrix (HSET spread:pairs). Returns 0, -ENOENT
 * (no message yet) or redis_pub_send's error. */
int spread_json_publish(struct spread_json *j, struct spread_core *c, struct redis_pub *redis, unsigned sym,
			int64_t now_ns);

/* A matrix an update left held back (the interval had not passed) whose
 * time has come: its matrix as of now into pairs_json (the best pair's
 * exchanges and ts_ns set as by an encode), and which destinations
 * (SPREAD_JSON_HELD_*) are to get it; 0 when none is due. Without this a
 * symbol that went quiet would keep a matrix older than its last update. */
unsigned spread_json_held_due(struct spread_json *j, struct spread_core *c, unsigned sym, int64_t now_ns);

/* The update message of u into m (value spans included). Returns 0 or
 * -ENOSPC. Exposed for the schema tests. */
int spread_json_format(struct spread_msg *m, const struct spread_json_update *u);
/* Symbol sym's pair matrix (pairs as from spread_core_pairs) into buf.
 * Returns 0 with its length in *len, or -ENOSPC. */
int spread_json_format_pairs(char *buf, size_t cap, size_t *len, const struct spread_core *c, unsigned sym,
			     int64_t now_ns, const struct spread_pair_view *pairs, size_t n);

#endif

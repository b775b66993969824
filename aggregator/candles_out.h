/* Where candles go. Closed ones (revisions too): at once to the _spreads
 * ring (kind candle), and to Redis by XADD candles through a bounded backlog
 * that holds them, in order, while Redis is away and drops (counted) only
 * when full. The open one, latest wins, at most every [candles]
 * open_publish_ms per slot: to the ring and by PUBLISH
 * candle:<exchange>:<SYMBOL>. */
#ifndef SPREADBUS_AGGREGATOR_CANDLES_OUT_H
#define SPREADBUS_AGGREGATOR_CANDLES_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "aggregator/candles.h"
#include "aggregator/conflate.h"
#include "aggregator/redis_pub.h"
#include "aggregator/spread.h"
#include "aggregator/spreads_out.h"
#include "common/log.h"
#include "shm/spreads.h"

/* Bound of one candle's JSON text (names are at most CONFIG_NAME_MAX). */
#define CANDLE_JSON_MAX 1024
#define CANDLE_FIELDS 20

struct candles_pending {
	uint16_t ex, sym, iv;
	bool done; /* open state of a candle closed since: not sent */
	struct candle c;
};

struct candles_out {
	struct candles *core;
	const struct spread_core *names;  /* exchange and symbol names */
	size_t symbols;                   /* core symbols with slots (candles_out_grow) */
	const struct spreads_out *spreads; /* the ring and the registry ids of the core's names */
	struct spreads_record *rec;
	/* closed candles: [head, sent) await their XADD's answer, [sent, tail) are unsent */
	struct candles_pending *backlog;
	uint64_t cap, head, sent, tail;
	uint64_t answered_seen, connections_seen;
	/* open candles, latest wins: one entry per slot, queued when changed */
	struct conflate open_q;
	struct candles_pending *open;     /* [slot] */
	int64_t open_interval_ns;
	bool to_redis;                    /* false: the ring only */
	bool replaying;                   /* rebuilding from the rings at start (candles_replay.c) */
	int64_t complete_from[CONFIG_MAX_EXCHANGES]; /* while replaying: candles starting earlier may miss trades */
	char maxlen[24];                  /* "" = no trimming */
	uint64_t dropped, closed_sent, written;
	uint64_t dropping;                /* drops since the backlog last had room */
	char drop_first[96], drop_last[96]; /* their keys (the range logged) */
	char json[CANDLE_JSON_MAX];
	size_t json_len;
	char key[96];                     /* exchange:symbol:interval:start_ms:revision */
	char text[CANDLE_FIELDS][TRADE_ID_TEXT_MAX + 1]; /* the other fields' values (names: CONFIG_NAME_MAX) */
	struct redis_pub_field fields[CANDLE_FIELDS];
};

/* Sizes everything once (the intervals as the config loader parsed them). */
int candles_out_init(struct candles_out *o, const struct config_candles *cfg, bool to_redis,
		     const struct spread_core *names, const struct spreads_out *spreads);
void candles_out_free(struct candles_out *o);
/* Slots for symbols core symbols (listed at run time), every candle kept;
 * slots are symbol-major, so the new ones are appended. Returns 0 or
 * -ENOMEM. */
int candles_out_grow(struct candles_out *o, size_t symbols);

/* Redis's turn for closed candles: count answers, resend what a lost
 * connection took, send the rest in order. */
void candles_out_redis(struct candles_out *o, struct redis_pub *redis);
/* Open candles that changed and are due (now_ns: realtime): to the ring,
 * and PUBLISH when redis is ready (NULL: no Redis). */
void candles_out_open(struct candles_out *o, struct redis_pub *redis, int64_t now_ns);
/* Closed candles not yet answered by Redis. */
static inline uint64_t candles_out_backlog(const struct candles_out *o)
{
	return o->tail - o->head;
}

#endif

/* The text of the gateway's messages: {"channel":...,"data":{...}}. A
 * spread's (or a pair matrix's) data is the aggregator's own JSON from
 * _spreads, as Redis got it; a tick's data is the object docs/gateway.md
 * documents. */
#ifndef SPREADBUS_GATEWAY_FORMAT_H
#define SPREADBUS_GATEWAY_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "shm/registry.h"
#include "shm/spreads.h"
#include "shm/tick.h"

/* Largest tick message (names, ids, timestamps and four doubles). */
#define GW_TICK_MSG_MAX 512
/* A spread or candle message: the record's JSON and the envelope. */
#define GW_SPREAD_ENVELOPE 32

/* {"channel":<channel>,"data":<the record's JSON>} ("spreads", "candles",
 * "alerts" or "pairs"). Returns the length written into out (at most cap), or 0 if
 * it did not fit. */
size_t gw_format_record(char *out, size_t cap, const char *channel, const struct spreads_record *r);
/* Quotes ("quotes") and trades ("trades"); seq is the tick's bus sequence. */
size_t gw_format_tick(char *out, size_t cap, const char *channel, const struct registry *reg, const struct tick *t,
		      uint64_t seq);

#endif

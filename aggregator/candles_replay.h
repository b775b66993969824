/* Candles rebuilt at start from what a ring still holds before the
 * aggregator's cursor, so that a restart (SIGKILL included) neither loses
 * nor changes a candle. */
#ifndef SPREADBUS_AGGREGATOR_CANDLES_REPLAY_H
#define SPREADBUS_AGGREGATOR_CANDLES_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "aggregator/candles_out.h"
#include "shm/ring.h"

/* Feeds the candles of core exchange ex with the ticks of ring from the
 * oldest it holds up to (not including) to, the position the aggregator
 * reads on from. Open candles come back as they were; closed ones go to the
 * Redis backlog again (repeats of what Redis may have, identical); a candle
 * that may have begun before the oldest tick held gets a gap mark, and is
 * not re-sent if closed. sym_of_id: registry symbol id -> core symbol or -1.
 * buf: room for max ticks. Returns the ticks replayed, or a negative errno. */
long candles_replay(struct candles_out *o, struct ring *ring, unsigned ex, uint64_t to, const int32_t *sym_of_id,
		    struct tick *buf, size_t max);

#endif

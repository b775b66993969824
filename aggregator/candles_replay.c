/* Replaying a ring into the candles: the closing rule depends on the ticks
 * only (candles.c), so the same ticks give the same candles, the same
 * closes and the same revisions as in the run that read them first. */
#include "aggregator/candles_replay.h"

#include "shm/registry.h"

static int64_t tick_time(const struct tick *t)
{
	return t->ts_exchange_ns ? t->ts_exchange_ns : t->ts_recv_ns;
}

long candles_replay(struct candles_out *o, struct ring *ring, unsigned ex, uint64_t to, const int32_t *sym_of_id,
		    struct tick *buf, size_t max)
{
	uint64_t cap = ring_capacity(ring), from = to > cap ? to - cap : 0;
	struct ring_reader *r;
	int rc = ring_reader_open_private(&r, ring, from);
	if (rc < 0)
		return rc;
	/* from 0, the ring holds all there ever was: every candle is whole */
	bool cut = from > 0;
	long n = 0;
	o->complete_from[ex] = INT64_MIN;
	o->replaying = true;
	while (ring_reader_position(r) < to) {
		uint64_t first = 0, lost = 0;
		size_t got = ring_reader_read(r, buf, max, &first, &lost);
		if (got == 0)
			break;
		for (size_t k = 0; k < got && first + k < to; k++) {
			const struct tick *t = &buf[k];
			if ((cut || lost) && k == 0) {
				/* a trade of a candle starting a grace after this tick's
				 * time could only have come before it out of order */
				o->complete_from[ex] = tick_time(t) + candles_grace_ns(o->core);
				cut = false;
			}
			int sym = t->symbol_id <= REGISTRY_MAX_SYMBOLS ? sym_of_id[t->symbol_id] : -1;
			candles_tick(o->core, ex, sym, t);
			n++;
		}
	}
	o->replaying = false;
	ring_reader_close(r);
	candles_mark_partial(o->core, ex, o->complete_from[ex]);
	return n;
}

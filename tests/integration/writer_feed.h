/* The ticks the writer tests feed: every field derived from the bus_seq,
 * so readers can check each recorded value (tests/parquet_readers/
 * expected.mjs computes the same); and market-like ticks for measuring
 * file sizes (bench). */
#ifndef SPREADBUS_TESTS_INTEGRATION_WRITER_FEED_H
#define SPREADBUS_TESTS_INTEGRATION_WRITER_FEED_H

#include <stdint.h>

#include "shm/tick.h"

/* symbol_ids[seq % symbol_count] is the tick's symbol. */
void writer_feed_tick(struct tick *t, uint64_t seq, int64_t ts_base_ns, int64_t ts_step_ns,
		      const uint16_t *symbol_ids, unsigned symbol_count);

/* Market-like ticks: per-symbol random-walk prices on a 0.01 grid,
 * quantities with 4 decimals, millisecond exchange times, receive times
 * with random gaps, per-symbol update and trade ids; 80% quotes, the rest
 * trades. Reproducible from the seed; not checkable by value. */
#define WRITER_FEED_MAX_SYMBOLS 64
struct writer_feed_market {
	uint64_t rng;
	int64_t ts_recv_ns;
	double mid[WRITER_FEED_MAX_SYMBOLS];
	uint64_t update_id[WRITER_FEED_MAX_SYMBOLS];
	uint64_t trade_id[WRITER_FEED_MAX_SYMBOLS];
};

void writer_feed_market_init(struct writer_feed_market *m, int64_t ts_base_ns, uint64_t seed);
void writer_feed_market_tick(struct writer_feed_market *m, struct tick *t, const uint16_t *symbol_ids,
			     unsigned symbol_count);

#endif

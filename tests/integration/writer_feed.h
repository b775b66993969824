/* The ticks the writer tests feed: every field derived from the bus_seq,
 * so readers can check each recorded value (tests/parquet_readers/
 * expected.mjs computes the same). */
#ifndef SPREADBUS_TESTS_INTEGRATION_WRITER_FEED_H
#define SPREADBUS_TESTS_INTEGRATION_WRITER_FEED_H

#include <stdint.h>

#include "shm/tick.h"

/* symbol_ids[seq % symbol_count] is the tick's symbol. */
void writer_feed_tick(struct tick *t, uint64_t seq, int64_t ts_base_ns, int64_t ts_step_ns,
		      const uint16_t *symbol_ids, unsigned symbol_count);

#endif

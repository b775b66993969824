/* Test ticks derived from their bus sequence, with a checksum, so that a
 * reader can prove each record is whole, in order and not duplicated. */
#ifndef SPREADBUS_TESTS_TOOLS_RING_PATTERN_H
#define SPREADBUS_TESTS_TOOLS_RING_PATTERN_H

#include <stdint.h>

#include "shm/tick.h"

/* The tick a test producer publishes as sequence seq. */
void ring_pattern_fill(struct tick *t, uint64_t seq);
/* 0 if t is exactly the tick for seq (seq_lo included); else -EBADMSG
 * (checksum wrong: torn or corrupt) or -ERANGE (whole, but another seq). */
int ring_pattern_check(const struct tick *t, uint64_t seq);

#endif

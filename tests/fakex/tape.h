/* fakex: the tape of one stream (an exchange's quotes or trades of one
 * symbol). Every connection subscribed to the stream reads the same events
 * with its own cursor, as a real exchange broadcasts one feed: the
 * connection that runs ahead generates, the others replay. */
#ifndef SPREADBUS_FAKEX_TAPE_H
#define SPREADBUS_FAKEX_TAPE_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/fakex/prices.h"

union fx_event {
	struct fx_quote quote;
	struct fx_trade trade;
};

struct fx_tape {
	uint64_t head; /* events generated so far */
	uint32_t capacity;
	union fx_event *events;
	uint8_t *sent; /* per slot: the event there was written to a connection */
};

/* 0 or -ENOMEM. */
int tape_init(struct fx_tape *t, uint32_t capacity);
void tape_free(struct fx_tape *t);

/* The event at *cursor, generated with gen() if nobody has yet; advances
 * *cursor. A reader more than the capacity behind skips to the oldest
 * event still held (its ids jump, as after a slow-consumer drop). */
typedef void fx_event_gen(union fx_event *out, void *arg);
const union fx_event *tape_next(struct fx_tape *t, uint64_t *cursor, fx_event_gen *gen, void *arg);

/* Records that the event at index (a cursor value before tape_next
 * advanced it) was written to a connection; true the first time only. */
bool tape_mark_sent(struct fx_tape *t, uint64_t index);

#endif

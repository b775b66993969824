/* A tick's kind-specific fields as JSON members, for the tools that print
 * ticks (spreadbus-collector --decode, spreadbus-busctl dump). */
#ifndef SPREADBUS_SHM_TICK_JSON_H
#define SPREADBUS_SHM_TICK_JSON_H

#include "common/jsonw.h"
#include "shm/tick.h"

/* Quote: update_id, bid/ask price and quantity; trade: px, qty, side,
 * trade_id; gap: its time range, reason and lost count. */
void tick_json_fields(struct jsonw *w, const struct tick *t);

#endif

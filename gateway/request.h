/* Client requests of the gateway's WebSocket protocol (docs/gateway.md):
 * {"op":"subscribe"|"unsubscribe","channels":[...],"symbols":[...],
 *  "exchanges":[...],"id":...}; {"op":"pairs","symbol":...,"id":...} is
 *  a subscribe to the pairs channel of one symbol. Parsed from untrusted text without
 * allocating. */
#ifndef SPREADBUS_GATEWAY_REQUEST_H
#define SPREADBUS_GATEWAY_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shm/registry.h"

/* status: each exchange's health once a second (no filters apply); pairs:
 * a symbol's pair matrix, at once on subscribing and then as the
 * aggregator writes it (symbols filter it, exchanges do not apply). */
enum gw_channel { GW_CH_SPREADS, GW_CH_QUOTES, GW_CH_TRADES, GW_CH_STATUS, GW_CH_CANDLES, GW_CH_ALERTS, GW_CH_PAIRS,
		  GW_CHANNELS };

#define GW_REQ_MAX_NAMES 256 /* symbols or exchanges in one request */
#define GW_REQ_ID_MAX 64     /* the request id, echoed in the reply */

enum gw_op { GW_OP_SUBSCRIBE, GW_OP_UNSUBSCRIBE };

struct gw_request {
	enum gw_op op;
	uint32_t channels; /* bit (1 << enum gw_channel) */
	bool symbols_given, exchanges_given;
	size_t symbol_count, exchange_count;
	char symbols[GW_REQ_MAX_NAMES][REGISTRY_NAME_MAX];
	char exchanges[GW_REQ_MAX_NAMES][REGISTRY_NAME_MAX];
	char id[GW_REQ_ID_MAX + 1]; /* the id's JSON text (a string keeps its quotes); "" = none */
};

/* "spreads", "quotes", "trades", "status", "candles", "alerts", "pairs". */
const char *gw_channel_name(enum gw_channel c);

/* Parses one text frame. Returns 0, or -1 with a message for the client in
 * err (the id, if one could be read, is still in out->id). */
int gw_request_parse(const char *text, size_t len, struct gw_request *out, char *err, size_t err_len);

#endif

/* Redis publishing that never blocks the caller: hiredis async over a
 * non-blocking socket polled from the aggregator's loop, pipelined spread
 * updates, AUTH/SELECT, and a circuit breaker with exponential backoff. */
#ifndef SPREADBUS_AGGREGATOR_REDIS_PUB_H
#define SPREADBUS_AGGREGATOR_REDIS_PUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"

#define REDIS_PUB_DETAIL_MAX 120
/* Commands one spread update costs at most: PUBLISH, XADD, HSET
 * spread:latest, and HSET spread:pairs when its matrix is due. */
#define REDIS_PUB_COMMANDS_PER_UPDATE 4

struct redis_pub_counters {
	uint64_t published; /* updates whose PUBLISH Redis acknowledged */
	uint64_t dropped;   /* updates lost: sent and never acknowledged, or refused */
	uint64_t errors;    /* error replies, failed connects, timeouts, lost connections */
	bool up;            /* connected, authenticated and selected */
	uint64_t connections;      /* times it came up: a change means replies of the last one are lost */
	uint64_t candles_answered; /* candle XADDs Redis answered (in order), refused ones included */
	uint64_t candles_refused;  /* of those, error replies */
};

/* One XADD field/value pair. */
struct redis_pub_field {
	const char *name;
	const char *value;
	size_t value_len;
};

struct redis_pub;

/* Nothing is connected here; redis_pub_service does it. */
int redis_pub_create(struct redis_pub **out, const struct config_redis *cfg);
void redis_pub_free(struct redis_pub *p);

/* Connect when the breaker allows, read replies, write queued commands,
 * detect connect and reply timeouts. Never blocks. now_ns: monotonic. */
void redis_pub_service(struct redis_pub *p, int64_t now_ns);
/* Send what is queued now (call after a batch of redis_pub_send). */
void redis_pub_flush(struct redis_pub *p);

/* True when one more update fits under max_pending on a ready connection. */
bool redis_pub_ready(const struct redis_pub *p);
/* True while commands are queued or awaiting replies. */
bool redis_pub_busy(const struct redis_pub *p);
/* Queue one update: PUBLISH spread:<symbol> json; XADD spreads MAXLEN ~ N *
 * fields...; HSET spread:latest <symbol> json. Returns 0 or -ENOTCONN /
 * -ENOBUFS (not ready) / -ENOMEM. */
int redis_pub_send(struct redis_pub *p, const char *symbol, const char *json, size_t json_len,
		   const struct redis_pub_field *fields, size_t field_count);

/* A symbol's pair matrix: HSET spread:pairs <symbol> json (right after its
 * update's redis_pub_send). Returns 0 or -ENOTCONN / -ENOMEM. */
int redis_pub_pairs(struct redis_pub *p, const char *symbol, const char *json, size_t json_len);

/* Candles (aggregator/candles_out.c): XADD candles [MAXLEN ~ maxlen] *
 * fields..., answered in order (candles_answered); and PUBLISH channel json.
 * Return 0 or -ENOTCONN / -ENOBUFS (not ready) / -ENOMEM. */
int redis_pub_candle_xadd(struct redis_pub *p, const char *maxlen, const struct redis_pub_field *fields,
			  size_t field_count);
int redis_pub_candle_publish(struct redis_pub *p, const char *channel, size_t channel_len, const char *json,
			     size_t json_len);

/* An alert event (aggregator/alerts.c): XADD alerts [MAXLEN ~ maxlen] *
 * fields...; PUBLISH channel json. Returns 0 or -ENOTCONN / -ENOBUFS (not
 * ready) / -ENOMEM. */
int redis_pub_alert(struct redis_pub *p, const char *maxlen, const struct redis_pub_field *fields,
		    size_t field_count, const char *channel, size_t channel_len, const char *json, size_t json_len);

void redis_pub_counters(const struct redis_pub *p, struct redis_pub_counters *out);
/* The last problem, for the status block ("" when none). */
const char *redis_pub_detail(const struct redis_pub *p);

#endif

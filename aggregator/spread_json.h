/* One spread update as Redis sees it: the JSON message (PUBLISH and HSET)
 * and the flat XADD fields. Buffers are sized once, for the symbol with the
 * most pairs; encoding allocates nothing. Field names: docs/redis.md. */
#ifndef SPREADBUS_AGGREGATOR_SPREAD_JSON_H
#define SPREADBUS_AGGREGATOR_SPREAD_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "aggregator/redis_pub.h"
#include "aggregator/spread.h"
#include "common/fmt.h"

#define SPREAD_JSON_FIELDS 24

struct spread_json {
	char *json;
	size_t json_cap, json_len;
	struct spread_pair_view *pairs;
	size_t max_pairs, pair_count; /* pair_count: fresh pairs of the last encode */
	char values[SPREAD_JSON_FIELDS][FMT_NUM_MAX]; /* XADD values that are numbers */
	struct redis_pub_field fields[SPREAD_JSON_FIELDS];
	size_t field_count;
	int best_buy_ex, best_sell_ex; /* exchange indices of the best pair, -1 when none is valid */
	int64_t ts_ns;                 /* the update's "ts_ns" */
};

int spread_json_init(struct spread_json *j, const struct spread_core *c);
void spread_json_free(struct spread_json *j);

/* Encode symbol sym as of now_ns (wall clock). Returns 0 or -ENOSPC. */
int spread_json_encode(struct spread_json *j, struct spread_core *c, unsigned sym, int64_t now_ns);

#endif

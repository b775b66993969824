/* The aggregator's side of the _spreads ring: every spread update, as the
 * JSON object Redis gets, and each matrix spread_json made, in one fixed
 * record each (shm/spreads.h). */
#ifndef SPREADBUS_AGGREGATOR_SPREADS_OUT_H
#define SPREADBUS_AGGREGATOR_SPREADS_OUT_H

#include <stdint.h>

#include "aggregator/spread.h"
#include "aggregator/spread_json.h"
#include "shm/registry.h"
#include "shm/ring.h"
#include "shm/spreads.h"

struct spreads_out {
	struct ring *ring;
	struct spreads_record *rec;  /* one record of ring_record_size bytes */
	uint16_t *symbol_id;         /* core symbol -> registry id */
	uint8_t exchange_id[CONFIG_MAX_EXCHANGES]; /* core exchange -> registry id */
	uint64_t written;
};

/* Checks that a record holds the largest update and matrix json can
 * encode (else -EMSGSIZE, logged) and maps the core's names to registry ids. */
int spreads_out_init(struct spreads_out *o, struct ring *ring, const struct registry *reg,
		     const struct spread_core *c, const struct spread_json *json);
void spreads_out_free(struct spreads_out *o);

/* Appends the update json just encoded for core symbol sym, and its matrix
 * when the encode made one. Never blocks. */
void spreads_out_write(struct spreads_out *o, const struct spread_json *json, unsigned sym);
/* Appends the matrix in json->pairs_json alone (one held back, now due). */
void spreads_out_write_pairs(struct spreads_out *o, const struct spread_json *json, unsigned sym);

#endif

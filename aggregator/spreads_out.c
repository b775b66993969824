/* Writes spread updates and pair matrices to _spreads: the JSON text
 * spread_json encoded for Redis, behind the ids a reader filters on. */
#include "aggregator/spreads_out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

int spreads_out_init(struct spreads_out *o, struct ring *ring, const struct registry *reg,
		     const struct spread_core *c, const struct spread_json *json)
{
	memset(o, 0, sizeof(*o));
	uint32_t size = ring_record_size(ring);
	size_t need = json->pairs_cap > SPREADS_UPDATE_JSON_MAX ? json->pairs_cap : SPREADS_UPDATE_JSON_MAX;
	if (spreads_json_room(size) < need) {
		log_err("aggregator: _spreads records of %u bytes cannot hold an update or matrix of up to %zu bytes",
			size, need);
		return -EMSGSIZE;
	}
	o->ring = ring;
	o->rec = calloc(1, size);
	o->symbol_id = calloc(spread_core_symbol_count(c) + 1, sizeof(*o->symbol_id));
	if (!o->rec || !o->symbol_id) {
		spreads_out_free(o);
		return -ENOMEM;
	}
	for (size_t s = 0; s < spread_core_symbol_count(c); s++) {
		int id = registry_symbol_id(reg, spread_core_symbol_name(c, (unsigned)s));
		o->symbol_id[s] = id > 0 ? (uint16_t)id : 0;
	}
	for (size_t e = 0; e < spread_core_exchange_count(c) && e < CONFIG_MAX_EXCHANGES; e++) {
		int id = registry_exchange_id(reg, spread_core_exchange_name(c, (unsigned)e));
		o->exchange_id[e] = id > 0 && id <= UINT8_MAX ? (uint8_t)id : 0;
	}
	return 0;
}

void spreads_out_free(struct spreads_out *o)
{
	free(o->rec);
	free(o->symbol_id);
	o->rec = NULL;
	o->symbol_id = NULL;
}

static void write_record(struct spreads_out *o, const struct spread_json *json, unsigned sym, enum spreads_kind kind,
			 const char *text, size_t len)
{
	struct spreads_record *r = o->rec;
	r->symbol_id = o->symbol_id[sym];
	r->buy_exchange_id = json->best_buy_ex >= 0 ? o->exchange_id[json->best_buy_ex] : 0;
	r->sell_exchange_id = json->best_sell_ex >= 0 ? o->exchange_id[json->best_sell_ex] : 0;
	r->json_len = (uint32_t)len;
	r->kind = kind;
	r->ts_ns = json->ts_ns;
	memcpy(r->json, text, len);
	ring_publish_records(o->ring, r, 1);
}

void spreads_out_write_pairs(struct spreads_out *o, const struct spread_json *json, unsigned sym)
{
	write_record(o, json, sym, SPREADS_KIND_PAIRS, json->pairs_json, json->pairs_len);
}

void spreads_out_write(struct spreads_out *o, const struct spread_json *json, unsigned sym)
{
	write_record(o, json, sym, SPREADS_KIND_SPREAD, json->msg->json, json->msg->len);
	o->written++;
	if (json->pairs_len)
		spreads_out_write_pairs(o, json, sym);
}

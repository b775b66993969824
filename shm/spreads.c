/* Sizing of the _spreads ring's records. */
#include "shm/spreads.h"

uint32_t spreads_record_size(size_t max_pairs)
{
	size_t matrix = SPREADS_PAIRS_FIXED_MAX + max_pairs * SPREADS_PAIRS_ENTRY_MAX;
	size_t need = sizeof(struct spreads_record) + (matrix > SPREADS_UPDATE_JSON_MAX ? matrix : SPREADS_UPDATE_JSON_MAX);
	uint32_t size = 64;
	while (size < need)
		size *= 2;
	return size;
}

uint64_t spreads_ring_capacity(uint32_t record_size)
{
	uint64_t cap = 1024;
	while (cap * 2 * record_size <= SPREADS_RING_BYTES)
		cap *= 2;
	return cap;
}

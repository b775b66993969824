/* What a config asks the aggregator to list: every symbol an enabled
 * exchange streams (its section's list, or its share of the persisted
 * universe in auto mode), once, with the exchanges that list it. */
#ifndef SPREADBUS_AGGREGATOR_WANTED_H
#define SPREADBUS_AGGREGATOR_WANTED_H

#include <stddef.h>
#include <stdint.h>

#include "common/config.h"

struct wanted_symbol {
	char name[CONFIG_NAME_MAX];
	uint32_t ex_mask; /* bit e: exchange ex_names[e] lists it */
};

struct wanted {
	struct wanted_symbol *syms; /* in order of first appearance (exchanges in config order) */
	size_t count;
};

/* The symbols of cfg's enabled exchanges among ex_names (others are left
 * out). Returns 0 or -errno (logged). */
int wanted_read(struct wanted *w, const struct config *cfg, const char (*ex_names)[CONFIG_NAME_MAX], size_t ex_count);
void wanted_free(struct wanted *w);

#endif

/* The symbols a collector streams in [universe] mode = auto: its
 * exchange's lines of the universe the supervisor persisted
 * (<state_dir>/universe.tsv, common/instrument.h). */
#ifndef SPREADBUS_COLLECTOR_INSTRUMENTS_UNIVERSE_H
#define SPREADBUS_COLLECTOR_INSTRUMENTS_UNIVERSE_H

#include <stddef.h>

#include "common/config.h"

/* *symbols: malloc'ed canonical names (free()), *n of them; none (0) when
 * no universe was decided yet. Returns 0, or -errno for an unreadable file
 * (logged). */
int instruments_universe_symbols(const struct config *cfg, const char *exchange, char (**symbols)[CONFIG_NAME_MAX],
				 size_t *n);

#endif

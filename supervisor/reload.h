/* Reload: re-read the config, start added exchanges, stop removed ones,
 * restart only the children whose configuration changed. */
#ifndef SPREADBUS_SUPERVISOR_RELOAD_H
#define SPREADBUS_SUPERVISOR_RELOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "common/config.h"
#include "shm/status.h"

/*
 * Everything a child's behaviour depends on, as one number: its own section
 * (config_hash) plus the shared keys it reads ([service] logging, bin_dir,
 * state_dir; [redis] for the aggregator). Equal hashes = no restart needed.
 */
uint64_t reload_child_hash(const struct config *cfg, enum status_role role, const char *name);

struct supervisor;
struct child;
/* Tells a running collector or aggregator to take its new symbols live
 * (SIGHUP; see collector/live_symbols.h, aggregator/aggregator.c). False
 * when it cannot be told yet (not running, or still starting): the caller
 * restarts it instead. */
bool reload_symbols_live(struct supervisor *s, struct child *c);

#endif

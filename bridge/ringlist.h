/* Which rings a [bridge.NAME] carries: its `rings` list, or every ring of
 * the bus for "*" (export only). */
#ifndef SPREADBUS_BRIDGE_RINGLIST_H
#define SPREADBUS_BRIDGE_RINGLIST_H

#include <stddef.h>

#include "common/config.h"
#include "shm/bus.h"

#define RINGLIST_MAX CONFIG_MAX_EXCHANGES

/* Fills names; returns how many, or -1 with a message in err (a name that
 * is not a ring of this bus). */
int ringlist_resolve(const struct config_bridge *cfg, const struct bus *bus, char names[][CONFIG_NAME_MAX],
		     char *err, size_t err_len);

#endif

/* The bus of one service instance: the registry, the status table and one
 * ring per configured exchange, named from the config. The supervisor
 * creates (or re-attaches to) all of them; children attach. */
#ifndef SPREADBUS_SHM_BUS_H
#define SPREADBUS_SHM_BUS_H

#include <stddef.h>

#include "common/config.h"
#include "shm/registry.h"
#include "shm/ring.h"
#include "shm/status.h"

struct bus {
	struct registry *registry;
	struct status_table *status;
	size_t ring_count;
	struct ring *rings[CONFIG_MAX_EXCHANGES];         /* in config order of enabled exchanges */
	char ring_exchange[CONFIG_MAX_EXCHANGES][CONFIG_NAME_MAX];
	struct ring *spreads; /* derived ring _spreads (shm/spreads.h), written by the aggregator */
};

/* Supervisor: create or re-attach every segment the config names, register
 * every exchange and symbol, claim a status block per child ("<exchange>",
 * "aggregator", "writer", "gateway"). Existing segments are validated and
 * kept. */
int bus_create(struct bus *bus, const struct config *cfg, char *err, size_t err_len);
/* Children: attach to what the supervisor created; refuses anything missing
 * or invalid with a message in err. */
int bus_attach(struct bus *bus, const struct config *cfg, char *err, size_t err_len);
void bus_close(struct bus *bus);
/* Remove every segment of the instance (after a clean stop, and in tests). */
int bus_unlink(const struct config *cfg);

struct ring *bus_ring(const struct bus *bus, const char *exchange);

#endif

/* One instance's bus from its config: the registry, the status table and a
 * ring per enabled exchange, created by the supervisor, attached by children. */
#include "shm/bus.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "shm/segment.h"
#include "shm/spreads.h"

static int bus_segment_name(char *out, const struct config *cfg, const char *what, char *err, size_t err_len)
{
	int rc = segment_name(out, SEGMENT_NAME_MAX, cfg->instance, what);

	if (rc < 0)
		snprintf(err, err_len, "instance '%s', segment '%s': not a valid shared-memory name: %s", cfg->instance,
			 what, strerror(-rc));
	return rc;
}

/* Registers every exchange, then every symbol of every exchange, both in
 * config order: ids are then the same on every start with the same config. */
static int bus_register(struct registry *reg, const struct config *cfg, char *err, size_t err_len)
{
	size_t i, j;
	int rc;

	for (i = 0; i < cfg->exchange_count; i++) {
		rc = registry_add_exchange(reg, cfg->exchanges[i].name);
		if (rc < 0) {
			snprintf(err, err_len, "registry: cannot add exchange '%s': %s", cfg->exchanges[i].name,
				 strerror(-rc));
			return rc;
		}
	}
	for (i = 0; i < cfg->exchange_count; i++) {
		for (j = 0; j < cfg->exchanges[i].symbol_count; j++) {
			rc = registry_add_symbol(reg, cfg->exchanges[i].symbols[j]);
			if (rc < 0) {
				snprintf(err, err_len, "registry: cannot add symbol '%s' of exchange '%s': %s",
					 cfg->exchanges[i].symbols[j], cfg->exchanges[i].name, strerror(-rc));
				return rc;
			}
		}
	}
	/* a basis spread is published under its name like any symbol's */
	for (i = 0; i < cfg->aggregator.basis_count; i++) {
		rc = registry_add_symbol(reg, cfg->aggregator.basis_pairs[i].name);
		if (rc < 0) {
			snprintf(err, err_len, "registry: cannot add basis '%s': %s", cfg->aggregator.basis_pairs[i].name,
				 strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static int bus_claim(struct status_table *st, const char *name, enum status_role role, char *err, size_t err_len)
{
	if (status_table_claim(st, name, role))
		return 0;
	snprintf(err, err_len, "status table: no free block for '%s'", name);
	return -ENOSPC;
}

static int bus_claim_all(struct status_table *st, const struct config *cfg, char *err, size_t err_len)
{
	size_t i;
	int rc;

	for (i = 0; i < cfg->exchange_count; i++) {
		/* A ring a bridge fills has no collector. */
		if (!cfg->exchanges[i].enabled || config_exchange_bridged(&cfg->exchanges[i]))
			continue;
		rc = bus_claim(st, cfg->exchanges[i].name, ROLE_COLLECTOR, err, err_len);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < cfg->bridge_count; i++) {
		if (!cfg->bridges[i].enabled)
			continue;
		rc = bus_claim(st, cfg->bridges[i].child_name, ROLE_BRIDGE, err, err_len);
		if (rc < 0)
			return rc;
	}
	rc = bus_claim(st, "aggregator", ROLE_AGGREGATOR, err, err_len);
	if (rc == 0)
		rc = bus_claim(st, "writer", ROLE_WRITER, err, err_len);
	if (rc == 0)
		rc = bus_claim(st, "gateway", ROLE_GATEWAY, err, err_len);
	return rc;
}

/* Its records hold an update of a symbol listed by every enabled exchange
 * (or of a basis listed in both legs by each). */
static int bus_open_spreads(struct bus *bus, const struct config *cfg, bool create, char *err, size_t err_len)
{
	char name[SEGMENT_NAME_MAX];
	size_t slots = spreads_max_slots(bus->ring_count, cfg->aggregator.basis_count);
	uint32_t record_size = spreads_record_size(spreads_max_pairs(slots));
	int rc = bus_segment_name(name, cfg, SPREADS_RING_NAME, err, err_len);

	if (rc < 0)
		return rc;
	if (!create)
		return ring_attach_records(&bus->spreads, name, record_size, err, err_len);
	uint64_t capacity = spreads_ring_capacity(record_size);
	rc = ring_create_or_attach_records(&bus->spreads, name, SPREADS_RING_NAME, capacity, record_size, cfg->shm_mode,
					   err, err_len);
	/* Another exchange count (a reload) needs another record size. Nothing
	 * in the ring needs keeping: its readers want live updates only. */
	if (rc == -EPROTO && segment_unlink(name) == 0)
		rc = ring_create_or_attach_records(&bus->spreads, name, SPREADS_RING_NAME, capacity, record_size,
						   cfg->shm_mode, err, err_len);
	return rc;
}

/* Opens (create = supervisor, else attach) every segment of cfg. */
static int bus_open(struct bus *bus, const struct config *cfg, bool create, char *err, size_t err_len)
{
	char name[SEGMENT_NAME_MAX];
	size_t i;
	int rc;

	memset(bus, 0, sizeof(*bus));
	rc = bus_segment_name(name, cfg, "_registry", err, err_len);
	if (rc < 0)
		goto out;
	rc = create ? registry_create_or_attach(&bus->registry, name, cfg->shm_mode, err, err_len)
		    : registry_attach(&bus->registry, name, err, err_len);
	if (rc < 0)
		goto out;
	if (create && (rc = bus_register(bus->registry, cfg, err, err_len)) < 0)
		goto out;

	rc = bus_segment_name(name, cfg, "_status", err, err_len);
	if (rc < 0)
		goto out;
	rc = create ? status_table_create_or_attach(&bus->status, name, cfg->shm_mode, err, err_len)
		    : status_table_attach(&bus->status, name, err, err_len);
	if (rc < 0)
		goto out;
	if (create && (rc = bus_claim_all(bus->status, cfg, err, err_len)) < 0)
		goto out;

	for (i = 0; i < cfg->exchange_count; i++) {
		const struct config_exchange *ex = &cfg->exchanges[i];
		struct ring **ring = &bus->rings[bus->ring_count];

		if (!ex->enabled)
			continue;
		rc = bus_segment_name(name, cfg, ex->name, err, err_len);
		if (rc < 0)
			goto out;
		rc = create ? ring_create_or_attach(ring, name, ex->name, cfg->ring_capacity, cfg->shm_mode, err,
						    err_len)
			    : ring_attach(ring, name, err, err_len);
		if (rc < 0)
			goto out;
		snprintf(bus->ring_exchange[bus->ring_count], CONFIG_NAME_MAX, "%s", ex->name);
		bus->ring_count++;
	}
	rc = bus_open_spreads(bus, cfg, create, err, err_len);
out:
	if (rc < 0)
		bus_close(bus);
	return rc;
}

int bus_create(struct bus *bus, const struct config *cfg, char *err, size_t err_len)
{
	return bus_open(bus, cfg, true, err, err_len);
}

int bus_attach(struct bus *bus, const struct config *cfg, char *err, size_t err_len)
{
	return bus_open(bus, cfg, false, err, err_len);
}

void bus_close(struct bus *bus)
{
	size_t i;

	for (i = 0; i < bus->ring_count; i++)
		ring_close(bus->rings[i]);
	ring_close(bus->spreads);
	status_table_close(bus->status);
	registry_close(bus->registry);
	memset(bus, 0, sizeof(*bus));
}

/* Removes one segment; one that is already gone is not an error. */
static int unlink_one(const struct config *cfg, const char *what)
{
	char name[SEGMENT_NAME_MAX];
	int rc = segment_name(name, sizeof(name), cfg->instance, what);

	if (rc == 0)
		rc = segment_unlink(name);
	return rc == -ENOENT ? 0 : rc;
}

int bus_unlink(const struct config *cfg)
{
	int rc = 0, r;
	size_t i;

	/* Every exchange, enabled or not: a disabled one may still have a ring
	 * from before a reload. */
	for (i = 0; i < cfg->exchange_count; i++) {
		r = unlink_one(cfg, cfg->exchanges[i].name);
		if (r < 0 && rc == 0)
			rc = r;
	}
	r = unlink_one(cfg, SPREADS_RING_NAME);
	if (r < 0 && rc == 0)
		rc = r;
	r = unlink_one(cfg, "_status");
	if (r < 0 && rc == 0)
		rc = r;
	r = unlink_one(cfg, "_registry");
	if (r < 0 && rc == 0)
		rc = r;
	return rc;
}

struct ring *bus_ring(const struct bus *bus, const char *exchange)
{
	size_t i;

	for (i = 0; i < bus->ring_count; i++)
		if (strncmp(bus->ring_exchange[i], exchange, CONFIG_NAME_MAX) == 0)
			return bus->rings[i];
	return NULL;
}

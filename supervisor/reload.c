/* SIGHUP and `spreadctl reload`: a new config replaces the old one only if
 * it loads without a single error and the bus accepts it; then children are
 * added, removed or restarted by comparing per-child config hashes. */
#include "supervisor/reload.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "common/hash.h"
#include "common/log.h"
#include "supervisor/notify.h"
#include "supervisor/supervisor.h"

static uint64_t hash_str(uint64_t h, const char *s)
{
	return hash_fnv1a64_update(h, s, strlen(s) + 1);
}

static uint64_t hash_u64(uint64_t h, uint64_t v)
{
	return hash_fnv1a64_update(h, &v, sizeof(v));
}

static uint64_t hash_service(uint64_t h, const struct config *cfg)
{
	h = hash_str(h, cfg->log_format);
	h = hash_u64(h, (uint64_t)cfg->log_level);
	h = hash_str(h, cfg->bin_dir);
	h = hash_str(h, cfg->state_dir);
	return h;
}

static uint64_t hash_redis(uint64_t h, const struct config_redis *r)
{
	h = hash_u64(h, r->enabled);
	h = hash_str(h, r->host);
	h = hash_u64(h, r->port);
	h = hash_str(h, r->unix_socket);
	h = hash_str(h, r->password);
	h = hash_u64(h, r->db);
	h = hash_u64(h, r->stream_maxlen);
	h = hash_u64(h, r->connect_timeout_ms);
	h = hash_u64(h, r->breaker_min_ms);
	h = hash_u64(h, r->breaker_max_ms);
	h = hash_u64(h, r->max_pending);
	return h;
}

/* The aggregator and the gateway map every enabled exchange at start (its
 * spreads, its fee, the _spreads record size): a change of that set or of
 * a fee restarts them. Symbol lists are not in it: the aggregator takes
 * them live (symbols_hash), the gateway and the writer name symbols through
 * the registry. */
static uint64_t hash_exchange_set(uint64_t h, const struct config *cfg)
{
	for (size_t i = 0; i < cfg->exchange_count; i++) {
		const struct config_exchange *x = &cfg->exchanges[i];
		if (!x->enabled)
			continue;
		h = hash_str(h, x->name);
		h = hash_u64(h, (uint64_t)llround(x->taker_fee_bps * 1e6));
	}
	return h;
}

/* What the aggregator lists: every enabled exchange's symbols, or the
 * universe file in auto mode (universe.c signals it when that changes). */
static uint64_t symbols_hash(const struct config *cfg)
{
	uint64_t h = hash_str(HASH_FNV1A64_INIT, cfg->universe.mode);
	for (size_t i = 0; i < cfg->exchange_count; i++) {
		const struct config_exchange *x = &cfg->exchanges[i];
		if (!x->enabled)
			continue;
		h = hash_str(h, x->name);
		for (size_t k = 0; k < x->symbol_count; k++)
			h = hash_str(h, x->symbols[k]);
	}
	return h;
}

uint64_t reload_child_hash(const struct config *cfg, enum status_role role, const char *name)
{
	uint64_t h = hash_service(HASH_FNV1A64_INIT, cfg);
	switch (role) {
	case ROLE_COLLECTOR: {
		const struct config_exchange *ex = config_exchange_find(cfg, name);
		return hash_u64(h, ex ? ex->config_hash : 0);
	}
	case ROLE_AGGREGATOR:
		return hash_redis(hash_u64(hash_exchange_set(h, cfg), cfg->aggregator.config_hash), &cfg->redis);
	case ROLE_WRITER:
		return hash_u64(h, cfg->writer.config_hash);
	case ROLE_GATEWAY:
		return hash_u64(hash_exchange_set(h, cfg), cfg->gateway.config_hash);
	case ROLE_BRIDGE: {
		const struct config_bridge *b = config_bridge_find(cfg, name + strlen("bridge."));
		return hash_u64(h, b ? b->config_hash : 0);
	}
	}
	return h;
}

/* Settings only a full restart of the service can change: the bus names,
 * its geometry and where the sockets are. */
static int reload_check_fixed(const struct config *old, const struct config *new, char *err, size_t err_len)
{
	const char *what = NULL;
	if (strcmp(old->instance, new->instance) != 0)
		what = "[service] instance";
	else if (strcmp(old->runtime_dir, new->runtime_dir) != 0)
		what = "[service] runtime_dir";
	else if (old->ring_capacity != new->ring_capacity)
		what = "[service] ring_capacity";
	else if (old->shm_mode != new->shm_mode)
		what = "[service] shm_mode";
	else if (strcmp(old->http_listen, new->http_listen) != 0)
		what = "[http] listen";
	if (!what)
		return 0;
	snprintf(err, err_len, "%s changed: that needs a restart of the service, not a reload", what);
	return -EINVAL;
}

struct wanted_child {
	const char *name;
	enum status_role role;
	uint32_t heartbeat_timeout_ms;
	uint64_t hash;
};

static size_t wanted_children(const struct config *cfg, struct wanted_child *out)
{
	size_t n = 0;
	for (size_t i = 0; i < cfg->exchange_count; i++) {
		const struct config_exchange *ex = &cfg->exchanges[i];
		if (ex->enabled && !config_exchange_bridged(ex))
			out[n++] = (struct wanted_child){ ex->name, ROLE_COLLECTOR, ex->heartbeat_timeout_ms,
							  reload_child_hash(cfg, ROLE_COLLECTOR, ex->name) };
	}
	for (size_t i = 0; i < cfg->bridge_count; i++) {
		const struct config_bridge *b = &cfg->bridges[i];
		if (b->enabled)
			out[n++] = (struct wanted_child){ b->child_name, ROLE_BRIDGE,
							  b->heartbeat_timeout_ms,
							  reload_child_hash(cfg, ROLE_BRIDGE, b->child_name) };
	}
	out[n++] = (struct wanted_child){ "aggregator", ROLE_AGGREGATOR, cfg->aggregator.heartbeat_timeout_ms,
					  reload_child_hash(cfg, ROLE_AGGREGATOR, "aggregator") };
	if (cfg->writer.enabled)
		out[n++] = (struct wanted_child){ "writer", ROLE_WRITER, cfg->writer.heartbeat_timeout_ms,
						  reload_child_hash(cfg, ROLE_WRITER, "writer") };
	if (cfg->gateway.enabled)
		out[n++] = (struct wanted_child){ "gateway", ROLE_GATEWAY, cfg->gateway.heartbeat_timeout_ms,
						  reload_child_hash(cfg, ROLE_GATEWAY, "gateway") };
	return n;
}

static const struct wanted_child *find_wanted(const struct wanted_child *w, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(w[i].name, name) == 0)
			return &w[i];
	return NULL;
}

/* Whether two [exchange.NAME] sections differ at most in their symbols.
 * Both were loaded into zeroed memory, so equal texts give equal bytes (a
 * false "differs" only costs the restart of before). */
static bool only_symbols_differ(const struct config_exchange *a, const struct config_exchange *b)
{
	const char *x = (const char *)a, *y = (const char *)b;
	size_t list = offsetof(struct config_exchange, symbol_count);
	size_t after = offsetof(struct config_exchange, symbols) + sizeof(a->symbols);
	size_t hash = offsetof(struct config_exchange, config_hash), end = hash + sizeof(a->config_hash);
	return memcmp(x, y, list) == 0 && memcmp(x + after, y + after, hash - after) == 0 &&
	       memcmp(x + end, y + end, sizeof(*a) - end) == 0;
}

/* Whether a collector's inputs changed in its section's symbols alone
 * (not in the [service] keys every child reads either). */
static bool symbols_only_change(const struct config *old, const struct config *new, const char *name)
{
	const struct config_exchange *a = config_exchange_find(old, name), *b = config_exchange_find(new, name);
	return a && b && hash_service(HASH_FNV1A64_INIT, old) == hash_service(HASH_FNV1A64_INIT, new) &&
	       only_symbols_differ(a, b);
}

bool reload_symbols_live(struct supervisor *s, struct child *c)
{
	const struct status_block *b = supervisor_child_block(s, c);
	/* the collector and the aggregator install their SIGHUP handler before
	 * they report anything but STARTING; before that, SIGHUP would kill them */
	if ((c->role != ROLE_COLLECTOR && c->role != ROLE_AGGREGATOR) || c->state != CHILD_RUN_RUNNING || c->pid <= 0 || !b || b->pid != c->pid ||
	    b->state == CHILD_STARTING)
		return false;
	if (kill(c->pid, SIGHUP) < 0) {
		log_warn("%s: cannot signal the symbol change: %s", c->name, strerror(errno));
		return false;
	}
	s->symbol_changes++;
	return true;
}

/* Apply the new child set; the config it points into is already installed
 * (old: the one it replaces). */
static void reload_apply(struct supervisor *s, const struct config *old, const struct wanted_child *want, size_t n)
{
	int64_t now = clock_monotonic_ns();
	uint32_t stop_ms = s->cfg->restart.stop_timeout_ms;
	/* Removed or changed children first; removal may shift the table. */
	for (size_t i = 0; i < s->child_count;) {
		struct child *c = &s->children[i];
		const struct wanted_child *w = find_wanted(want, n, c->name);
		if (!w || w->role != c->role) {
			if (c->state == CHILD_RUN_STOPPING && c->after_exit == CHILD_AFTER_REMOVE) {
				i++; /* already on its way out */
				continue;
			}
			log_info("%s: no longer configured, stopping it", c->name);
			if (child_stop(c, CHILD_AFTER_REMOVE, stop_ms, now) > 0) {
				memmove(c, c + 1, (s->child_count - i - 1) * sizeof(*c));
				s->child_count--;
				continue;
			}
		} else {
			c->heartbeat_timeout_ms = w->heartbeat_timeout_ms;
			bool live = w->role == ROLE_COLLECTOR ? w->hash != c->config_hash && symbols_only_change(old, s->cfg, c->name)
							      : w->role == ROLE_AGGREGATOR && w->hash == c->config_hash &&
									symbols_hash(old) != symbols_hash(s->cfg);
			if (live && reload_symbols_live(s, c)) {
				c->config_hash = w->hash;
				log_info("%s: symbols changed: told it to take them live", c->name);
			} else if (live && w->role == ROLE_AGGREGATOR && c->state != CHILD_RUN_STOPPED) {
				log_info("%s: symbols changed while it cannot be told: restarting it", c->name);
				child_stop(c, CHILD_AFTER_RESTART, stop_ms, now);
			} else if (w->hash != c->config_hash) {
				c->config_hash = w->hash;
				if (c->state != CHILD_RUN_STOPPED) {
					log_info("%s: configuration changed, restarting it", c->name);
					child_stop(c, CHILD_AFTER_RESTART, stop_ms, now);
				}
			}
		}
		i++;
	}
	for (size_t i = 0; i < n; i++) {
		struct child *c = supervisor_find_child(s, want[i].name);
		if (c && c->after_exit == CHILD_AFTER_REMOVE && c->state == CHILD_RUN_STOPPING) {
			/* Removed and added back in one go: it comes back once stopped. */
			c->after_exit = CHILD_AFTER_RESTART;
			c->config_hash = want[i].hash;
			continue;
		}
		if (c)
			continue;
		log_info("%s: newly configured, starting it", want[i].name);
		if (supervisor_add_child(s, want[i].name, want[i].role, want[i].heartbeat_timeout_ms, want[i].hash) < 0)
			log_err("%s: no room in the child table (max %d)", want[i].name, SUPERVISOR_MAX_CHILDREN);
	}
}

int supervisor_reload(struct supervisor *s, char *err, size_t err_len)
{
	if (s->shutting_down) {
		snprintf(err, err_len, "the service is shutting down");
		return -ESHUTDOWN;
	}
	notify_reloading();
	s->last_reload_ns = clock_monotonic_ns();
	int rc = 0;
	struct bus new_bus;
	char errs[2048] = "";
	struct config *cfg = config_new();
	if (!cfg) {
		snprintf(err, err_len, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	rc = config_load(cfg, s->exec.config_path, NULL, errs, sizeof(errs));
	if (rc != 0) {
		/* Keep the messages on one line: they go into a JSON reply. */
		for (char *p = errs; *p; p++)
			if (*p == '\n')
				*p = ';';
		snprintf(err, err_len, "config has errors, nothing changed: %s", errs);
		rc = rc > 0 ? -EINVAL : rc;
		goto out;
	}
	rc = supervisor_config_check(cfg, err, err_len);
	if (rc == 0)
		rc = reload_check_fixed(s->cfg, cfg, err, err_len);
	if (rc < 0)
		goto out;
	/* bus_create again: new exchanges get their ring and status block;
	 * existing segments are re-attached and validated, never recreated. */
	rc = bus_create(&new_bus, cfg, errs, sizeof(errs));
	if (rc < 0) {
		snprintf(err, err_len, "bus refused the new config, nothing changed: %s", errs);
		goto out;
	}
	bus_close(&s->bus);
	s->bus = new_bus;
	struct config *old = s->cfg;
	s->cfg = cfg;
	cfg = old;
	supervisor_log_init(s->cfg);

	struct wanted_child want[SUPERVISOR_MAX_CHILDREN];
	size_t n = wanted_children(s->cfg, want);
	reload_apply(s, cfg, want, n);
	s->reloads++;
	log_info("reloaded %s: %zu children configured", s->exec.config_path, n);
out:
	if (rc < 0)
		s->reload_failures++;
	config_free(cfg);
	notify_reloaded();
	return rc;
}

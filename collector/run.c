/* Collector setup around the live loop: symbols from the registry, links
 * planned over the symbols, the status block, gap markers, timeouts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/collector.h"
#include "collector/backfill.h"
#include "collector/backfill_resume.h"
#include "collector/instruments_thread.h"
#include "collector/live_symbols.h"
#include "collector/run.h"
#include "common/instrument.h"
#include "shm/bus.h"
#include "shm/registry.h"

/* Seconds a connection attempt may take before it counts as failed. */
#define CONNECT_TIMEOUT_NS (10 * 1000000000LL)
/* How long an unanswered application ping may wait, at most. */
#define PONG_TIMEOUT_MAX_NS (10 * 1000000000LL)

static void link_init(struct collector *c, size_t i, size_t first, size_t count)
{
	struct link *l = &c->links[i];
	memset(l, 0, sizeof(*l));
	l->c = c;
	l->idx = (unsigned)i;
	l->first = first;
	l->count = count;
	l->shown = CONN_IDLE;
	l->sess[0].link = l->sess[1].link = l;
}

int collector_plan_links(struct collector *c, size_t per_conn)
{
	size_t n = c->symbols.count;
	if (per_conn == 0)
		per_conn = 1;
	c->per_conn = per_conn;
	size_t links = n == 0 ? 0 : (n + per_conn - 1) / per_conn;
	if (links > COLLECTOR_MAX_LINKS)
		return -E2BIG;
	/* even shares: the first n % links links take one more symbol */
	size_t first = 0;
	for (size_t i = 0; i < links; i++) {
		link_init(c, i, first, n / links + (i < n % links));
		first += c->links[i].count;
	}
	c->link_count = links;
	return (int)links;
}

int collector_link_add(struct collector *c, size_t first, size_t count, int64_t now)
{
	if (c->link_count >= COLLECTOR_MAX_LINKS)
		return -E2BIG;
	size_t i = c->link_count;
	link_init(c, i, first, count);
	struct link *l = &c->links[i];
	for (int k = 0; k < 2; k++) {
		if (!(l->sess[k].rx = malloc(c->cx->max_frame_bytes ? c->cx->max_frame_bytes : 1))) {
			free(l->sess[0].rx);
			return -ENOMEM;
		}
	}
	l->retry_at_ns = now;
	c->link_count++;
	return 0;
}

void collector_write_gap(struct collector *c, struct link *l, uint32_t reason, int64_t start_ns, int64_t end_ns)
{
	struct tick batch[64];
	size_t count = l ? l->count : 1, n = 0, written = 0;
	for (size_t i = 0; i < count; i++) {
		const struct symmap_entry *e = l ? symmap_at(&c->symbols, l->first + i) : NULL;
		if (e && e->removed) /* a live change took it away: no data expected */
			continue;
		struct tick *t = &batch[n++];
		memset(t, 0, sizeof(*t));
		t->symbol_id = e ? e->id : 0;
		t->exchange_id = c->pipe->exchange_id;
		t->kind = TICK_GAP;
		t->ts_recv_ns = end_ns;
		t->u.gap.ts_start_ns = start_ns;
		t->u.gap.ts_end_ns = end_ns;
		t->u.gap.reason = reason;
		if (n == sizeof(batch) / sizeof(batch[0])) {
			if (c->ring)
				ring_publish(c->ring, batch, n);
			written += n;
			n = 0;
		}
	}
	if (n && c->ring)
		ring_publish(c->ring, batch, n);
	status_add(c->status, SM_GAPS, written + n);
}

static int resolve_settings(struct collector *c, char *err, size_t err_len)
{
	const struct config_exchange *cx = c->cx;
	const char *url = cx->url[0] ? cx->url : c->adapter->default_url;
	struct netaddr_url def;
	char why[128];
	if (netaddr_url_parse(url, &c->url, why, sizeof(why)) < 0) {
		snprintf(err, err_len, "exchange.%s: bad url '%s': %s", c->name, url, why);
		return -EINVAL;
	}
	/* a URL without a path uses the adapter's standard path */
	const char *path = c->url.path;
	if (!path[0]) {
		if (netaddr_url_parse(c->adapter->default_url, &def, why, sizeof(why)) < 0)
			return -EINVAL;
		path = def.path;
	}
	snprintf(c->base_path, sizeof(c->base_path), "%s", path);
	c->dead_peer_ns = (int64_t)cx->dead_peer_timeout_ms * 1000000;
	c->no_data_ns = (int64_t)cx->no_data_timeout_ms * 1000000;
	uint32_t ping_ms = cx->ping_interval_ms ? cx->ping_interval_ms : c->adapter->ping_interval_ms;
	c->ping_ns = (int64_t)ping_ms * 1000000;
	c->pong_timeout_ns = c->ping_ns > 0 && c->ping_ns < PONG_TIMEOUT_MAX_NS ? c->ping_ns : PONG_TIMEOUT_MAX_NS;
	uint32_t life_s = cx->connection_lifetime_s ? cx->connection_lifetime_s : c->adapter->connection_lifetime_s;
	c->lifetime_ns = (int64_t)life_s * 1000000000LL;
	c->connect_timeout_ns = CONNECT_TIMEOUT_NS;
	return 0;
}

int collector_main(struct runtime *rt, const char *name)
{
	char err[512];
	const struct config *cfg = rt->cfg;
	struct bus *bus = &rt->bus;
	struct collector *c = calloc(1, sizeof(*c));
	struct wanted_symbols wanted = { 0 }; /* the section's list, or the supervisor's choice in auto mode */
	size_t symbol_count = 0;
	bool auto_universe = config_universe_auto(cfg);
	int rc = 1;
	if (!c) {
		log_err("%s: out of memory", name);
		return 1;
	}
	c->name = name;
	c->rt = rt;
	c->status = rt->status;
	c->cx = config_exchange_find(cfg, name);
	if (!c->cx) {
		log_err("%s: no [exchange.%s] section in %s", name, name, cfg->path);
		goto out_free;
	}
	c->adapter = adapter_find(c->cx->adapter[0] ? c->cx->adapter : name);
	if (!c->adapter) {
		log_err("%s: unknown adapter '%s'", name, c->cx->adapter);
		goto out_free;
	}
	if (resolve_settings(c, err, sizeof(err)) < 0) {
		log_err("%s", err);
		goto out_free;
	}
	c->ring = bus_ring(bus, name);
	int exchange_id = registry_exchange_id(bus->registry, name);
	if (!c->ring || exchange_id <= 0 || exchange_id > UINT8_MAX) {
		log_err("%s: the bus has no ring or exchange id for this exchange", name);
		goto out_free;
	}
	/* a change requested from here on is applied once the loop runs */
	int wrc = collector_symbols_watch();
	if (wrc < 0) {
		log_err("%s: cannot watch for symbol changes: %s", name, strerror(-wrc));
		goto out_free;
	}
	wrc = collector_wanted_symbols(cfg, c->cx, &wanted, err, sizeof(err));
	if (wrc == -ENOENT) {
		log_info("%s: no universe decided yet: discovering only", name);
	} else if (wrc < 0) {
		log_err("%s: %s", name, err);
		goto out_free;
	}
	symbol_count = wanted.count;
	if (symmap_init(&c->symbols, c->adapter, symbol_count ? symbol_count : 1, false) < 0)
		goto out_free;
	for (size_t i = 0; i < symbol_count; i++) {
		const char *sym = wanted.names[i];
		int id = registry_symbol_id(bus->registry, sym);
		int arc = id > 0 ? symmap_add(&c->symbols, sym, (uint16_t)id) : -ENOENT;
		if (arc < 0) {
			log_err("%s: symbol %s: %s", name, sym,
				id <= 0 ? "not in the registry" : arc == -EEXIST ? "listed twice" : "cannot be named on this exchange");
			goto out_symbols;
		}
	}
	size_t per_conn = c->cx->max_symbols_per_conn ? c->cx->max_symbols_per_conn : c->adapter->max_symbols_per_conn;
	int links = collector_plan_links(c, per_conn);
	/* auto with no universe yet: no links, discovery only */
	if (links < 0 || (links == 0 && !auto_universe)) {
		log_err("%s: %zu symbols need more than %d connections of %zu symbols", name, c->symbols.count,
			COLLECTOR_MAX_LINKS, per_conn);
		goto out_symbols;
	}
	c->pipe = malloc(sizeof(*c->pipe));
	if (!c->pipe)
		goto out_symbols;
	pipeline_init(c->pipe, c->adapter, &c->symbols, (uint8_t)exchange_id, c->cx->max_frame_bytes,
		      (int64_t)c->cx->max_clock_skew_ms * 1000000);
	if (!(c->pipe->validate = validate_new(c->cx->max_price_jump_pct)))
		goto out_links;
	for (size_t i = 0; i < c->link_count; i++)
		for (int k = 0; k < 2; k++)
			if (!(c->links[i].sess[k].rx = malloc(c->cx->max_frame_bytes ? c->cx->max_frame_bytes : 1)))
				goto out_links;
	c->started_ns = c->status->started_ns;
	c->rng = (uint64_t)c->started_ns ^ ((uint64_t)getpid() << 32);
	c->status->conn_count = (uint32_t)c->link_count;
	c->lat_exchange_to_receive = status_histogram_claim(c->status, SH_EXCHANGE_TO_RECEIVE, name);
	c->lat_receive_to_ring = status_histogram_claim(c->status, SH_RECEIVE_TO_RING, name);
	ring_producer_open(c->ring);
	/* Whatever happened before this start is unknown: say so in the ring. */
	collector_write_gap(c, NULL, GAP_COLLECTOR_START, 0, c->started_ns);
	log_info("%s: collecting %zu symbols over %zu connection(s) from %s://%s:%d%s", name, c->symbols.count,
		 c->link_count, c->url.tls ? "wss" : "ws", c->url.host, c->url.port, c->base_path);
	struct instruments_thread discovery = { 0 };
	if (instruments_thread_wanted(cfg, c->cx)) {
		int drc = instruments_thread_start(&discovery, cfg, c->cx, c->adapter->name, c->pipe->validate);
		if (drc < 0)
			log_warn("%s: no instrument discovery: %s", name,
				 drc == -ENOTSUP ? "the adapter has no REST discovery yet" : strerror(-drc));
	}
	if (backfill_wanted(cfg, c->cx, c->adapter->name)) {
		int brc = backfill_start(&c->backfill, cfg, c->cx, c->adapter->name, (uint8_t)exchange_id);
		if (brc < 0)
			log_warn("%s: no trade backfill: %s", name, strerror(-brc));
		else
			backfill_resume_load(c->backfill, &c->symbols, c->ring);
	}
	rc = collector_run_live(c) < 0 ? 1 : c->restart_wanted ? RUNTIME_EXIT_RESTART : 0;
	backfill_stop(c->backfill);
	instruments_thread_stop(&discovery);
out_links:
	for (size_t i = 0; i < c->link_count; i++)
		for (int k = 0; k < 2; k++)
			free(c->links[i].sess[k].rx);
	validate_free(c->pipe->validate);
	free(c->pipe);
out_symbols:
	symmap_free(&c->symbols);
out_free:
	collector_wanted_free(&wanted);
	free(c);
	return rc;
}

/* Prometheus rendering: one HELP/TYPE pair per family, then one sample per
 * child (label exchange= for collectors, child= for the readers), and the
 * latency histograms of the status blocks. Units are the base units:
 * seconds, bytes. */
#include "supervisor/metrics.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "shm/ring.h"
#include "supervisor/observe.h"
#include "supervisor/universe.h"

#define PREFIX "spreadbus_"

/* Which role reports which status metric (the enum is grouped by role);
 * a metric appended later is shown for every child. */
static bool metric_applies(enum status_metric m, enum status_role role)
{
	/* A bridge counts messages, bytes, ticks, duplicates, gaps and
	 * reconnects like a collector, and reads (exports) like a reader. */
	if (m <= SM_HEALTH_SCORE)
		return role == ROLE_COLLECTOR || role == ROLE_BRIDGE;
	if (m <= SM_READ_LAG)
		return role == ROLE_AGGREGATOR || role == ROLE_WRITER || role == ROLE_GATEWAY || role == ROLE_BRIDGE;
	if (m <= SM_CANDLES_LATE)
		return role == ROLE_AGGREGATOR;
	if (m <= SM_DISK_ERRORS)
		return role == ROLE_WRITER;
	if (m == SM_SPREADS_WRITTEN)
		return role == ROLE_AGGREGATOR;
	if (m <= SM_GW_QUEUE_MAX)
		return role == ROLE_GATEWAY;
	if (m <= SM_BACKFILL_REST_ERRORS)
		return role == ROLE_COLLECTOR;
	if (m <= SM_SYMBOLS_REFUSED)
		return role == ROLE_AGGREGATOR;
	if (m <= SM_REJECT_PRICE_JUMP)
		return role == ROLE_COLLECTOR;
	return true;
}

static void family(struct strbuf *b, const char *name, const char *type, const char *help)
{
	strbuf_printf(b, "# HELP " PREFIX "%s %s\n# TYPE " PREFIX "%s %s\n", name, help, name, type);
}

/* Child names match [a-z0-9-]; nothing in them needs escaping. */
static void child_labels(struct strbuf *b, const struct child *c)
{
	if (c->role == ROLE_COLLECTOR)
		strbuf_printf(b, "{exchange=\"%s\"}", c->name);
	else
		strbuf_printf(b, "{child=\"%s\"}", c->name);
}

static void render_status_metrics(struct supervisor *s, struct strbuf *b)
{
	for (int m = 0; m < SM_COUNT; m++) {
		const struct status_metric_info *info = status_metric_info((enum status_metric)m);
		bool any = false;
		for (size_t i = 0; i < s->child_count; i++) {
			const struct child *c = &s->children[i];
			const struct status_block *blk = supervisor_child_block(s, c);
			if (!blk || !metric_applies((enum status_metric)m, c->role))
				continue;
			if (!any)
				family(b, info->name, info->type == SMT_COUNTER ? "counter" : "gauge", info->help);
			any = true;
			uint64_t v = status_get(blk, (enum status_metric)m);
			strbuf_printf(b, PREFIX "%s", info->name);
			child_labels(b, c);
			if (info->scale == 1.0 || info->scale == 0.0)
				strbuf_printf(b, " %llu\n", (unsigned long long)v);
			else
				strbuf_printf(b, " %.9f\n", (double)v * info->scale);
		}
	}
}

void metrics_histogram(struct strbuf *b, const char *name, const char *labels, const struct histogram *h)
{
	struct histogram_snapshot snap;
	histogram_read(h, &snap);
	for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++) {
		strbuf_printf(b, PREFIX "%s_bucket{%s,le=\"", name, labels);
		if (i < HISTOGRAM_BOUNDS)
			strbuf_printf(b, "%g\"} %llu\n", (double)histogram_bound_ns(i) / 1e9,
				      (unsigned long long)snap.cumulative[i]);
		else
			strbuf_printf(b, "+Inf\"} %llu\n", (unsigned long long)snap.cumulative[i]);
	}
	strbuf_printf(b, PREFIX "%s_sum{%s} %.9f\n", name, labels, (double)snap.sum_ns / 1e9);
	strbuf_printf(b, PREFIX "%s_count{%s} %llu\n", name, labels, (unsigned long long)snap.count);
}

/* Every child's histograms of each kind, one family per kind, labelled by
 * the exchange each is about. */
static void render_histograms(struct supervisor *s, struct strbuf *b)
{
	for (int k = SH_NONE + 1; k < SH_KIND_COUNT; k++) {
		const struct status_hist_info *info = status_hist_info((enum status_hist_kind)k);
		bool any = false;
		for (size_t i = 0; i < s->child_count; i++) {
			const struct status_block *blk = supervisor_child_block(s, &s->children[i]);
			for (unsigned j = 0; blk && j < STATUS_MAX_HISTOGRAMS; j++) {
				const char *exchange;
				const struct histogram *h;
				if (status_histogram_at(blk, j, &exchange, &h) != (enum status_hist_kind)k)
					continue;
				if (!any)
					family(b, info->name, "histogram", info->help);
				any = true;
				char labels[STATUS_NAME_MAX + 16];
				snprintf(labels, sizeof(labels), "exchange=\"%.*s\"", STATUS_NAME_MAX - 1, exchange);
				metrics_histogram(b, info->name, labels, h);
			}
		}
	}
}

static const struct status_block *collector_block(struct supervisor *s, const struct child *c)
{
	return c->role == ROLE_COLLECTOR ? supervisor_child_block(s, c) : NULL;
}

/* Collectors' connections: open ones per exchange (the status block's
 * per-link states) and failures per exchange and reason. */
static void render_connection_metrics(struct supervisor *s, struct strbuf *b)
{
	family(b, "exchange_connections_active", "gauge",
	       "Connections to the exchange that are open (subscribing or streaming)");
	for (size_t i = 0; i < s->child_count; i++) {
		const struct child *c = &s->children[i];
		const struct status_block *blk = collector_block(s, c);
		if (!blk)
			continue;
		uint32_t n = __atomic_load_n(&blk->conn_count, __ATOMIC_ACQUIRE), open = 0;
		for (uint32_t k = 0; k < n && k < STATUS_MAX_CONNS; k++) {
			uint8_t st = __atomic_load_n(&blk->conns[k].state, __ATOMIC_ACQUIRE);
			open += st == CONN_SUBSCRIBING || st == CONN_STREAMING;
		}
		strbuf_printf(b, PREFIX "exchange_connections_active{exchange=\"%s\"} %u\n", c->name, open);
	}
	family(b, "connection_errors_total", "counter",
	       "Connections to the exchange that failed or were given up, by reason");
	for (size_t i = 0; i < s->child_count; i++) {
		const struct child *c = &s->children[i];
		const struct status_block *blk = collector_block(s, c);
		for (int e = 0; blk && e < CONN_ERR_COUNT; e++)
			strbuf_printf(b, PREFIX "connection_errors_total{exchange=\"%s\",reason=\"%s\"} %llu\n", c->name,
				      status_conn_error_name((enum conn_error)e),
				      (unsigned long long)status_conn_errors(blk, (enum conn_error)e));
	}
}

/* What one scrape knows of a child: its view and its memory, each read
 * once, so that every family's sample comes from the same reading. */
struct child_sample {
	struct child_view view;
	struct proc_memory mem;
	bool mem_known;
};

/* A family of per-child samples: value() formats the sample for one
 * child, or returns false when the child has none. */
struct child_family {
	const char *name;
	const char *type;
	const char *help;
	bool (*value)(const struct child *c, const struct child_sample *x, char *out, size_t len);
};

static bool value_up(const struct child *c, const struct child_sample *x, char *out, size_t len)
{
	(void)c;
	snprintf(out, len, "%d", x->view.up ? 1 : 0);
	return true;
}

static bool value_held(const struct child *c, const struct child_sample *x, char *out, size_t len)
{
	(void)x;
	snprintf(out, len, "%d", c->state == CHILD_RUN_HELD);
	return true;
}

static bool value_restarts(const struct child *c, const struct child_sample *x, char *out, size_t len)
{
	(void)x;
	snprintf(out, len, "%u", c->restarts);
	return true;
}

static bool value_heartbeat_age(const struct child *c, const struct child_sample *x, char *out, size_t len)
{
	(void)c;
	snprintf(out, len, "%.3f", (double)x->view.heartbeat_age_ms / 1000.0);
	return x->view.heartbeat_age_ms >= 0;
}

static bool value_rss(const struct child *c, const struct child_sample *x, char *out, size_t len)
{
	(void)c;
	snprintf(out, len, "%llu", (unsigned long long)x->mem.rss_bytes);
	return x->mem_known;
}

static bool value_private_memory(const struct child *c, const struct child_sample *x, char *out, size_t len)
{
	(void)c;
	snprintf(out, len, "%llu", (unsigned long long)x->mem.private_bytes);
	return x->mem_known;
}

static bool value_streaming(const struct child *c, const struct child_sample *x, char *out, size_t len)
{
	snprintf(out, len, "%d", x->view.streaming ? 1 : 0);
	return c->role == ROLE_COLLECTOR;
}

static const struct child_family child_families[] = {
	{ "child_up", "gauge", "1 if the child's process runs and its heartbeat is within its timeout, else 0", value_up },
	{ "child_held", "gauge", "1 if the child crashed too often and is held (circuit open), else 0", value_held },
	{ "child_restarts_total", "counter", "Times the supervisor started the child again", value_restarts },
	{ "child_heartbeat_age_seconds", "gauge", "Age of the child's last heartbeat", value_heartbeat_age },
	{ "child_resident_memory_bytes", "gauge", "Resident memory of the child's process, the rings it maps included",
	  value_rss },
	{ "child_private_memory_bytes", "gauge", "Resident memory of the child's process less file and shared pages",
	  value_private_memory },
	{ "exchange_streaming", "gauge", "1 if the collector has a streaming connection with fresh market data, else 0",
	  value_streaming },
};

static void render_child_metrics(struct supervisor *s, struct strbuf *b, int64_t now, int64_t now_real)
{
	struct child_sample samples[SUPERVISOR_MAX_CHILDREN];
	for (size_t i = 0; i < s->child_count; i++) {
		const struct child *c = &s->children[i];
		observe_child(s, c, now, now_real, &samples[i].view);
		samples[i].mem_known = c->pid > 0 && observe_memory(c->pid, &samples[i].mem);
	}
	for (size_t f = 0; f < sizeof(child_families) / sizeof(child_families[0]); f++) {
		const struct child_family *fam = &child_families[f];
		family(b, fam->name, fam->type, fam->help);
		for (size_t i = 0; i < s->child_count; i++) {
			char value[32];
			if (!fam->value(&s->children[i], &samples[i], value, sizeof(value)))
				continue;
			strbuf_printf(b, PREFIX "%s", fam->name);
			child_labels(b, &s->children[i]);
			strbuf_printf(b, " %s\n", value);
		}
	}
}

static void render_ring_metrics(struct supervisor *s, struct strbuf *b)
{
	family(b, "ring_capacity_ticks", "gauge", "Ticks a ring holds");
	for (size_t r = 0; r < s->bus.ring_count; r++)
		strbuf_printf(b, PREFIX "ring_capacity_ticks{exchange=\"%s\"} %llu\n", s->bus.ring_exchange[r],
			      (unsigned long long)ring_capacity(s->bus.rings[r]));
	family(b, "ring_head_ticks_total", "counter", "Ticks ever published to a ring (its head sequence)");
	for (size_t r = 0; r < s->bus.ring_count; r++)
		strbuf_printf(b, PREFIX "ring_head_ticks_total{exchange=\"%s\"} %llu\n", s->bus.ring_exchange[r],
			      (unsigned long long)ring_head(s->bus.rings[r]));
	family(b, "ring_reader_lag_ticks", "gauge", "Ticks published to a ring but not yet read by a reader");
	struct ring_reader_info info[RING_MAX_READERS];
	for (size_t r = 0; r < s->bus.ring_count; r++) {
		uint64_t head = ring_head(s->bus.rings[r]);
		size_t n = ring_readers_info(s->bus.rings[r], info, RING_MAX_READERS);
		for (size_t i = 0; i < n; i++)
			strbuf_printf(b, PREFIX "ring_reader_lag_ticks{exchange=\"%s\",reader=\"%.*s\"} %llu\n",
				      s->bus.ring_exchange[r], RING_READER_NAME_MAX, info[i].name,
				      (unsigned long long)(head > info[i].cursor ? head - info[i].cursor : 0));
	}
	family(b, "ring_reader_lost_ticks_total", "counter", "Ticks a reader lost because it was lapped");
	for (size_t r = 0; r < s->bus.ring_count; r++) {
		size_t n = ring_readers_info(s->bus.rings[r], info, RING_MAX_READERS);
		for (size_t i = 0; i < n; i++)
			strbuf_printf(b, PREFIX "ring_reader_lost_ticks_total{exchange=\"%s\",reader=\"%.*s\"} %llu\n",
				      s->bus.ring_exchange[r], RING_READER_NAME_MAX, info[i].name,
				      (unsigned long long)info[i].lost_total);
	}
}

static void render_supervisor_metrics(struct supervisor *s, struct strbuf *b, int64_t now)
{
	family(b, "uptime_seconds", "gauge", "Time since the supervisor started");
	strbuf_printf(b, PREFIX "uptime_seconds %.3f\n", (double)(now - s->started_mono_ns) / 1e9);
	struct proc_memory mem;
	observe_memory((int)getpid(), &mem);
	family(b, "supervisor_resident_memory_bytes", "gauge",
	       "Resident memory of the supervisor process, the rings it maps included");
	strbuf_printf(b, PREFIX "supervisor_resident_memory_bytes %llu\n", (unsigned long long)mem.rss_bytes);
	family(b, "supervisor_private_memory_bytes", "gauge",
	       "Resident memory of the supervisor process less file and shared pages");
	strbuf_printf(b, PREFIX "supervisor_private_memory_bytes %llu\n", (unsigned long long)mem.private_bytes);
	family(b, "reloads_total", "counter", "Configuration reloads applied");
	strbuf_printf(b, PREFIX "reloads_total %llu\n", (unsigned long long)s->reloads);
	family(b, "reload_failures_total", "counter", "Configuration reloads refused because of errors");
	strbuf_printf(b, PREFIX "reload_failures_total %llu\n", (unsigned long long)s->reload_failures);
	family(b, "reload_triggers_total", "counter", "SIGHUP reload requests, applied or coalesced into one");
	strbuf_printf(b, PREFIX "reload_triggers_total %llu\n", (unsigned long long)s->reload_triggers);
	family(b, "symbol_changes_live_total", "counter", "Children (collectors, the aggregator) told to take changed symbols without a restart");
	strbuf_printf(b, PREFIX "symbol_changes_live_total %llu\n", (unsigned long long)s->symbol_changes);
}

/* docs/universe.md: what each collector streams and what it last reported. */
static void render_universe_metrics(struct supervisor *s, struct strbuf *b, int64_t now_real)
{
	const struct universe *u = s->universe;
	if (!u)
		return;
	family(b, "universe_symbols", "gauge", "Symbols the exchange streams (its share of the universe)");
	for (size_t i = 0; i < u->ex_count; i++)
		strbuf_printf(b, PREFIX "universe_symbols{exchange=\"%s\"} %zu\n", u->ex[i].name,
			      universe_symbol_count(s, u->ex[i].name));
	family(b, "universe_instruments", "gauge", "Instruments in the exchange's last discovery report");
	for (size_t i = 0; i < u->ex_count; i++)
		strbuf_printf(b, PREFIX "universe_instruments{exchange=\"%s\"} %zu\n", u->ex[i].name, u->ex[i].set.count);
	family(b, "universe_report_age_seconds", "gauge", "Age of the exchange's last discovery report read");
	for (size_t i = 0; i < u->ex_count; i++)
		if (u->ex[i].reported_ns)
			strbuf_printf(b, PREFIX "universe_report_age_seconds{exchange=\"%s\"} %.3f\n", u->ex[i].name,
				      (double)(now_real - u->ex[i].reported_ns) / 1e9);
	family(b, "universe_decisions_total", "counter", "Universe selections run on new reports or a reload");
	strbuf_printf(b, PREFIX "universe_decisions_total %llu\n", (unsigned long long)u->computations);
	family(b, "universe_changes_total", "counter", "Selections that changed the universe in use");
	strbuf_printf(b, PREFIX "universe_changes_total %llu\n", (unsigned long long)u->changes);
	family(b, "universe_decision_seconds", "gauge", "Time the last selection took");
	strbuf_printf(b, PREFIX "universe_decision_seconds %.6f\n", u->last_compute_ms / 1e3);
}

void metrics_render(struct supervisor *s, struct strbuf *b)
{
	int64_t now = clock_monotonic_ns(), now_real = clock_realtime_ns();
	render_supervisor_metrics(s, b, now);
	render_child_metrics(s, b, now, now_real);
	render_universe_metrics(s, b, now_real);
	if (s->bus_open) {
		render_status_metrics(s, b);
		render_connection_metrics(s, b);
		render_histograms(s, b);
		render_ring_metrics(s, b);
	}
}

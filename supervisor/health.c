/* Renders /health, /ready and the per-child objects. Every figure is read
 * from the status blocks and ring reader slots, never asked of a child. */
#include "supervisor/health.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "shm/ring.h"
#include "supervisor/observe.h"

char *health_json_begin(struct jsonw *w)
{
	char *buf = malloc(HEALTH_JSON_MAX + 2);
	if (buf)
		jsonw_init(w, buf, HEALTH_JSON_MAX);
	return buf;
}

int health_json_end(struct jsonw *w, size_t *len)
{
	int rc = jsonw_finish(w, len);
	if (rc < 0)
		return rc;
	w->buf[(*len)++] = '\n';
	w->buf[*len] = '\0';
	return 0;
}

/* Numbers that are unknown as negative values are written as null. */
static void kv_int_or_null(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	if (v < 0)
		jsonw_null(w);
	else
		jsonw_int64(w, v);
}

/* Seconds with one decimal: enough for people, short for scripts. */
static double tenths(int64_t ms)
{
	return (double)(ms / 100) / 10.0;
}

void health_render_child(struct jsonw *w, struct supervisor *s, const struct child *c, int64_t now,
			 int64_t now_real)
{
	struct child_view v;
	observe_child(s, c, now, now_real, &v);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "name", c->name);
	jsonw_kv_string(w, "role", status_role_name(c->role));
	jsonw_kv_string(w, "state", child_state_name(c->state));
	kv_int_or_null(w, "pid", c->pid > 0 ? c->pid : -1);
	jsonw_key(w, "uptime_s");
	if (c->pid > 0)
		jsonw_double(w, tenths(v.uptime_ms));
	else
		jsonw_null(w);
	struct proc_memory mem;
	if (c->pid > 0 && observe_memory(c->pid, &mem)) {
		jsonw_kv_uint64(w, "rss_bytes", mem.rss_bytes);
		jsonw_kv_uint64(w, "private_bytes", mem.private_bytes);
	}
	jsonw_kv_uint64(w, "restarts", c->restarts);
	jsonw_kv_string(w, "last_exit", c->last_exit);
	kv_int_or_null(w, "heartbeat_age_ms", v.heartbeat_age_ms);
	kv_int_or_null(w, "ring_lag", v.ring_lag);
	if (c->state == CHILD_RUN_BACKOFF || c->state == CHILD_RUN_HELD) {
		int64_t in_ms = (c->next_start_ns - now) / 1000000;
		jsonw_kv_double(w, "retry_in_s", tenths(in_ms > 0 ? in_ms : 0));
	}
	if (v.block && v.heartbeat_age_ms >= 0) {
		jsonw_kv_string(w, "reported_state",
				status_child_state_name(__atomic_load_n(&v.block->state, __ATOMIC_RELAXED)));
		char detail[STATUS_DETAIL_MAX];
		for (size_t i = 0; i < sizeof(detail); i++)
			detail[i] = __atomic_load_n(&v.block->detail[i], __ATOMIC_RELAXED);
		detail[sizeof(detail) - 1] = '\0';
		jsonw_kv_string(w, "detail", detail);
	}
	jsonw_object_end(w);
}

static void render_exchange(struct jsonw *w, struct supervisor *s, const struct child *c, int64_t now,
			    int64_t now_real)
{
	struct child_view v;
	observe_child(s, c, now, now_real, &v);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "name", c->name);
	jsonw_kv_bool(w, "streaming", v.streaming);
	jsonw_key(w, "connections");
	jsonw_array_begin(w);
	uint32_t conns = v.block ? __atomic_load_n(&v.block->conn_count, __ATOMIC_RELAXED) : 0;
	for (uint32_t i = 0; i < conns && i < STATUS_MAX_CONNS; i++)
		jsonw_string(w, status_conn_state_name(__atomic_load_n(&v.block->conns[i].state, __ATOMIC_RELAXED)));
	jsonw_array_end(w);
	jsonw_kv_double(w, "message_rate", (double)(int64_t)(c->message_rate * 10.0) / 10.0);
	kv_int_or_null(w, "last_message_age_ms", v.last_message_age_ms);
	if (v.block) {
		jsonw_kv_uint64(w, "health_score", status_get(v.block, SM_HEALTH_SCORE));
		jsonw_kv_uint64(w, "messages_total", status_get(v.block, SM_MESSAGES));
		jsonw_kv_uint64(w, "reconnects_total", status_get(v.block, SM_RECONNECTS));
	}
	jsonw_object_end(w);
}

static void render_rings(struct jsonw *w, struct supervisor *s)
{
	jsonw_key(w, "rings");
	jsonw_array_begin(w);
	for (size_t r = 0; s->bus_open && r < s->bus.ring_count; r++) {
		const struct ring *ring = s->bus.rings[r];
		uint64_t head = ring_head(ring);
		jsonw_object_begin(w);
		jsonw_kv_string(w, "exchange", s->bus.ring_exchange[r]);
		jsonw_kv_uint64(w, "head", head);
		jsonw_kv_uint64(w, "capacity", ring_capacity(ring));
		jsonw_key(w, "readers");
		jsonw_array_begin(w);
		struct ring_reader_info info[RING_MAX_READERS];
		size_t n = ring_readers_info(ring, info, RING_MAX_READERS);
		for (size_t i = 0; i < n; i++) {
			jsonw_object_begin(w);
			jsonw_key(w, "name");
			jsonw_string_n(w, info[i].name, strnlen(info[i].name, RING_READER_NAME_MAX));
			jsonw_kv_uint64(w, "cursor", info[i].cursor);
			jsonw_kv_uint64(w, "lag", head > info[i].cursor ? head - info[i].cursor : 0);
			jsonw_kv_uint64(w, "lost_total", info[i].lost_total);
			jsonw_object_end(w);
		}
		jsonw_array_end(w);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

static const struct status_block *role_block(struct supervisor *s, enum status_role role, const struct child **out)
{
	for (size_t i = 0; i < s->child_count; i++) {
		if (s->children[i].role == role) {
			*out = &s->children[i];
			return supervisor_child_block(s, &s->children[i]);
		}
	}
	*out = NULL;
	return NULL;
}

static void kv_metric(struct jsonw *w, const char *key, const struct status_block *b, enum status_metric m)
{
	jsonw_kv_uint64(w, key, status_get(b, m));
}

static void render_redis(struct jsonw *w, struct supervisor *s)
{
	const struct child *agg;
	const struct status_block *blk = role_block(s, ROLE_AGGREGATOR, &agg);
	jsonw_key(w, "redis");
	jsonw_object_begin(w);
	jsonw_kv_bool(w, "enabled", s->cfg->redis.enabled);
	jsonw_key(w, "up");
	if (blk && agg && agg->pid > 0)
		jsonw_bool(w, status_get(blk, SM_REDIS_UP) != 0);
	else
		jsonw_null(w);
	if (blk) {
		kv_metric(w, "published_total", blk, SM_PUBLISHED);
		kv_metric(w, "dropped_total", blk, SM_PUBLISH_DROPPED);
		kv_metric(w, "errors_total", blk, SM_REDIS_ERRORS);
	}
	jsonw_object_end(w);
}

/* The aggregator's rolling windows against their memory cap. */
static void render_windows(struct jsonw *w, struct supervisor *s)
{
	const struct child *agg;
	const struct status_block *blk = role_block(s, ROLE_AGGREGATOR, &agg);
	jsonw_key(w, "windows");
	jsonw_object_begin(w);
	if (blk) {
		kv_metric(w, "memory_bytes", blk, SM_WINDOW_MEMORY);
		kv_metric(w, "memory_max_bytes", blk, SM_WINDOW_MEMORY_MAX);
		kv_metric(w, "refused_total", blk, SM_WINDOW_REFUSED);
		kv_metric(w, "symbols", blk, SM_AGG_SYMBOLS);
		kv_metric(w, "symbols_refused", blk, SM_SYMBOLS_REFUSED);
	}
	jsonw_object_end(w);
}

static void render_writer(struct jsonw *w, struct supervisor *s)
{
	const struct child *wr;
	const struct status_block *blk = role_block(s, ROLE_WRITER, &wr);
	jsonw_key(w, "writer");
	jsonw_object_begin(w);
	jsonw_kv_bool(w, "enabled", s->cfg->writer.enabled);
	if (wr)
		jsonw_kv_string(w, "state", child_state_name(wr->state));
	if (blk && wr && wr->pid > 0)
		jsonw_kv_string(w, "reported_state", status_child_state_name(__atomic_load_n(&blk->state, __ATOMIC_RELAXED)));
	if (blk) {
		kv_metric(w, "rows_written_total", blk, SM_ROWS_WRITTEN);
		kv_metric(w, "files_written_total", blk, SM_FILES_WRITTEN);
		kv_metric(w, "bytes_written_total", blk, SM_BYTES_WRITTEN);
		kv_metric(w, "journal_bytes", blk, SM_JOURNAL_BYTES);
		kv_metric(w, "disk_errors_total", blk, SM_DISK_ERRORS);
	}
	jsonw_object_end(w);
}

static void render_gateway(struct jsonw *w, struct supervisor *s)
{
	const struct child *gw;
	const struct status_block *blk = role_block(s, ROLE_GATEWAY, &gw);
	jsonw_key(w, "gateway");
	jsonw_object_begin(w);
	jsonw_kv_bool(w, "enabled", s->cfg->gateway.enabled);
	jsonw_kv_string(w, "listen", s->cfg->gateway.listen);
	if (gw)
		jsonw_kv_string(w, "state", child_state_name(gw->state));
	if (blk && gw && gw->pid > 0) {
		jsonw_kv_string(w, "reported_state", status_child_state_name(__atomic_load_n(&blk->state, __ATOMIC_RELAXED)));
		kv_metric(w, "clients", blk, SM_GW_CLIENTS);
		kv_metric(w, "client_queue_max", blk, SM_GW_QUEUE_MAX);
		kv_metric(w, "read_lag", blk, SM_READ_LAG);
		kv_metric(w, "messages_sent_total", blk, SM_GW_MESSAGES_SENT);
		kv_metric(w, "conflated_total", blk, SM_GW_CONFLATED);
		kv_metric(w, "dropped_slow_total", blk, SM_GW_DROPPED_SLOW);
		kv_metric(w, "dropped_ping_timeout_total", blk, SM_GW_DROPPED_PING);
		if (blk->detail[0])
			jsonw_kv_string(w, "detail", blk->detail);
	}
	jsonw_object_end(w);
}

/* Why the service is not ready; none = ready. */
struct ready_reasons {
	int n;
	char text[4][64];
};

static void ready_reasons(struct supervisor *s, int64_t now, int64_t now_real, struct ready_reasons *r)
{
	struct service_view v;
	observe_service(s, now, now_real, &v);
	r->n = 0;
	if (s->shutting_down)
		snprintf(r->text[r->n++], sizeof(r->text[0]), "shutting down");
	if (v.streaming == 0)
		snprintf(r->text[r->n++], sizeof(r->text[0]), "no exchange is streaming (0/%u)", v.collectors);
	if (!v.aggregator_running)
		snprintf(r->text[r->n++], sizeof(r->text[0]), "aggregator is not running");
	if (v.writer_wanted && !v.writer_running)
		snprintf(r->text[r->n++], sizeof(r->text[0]), "writer is not running");
}

static void kv_reasons(struct jsonw *w, const struct ready_reasons *r)
{
	jsonw_key(w, "reasons");
	jsonw_array_begin(w);
	for (int i = 0; i < r->n; i++)
		jsonw_string(w, r->text[i]);
	jsonw_array_end(w);
}

/* What is wrong in a service that may still be ready: a child not
 * running or not heartbeating, a collector running but not streaming. */
struct problems {
	int n;
	char text[SUPERVISOR_MAX_CHILDREN][64];
};

static void find_problems(struct supervisor *s, int64_t now, int64_t now_real, struct problems *p)
{
	p->n = 0;
	for (size_t i = 0; i < s->child_count; i++) {
		const struct child *c = &s->children[i];
		struct child_view v;
		observe_child(s, c, now, now_real, &v);
		if (c->state != CHILD_RUN_RUNNING)
			snprintf(p->text[p->n++], sizeof(p->text[0]), "%s is %s", c->name, child_state_name(c->state));
		else if (!v.up)
			snprintf(p->text[p->n++], sizeof(p->text[0]), "%s has no fresh heartbeat", c->name);
		else if (c->role == ROLE_COLLECTOR && !v.streaming)
			snprintf(p->text[p->n++], sizeof(p->text[0]), "%s is not streaming", c->name);
	}
}

bool health_render_ready(struct supervisor *s, struct jsonw *w)
{
	struct ready_reasons r;
	ready_reasons(s, clock_monotonic_ns(), clock_realtime_ns(), &r);
	jsonw_object_begin(w);
	jsonw_kv_bool(w, "ready", r.n == 0);
	kv_reasons(w, &r);
	jsonw_object_end(w);
	return r.n == 0;
}

void health_render(struct supervisor *s, struct jsonw *w)
{
	int64_t now = clock_monotonic_ns(), now_real = clock_realtime_ns();
	struct ready_reasons r;
	ready_reasons(s, now, now_real, &r);

	struct problems p;
	find_problems(s, now, now_real, &p);

	jsonw_object_begin(w);
	jsonw_kv_string(w, "status", r.n ? "down" : p.n ? "degraded" : "ok");
	kv_reasons(w, &r);
	jsonw_key(w, "problems");
	jsonw_array_begin(w);
	for (int i = 0; i < p.n; i++)
		jsonw_string(w, p.text[i]);
	jsonw_array_end(w);
	jsonw_kv_string(w, "instance", s->cfg->instance);
	jsonw_kv_double(w, "uptime_s", tenths((now - s->started_mono_ns) / 1000000));
	jsonw_key(w, "supervisor");
	jsonw_object_begin(w);
	jsonw_kv_int64(w, "pid", getpid());
	struct proc_memory mem;
	observe_memory((int)getpid(), &mem);
	jsonw_kv_uint64(w, "rss_bytes", mem.rss_bytes);
	jsonw_kv_uint64(w, "private_bytes", mem.private_bytes);
	jsonw_kv_uint64(w, "reloads", s->reloads);
	jsonw_kv_uint64(w, "reload_failures", s->reload_failures);
	jsonw_object_end(w);
	jsonw_key(w, "children");
	jsonw_array_begin(w);
	for (size_t i = 0; i < s->child_count; i++)
		health_render_child(w, s, &s->children[i], now, now_real);
	jsonw_array_end(w);
	jsonw_key(w, "exchanges");
	jsonw_array_begin(w);
	for (size_t i = 0; i < s->child_count; i++)
		if (s->children[i].role == ROLE_COLLECTOR)
			render_exchange(w, s, &s->children[i], now, now_real);
	jsonw_array_end(w);
	render_rings(w, s);
	render_redis(w, s);
	render_windows(w, s);
	render_writer(w, s);
	render_gateway(w, s);
	jsonw_object_end(w);
}

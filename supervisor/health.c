/* Renders /health and /ready. Every figure is read from the status blocks
 * and ring reader slots, never asked of a child. */
#include "supervisor/health.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "shm/ring.h"
#include "supervisor/observe.h"

void health_render_child(struct strbuf *b, struct supervisor *s, const struct child *c, int64_t now,
			 int64_t now_real)
{
	struct child_view v;
	observe_child(s, c, now, now_real, &v);
	strbuf_printf(b, "{\"name\":");
	strbuf_json_string(b, c->name);
	strbuf_printf(b, ",\"role\":\"%s\",\"state\":\"%s\"", child_role_name(c->role), child_state_name(c->state));
	if (c->pid > 0)
		strbuf_printf(b, ",\"pid\":%d,\"uptime_s\":%.1f", (int)c->pid, (double)v.uptime_ms / 1000.0);
	else
		strbuf_printf(b, ",\"pid\":null,\"uptime_s\":null");
	if (c->pid > 0)
		strbuf_printf(b, ",\"rss_bytes\":%llu", (unsigned long long)observe_rss_bytes(c->pid));
	strbuf_printf(b, ",\"restarts\":%u,\"last_exit\":", c->restarts);
	strbuf_json_string(b, c->last_exit);
	if (v.heartbeat_age_ms >= 0)
		strbuf_printf(b, ",\"heartbeat_age_ms\":%lld", (long long)v.heartbeat_age_ms);
	else
		strbuf_printf(b, ",\"heartbeat_age_ms\":null");
	if (v.ring_lag >= 0)
		strbuf_printf(b, ",\"ring_lag\":%lld", (long long)v.ring_lag);
	else
		strbuf_printf(b, ",\"ring_lag\":null");
	if (c->state == CHILD_RUN_BACKOFF || c->state == CHILD_RUN_HELD) {
		int64_t in_ms = (c->next_start_ns - now) / 1000000;
		strbuf_printf(b, ",\"retry_in_s\":%.1f", in_ms > 0 ? (double)in_ms / 1000.0 : 0.0);
	}
	if (v.block && v.heartbeat_age_ms >= 0) {
		strbuf_printf(b, ",\"reported_state\":\"%s\",\"detail\":",
			      observe_child_state_name(__atomic_load_n(&v.block->state, __ATOMIC_RELAXED)));
		char detail[STATUS_DETAIL_MAX];
		memcpy(detail, v.block->detail, sizeof(detail));
		detail[sizeof(detail) - 1] = '\0';
		strbuf_json_string(b, detail);
	}
	strbuf_printf(b, "}");
}

static void render_exchange(struct strbuf *b, struct supervisor *s, const struct child *c, int64_t now,
			    int64_t now_real)
{
	struct child_view v;
	observe_child(s, c, now, now_real, &v);
	strbuf_printf(b, "{\"name\":");
	strbuf_json_string(b, c->name);
	strbuf_printf(b, ",\"streaming\":%s,\"connections\":[", v.streaming ? "true" : "false");
	uint32_t conns = v.block ? __atomic_load_n(&v.block->conn_count, __ATOMIC_RELAXED) : 0;
	for (uint32_t i = 0; i < conns && i < STATUS_MAX_CONNS; i++)
		strbuf_printf(b, "%s\"%s\"", i ? "," : "",
			      observe_conn_state_name(__atomic_load_n(&v.block->conns[i].state, __ATOMIC_RELAXED)));
	strbuf_printf(b, "],\"message_rate\":%.1f", c->message_rate);
	if (v.last_message_age_ms >= 0)
		strbuf_printf(b, ",\"last_message_age_ms\":%lld", (long long)v.last_message_age_ms);
	else
		strbuf_printf(b, ",\"last_message_age_ms\":null");
	if (v.block)
		strbuf_printf(b, ",\"health_score\":%llu,\"messages_total\":%llu,\"reconnects_total\":%llu}",
			      (unsigned long long)status_get(v.block, SM_HEALTH_SCORE),
			      (unsigned long long)status_get(v.block, SM_MESSAGES),
			      (unsigned long long)status_get(v.block, SM_RECONNECTS));
	else
		strbuf_printf(b, ",\"health_score\":null}");
}

static void render_rings(struct strbuf *b, struct supervisor *s)
{
	strbuf_printf(b, "\"rings\":[");
	for (size_t r = 0; r < s->bus.ring_count; r++) {
		const struct ring *ring = s->bus.rings[r];
		uint64_t head = ring_head(ring);
		strbuf_printf(b, "%s{\"exchange\":", r ? "," : "");
		strbuf_json_string(b, s->bus.ring_exchange[r]);
		strbuf_printf(b, ",\"head\":%llu,\"capacity\":%llu,\"readers\":[", (unsigned long long)head,
			      (unsigned long long)ring_capacity(ring));
		struct ring_reader_info info[RING_MAX_READERS];
		size_t n = ring_readers_info(ring, info, RING_MAX_READERS);
		for (size_t i = 0; i < n; i++) {
			char name[RING_READER_NAME_MAX + 1];
			memcpy(name, info[i].name, RING_READER_NAME_MAX);
			name[RING_READER_NAME_MAX] = '\0';
			strbuf_printf(b, "%s{\"name\":", i ? "," : "");
			strbuf_json_string(b, name);
			strbuf_printf(b, ",\"cursor\":%llu,\"lag\":%llu,\"lost_total\":%llu}",
				      (unsigned long long)info[i].cursor,
				      (unsigned long long)(head > info[i].cursor ? head - info[i].cursor : 0),
				      (unsigned long long)info[i].lost_total);
		}
		strbuf_printf(b, "]}");
	}
	strbuf_printf(b, "]");
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

static void render_redis(struct strbuf *b, struct supervisor *s)
{
	const struct child *agg;
	const struct status_block *blk = role_block(s, ROLE_AGGREGATOR, &agg);
	strbuf_printf(b, "\"redis\":{\"enabled\":%s", s->cfg->redis.enabled ? "true" : "false");
	if (blk && agg && agg->pid > 0)
		strbuf_printf(b, ",\"up\":%s", status_get(blk, SM_REDIS_UP) ? "true" : "false");
	else
		strbuf_printf(b, ",\"up\":null");
	if (blk)
		strbuf_printf(b, ",\"published_total\":%llu,\"dropped_total\":%llu,\"errors_total\":%llu",
			      (unsigned long long)status_get(blk, SM_PUBLISHED),
			      (unsigned long long)status_get(blk, SM_PUBLISH_DROPPED),
			      (unsigned long long)status_get(blk, SM_REDIS_ERRORS));
	strbuf_printf(b, "}");
}

static void render_writer(struct strbuf *b, struct supervisor *s)
{
	const struct child *w;
	const struct status_block *blk = role_block(s, ROLE_WRITER, &w);
	strbuf_printf(b, "\"writer\":{\"enabled\":%s", s->cfg->writer.enabled ? "true" : "false");
	if (w)
		strbuf_printf(b, ",\"state\":\"%s\"", child_state_name(w->state));
	if (blk && w && w->pid > 0)
		strbuf_printf(b, ",\"reported_state\":\"%s\"",
			      observe_child_state_name(__atomic_load_n(&blk->state, __ATOMIC_RELAXED)));
	if (blk)
		strbuf_printf(b,
			      ",\"rows_written_total\":%llu,\"files_written_total\":%llu,\"bytes_written_total\":%llu,"
			      "\"journal_bytes\":%llu,\"disk_errors_total\":%llu",
			      (unsigned long long)status_get(blk, SM_ROWS_WRITTEN),
			      (unsigned long long)status_get(blk, SM_FILES_WRITTEN),
			      (unsigned long long)status_get(blk, SM_BYTES_WRITTEN),
			      (unsigned long long)status_get(blk, SM_JOURNAL_BYTES),
			      (unsigned long long)status_get(blk, SM_DISK_ERRORS));
	strbuf_printf(b, "}");
}

/* Collects why the service is not ready; returns the number of reasons. */
static int ready_reasons(struct supervisor *s, struct strbuf *b, int64_t now, int64_t now_real)
{
	struct service_view v;
	observe_service(s, now, now_real, &v);
	int n = 0;
	if (s->shutting_down) {
		strbuf_printf(b, "%s\"shutting down\"", n++ ? "," : "");
	}
	if (v.streaming == 0)
		strbuf_printf(b, "%s\"no exchange is streaming (0/%u)\"", n++ ? "," : "", v.collectors);
	if (!v.aggregator_running)
		strbuf_printf(b, "%s\"aggregator is not running\"", n++ ? "," : "");
	if (v.writer_wanted && !v.writer_running)
		strbuf_printf(b, "%s\"writer is not running\"", n++ ? "," : "");
	return n;
}

bool health_render_ready(struct supervisor *s, struct strbuf *b)
{
	int64_t now = clock_monotonic_ns(), now_real = clock_realtime_ns();
	struct strbuf reasons;
	strbuf_init(&reasons);
	int n = ready_reasons(s, &reasons, now, now_real);
	strbuf_printf(b, "{\"ready\":%s,\"reasons\":[%s]}\n", n ? "false" : "true", reasons.data ? reasons.data : "");
	strbuf_free(&reasons);
	return n == 0;
}

void health_render(struct supervisor *s, struct strbuf *b)
{
	int64_t now = clock_monotonic_ns(), now_real = clock_realtime_ns();
	struct strbuf reasons;
	strbuf_init(&reasons);
	int not_ready = ready_reasons(s, &reasons, now, now_real);
	bool all_running = true;
	for (size_t i = 0; i < s->child_count; i++)
		if (s->children[i].state != CHILD_RUN_RUNNING)
			all_running = false;
	const char *status = not_ready ? "down" : all_running ? "ok" : "degraded";
	strbuf_printf(b, "{\"status\":\"%s\",\"reasons\":[%s],\"instance\":", status, reasons.data ? reasons.data : "");
	strbuf_free(&reasons);
	strbuf_json_string(b, s->cfg->instance);
	strbuf_printf(b, ",\"uptime_s\":%.1f,\"supervisor\":{\"pid\":%d,\"rss_bytes\":%llu,\"reloads\":%llu,"
			 "\"reload_failures\":%llu},\"children\":[",
		      (double)(now - s->started_mono_ns) / 1e9, (int)getpid(),
		      (unsigned long long)observe_rss_bytes((int)getpid()), (unsigned long long)s->reloads,
		      (unsigned long long)s->reload_failures);
	for (size_t i = 0; i < s->child_count; i++) {
		strbuf_printf(b, "%s", i ? "," : "");
		health_render_child(b, s, &s->children[i], now, now_real);
	}
	strbuf_printf(b, "],\"exchanges\":[");
	int k = 0;
	for (size_t i = 0; i < s->child_count; i++) {
		if (s->children[i].role != ROLE_COLLECTOR)
			continue;
		strbuf_printf(b, "%s", k++ ? "," : "");
		render_exchange(b, s, &s->children[i], now, now_real);
	}
	strbuf_printf(b, "],");
	render_rings(b, s);
	strbuf_printf(b, ",");
	render_redis(b, s);
	strbuf_printf(b, ",");
	render_writer(b, s);
	strbuf_printf(b, "}\n");
}

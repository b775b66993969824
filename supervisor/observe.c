/* Reads the shared-memory status blocks and ring reader slots into plain
 * views. Read-only: the children own what they write there. */
#include "supervisor/observe.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shm/ring.h"

bool observe_memory(int pid, struct proc_memory *out)
{
	char path[64], buf[128];
	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	unsigned long long size_pages, resident_pages, shared_pages;
	if (sscanf(buf, "%llu %llu %llu", &size_pages, &resident_pages, &shared_pages) != 3)
		return false;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	out->rss_bytes = resident_pages * page;
	out->private_bytes = resident_pages > shared_pages ? (resident_pages - shared_pages) * page : 0;
	return true;
}

static int64_t ring_lag_of_reader(struct supervisor *s, const char *reader)
{
	int64_t lag = 0;
	struct ring_reader_info info[RING_MAX_READERS];
	for (size_t r = 0; r < s->bus.ring_count; r++) {
		uint64_t head = ring_head(s->bus.rings[r]);
		size_t n = ring_readers_info(s->bus.rings[r], info, RING_MAX_READERS);
		for (size_t i = 0; i < n; i++)
			if (strcmp(info[i].name, reader) == 0 && head > info[i].cursor)
				lag += (int64_t)(head - info[i].cursor);
	}
	return lag;
}

static int64_t ring_worst_lag(struct supervisor *s, const char *exchange)
{
	struct ring *ring = bus_ring(&s->bus, exchange);
	if (!ring)
		return -1;
	struct ring_reader_info info[RING_MAX_READERS];
	uint64_t head = ring_head(ring);
	size_t n = ring_readers_info(ring, info, RING_MAX_READERS);
	int64_t worst = 0;
	for (size_t i = 0; i < n; i++)
		if (head > info[i].cursor && (int64_t)(head - info[i].cursor) > worst)
			worst = (int64_t)(head - info[i].cursor);
	return worst;
}

void observe_child(struct supervisor *s, const struct child *c, int64_t now_mono_ns, int64_t now_real_ns,
		   struct child_view *v)
{
	memset(v, 0, sizeof(*v));
	v->child = c;
	v->block = supervisor_child_block(s, c);
	v->heartbeat_age_ms = child_heartbeat_age_ms(c, v->block, now_real_ns);
	v->uptime_ms = c->pid > 0 ? (now_mono_ns - c->started_mono_ns) / 1000000 : 0;
	v->up = c->state == CHILD_RUN_RUNNING && v->heartbeat_age_ms >= 0 &&
		v->heartbeat_age_ms <= (int64_t)c->heartbeat_timeout_ms;
	v->last_message_age_ms = -1;
	v->ring_lag = -1;
	if (!s->bus_open)
		return;
	if (c->role != ROLE_COLLECTOR) {
		v->ring_lag = ring_lag_of_reader(s, c->name);
		return;
	}
	v->ring_lag = ring_worst_lag(s, c->name);
	if (!v->block)
		return;
	int64_t last_ns = (int64_t)status_get(v->block, SM_LAST_MESSAGE_NS);
	if (last_ns > 0)
		v->last_message_age_ms = now_real_ns > last_ns ? (now_real_ns - last_ns) / 1000000 : 0;
	uint32_t conns = __atomic_load_n(&v->block->conn_count, __ATOMIC_RELAXED);
	for (uint32_t i = 0; i < conns && i < STATUS_MAX_CONNS; i++)
		if (__atomic_load_n(&v->block->conns[i].state, __ATOMIC_RELAXED) == CONN_STREAMING)
			v->streaming_conns++;
	/* Streaming = a live process, a streaming connection and market data
	 * younger than the exchange's own stall limit, received by this very
	 * process: the block keeps a dead predecessor's last figures. */
	const struct config_exchange *ex = config_exchange_find(s->cfg, c->name);
	int64_t fresh_ms = ex ? ex->no_data_timeout_ms : 30000;
	v->streaming = v->up && v->streaming_conns > 0 && last_ns >= c->started_real_ns &&
		       v->last_message_age_ms <= fresh_ms;
}

void observe_service(struct supervisor *s, int64_t now_mono_ns, int64_t now_real_ns, struct service_view *v)
{
	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < s->child_count; i++) {
		const struct child *c = &s->children[i];
		struct child_view cv;
		observe_child(s, c, now_mono_ns, now_real_ns, &cv);
		switch (c->role) {
		case ROLE_COLLECTOR:
			v->collectors++;
			v->streaming += cv.streaming;
			break;
		case ROLE_AGGREGATOR:
			v->aggregator_running = cv.up;
			break;
		case ROLE_WRITER:
			v->writer_wanted = true;
			v->writer_running = cv.up;
			break;
		case ROLE_BRIDGE: {
			/* An importing bridge is a centre's source of ticks: it
			 * streams while it runs undegraded. */
			const struct config_bridge *b = config_bridge_find(s->cfg, c->name + strlen("bridge."));
			if (b && strcmp(b->mode, "import") == 0) {
				v->collectors++;
				v->streaming += cv.up && cv.block && cv.block->state == CHILD_RUNNING;
			}
			break;
		}
		case ROLE_GATEWAY:
			break;
		}
	}
}

void observe_update_rates(struct supervisor *s, int64_t now_mono_ns)
{
	for (size_t i = 0; i < s->child_count; i++) {
		struct child *c = &s->children[i];
		const struct status_block *b = supervisor_child_block(s, c);
		if (c->role != ROLE_COLLECTOR || !b || now_mono_ns - c->rate_at_ns < 1000000000LL)
			continue;
		uint64_t msgs = status_get(b, SM_MESSAGES);
		/* A restarted child may start its counters again from zero. */
		uint64_t delta = msgs >= c->rate_messages ? msgs - c->rate_messages : msgs;
		if (c->rate_at_ns > 0)
			c->message_rate = (double)delta * 1e9 / (double)(now_mono_ns - c->rate_at_ns);
		c->rate_messages = msgs;
		c->rate_at_ns = now_mono_ns;
	}
}

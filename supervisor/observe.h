/* What the status blocks and rings say about each child, computed the same
 * way for spreadctl status, STATUS=, /health, /ready and /metrics. */
#ifndef SPREADBUS_SUPERVISOR_OBSERVE_H
#define SPREADBUS_SUPERVISOR_OBSERVE_H

#include <stdbool.h>
#include <stdint.h>

#include "supervisor/supervisor.h"

struct child_view {
	const struct child *child;
	const struct status_block *block; /* NULL if none */
	int64_t heartbeat_age_ms;         /* -1 = none yet from this process */
	int64_t uptime_ms;                /* 0 when not running */
	int64_t last_message_age_ms;      /* collectors: -1 = never */
	uint32_t streaming_conns;         /* collectors: connections in CONN_STREAMING */
	bool up;                          /* running, with a heartbeat from this process within its timeout */
	bool streaming;                   /* collectors: up, a streaming connection and a fresh last message */
	int64_t ring_lag;                 /* collectors: worst reader lag on its ring; readers: sum over rings; -1 = unknown */
};

void observe_child(struct supervisor *s, const struct child *c, int64_t now_mono_ns, int64_t now_real_ns,
		   struct child_view *v);

/* Refresh each collector's message rate (call every tick; samples once a second). */
void observe_update_rates(struct supervisor *s, int64_t now_mono_ns);

/* Memory of a process from /proc/<pid>/statm: resident in all, and its
 * private part (resident less file and shared-memory pages: the rings are
 * shared memory, counted in the resident memory of every process that maps
 * them). False (and zeros) if the process is gone. */
struct proc_memory {
	uint64_t rss_bytes;
	uint64_t private_bytes;
};
bool observe_memory(int pid, struct proc_memory *out);

/* Counts for STATUS= and /ready. */
struct service_view {
	unsigned collectors;           /* wanted collectors, and importing bridges */
	unsigned streaming;            /* of them streaming (a bridge: running, not degraded) */
	bool aggregator_running;       /* a process with a heartbeat */
	bool writer_wanted;
	bool writer_running;
};
void observe_service(struct supervisor *s, int64_t now_mono_ns, int64_t now_real_ns, struct service_view *v);

#endif

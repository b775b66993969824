/* The supervisor's state: the config, the bus it created, the child table,
 * the event sources. One instance per process; the loop, the control
 * socket, reload and the HTTP endpoints all work on it. */
#ifndef SPREADBUS_SUPERVISOR_SUPERVISOR_H
#define SPREADBUS_SUPERVISOR_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "shm/bus.h"
#include "supervisor/child.h"
#include "supervisor/event.h"
#include "supervisor/netserver.h"

#define SUPERVISOR_MAX_CHILDREN (CONFIG_MAX_EXCHANGES + 3 + CONFIG_MAX_BRIDGES)
#define SUPERVISOR_TICK_MS 50 /* timer period: backoff, liveness, deadlines, watchdog */

struct universe;

struct supervisor {
	struct config *cfg;
	struct bus bus;
	bool bus_open;
	struct child children[SUPERVISOR_MAX_CHILDREN]; /* collectors in config order, then aggregator, writer, gateway */
	size_t child_count;
	struct child_exec exec;

	int epfd;
	struct event_watch signal_watch;
	struct event_watch timer_watch;
	struct netserver *control;
	struct netserver *http;

	int64_t started_mono_ns;
	uint64_t jitter_state;     /* xorshift state for backoff jitter */
	uint64_t reloads;          /* successful reloads */
	uint64_t reload_failures;  /* refused configs */
	uint64_t reload_triggers;  /* SIGHUPs, applied or coalesced */
	uint64_t symbol_changes;   /* collectors told to take new symbols live */
	int64_t reload_due_ns;     /* monotonic: a SIGHUP waits until then; 0 = none pending */
	int64_t last_reload_ns;    /* monotonic: the last application */
	struct universe *universe; /* supervisor/universe.h */

	/* shutdown: collectors first, then the readers, then exit */
	bool shutting_down;
	bool readers_stopped;
	int64_t shutdown_started_ns;
	bool done;

	/* systemd */
	bool ready_sent;
	uint64_t watchdog_usec;    /* 0 = no watchdog */
	int64_t next_watchdog_ns;
	char status_line[256];     /* last STATUS= sent */
};

/* (Re)configure the supervisor's own logging from cfg ([service] log_level,
 * log_format): at start and after each reload. */
void supervisor_log_init(const struct config *cfg);

/* What the config loader cannot know: child names must be unique, so no
 * exchange may be called "aggregator" or "writer". Returns 0, or -EINVAL
 * with the reason in err. */
int supervisor_config_check(const struct config *cfg, char *err, size_t err_len);

/* Create the bus, the sockets and the children (not started yet). cfg is
 * owned by s from now on. Returns 0 or -errno (logged). */
int supervisor_open(struct supervisor *s, struct config *cfg, const char *config_path);
/* Run until stopped; returns the process exit code. */
int supervisor_run(struct supervisor *s);
void supervisor_close(struct supervisor *s);

struct child *supervisor_find_child(struct supervisor *s, const char *name);
/* The child's status block in shared memory, or NULL. */
struct status_block *supervisor_child_block(struct supervisor *s, const struct child *c);

/* Operator commands; on failure a message for the operator goes to err. */
int supervisor_child_start(struct supervisor *s, struct child *c, char *err, size_t err_len);
int supervisor_child_stop(struct supervisor *s, struct child *c, char *err, size_t err_len);
int supervisor_child_restart(struct supervisor *s, struct child *c, char *err, size_t err_len);
/* Re-read the config file (SIGHUP, spreadctl reload). A config with errors
 * is refused and nothing changes. */
int supervisor_reload(struct supervisor *s, char *err, size_t err_len);
/* Begin the ordered stop (SIGTERM, SIGINT). */
void supervisor_shutdown(struct supervisor *s);
/* Move the stop along: readers once the collectors are gone, done once
 * nobody is left. */
void supervisor_shutdown_progress(struct supervisor *s, int64_t now_mono_ns);

/* Add a child for an exchange or reader (reload and open); -ENOSPC if full. */
int supervisor_add_child(struct supervisor *s, const char *name, enum status_role role, uint32_t heartbeat_timeout_ms,
			 uint64_t config_hash);
/* Time-driven work: start due children, kill hung or overdue ones. */
void supervisor_tick_children(struct supervisor *s, int64_t now_mono_ns, int64_t now_real_ns);
/* Reap every exited child (SIGCHLD). */
void supervisor_reap(struct supervisor *s);

#endif

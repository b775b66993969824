/* One supervised child process: how it is started (fork + exec with
 * PDEATHSIG), stopped, judged alive by its heartbeat, and what happens
 * after it exits (restart policy, operator stop, removal on reload). */
#ifndef SPREADBUS_SUPERVISOR_CHILD_H
#define SPREADBUS_SUPERVISOR_CHILD_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/config.h"
#include "shm/status.h"
#include "supervisor/restart_policy.h"

enum child_run_state {
	CHILD_RUN_STOPPED,  /* not running and not wanted (operator stop) */
	CHILD_RUN_RUNNING,  /* a process is up */
	CHILD_RUN_BACKOFF,  /* crashed; waiting for next_start_ns */
	CHILD_RUN_HELD,     /* crash loop: circuit open until next_start_ns */
	CHILD_RUN_STOPPING, /* SIGTERM sent; SIGKILL at kill_at_ns */
};

/* What to do once a process we asked to stop has exited. */
enum child_after_exit {
	CHILD_AFTER_STOP,    /* stay stopped */
	CHILD_AFTER_RESTART, /* start again at once (operator restart, config change) */
	CHILD_AFTER_REMOVE,  /* forget the child (exchange removed by a reload) */
};

struct child {
	char name[CONFIG_NAME_MAX]; /* exchange name, "aggregator" or "writer" */
	enum status_role role;
	enum child_run_state state;
	enum child_after_exit after_exit;
	pid_t pid;                   /* 0 when no process */
	int64_t started_mono_ns;
	int64_t started_real_ns;     /* compared with the heartbeat, which is wall time */
	int64_t next_start_ns;       /* BACKOFF/HELD: monotonic time of the next start */
	int64_t kill_at_ns;          /* STOPPING: monotonic time of the SIGKILL */
	uint32_t restarts;           /* processes started after the first */
	uint32_t starts;
	uint32_t heartbeat_timeout_ms;
	uint64_t config_hash;        /* of its config section(s), to spot changes on reload */
	char last_exit[160];         /* "exit code 1 after 0.2 s", "signal 9 (KILL) after 3.1 s", "" */
	char kill_reason[48];        /* why the supervisor SIGKILLed it, appended to last_exit */
	struct restart_policy policy;
	/* message rate, sampled once a second from the status block */
	uint64_t rate_messages;
	int64_t rate_at_ns;
	double message_rate;
};

/* Where the child programs are and what they get; shared by every start. */
struct child_exec {
	char bin_dir[CONFIG_PATH_MAX];
	char config_path[CONFIG_PATH_MAX];
	sigset_t child_sigmask; /* the mask the children start with (the supervisor blocks signals) */
};

void child_init(struct child *c, const char *name, enum status_role role, uint32_t heartbeat_timeout_ms,
		uint64_t config_hash);

/* Fork and exec the child's program. Returns 0 or -errno (fork failed). An
 * exec failure shows up as exit code 127. */
int child_start(struct child *c, const struct child_exec *ex, int64_t now_mono_ns);

/* Ask a running child to stop (SIGTERM now, SIGKILL after timeout_ms), then
 * do `after`. A child without a process takes `after` at once (returns 1 if
 * it should be removed now, else 0). */
int child_stop(struct child *c, enum child_after_exit after, uint32_t timeout_ms, int64_t now_mono_ns);

/*
 * The child's process exited with wait status wstatus. Logs the exit once
 * with its reason, then decides what comes next (restart policy unless it
 * was asked to stop). Returns 1 if the child should be removed from the
 * table, 0 otherwise. jitter in [0, 1) spreads backoff delays.
 */
int child_exited(struct child *c, int wstatus, const struct config_restart *rc, int64_t now_mono_ns,
		 double jitter);

/* SIGKILL the process now, remembering why for the exit log. */
void child_kill(struct child *c, const char *reason);

/* Heartbeat age in ms of the current process, or -1 if it has not sent one
 * yet (or b belongs to another process). */
int64_t child_heartbeat_age_ms(const struct child *c, const struct status_block *b, int64_t now_real_ns);

/* True if a running child's heartbeat is older than its timeout; a child
 * that never sent one is given a startup grace period first. */
bool child_is_hung(const struct child *c, const struct status_block *b, int64_t now_mono_ns,
		   int64_t now_real_ns);

/* The supervisor's view as text: "running", "backoff", "held", ... */
const char *child_state_name(enum child_run_state s);

/* "exit code 1", "signal 11 (SEGV, core dumped)" for a wait status. */
void child_describe_wait_status(int wstatus, char *out, size_t out_len);

#endif

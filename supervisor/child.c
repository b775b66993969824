/* Start, stop and judge one child process. Everything here is decided from
 * the clocks passed in, so the restart and liveness rules are the same in
 * the loop and in tests. */
#include "supervisor/child.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "shm/runtime.h"

/* A child that has not sent its first heartbeat yet gets this much more
 * than its heartbeat timeout: attaching to the bus and loading a config
 * take a moment, longer under sanitizers. */
#define CHILD_STARTUP_GRACE_MS 10000

void child_init(struct child *c, const char *name, enum status_role role, uint32_t heartbeat_timeout_ms,
		uint64_t config_hash)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->role = role;
	c->state = CHILD_RUN_STOPPED;
	c->heartbeat_timeout_ms = heartbeat_timeout_ms;
	c->config_hash = config_hash;
}

const char *child_state_name(enum child_run_state s)
{
	switch (s) {
	case CHILD_RUN_STOPPED: return "stopped";
	case CHILD_RUN_RUNNING: return "running";
	case CHILD_RUN_BACKOFF: return "backoff";
	case CHILD_RUN_HELD: return "held";
	case CHILD_RUN_STOPPING: return "stopping";
	}
	return "unknown";
}

static const char *child_program(enum status_role r)
{
	switch (r) {
	case ROLE_COLLECTOR: return "spreadbus-collector";
	case ROLE_AGGREGATOR: return "spreadbus-aggregator";
	case ROLE_WRITER: return "spreadbus-writer";
	case ROLE_GATEWAY: return "spreadbus-gateway";
	case ROLE_BRIDGE: return "spreadbus-bridge";
	}
	return NULL;
}

/* Runs in the forked child: nothing of the supervisor's may leak into the
 * program (blocked signals, ignored SIGPIPE, the systemd notify socket). */
static void child_exec_program(const struct child *c, const struct child_exec *ex, pid_t supervisor_pid)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != supervisor_pid)
		_exit(126); /* the supervisor died before PDEATHSIG was armed */
	/* Own process group: a Ctrl-C on the terminal reaches only the
	 * supervisor, which then stops the children in order. No child reads
	 * the terminal (from another process group that would stop it). */
	setpgid(0, 0);
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		close(devnull);
	}
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigprocmask(SIG_SETMASK, &ex->child_sigmask, NULL);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");

	char path[CONFIG_PATH_MAX + 32];
	const char *prog = child_program(c->role);
	int n = snprintf(path, sizeof(path), "%s/%s", ex->bin_dir, prog);
	if (n < 0 || (size_t)n >= sizeof(path))
		_exit(127);
	char name[CONFIG_NAME_MAX], config_path[CONFIG_PATH_MAX];
	memcpy(name, c->name, sizeof(name));
	memcpy(config_path, ex->config_path, sizeof(config_path));
	char *argv_collector[] = { path, "--exchange", name, "--config", config_path, NULL };
	char *argv_reader[] = { path, "--config", config_path, NULL };
	/* Child "bridge.NAME" runs [bridge.NAME]. */
	char *argv_bridge[] = { path, "--config", config_path, "--name", name + strlen("bridge."), NULL };
	execv(path, c->role == ROLE_COLLECTOR ? argv_collector : c->role == ROLE_BRIDGE ? argv_bridge : argv_reader);
	dprintf(STDERR_FILENO, "<3>spreadbus: cannot exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

int child_start(struct child *c, const struct child_exec *ex, int64_t now_mono_ns)
{
	pid_t supervisor_pid = getpid();
	int64_t now_real_ns = clock_realtime_ns();
	pid_t pid = fork();
	if (pid < 0) {
		int rc = -errno;
		log_err("%s: fork failed: %s", c->name, strerror(errno));
		return rc;
	}
	if (pid == 0)
		child_exec_program(c, ex, supervisor_pid);
	if (c->starts > 0)
		c->restarts++;
	c->starts++;
	c->pid = pid;
	c->state = CHILD_RUN_RUNNING;
	c->started_mono_ns = now_mono_ns;
	c->started_real_ns = now_real_ns;
	log_info("%s: started %s pid %d", c->name, status_role_name(c->role), (int)pid);
	return 0;
}

/* A stop the supervisor asked for is complete: do what was wanted next.
 * Returns 1 if the child is to be removed. */
static int child_apply_after_exit(struct child *c, int64_t now_mono_ns)
{
	if (c->after_exit == CHILD_AFTER_REMOVE)
		return 1;
	if (c->after_exit == CHILD_AFTER_RESTART) {
		restart_policy_reset(&c->policy);
		c->state = CHILD_RUN_BACKOFF; /* due now: started on this pass or the next tick */
		c->next_start_ns = now_mono_ns;
	} else {
		c->state = CHILD_RUN_STOPPED;
	}
	return 0;
}

int child_stop(struct child *c, enum child_after_exit after, uint32_t timeout_ms, int64_t now_mono_ns)
{
	c->after_exit = after;
	if (c->pid > 0) {
		if (c->state != CHILD_RUN_STOPPING) {
			kill(c->pid, SIGTERM);
			c->state = CHILD_RUN_STOPPING;
			c->kill_at_ns = now_mono_ns + (int64_t)timeout_ms * 1000000LL;
		} else if (now_mono_ns + (int64_t)timeout_ms * 1000000LL < c->kill_at_ns) {
			c->kill_at_ns = now_mono_ns + (int64_t)timeout_ms * 1000000LL;
		}
		return 0;
	}
	return child_apply_after_exit(c, now_mono_ns);
}

void child_describe_wait_status(int wstatus, char *out, size_t out_len)
{
	if (WIFEXITED(wstatus)) {
		snprintf(out, out_len, "exit code %d", WEXITSTATUS(wstatus));
	} else if (WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);
		const char *abbrev = sigabbrev_np(sig);
		snprintf(out, out_len, "signal %d (%s%s)", sig, abbrev ? abbrev : "?",
			 WCOREDUMP(wstatus) ? ", core dumped" : "");
	} else {
		snprintf(out, out_len, "wait status 0x%x", (unsigned)wstatus);
	}
}

int child_exited(struct child *c, int wstatus, const struct config_restart *rc, int64_t now_mono_ns,
		 double jitter)
{
	char why[64];
	child_describe_wait_status(wstatus, why, sizeof(why));
	int64_t ran_ms = (now_mono_ns - c->started_mono_ns) / 1000000;
	snprintf(c->last_exit, sizeof(c->last_exit), "%s after %lld.%01lld s%s%s", why, (long long)(ran_ms / 1000),
		 (long long)(ran_ms % 1000 / 100), c->kill_reason[0] ? ", killed: " : "", c->kill_reason);
	c->kill_reason[0] = '\0';
	pid_t pid = c->pid;
	c->pid = 0;

	if (c->state == CHILD_RUN_STOPPING) {
		log_info("%s: pid %d stopped: %s", c->name, (int)pid, c->last_exit);
		return child_apply_after_exit(c, now_mono_ns);
	}
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == RUNTIME_EXIT_RESTART) {
		log_info("%s: pid %d asked to be started again: %s", c->name, (int)pid, c->last_exit);
		c->after_exit = CHILD_AFTER_RESTART;
		return child_apply_after_exit(c, now_mono_ns);
	}

	struct restart_decision d = restart_policy_on_crash(&c->policy, rc, now_mono_ns, ran_ms, jitter);
	c->state = d.held ? CHILD_RUN_HELD : CHILD_RUN_BACKOFF;
	c->next_start_ns = now_mono_ns + d.delay_ms * 1000000LL;
	if (d.held)
		log_err("%s: pid %d died: %s; crashing too often, held for %lld ms", c->name, (int)pid, c->last_exit,
			(long long)d.delay_ms);
	else
		log_warn("%s: pid %d died: %s; restarting in %lld ms", c->name, (int)pid, c->last_exit,
			 (long long)d.delay_ms);
	return 0;
}

void child_kill(struct child *c, const char *reason)
{
	if (c->pid <= 0)
		return;
	snprintf(c->kill_reason, sizeof(c->kill_reason), "%s", reason);
	kill(c->pid, SIGKILL);
}

int64_t child_heartbeat_age_ms(const struct child *c, const struct status_block *b, int64_t now_real_ns)
{
	if (!b || c->pid <= 0)
		return -1;
	int64_t hb = __atomic_load_n(&b->heartbeat_ns, __ATOMIC_ACQUIRE);
	if (hb < c->started_real_ns)
		return -1; /* from a previous process */
	int64_t age = (now_real_ns - hb) / 1000000;
	return age < 0 ? 0 : age;
}

bool child_is_hung(const struct child *c, const struct status_block *b, int64_t now_mono_ns,
		   int64_t now_real_ns)
{
	if (c->state != CHILD_RUN_RUNNING)
		return false;
	int64_t age = child_heartbeat_age_ms(c, b, now_real_ns);
	if (age >= 0)
		return age > (int64_t)c->heartbeat_timeout_ms;
	int64_t up_ms = (now_mono_ns - c->started_mono_ns) / 1000000;
	return up_ms > (int64_t)c->heartbeat_timeout_ms + CHILD_STARTUP_GRACE_MS;
}

/* The child table: which children exist, starting them when due, reaping
 * them, killing hung ones, and the operator's start/stop/restart. */
#include "supervisor/supervisor.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "supervisor/reload.h"

struct child *supervisor_find_child(struct supervisor *s, const char *name)
{
	for (size_t i = 0; i < s->child_count; i++)
		if (strcmp(s->children[i].name, name) == 0)
			return &s->children[i];
	return NULL;
}

struct status_block *supervisor_child_block(struct supervisor *s, const struct child *c)
{
	return s->bus_open ? status_table_find(s->bus.status, c->name) : NULL;
}

int supervisor_add_child(struct supervisor *s, const char *name, enum status_role role, uint32_t heartbeat_timeout_ms,
			 uint64_t config_hash)
{
	if (s->child_count >= SUPERVISOR_MAX_CHILDREN)
		return -ENOSPC;
	struct child *c = &s->children[s->child_count++];
	child_init(c, name, role, heartbeat_timeout_ms, config_hash);
	/* New children start on the next tick, like a restart due now. */
	c->state = CHILD_RUN_BACKOFF;
	c->next_start_ns = clock_monotonic_ns();
	return 0;
}

static void supervisor_remove_child(struct supervisor *s, struct child *c)
{
	size_t i = (size_t)(c - s->children);
	log_info("%s: removed", c->name);
	memmove(&s->children[i], &s->children[i + 1], (s->child_count - i - 1) * sizeof(*c));
	s->child_count--;
}

static double next_jitter(struct supervisor *s)
{
	/* xorshift64: statistical quality is irrelevant, only spread matters */
	uint64_t x = s->jitter_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	s->jitter_state = x;
	return (double)(x >> 11) / (double)(1ULL << 53);
}

void supervisor_reap(struct supervisor *s)
{
	int64_t now = clock_monotonic_ns();
	for (;;) {
		int wstatus;
		pid_t pid = waitpid(-1, &wstatus, WNOHANG);
		if (pid <= 0) {
			if (pid < 0 && errno == EINTR)
				continue;
			return;
		}
		struct child *c = NULL;
		for (size_t i = 0; i < s->child_count; i++)
			if (s->children[i].pid == pid)
				c = &s->children[i];
		if (!c) {
			log_warn("reaped unknown pid %d", (int)pid);
			continue;
		}
		if (child_exited(c, wstatus, &s->cfg->restart, now, next_jitter(s)) > 0) {
			supervisor_remove_child(s, c);
			continue;
		}
		/* The first restart is immediate: start it here, not a tick later. */
		if (!s->shutting_down && c->state == CHILD_RUN_BACKOFF && c->next_start_ns <= now)
			child_start(c, &s->exec, now);
	}
}

void supervisor_tick_children(struct supervisor *s, int64_t now_mono_ns, int64_t now_real_ns)
{
	for (size_t i = 0; i < s->child_count; i++) {
		struct child *c = &s->children[i];
		switch (c->state) {
		case CHILD_RUN_BACKOFF:
		case CHILD_RUN_HELD:
			if (!s->shutting_down && now_mono_ns >= c->next_start_ns) {
				if (c->state == CHILD_RUN_HELD)
					log_info("%s: hold expired, trying again", c->name);
				if (child_start(c, &s->exec, now_mono_ns) < 0)
					c->next_start_ns = now_mono_ns + 1000000000LL; /* fork failed: retry in 1 s */
			}
			break;
		case CHILD_RUN_STOPPING:
			if (now_mono_ns >= c->kill_at_ns && c->kill_reason[0] == '\0') {
				log_warn("%s: pid %d did not stop in time, killing it", c->name, (int)c->pid);
				child_kill(c, "stop timeout");
			}
			break;
		case CHILD_RUN_RUNNING:
			if (c->kill_reason[0] == '\0' &&
			    child_is_hung(c, supervisor_child_block(s, c), now_mono_ns, now_real_ns)) {
				int64_t age = child_heartbeat_age_ms(c, supervisor_child_block(s, c), now_real_ns);
				if (age >= 0)
					log_err("%s: pid %d is hung (heartbeat age %lld ms, timeout %u ms), killing it",
						c->name, (int)c->pid, (long long)age, c->heartbeat_timeout_ms);
				else
					log_err("%s: pid %d sent no heartbeat in %lld ms since its start, killing it", c->name,
						(int)c->pid, (long long)((now_mono_ns - c->started_mono_ns) / 1000000));
				child_kill(c, age >= 0 ? "heartbeat timeout" : "no heartbeat after start");
			}
			break;
		case CHILD_RUN_STOPPED:
			break;
		}
	}
}

static bool child_has_process(const struct child *c)
{
	return c->pid > 0;
}

int supervisor_child_start(struct supervisor *s, struct child *c, char *err, size_t err_len)
{
	if (s->shutting_down) {
		snprintf(err, err_len, "the service is shutting down");
		return -ESHUTDOWN;
	}
	if (child_has_process(c)) {
		if (c->state == CHILD_RUN_STOPPING) {
			c->after_exit = CHILD_AFTER_RESTART; /* start again as soon as it has stopped */
			return 0;
		}
		snprintf(err, err_len, "%s is already running (pid %d)", c->name, (int)c->pid);
		return -EALREADY;
	}
	restart_policy_reset(&c->policy);
	return child_start(c, &s->exec, clock_monotonic_ns()) < 0 ? (snprintf(err, err_len, "fork failed"), -EAGAIN)
								     : 0;
}

int supervisor_child_stop(struct supervisor *s, struct child *c, char *err, size_t err_len)
{
	(void)err;
	(void)err_len;
	child_stop(c, CHILD_AFTER_STOP, s->cfg->restart.stop_timeout_ms, clock_monotonic_ns());
	return 0;
}

int supervisor_child_restart(struct supervisor *s, struct child *c, char *err, size_t err_len)
{
	if (s->shutting_down) {
		snprintf(err, err_len, "the service is shutting down");
		return -ESHUTDOWN;
	}
	child_stop(c, CHILD_AFTER_RESTART, s->cfg->restart.stop_timeout_ms, clock_monotonic_ns());
	return 0;
}

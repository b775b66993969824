/* Talks to systemd through libsystemd's sd_notify. Without NOTIFY_SOCKET
 * every call is a cheap no-op, so the same code runs outside systemd. */
#include "supervisor/notify.h"

#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "common/clock.h"
#include "common/log.h"
#include "supervisor/observe.h"

/* READY=1 waits for every child's first heartbeat, but not forever: a child
 * that cannot start (held) must not keep systemd waiting for the service. */
#define NOTIFY_READY_DEADLINE_MS 15000

void notify_init(struct supervisor *s)
{
	uint64_t usec = 0;
	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		s->watchdog_usec = usec;
		log_info("systemd watchdog enabled: %llu us, pinging every %llu us", (unsigned long long)usec,
			 (unsigned long long)usec / 2);
	}
}

static void status_summary(struct supervisor *s, const struct service_view *v, char *out, size_t out_len)
{
	const char *writer = !v->writer_wanted ? "disabled" : v->writer_running ? "running" : "down";
	snprintf(out, out_len, "%s%u/%u exchanges streaming, aggregator %s, writer %s",
		 s->shutting_down ? "stopping: " : "", v->streaming, v->collectors,
		 v->aggregator_running ? "running" : "down", writer);
}

static bool all_children_up(struct supervisor *s, int64_t now_real_ns)
{
	for (size_t i = 0; i < s->child_count; i++) {
		const struct child *c = &s->children[i];
		if (c->state == CHILD_RUN_STOPPED)
			continue;
		if (c->state != CHILD_RUN_RUNNING ||
		    child_heartbeat_age_ms(c, supervisor_child_block(s, c), now_real_ns) < 0)
			return false;
	}
	return true;
}

void notify_tick(struct supervisor *s, int64_t now_mono_ns, int64_t now_real_ns)
{
	struct service_view v;
	observe_service(s, now_mono_ns, now_real_ns, &v);
	char line[sizeof(s->status_line)];
	status_summary(s, &v, line, sizeof(line));
	if (strcmp(line, s->status_line) != 0) {
		memcpy(s->status_line, line, sizeof(line));
		sd_notifyf(0, "STATUS=%s", line);
	}
	if (!s->ready_sent && !s->shutting_down) {
		bool late = now_mono_ns - s->started_mono_ns > (int64_t)NOTIFY_READY_DEADLINE_MS * 1000000LL;
		if (all_children_up(s, now_real_ns) || late) {
			if (late)
				log_warn("not every child is up after %d ms; telling systemd we are ready anyway",
					 NOTIFY_READY_DEADLINE_MS);
			s->ready_sent = true;
			sd_notify(0, "READY=1");
			log_info("ready: %s", line);
		}
	}
	/* The ping comes from the loop's own timer: if the loop stalls, the
	 * pings stop and systemd restarts the service. Children being down do
	 * not matter here; they are the supervisor's job, not systemd's. */
	if (s->watchdog_usec && now_mono_ns >= s->next_watchdog_ns) {
		sd_notify(0, "WATCHDOG=1");
		s->next_watchdog_ns = now_mono_ns + (int64_t)(s->watchdog_usec / 2) * 1000;
	}
}

void notify_stopping(void)
{
	sd_notify(0, "STOPPING=1\nSTATUS=stopping");
}

void notify_reloading(void)
{
	/* MONOTONIC_USEC: systemd 253+ (Type=notify-reload) wants it with RELOADING=1. */
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%lld", (long long)(clock_monotonic_ns() / 1000));
}

void notify_reloaded(void)
{
	sd_notify(0, "READY=1");
}

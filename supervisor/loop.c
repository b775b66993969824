/* The event loop and its two clocks of work: signals (children exiting,
 * stop, reload) and the periodic tick (restarts due, liveness, deadlines,
 * systemd notifications). */
#include "supervisor/loop.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "supervisor/notify.h"
#include "supervisor/observe.h"
#include "supervisor/supervisor.h"
#include "supervisor/universe.h"

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

void loop_on_signal(struct event_watch *w, uint32_t events)
{
	struct supervisor *s = container_of(w, struct supervisor, signal_watch);
	(void)events;
	struct signalfd_siginfo si;
	while (read(w->fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			supervisor_reap(s);
			break;
		case SIGTERM:
		case SIGINT:
			log_info("got SIG%s", sigabbrev_np((int)si.ssi_signo));
			supervisor_shutdown(s);
			break;
		case SIGHUP:
			/* debounced: a burst of edits or signals is one reload */
			s->reload_triggers++;
			if (!s->reload_due_ns)
				log_info("got SIGHUP: reloading %s once none came for %u ms", s->exec.config_path,
					 s->cfg->reload_debounce_ms);
			s->reload_due_ns = clock_monotonic_ns() + (int64_t)s->cfg->reload_debounce_ms * 1000000;
			break;
		default:
			break;
		}
	}
	/* Work that a signal made due (the readers' turn to stop, exit) happens
	 * now rather than on the next tick. */
	supervisor_shutdown_progress(s, clock_monotonic_ns());
}

/* A pending SIGHUP reload, once debounced and far enough from the last
 * application; supervisor_reload runs to the end, so one is in flight. */
static void reload_tick(struct supervisor *s, int64_t now)
{
	char err[256];
	if (!s->reload_due_ns || now < s->reload_due_ns ||
	    (s->last_reload_ns && now - s->last_reload_ns < (int64_t)s->cfg->reload_min_interval_ms * 1000000))
		return;
	s->reload_due_ns = 0;
	if (supervisor_reload(s, err, sizeof(err)) < 0)
		log_err("reload refused: %s", err);
}

void loop_on_timer(struct event_watch *w, uint32_t events)
{
	struct supervisor *s = container_of(w, struct supervisor, timer_watch);
	(void)events;
	uint64_t expirations;
	if (read(w->fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		log_warn("timerfd read failed: %s", strerror(errno));
	int64_t now = clock_monotonic_ns();
	int64_t now_real = clock_realtime_ns();
	supervisor_tick_children(s, now, now_real);
	supervisor_shutdown_progress(s, now);
	if (s->control)
		netserver_tick(s->control, now);
	if (s->http)
		netserver_tick(s->http, now);
	observe_update_rates(s, now);
	reload_tick(s, now);
	universe_tick(s, now);
	notify_tick(s, now, now_real);
}

int supervisor_run(struct supervisor *s)
{
	log_info("supervising %zu children (instance %s, config %s)", s->child_count, s->cfg->instance,
		 s->exec.config_path);
	while (!s->done) {
		/* One event per wait: a handler may close other connections, so
		 * no batch of events may hold pointers to them. Level-triggered
		 * epoll keeps the rest ready, in turn. */
		struct epoll_event ev;
		int n = epoll_wait(s->epfd, &ev, 1, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll_wait failed: %s", strerror(errno));
			return 1;
		}
		if (n == 1) {
			struct event_watch *w = ev.data.ptr;
			w->on_event(w, ev.events);
		}
	}
	log_info("stopped");
	return 0;
}

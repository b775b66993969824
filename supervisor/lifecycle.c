/* Bringing the supervisor up (bus, signals, timer, sockets, child table)
 * and taking it down in order: collectors first, then the readers, which
 * drain the rings, then exit. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "supervisor/control.h"
#include "supervisor/http.h"
#include "supervisor/loop.h"
#include "supervisor/notify.h"
#include "supervisor/reload.h"
#include "supervisor/supervisor.h"
#include "supervisor/universe.h"

static int resolve_paths(struct child_exec *ex, const struct config *cfg, const char *config_path)
{
	char buf[PATH_MAX];
	if (!realpath(config_path, buf) || strlen(buf) >= sizeof(ex->config_path)) {
		log_err("cannot resolve config path %s: %s", config_path, strerror(errno));
		return -EINVAL;
	}
	memcpy(ex->config_path, buf, strlen(buf) + 1);
	if (cfg->bin_dir[0]) {
		snprintf(ex->bin_dir, sizeof(ex->bin_dir), "%s", cfg->bin_dir);
		return 0;
	}
	/* Empty bin_dir: the children live next to the spreadbus binary. */
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0) {
		log_err("cannot find my own binary: %s", strerror(errno));
		return -EINVAL;
	}
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash || (size_t)(slash - buf) >= sizeof(ex->bin_dir))
		return -EINVAL;
	*slash = '\0';
	memcpy(ex->bin_dir, buf, strlen(buf) + 1);
	return 0;
}

/* Like mkdir -p with mode 0700 for what it creates: the runtime dir holds
 * the control socket and must not be readable by others. */
static int make_dirs(const char *path)
{
	char buf[CONFIG_PATH_MAX];
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST) {
			int rc = -errno;
			log_err("cannot create directory %s: %s", buf, strerror(errno));
			return rc;
		}
		*p = saved;
		if (saved == '\0')
			return 0;
	}
}

static int open_signals_and_timer(struct supervisor *s)
{
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, &s->exec.child_sigmask) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN); /* sockets use MSG_NOSIGNAL; this covers anything else */
	s->signal_watch.fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	s->timer_watch.fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->signal_watch.fd < 0 || s->timer_watch.fd < 0)
		return -errno;
	struct itimerspec its = {
		.it_interval = { 0, SUPERVISOR_TICK_MS * 1000000L },
		.it_value = { 0, SUPERVISOR_TICK_MS * 1000000L },
	};
	if (timerfd_settime(s->timer_watch.fd, 0, &its, NULL) < 0)
		return -errno;
	s->signal_watch.on_event = loop_on_signal;
	s->timer_watch.on_event = loop_on_timer;
	int rc = event_add(s->epfd, &s->signal_watch, EPOLLIN);
	if (rc == 0)
		rc = event_add(s->epfd, &s->timer_watch, EPOLLIN);
	return rc;
}

static int add_children(struct supervisor *s)
{
	const struct config *cfg = s->cfg;
	int rc = 0;
	for (size_t i = 0; i < cfg->exchange_count && rc == 0; i++) {
		const struct config_exchange *ex = &cfg->exchanges[i];
		if (ex->enabled && !config_exchange_bridged(ex))
			rc = supervisor_add_child(s, ex->name, ROLE_COLLECTOR, ex->heartbeat_timeout_ms,
						  reload_child_hash(cfg, ROLE_COLLECTOR, ex->name));
	}
	for (size_t i = 0; i < cfg->bridge_count && rc == 0; i++) {
		const struct config_bridge *b = &cfg->bridges[i];
		if (b->enabled)
			rc = supervisor_add_child(s, b->child_name, ROLE_BRIDGE, b->heartbeat_timeout_ms,
						  reload_child_hash(cfg, ROLE_BRIDGE, b->child_name));
	}
	if (rc == 0)
		rc = supervisor_add_child(s, "aggregator", ROLE_AGGREGATOR, cfg->aggregator.heartbeat_timeout_ms,
					  reload_child_hash(cfg, ROLE_AGGREGATOR, "aggregator"));
	if (rc == 0 && cfg->writer.enabled)
		rc = supervisor_add_child(s, "writer", ROLE_WRITER, cfg->writer.heartbeat_timeout_ms,
					  reload_child_hash(cfg, ROLE_WRITER, "writer"));
	if (rc == 0 && cfg->gateway.enabled)
		rc = supervisor_add_child(s, "gateway", ROLE_GATEWAY, cfg->gateway.heartbeat_timeout_ms,
					  reload_child_hash(cfg, ROLE_GATEWAY, "gateway"));
	return rc;
}

void supervisor_log_init(const struct config *cfg)
{
	log_init("spreadbus", NULL, cfg->log_level, strcmp(cfg->log_format, "json") == 0);
}

int supervisor_config_check(const struct config *cfg, char *err, size_t err_len)
{
	for (size_t i = 0; i < cfg->exchange_count; i++) {
		const char *name = cfg->exchanges[i].name;
		if (strcmp(name, "aggregator") == 0 || strcmp(name, "writer") == 0 || strcmp(name, "gateway") == 0) {
			snprintf(err, err_len, "%s: [exchange.%s]: '%s' names a child process already; rename the section",
				 cfg->path, name, name);
			return -EINVAL;
		}
	}
	return 0;
}

int supervisor_open(struct supervisor *s, struct config *cfg, const char *config_path)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->epfd = -1;
	s->signal_watch.fd = -1;
	s->timer_watch.fd = -1;
	s->started_mono_ns = clock_monotonic_ns();
	s->jitter_state = (uint64_t)clock_realtime_ns() ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ULL;

	char err[512];
	int rc = supervisor_config_check(cfg, err, sizeof(err));
	if (rc < 0) {
		log_err("%s", err);
		return rc;
	}
	rc = resolve_paths(&s->exec, cfg, config_path);
	if (rc < 0)
		return rc;
	rc = make_dirs(cfg->runtime_dir);
	if (rc < 0)
		return rc;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0)
		return -errno;
	/* The control socket first: a second supervisor of the same instance
	 * stops here, before it touches the bus or starts anything. */
	rc = control_open(s);
	if (rc < 0)
		return rc;
	rc = bus_create(&s->bus, cfg, err, sizeof(err));
	if (rc < 0) {
		log_err("cannot create the bus: %s", err);
		return rc;
	}
	s->bus_open = true;
	rc = universe_open(s);
	if (rc < 0)
		return rc;
	rc = open_signals_and_timer(s);
	if (rc < 0) {
		log_err("cannot set up signals and timer: %s", strerror(-rc));
		return rc;
	}
	if (cfg->http_listen[0]) {
		rc = http_open(s);
		if (rc < 0)
			return rc;
	}
	notify_init(s);
	rc = add_children(s);
	if (rc < 0)
		log_err("too many children: %s", strerror(-rc));
	return rc;
}

void supervisor_close(struct supervisor *s)
{
	netserver_close(s->control);
	netserver_close(s->http);
	s->control = s->http = NULL;
	universe_close(s);
	if (s->bus_open)
		bus_close(&s->bus);
	s->bus_open = false;
	if (s->signal_watch.fd >= 0)
		close(s->signal_watch.fd);
	if (s->timer_watch.fd >= 0)
		close(s->timer_watch.fd);
	if (s->epfd >= 0)
		close(s->epfd);
	config_free(s->cfg);
	s->cfg = NULL;
}

static void stop_role(struct supervisor *s, bool collectors, uint32_t timeout_ms, int64_t now)
{
	for (size_t i = 0; i < s->child_count; i++) {
		struct child *c = &s->children[i];
		if ((c->role == ROLE_COLLECTOR) == collectors)
			child_stop(c, CHILD_AFTER_STOP, timeout_ms, now);
	}
}

void supervisor_shutdown(struct supervisor *s)
{
	if (s->shutting_down)
		return;
	int64_t now = clock_monotonic_ns();
	s->shutting_down = true;
	s->shutdown_started_ns = now;
	notify_stopping();
	log_info("stopping: collectors first, then aggregator and writer drain the rings");
	/* Collectors get half the stop budget, the draining readers the rest,
	 * so the whole stop stays within stop_timeout_ms. */
	stop_role(s, true, s->cfg->restart.stop_timeout_ms / 2, now);
}

void supervisor_shutdown_progress(struct supervisor *s, int64_t now_mono_ns)
{
	if (!s->shutting_down)
		return;
	bool collectors_alive = false, anyone_alive = false;
	for (size_t i = 0; i < s->child_count; i++) {
		if (s->children[i].pid <= 0)
			continue;
		anyone_alive = true;
		if (s->children[i].role == ROLE_COLLECTOR)
			collectors_alive = true;
	}
	int64_t budget_ns = (int64_t)s->cfg->restart.stop_timeout_ms * 1000000LL;
	if (!s->readers_stopped && (!collectors_alive || now_mono_ns - s->shutdown_started_ns >= budget_ns / 2)) {
		s->readers_stopped = true;
		int64_t left_ms = (s->shutdown_started_ns + budget_ns - now_mono_ns) / 1000000;
		stop_role(s, false, left_ms > 0 ? (uint32_t)left_ms : 0, now_mono_ns);
		return;
	}
	if (s->readers_stopped && !anyone_alive)
		s->done = true;
}

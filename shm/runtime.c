/* The child runtime (see runtime.h): the start, stop and exit every child
 * process shares, so that they all behave the same way. */
#include "shm/runtime.h"

#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"

/* Set by SIGTERM/SIGINT, or by the parent watch; signals are per process,
 * so the flag is too. */
static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

int runtime_parse_args(struct runtime *rt, const struct runtime_spec *spec, int argc, char **argv)
{
	struct option opts[RUNTIME_MAX_OPTIONS + 3];
	char shorts[2 * RUNTIME_MAX_OPTIONS + 4] = "c:h";
	size_t n = 0, ns = strlen(shorts);

	memset(rt, 0, sizeof(*rt));
	rt->spec = spec;
	rt->exit_status = RUNTIME_EXIT_USAGE;
	opts[n++] = (struct option){"config", required_argument, NULL, 'c'};
	opts[n++] = (struct option){"help", no_argument, NULL, 'h'};
	for (const struct runtime_option *o = spec->options; o && o->name; o++) {
		assert(n < RUNTIME_MAX_OPTIONS + 2);
		/* values past 255 cannot clash with a short option character */
		int val = o->short_name ? o->short_name : 256 + (int)(o - spec->options);
		opts[n++] = (struct option){o->name, required_argument, NULL, val};
		if (o->short_name) {
			shorts[ns++] = o->short_name;
			shorts[ns++] = ':';
			shorts[ns] = '\0';
		}
	}
	opts[n] = (struct option){NULL, 0, NULL, 0};

	optind = 0; /* full reinitialisation: a test may parse several command lines */
	int c;
	while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (c == 'c') {
			rt->config_path = optarg;
		} else if (c == 'h') {
			fputs(spec->usage, stdout);
			rt->exit_status = RUNTIME_EXIT_OK;
			return -1;
		} else if (c == '?') { /* unknown option or missing argument; getopt said which */
			return runtime_usage_error(rt, NULL);
		} else {
			size_t i = 0;
			while (spec->options[i].short_name ? spec->options[i].short_name != c : 256 + (int)i != c)
				i++;
			*spec->options[i].value = optarg;
		}
	}
	if (optind != argc || (!rt->config_path && !spec->config_optional))
		return runtime_usage_error(rt, NULL);
	rt->exit_status = RUNTIME_EXIT_SETUP;
	return 0;
}

int runtime_usage_error(struct runtime *rt, const char *fmt, ...)
{
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		fprintf(stderr, "%s: ", rt->spec->program);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	} else {
		fputs(rt->spec->usage, stderr);
	}
	rt->exit_status = RUNTIME_EXIT_USAGE;
	return -1;
}

int runtime_load_config(struct runtime *rt)
{
	static char err[8192]; /* every error line of a bad file; loaded once per process */
	const char *program = rt->spec->program;

	if (!rt->config_path)
		return 0;
	rt->cfg = config_new();
	if (!rt->cfg) {
		fprintf(stderr, "%s: out of memory\n", program);
		return -1;
	}
	err[0] = '\0';
	int rc = config_load(rt->cfg, rt->config_path, NULL, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "%s: cannot read %s: %s\n", program, rt->config_path, strerror(-rc));
		return -1;
	}
	if (rc > 0) {
		fprintf(stderr, "%s: cannot load %s:\n%s", program, rt->config_path, err);
		return -1;
	}
	return 0;
}

static int install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop_signal; /* no SA_RESTART: a ring wait or poll returns at once */
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
		return -errno;
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) < 0 || sigaction(SIGXFSZ, &sa, NULL) < 0)
		return -errno;
	return 0;
}

int runtime_init_process(struct runtime *rt, const char *label)
{
	assert(rt->cfg);
	log_init(rt->spec->process, label, rt->cfg->log_level, strcmp(rt->cfg->log_format, "json") == 0);
	int rc = install_signals();
	if (rc < 0) {
		log_err("cannot install signal handlers: %s", strerror(-rc));
		return -1;
	}
	rt->parent = getppid();
	rt->next_parent_check_ns = clock_monotonic_ns() + RUNTIME_PARENT_CHECK_NS;
	return 0;
}

int runtime_attach(struct runtime *rt, const char *block)
{
	char err[512];
	if (bus_attach(&rt->bus, rt->cfg, err, sizeof(err)) < 0) {
		log_err("cannot attach to the bus of instance %s: %s", rt->cfg->instance, err);
		return -1;
	}
	rt->bus_attached = true;
	rt->status = status_table_find(rt->bus.status, block);
	if (!rt->status) {
		log_err("no status block \"%s\" in instance %s", block, rt->cfg->instance);
		return -1;
	}
	rt->status->pid = getpid();
	rt->status->started_ns = clock_realtime_ns();
	status_set_detail(rt->status, "");
	status_set_state(rt->status, CHILD_STARTING);
	status_heartbeat(rt->status, rt->status->started_ns);
	rt->last_heartbeat_ns = clock_monotonic_ns();
	return 0;
}

int runtime_start(struct runtime *rt, const struct runtime_spec *spec, int argc, char **argv)
{
	if (runtime_parse_args(rt, spec, argc, argv) < 0 || runtime_load_config(rt) < 0 ||
	    runtime_init_process(rt, NULL) < 0 || runtime_attach(rt, spec->process) < 0)
		return -1;
	return 0;
}

void runtime_set_running(struct runtime *rt)
{
	if (rt->status->state == CHILD_STARTING)
		status_set_state(rt->status, CHILD_RUNNING);
}

bool runtime_should_stop(struct runtime *rt)
{
	if (stop_requested)
		return true;
	int64_t now = clock_monotonic_ns();
	if (now < rt->next_parent_check_ns)
		return false;
	rt->next_parent_check_ns = now + RUNTIME_PARENT_CHECK_NS;
	if (getppid() == rt->parent)
		return false;
	log_warn("parent process %d went away: stopping", (int)rt->parent);
	stop_requested = 1;
	return true;
}

void runtime_heartbeat(struct runtime *rt)
{
	int64_t now = clock_monotonic_ns();
	if (now - rt->last_heartbeat_ns < RUNTIME_HEARTBEAT_NS)
		return;
	rt->last_heartbeat_ns = now;
	status_heartbeat(rt->status, clock_realtime_ns());
}

void runtime_set_stopping(struct runtime *rt)
{
	status_set_state(rt->status, CHILD_STOPPING);
}

int runtime_end(struct runtime *rt)
{
	if (rt->status) {
		status_set_state(rt->status, CHILD_EXITED);
		status_heartbeat(rt->status, clock_realtime_ns());
	}
	if (rt->bus_attached)
		bus_close(&rt->bus);
	config_free(rt->cfg);
	rt->status = NULL;
	rt->bus_attached = false;
	rt->cfg = NULL;
	return rt->exit_status;
}

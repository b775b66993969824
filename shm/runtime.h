/* The child runtime: the life every child process (collector, aggregator,
 * writer, gateway, bridge) shares, written once: command line, config,
 * logging, signals, bus and status block, parent watch, stop flag, exit
 * state.
 *
 * It lives in shm/ and not in common/ because it attaches the bus and
 * claims the child's status block: shm/ builds on common/ (config, logging),
 * so common/ must not depend on shm/.
 *
 * What a child's main does, in this order:
 *
 *	static const struct runtime_spec spec = {
 *		.program = "spreadbus-gateway", .process = "gateway",
 *		.usage = "usage: spreadbus-gateway --config FILE\n",
 *	};
 *	struct runtime rt;
 *	if (runtime_start(&rt, &spec, argc, argv) < 0)
 *		return runtime_end(&rt);         // --help (0), usage (2), setup error (1)
 *	// own setup with rt.cfg, rt.bus and rt.status; on failure log it and
 *	// goto out: rt.exit_status is RUNTIME_EXIT_SETUP until the child says otherwise
 *	runtime_set_running(&rt);
 *	while (!runtime_should_stop(&rt)) {     // SIGTERM, SIGINT, or the parent went away
 *		// work, blocking for at most ~100 ms at a time
 *		runtime_heartbeat(&rt);
 *	}
 *	runtime_set_stopping(&rt);
 *	// drain and flush within the supervisor's stop timeout
 *	rt.exit_status = RUNTIME_EXIT_OK;
 * out:
 *	return runtime_end(&rt);                 // EXITED, bus closed, config freed
 *
 * runtime_start() is runtime_parse_args(), runtime_load_config(),
 * runtime_init_process() and runtime_attach(); a child with modes of its own
 * (the collector's --decode) calls them one by one.
 */
#ifndef SPREADBUS_SHM_RUNTIME_H
#define SPREADBUS_SHM_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/config.h"
#include "shm/bus.h"
#include "shm/status.h"

/* Exit statuses of every child (the supervisor logs them). */
#define RUNTIME_EXIT_OK 0    /* clean stop, or --help */
#define RUNTIME_EXIT_SETUP 1 /* config, bus or setup error */
#define RUNTIME_EXIT_USAGE 2 /* bad command line */
/* Start me again at once, this is no crash: a collector told of new
 * symbols that its adapter cannot take on live connections. */
#define RUNTIME_EXIT_RESTART 3

/* Heartbeats are written at most this often (the supervisor's contract
 * wants one within 250 ms); the parent is checked at most once a second. */
#define RUNTIME_HEARTBEAT_NS 100000000LL
#define RUNTIME_PARENT_CHECK_NS 1000000000LL

#define RUNTIME_MAX_OPTIONS 4

/* An option of the child's own besides --config and --help; each takes one
 * argument. */
struct runtime_option {
	const char *name;   /* long name without "--", e.g. "exchange" */
	char short_name;    /* 'e' for -e, or 0 */
	const char **value; /* set to the argument; left alone if the option is absent */
};

struct runtime_spec {
	const char *program; /* "spreadbus-writer": prefixes messages written before logging starts */
	const char *process; /* "writer": the log's process name and the status block's name */
	const char *usage;   /* whole usage text: stdout for --help, stderr for a usage error */
	const struct runtime_option *options; /* at most RUNTIME_MAX_OPTIONS, ended by a NULL name; may be NULL */
	bool config_optional; /* --config may be absent (the collector's --decode) */
};

struct runtime {
	const struct runtime_spec *spec;
	const char *config_path;      /* NULL if absent and spec->config_optional */
	struct config *cfg;           /* after runtime_load_config (NULL without --config) */
	struct bus bus;               /* after runtime_attach */
	struct status_block *status;  /* after runtime_attach: this child's block */
	int exit_status;              /* what runtime_end returns; RUNTIME_EXIT_* */
	/* private */
	bool bus_attached;
	pid_t parent;
	int64_t next_parent_check_ns, last_heartbeat_ns;
};

/* Each step returns 0 to go on, or -1 when the process should return
 * runtime_end(rt) now (the reason is already printed or logged, and
 * rt->exit_status says how to exit). */

/* --config FILE, --help and spec->options. Must come first: it resets rt. */
int runtime_parse_args(struct runtime *rt, const struct runtime_spec *spec, int argc, char **argv);
/* A usage error found by the child itself: prints "<program>: <message>"
 * (or the usage text if fmt is NULL) on stderr; exit status 2. Returns -1. */
int runtime_usage_error(struct runtime *rt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Loads --config if given, with every error on stderr; exit status 1. */
int runtime_load_config(struct runtime *rt);
/* Needs the config: starts logging as spec->process (label: an exchange
 * name, or NULL), installs SIGTERM/SIGINT (request a stop; no SA_RESTART,
 * so a blocking wait returns at once), ignores SIGPIPE (a closed socket is
 * an error to handle) and SIGXFSZ (a file size limit is EFBIG, not death),
 * and notes the parent process to watch. */
int runtime_init_process(struct runtime *rt, const char *label);
/* Attaches the bus and claims the status block named block: pid, start
 * time, empty detail, state STARTING, a first heartbeat. */
int runtime_attach(struct runtime *rt, const char *block);
/* The four steps above, the status block named spec->process. */
int runtime_start(struct runtime *rt, const struct runtime_spec *spec, int argc, char **argv);

/* STARTING -> RUNNING (a child that reported DEGRADED during its setup
 * stays DEGRADED). */
void runtime_set_running(struct runtime *rt);
/* True once SIGTERM or SIGINT arrived, or once the parent process is gone
 * (a supervisor that dies normally takes its children with it through
 * PR_SET_PDEATHSIG; this catches any other parent). Cheap: call it every
 * turn of the loop. */
bool runtime_should_stop(struct runtime *rt);
/* Writes the heartbeat if the last one is RUNTIME_HEARTBEAT_NS old; cheap
 * enough for every turn of the loop. */
void runtime_heartbeat(struct runtime *rt);
void runtime_set_stopping(struct runtime *rt);
/* EXITED and a last heartbeat if a status block was claimed, then the bus
 * is closed and the config freed. Returns rt->exit_status. */
int runtime_end(struct runtime *rt);

#endif

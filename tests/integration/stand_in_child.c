/* Test stand-in for a child program while the real one is missing: attaches
 * to the bus like a child, heartbeats every 100 ms, exits 0 on SIGTERM.
 * Its role comes from its name (spreadbus-collector/-aggregator/-writer). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/config.h"
#include "shm/bus.h"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	const char *config = NULL, *name = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--config") == 0)
			config = argv[i + 1];
		else if (strcmp(argv[i], "--exchange") == 0)
			name = argv[i + 1];
	}
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if (!name)
		name = strstr(prog, "aggregator") ? "aggregator" : "writer";
	static char errs[8192];
	struct config *cfg = config_new();
	if (!config || !cfg || config_load(cfg, config, NULL, errs, sizeof(errs)) != 0) {
		fprintf(stderr, "stand-in: bad config: %s", errs);
		return 1;
	}
	struct bus bus;
	if (bus_attach(&bus, cfg, errs, sizeof(errs)) < 0) {
		fprintf(stderr, "stand-in: %s\n", errs);
		return 1;
	}
	struct status_block *b = status_table_find(bus.status, name);
	if (!b) {
		fprintf(stderr, "stand-in: no status block %s\n", name);
		return 1;
	}
	struct sigaction act = { .sa_handler = on_term };
	sigaction(SIGTERM, &act, NULL);
	pid_t parent = getppid();
	__atomic_store_n(&b->pid, getpid(), __ATOMIC_RELAXED);
	__atomic_store_n(&b->started_ns, clock_realtime_ns(), __ATOMIC_RELAXED);
	status_set_state(b, CHILD_RUNNING);
	if (strcmp(name, "aggregator") && strcmp(name, "writer"))
		status_set_conn(b, 0, CONN_BACKOFF, clock_realtime_ns());
	while (!stop && getppid() == parent) {
		status_heartbeat(b, clock_realtime_ns());
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
	}
	status_set_state(b, CHILD_EXITED);
	bus_close(&bus);
	config_free(cfg);
	return 0;
}

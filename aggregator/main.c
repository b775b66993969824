/* spreadbus-aggregator --config FILE: attach to the bus, find the status
 * block "aggregator", run the loop until SIGTERM. Exit 0/1/2 per contract. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aggregator/aggregator.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/log.h"
#include "shm/bus.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: the ring wait returns at once */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
		return -errno;
	sa.sa_handler = SIG_IGN; /* a closed Redis socket must not kill us */
	if (sigaction(SIGPIPE, &sa, NULL) < 0)
		return -errno;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: spreadbus-aggregator --config FILE\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *path = NULL;
	int o;
	while ((o = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		if (o == 'c') {
			path = optarg;
		} else if (o == 'h') {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!path || optind != argc) {
		usage(stderr);
		return 2;
	}

	static char err[8192];
	int ret = 1;
	struct bus bus;
	memset(&bus, 0, sizeof(bus));
	struct config *cfg = config_new();
	if (!cfg) {
		fprintf(stderr, "spreadbus-aggregator: out of memory\n");
		return 1;
	}
	int rc = config_load(cfg, path, NULL, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "%s", rc < 0 ? "" : err);
		if (rc < 0)
			fprintf(stderr, "spreadbus-aggregator: cannot read %s: %s\n", path, strerror(-rc));
		goto out;
	}
	log_init("aggregator", NULL, cfg->log_level, strcmp(cfg->log_format, "json") == 0);
	if ((rc = install_signals()) < 0) {
		log_err("aggregator: sigaction: %s", strerror(-rc));
		goto out;
	}
	if ((rc = bus_attach(&bus, cfg, err, sizeof(err))) < 0) {
		log_err("aggregator: cannot attach to the bus of instance %s: %s", cfg->instance, err);
		goto out;
	}
	struct status_block *status = status_table_find(bus.status, "aggregator");
	if (!status) {
		log_err("aggregator: no status block \"aggregator\" in instance %s", cfg->instance);
		goto out_bus;
	}
	/* Counters are this process's own: a restarted aggregator starts at 0. */
	for (int m = SM_TICKS_READ; m <= SM_WINDOW_MEMORY; m++)
		status_set(status, (enum status_metric)m, 0);
	status->pid = getpid();
	status->started_ns = clock_realtime_ns();
	status_set_state(status, CHILD_STARTING);
	status_heartbeat(status, clock_realtime_ns());
	if (aggregator_run(cfg, &bus, status, &stop_requested) == 0)
		ret = 0;
	status_set_state(status, CHILD_EXITED);
out_bus:
	bus_close(&bus);
out:
	config_free(cfg);
	return ret;
}

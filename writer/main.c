/* spreadbus-writer: records every tick of every ring to Parquet, exactly
 * once across crashes, through a per-ring journal (see docs/parquet.md). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/config.h"
#include "common/log.h"
#include "shm/bus.h"
#include "writer/stream.h"

#define HEARTBEAT_NS 100000000LL /* well inside the 250 ms contract */
#define WAIT_MS 50
#define PARENT_CHECK_NS 1000000000LL
#define DRAIN_BUDGET_NS 1200000000LL /* leaves time to publish the files within ~2 s */

static volatile sig_atomic_t stop_requested;
static struct status_block *status;
static int64_t last_heartbeat_ns;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void heartbeat(void *ctx)
{
	(void)ctx;
	int64_t now = clock_monotonic_ns();
	if (now - last_heartbeat_ns < HEARTBEAT_NS)
		return;
	last_heartbeat_ns = now;
	status_heartbeat(status, clock_realtime_ns());
}

static void usage(FILE *f)
{
	fprintf(f, "usage: spreadbus-writer --config FILE\n"
		   "Records every tick of every ring as Parquet under [writer] data_dir, exactly once.\n");
}

static int install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
		return -errno;
	/* A file size limit must show up as EFBIG (a disk error we report and
	 * retry), not kill the process. */
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGXFSZ, &sa, NULL) < 0 || sigaction(SIGPIPE, &sa, NULL) < 0)
		return -errno;
	return 0;
}

static void update_gauges(struct stream **streams, size_t n)
{
	uint64_t lag = 0, journal = 0;
	int degraded = 0;
	for (size_t i = 0; i < n; i++) {
		struct ring_reader *r = stream_reader(streams[i]);
		uint64_t head = ring_head(ring_reader_ring(r)), pos = ring_reader_position(r);
		lag += head > pos ? head - pos : 0;
		journal += stream_journal_bytes(streams[i]);
		degraded |= stream_degraded(streams[i]);
	}
	status_set(status, SM_READ_LAG, lag);
	status_set(status, SM_JOURNAL_BYTES, journal);
	if (!degraded && status->state == CHILD_DEGRADED) {
		status_set_state(status, CHILD_RUNNING);
		status_set_detail(status, "");
	}
}

static int fatal_journal_error(int rc)
{
	return rc == -EPROTO || rc == -EBADMSG || rc == -EXDEV;
}

static int run(struct stream **streams, size_t n)
{
	pid_t parent = getppid();
	int64_t last_parent_check = clock_monotonic_ns();
	while (!stop_requested) {
		heartbeat(NULL);
		size_t got = 0;
		for (size_t i = 0; i < n; i++)
			got += stream_poll(streams[i]);
		int64_t now = clock_monotonic_ns();
		for (size_t i = 0; i < n; i++) {
			int rc = stream_service(streams[i], now);
			if (fatal_journal_error(rc))
				return 1;
		}
		update_gauges(streams, n);
		if (now - last_parent_check >= PARENT_CHECK_NS) {
			last_parent_check = now;
			if (getppid() != parent) {
				log_warn("parent process %d went away: draining and stopping", (int)parent);
				break;
			}
		}
		if (got > 0)
			continue;
		struct ring_reader *readers[CONFIG_MAX_EXCHANGES];
		size_t nr = 0;
		for (size_t i = 0; i < n; i++)
			if (stream_healthy(streams[i]))
				readers[nr++] = stream_reader(streams[i]);
		if (nr > 0) {
			ring_wait_any(readers, nr, WAIT_MS);
		} else {
			struct timespec ts = {0, WAIT_MS * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	status_set_state(status, CHILD_STOPPING);
	int rc = 0;
	/* Drain within the stop budget (the supervisor SIGKILLs after
	 * stop_timeout_ms); whatever is left stays in the ring. */
	int64_t deadline = clock_monotonic_ns() + DRAIN_BUDGET_NS;
	for (size_t i = 0; i < n; i++) {
		heartbeat(NULL);
		if (stream_drain_and_close(streams[i], deadline) < 0) {
			log_err("%s: could not finish the open files at stop; the journal keeps them for the next start",
				stream_exchange(streams[i]));
			rc = 1;
		}
	}
	update_gauges(streams, n);
	log_info("stopped: rows=%llu files=%llu bytes=%llu lost=%llu disk_errors=%llu",
		 (unsigned long long)status_get(status, SM_ROWS_WRITTEN),
		 (unsigned long long)status_get(status, SM_FILES_WRITTEN),
		 (unsigned long long)status_get(status, SM_BYTES_WRITTEN),
		 (unsigned long long)status_get(status, SM_TICKS_LOST),
		 (unsigned long long)status_get(status, SM_DISK_ERRORS));
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *config_path = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		if (c == 'c') {
			config_path = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!config_path || optind != argc) {
		usage(stderr);
		return 2;
	}

	int exit_code = 1;
	struct bus bus;
	int bus_open = 0;
	struct stream *streams[CONFIG_MAX_EXCHANGES] = {0};
	size_t stream_count = 0;
	struct ring_reader *readers[CONFIG_MAX_EXCHANGES] = {0};
	char err[4096];
	struct config *cfg = config_new();
	if (!cfg) {
		fprintf(stderr, "spreadbus-writer: out of memory\n");
		return 1;
	}
	int rc = config_load(cfg, config_path, NULL, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "%s", err);
		if (rc < 0)
			fprintf(stderr, "spreadbus-writer: cannot read %s: %s\n", config_path, strerror(-rc));
		goto out;
	}
	log_init("writer", NULL, cfg->log_level, strcmp(cfg->log_format, "json") == 0);
	if ((rc = install_signals()) < 0) {
		log_err("cannot install signal handlers: %s", strerror(-rc));
		goto out;
	}
	if ((rc = bus_attach(&bus, cfg, err, sizeof(err))) < 0) {
		log_err("cannot attach to the bus of instance %s: %s", cfg->instance, err);
		goto out;
	}
	bus_open = 1;
	status = status_table_find(bus.status, "writer");
	if (!status) {
		log_err("no status block named \"writer\" in instance %s", cfg->instance);
		goto out;
	}
	status->pid = getpid();
	status->started_ns = clock_realtime_ns();
	status_set_state(status, CHILD_STARTING);
	status_set_detail(status, "");
	heartbeat(NULL);

	const struct config_writer *w = &cfg->writer;
	struct stream_config scfg = {
		.data_dir = w->data_dir,
		.journal_dir = w->journal_dir,
		.row_group_rows = w->row_group_rows,
		.rotate_s = w->rotate_s,
		.rotate_bytes = w->rotate_bytes,
		.journal_fsync_ms = w->journal_fsync_ms,
		.zstd_level = w->compression_level,
	};
	struct stream_hooks hooks = {.status = status, .registry = bus.registry, .heartbeat = heartbeat};
	for (size_t i = 0; i < bus.ring_count; i++) {
		const char *name = bus.ring_exchange[i];
		/* A new slot starts at the oldest tick the ring holds (collectors may
		 * have started first), stored there before any commit, so that a
		 * writer killed right after claiming it resumes from there. */
		if ((rc = ring_reader_open_from(&readers[i], bus.rings[i], "writer", RING_START_AT_OLDEST)) < 0) {
			log_err("%s: cannot open the ring's \"writer\" reader slot: %s", name, strerror(-rc));
			goto out;
		}
		if ((rc = stream_new(&streams[i], name, &scfg, &hooks, readers[i])) < 0) {
			log_err("%s: cannot set up recording: %s", name, strerror(-rc));
			goto out;
		}
		stream_count = i + 1;
		rc = stream_start(streams[i]);
		if (fatal_journal_error(rc))
			goto out;
		log_info("%s: recording from bus_seq %llu (ring head %llu)", name,
			 (unsigned long long)ring_reader_position(readers[i]),
			 (unsigned long long)ring_head(bus.rings[i]));
	}
	if (status->state == CHILD_STARTING)
		status_set_state(status, CHILD_RUNNING);
	exit_code = run(streams, stream_count);
	status_set_state(status, CHILD_EXITED);
	heartbeat(NULL);
out:
	for (size_t i = 0; i < stream_count; i++)
		stream_free(streams[i]);
	for (size_t i = 0; i < CONFIG_MAX_EXCHANGES; i++)
		if (readers[i])
			ring_reader_close(readers[i]);
	if (bus_open)
		bus_close(&bus);
	config_free(cfg);
	return exit_code;
}

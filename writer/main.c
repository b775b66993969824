/* spreadbus-writer: records every tick of every ring to Parquet, exactly
 * once across crashes, through a per-ring journal (see docs/parquet.md). */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/log.h"
#include "shm/runtime.h"
#include "writer/stream.h"

#define WAIT_MS 50
/* While ticks keep coming, wake at most every 10 ms: a Parquet row can
 * wait that long, and the collectors then make no wake-up call for us. */
#define BATCH_DELAY_NS (10 * 1000000LL)
#define DRAIN_BUDGET_NS 1200000000LL /* leaves time to publish the files within ~2 s */

static struct runtime rt;

/* The streams' hook: fsyncing or encoding a large file can take a while. */
static void heartbeat(void *ctx)
{
	(void)ctx;
	runtime_heartbeat(&rt);
}

static void update_gauges(struct status_block *status, struct stream **streams, size_t n)
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
	struct status_block *status = rt.status;
	struct ring_batch_wait bw = { .batch_ns = BATCH_DELAY_NS };
	size_t since_wait = 0;
	while (!runtime_should_stop(&rt)) {
		runtime_heartbeat(&rt);
		size_t got = 0;
		for (size_t i = 0; i < n; i++)
			got += stream_poll(streams[i]);
		since_wait += got;
		int64_t now = clock_monotonic_ns();
		for (size_t i = 0; i < n; i++) {
			int rc = stream_service(streams[i], now);
			if (fatal_journal_error(rc))
				return RUNTIME_EXIT_SETUP;
		}
		update_gauges(status, streams, n);
		if (got > 0)
			continue;
		struct ring_reader *readers[CONFIG_MAX_EXCHANGES];
		size_t nr = 0;
		for (size_t i = 0; i < n; i++)
			if (stream_healthy(streams[i]))
				readers[nr++] = stream_reader(streams[i]);
		if (nr > 0) {
			ring_wait_batch(&bw, readers, nr, WAIT_MS, since_wait);
			since_wait = 0;
		} else {
			struct timespec ts = {0, WAIT_MS * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	runtime_set_stopping(&rt);
	int rc = RUNTIME_EXIT_OK;
	/* Drain within the stop budget (the supervisor SIGKILLs after
	 * stop_timeout_ms); whatever is left stays in the ring. */
	int64_t deadline = clock_monotonic_ns() + DRAIN_BUDGET_NS;
	for (size_t i = 0; i < n; i++) {
		runtime_heartbeat(&rt);
		if (stream_drain_and_close(streams[i], deadline) < 0) {
			log_err("%s: could not finish the open files at stop; the journal keeps them for the next start",
				stream_exchange(streams[i]));
			rc = RUNTIME_EXIT_SETUP;
		}
	}
	update_gauges(status, streams, n);
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
	static const struct runtime_spec spec = {
		.program = "spreadbus-writer",
		.process = "writer",
		.usage = "usage: spreadbus-writer --config FILE\n"
			 "Records every tick of every ring as Parquet under [writer] data_dir, exactly once.\n",
	};
	struct stream *streams[CONFIG_MAX_EXCHANGES] = {0};
	size_t stream_count = 0;
	struct ring_reader *readers[CONFIG_MAX_EXCHANGES] = {0};
	int rc;

	if (runtime_start(&rt, &spec, argc, argv) < 0)
		return runtime_end(&rt);
	const struct config_writer *w = &rt.cfg->writer;
	struct stream_config scfg = {
		.data_dir = w->data_dir,
		.journal_dir = w->journal_dir,
		.row_group_rows = w->row_group_rows,
		.rotate_s = w->rotate_s,
		.rotate_bytes = w->rotate_bytes,
		.journal_fsync_ms = w->journal_fsync_ms,
		.zstd_level = w->compression_level,
	};
	struct stream_hooks hooks = {.status = rt.status, .registry = rt.bus.registry, .heartbeat = heartbeat};
	for (size_t i = 0; i < rt.bus.ring_count; i++) {
		const char *name = rt.bus.ring_exchange[i];
		/* A new slot starts at the oldest tick the ring holds (collectors may
		 * have started first), stored there before any commit, so that a
		 * writer killed right after claiming it resumes from there. */
		if ((rc = ring_reader_open_from(&readers[i], rt.bus.rings[i], "writer", RING_START_AT_OLDEST)) < 0) {
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
			 (unsigned long long)ring_head(rt.bus.rings[i]));
	}
	runtime_set_running(&rt);
	rt.exit_status = run(streams, stream_count);
out:
	for (size_t i = 0; i < stream_count; i++)
		stream_free(streams[i]);
	for (size_t i = 0; i < CONFIG_MAX_EXCHANGES; i++)
		if (readers[i])
			ring_reader_close(readers[i]);
	return runtime_end(&rt);
}

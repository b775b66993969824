/* Per-ring recording: ticks are journaled before the ring cursor moves,
 * encoded into the segment's Parquet files, and a segment's files are
 * published (fsync, rename, dir fsync) only after its CUT is durable. */
#include "writer/stream.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "writer/dataset.h"
#include "writer/fileio.h"
#include "writer/journal.h"
#include "writer/parquet_file.h"

#define BATCH_TICKS 4096
#define JOURNAL_WRITE_BYTES (1u << 20) /* write() the journal buffer at this size */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
#define NS_PER_DAY 86400000000000LL
#define PATH_LEN 1024

struct stream {
	char exchange[JOURNAL_NAME_MAX];
	struct stream_config cfg;
	struct stream_hooks hooks;
	struct ring_reader *reader;
	char jdir[PATH_LEN];
	struct journal j;
	int healthy;           /* 0: failed, recovery retried at retry_at_ns */
	int degraded;          /* a disk error happened and recording has not yet got past it */
	uint64_t failed_at_seq; /* journal end when it happened */
	int64_t retry_at_ns;
	uint32_t backoff_ms;
	/* the open segment's Parquet files */
	struct parquet_writer *pq[DATASET_COUNT];
	int64_t seg_day; /* UTC day (days since epoch) of its rows; INT64_MIN while empty */
	uint64_t seg_rows;
	int64_t seg_opened_ns; /* monotonic time of its first row */
	int64_t last_sync_ns;
	int64_t last_ts_recv;
	uint64_t rows_since_start;
	struct tick batch[BATCH_TICKS];
};

static void count(struct stream *s, enum status_metric m, uint64_t v)
{
	if (s->hooks.status)
		status_add(s->hooks.status, m, v);
}

static int64_t day_of(int64_t ts_ns)
{
	int64_t d = ts_ns / NS_PER_DAY;
	return ts_ns % NS_PER_DAY < 0 ? d - 1 : d;
}

int stream_new(struct stream **out, const char *exchange, const struct stream_config *cfg,
	       const struct stream_hooks *hooks, struct ring_reader *reader)
{
	if (strlen(exchange) >= JOURNAL_NAME_MAX)
		return -ENAMETOOLONG;
	struct stream *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	memcpy(s->exchange, exchange, strlen(exchange) + 1);
	s->cfg = *cfg;
	s->hooks = *hooks;
	s->reader = reader;
	s->backoff_ms = BACKOFF_MIN_MS;
	s->seg_day = INT64_MIN;
	journal_init(&s->j);
	int rc = 0;
	if ((size_t)snprintf(s->jdir, sizeof(s->jdir), "%s/%s", cfg->journal_dir, exchange) >= sizeof(s->jdir))
		rc = -ENAMETOOLONG;
	for (int d = 0; rc == 0 && d < DATASET_COUNT; d++)
		rc = parquet_writer_new(&s->pq[d], dataset_schema((enum dataset)d), cfg->row_group_rows, cfg->zstd_level);
	if (rc < 0) {
		stream_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static void drop_state(struct stream *s)
{
	journal_close(&s->j);
	for (int d = 0; d < DATASET_COUNT; d++)
		if (s->pq[d])
			parquet_writer_abandon(s->pq[d]);
	s->seg_day = INT64_MIN;
	s->seg_rows = 0;
}

void stream_free(struct stream *s)
{
	if (!s)
		return;
	drop_state(s);
	bytebuf_free(&s->j.buf);
	for (int d = 0; d < DATASET_COUNT; d++)
		parquet_writer_free(s->pq[d]);
	free(s);
}

int stream_healthy(const struct stream *s)
{
	return s->healthy;
}

int stream_degraded(const struct stream *s)
{
	return s->degraded;
}

uint64_t stream_journal_bytes(const struct stream *s)
{
	return s->j.fd >= 0 ? s->j.file_bytes : 0;
}

struct ring_reader *stream_reader(const struct stream *s)
{
	return s->reader;
}

const char *stream_exchange(const struct stream *s)
{
	return s->exchange;
}

/* A disk problem: say what and where, show it in the status block, drop
 * everything in memory and retry recovery later. Nothing is lost: the ring
 * cursor never passed what the journal holds durably. */
static void fail(struct stream *s, int rc, const char *what, const char *path)
{
	if (!s->healthy)
		return; /* already failed; the first error is the one to report */
	char detail[STATUS_DETAIL_MAX];
	/* The cause first: the detail field is short and paths are long. */
	snprintf(detail, sizeof(detail), "%s: %s: %s %s", s->exchange, strerror(-rc), what, path);
	log_err("%s: %s: %s %s (retrying in %u ms)", s->exchange, strerror(-rc), what, path, s->backoff_ms);
	if (s->hooks.status) {
		status_set_state(s->hooks.status, CHILD_DEGRADED);
		status_set_detail(s->hooks.status, detail);
	}
	count(s, SM_DISK_ERRORS, 1);
	if (!s->degraded || s->j.end_seq > s->failed_at_seq)
		s->failed_at_seq = s->j.end_seq;
	s->degraded = 1;
	drop_state(s);
	s->healthy = 0;
	s->retry_at_ns = clock_monotonic_ns() + (int64_t)s->backoff_ms * 1000000;
	s->backoff_ms = s->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : s->backoff_ms * 2;
}

/* "<data_dir>/<dataset>/date=YYYY-MM-DD/exchange=<name>" */
static int partition_dir(const struct stream *s, enum dataset d, char *out, size_t len)
{
	time_t t = (time_t)(s->seg_day * 86400);
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return -ERANGE;
	int n = snprintf(out, len, "%s/%s/date=%04d-%02d-%02d/exchange=%s", s->cfg.data_dir, dataset_name(d),
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, s->exchange);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int temp_path(const struct stream *s, enum dataset d, char *out, size_t len)
{
	char dir[PATH_LEN];
	int rc = partition_dir(s, d, dir, sizeof(dir));
	if (rc < 0)
		return rc;
	int n = snprintf(out, len, "%s/part-%019" PRId64 "-%020" PRIu64 ".parquet.tmp", dir, s->j.id.ring_created_ns,
			 s->j.id.start_seq);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Encode one row into the segment's file for its dataset (opening it on
 * its first row). Used live and when replaying the journal. */
static int add_row(struct stream *s, uint64_t seq, const struct tick *t)
{
	enum dataset d = dataset_of(t);
	if (s->seg_day == INT64_MIN) {
		s->seg_day = day_of(t->ts_recv_ns);
		s->seg_opened_ns = clock_monotonic_ns();
	}
	struct parquet_writer *w = s->pq[d];
	int rc;
	if (!parquet_writer_is_open(w)) {
		char path[PATH_LEN], dir[PATH_LEN];
		if ((rc = temp_path(s, d, path, sizeof(path))) < 0 || (rc = fileio_dirname(path, dir, sizeof(dir))) < 0)
			return rc;
		if ((rc = fileio_mkdir_p(dir)) < 0) {
			fail(s, rc, "cannot create directory", dir);
			return rc;
		}
		if ((rc = parquet_writer_open(w, path)) < 0) {
			fail(s, rc, "cannot create", path);
			return rc;
		}
	}
	char unknown[16];
	const char *symbol = s->hooks.registry ? registry_symbol_name(s->hooks.registry, t->symbol_id) : NULL;
	if (!symbol) {
		snprintf(unknown, sizeof(unknown), "#%u", (unsigned)t->symbol_id);
		symbol = unknown;
	}
	rc = dataset_add_row(w, d, t, seq, s->exchange, symbol);
	if (rc < 0) {
		char path[PATH_LEN];
		temp_path(s, d, path, sizeof(path));
		fail(s, rc, "cannot write", path);
		return rc;
	}
	s->seg_rows++;
	if (s->hooks.heartbeat && (++s->rows_since_start & 16383) == 0)
		s->hooks.heartbeat(s->hooks.ctx);
	return 0;
}

static int replay_record(void *ctx, const struct journal_record *rec)
{
	struct stream *s = ctx;
	struct tick t;
	for (uint32_t i = 0; i < rec->count; i++) {
		memcpy(&t, rec->payload + (size_t)i * sizeof(t), sizeof(t));
		int rc = add_row(s, rec->seq + i, &t);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int sync_journal(struct stream *s)
{
	int rc = journal_sync(&s->j);
	if (rc < 0) {
		char path[PATH_LEN];
		journal_segment_path(path, sizeof(path), s->jdir, &s->j.id);
		fail(s, rc, "journal write", path);
		return rc;
	}
	ring_reader_commit(s->reader, s->j.written_seq);
	s->last_sync_ns = clock_monotonic_ns();
	/* Healthy again once durable progress passes the failure point (or
	 * there is nothing more to record). */
	if (s->degraded && (s->j.written_seq > s->failed_at_seq ||
			    ring_reader_position(s->reader) >= ring_head(ring_reader_ring(s->reader)))) {
		s->degraded = 0;
		s->backoff_ms = BACKOFF_MIN_MS;
		log_info("%s: recovered from the disk error; bus_seq up to %" PRIu64 " is durable", s->exchange,
			 s->j.written_seq);
	}
	return 0;
}

/* Finish, fsync and publish the segment's files under their final names
 * (a name that already exists was published before a crash: keep it). */
static int publish_files(struct stream *s, uint64_t end_seq, const char *why)
{
	uint64_t rows_total = 0;
	int files = 0;
	for (int i = 0; i < DATASET_COUNT; i++) {
		enum dataset d = (enum dataset)i;
		struct parquet_writer *w = s->pq[d];
		if (!parquet_writer_is_open(w))
			continue;
		char tmp[PATH_LEN], dir[PATH_LEN], final[PATH_LEN + 128];
		temp_path(s, d, tmp, sizeof(tmp));
		fileio_dirname(tmp, dir, sizeof(dir));
		snprintf(final, sizeof(final), "%s/part-%019" PRId64 "-%020" PRIu64 "-%020" PRIu64 ".parquet", dir,
			 s->j.id.ring_created_ns, s->j.id.start_seq, end_seq - 1);
		uint64_t rows = parquet_writer_rows(w);
		rows_total += rows;
		files++;
		if (s->hooks.heartbeat) /* fsyncing a large file can take a while */
			s->hooks.heartbeat(s->hooks.ctx);
		int rc = parquet_writer_finish(w);
		if (rc < 0) {
			fail(s, rc, "cannot finish", tmp);
			return rc;
		}
		uint64_t bytes = parquet_writer_file_bytes(w);
		if (access(final, F_OK) == 0) {
			log_info("%s: %s already published before a restart, kept", s->exchange, final);
			unlink(tmp);
		} else if (rename(tmp, final) < 0) {
			rc = -errno;
			fail(s, rc, "cannot rename to", final);
			return rc;
		} else {
			count(s, SM_FILES_WRITTEN, 1);
			count(s, SM_ROWS_WRITTEN, rows);
			count(s, SM_BYTES_WRITTEN, bytes);
		}
		if ((rc = fileio_fsync_dir(dir)) < 0) {
			fail(s, rc, "cannot fsync directory", dir);
			return rc;
		}
	}
	log_info("%s: bus_seq %" PRIu64 "..%" PRIu64 " published: %" PRIu64 " rows in %d files (%s)", s->exchange,
		 s->j.id.start_seq, end_seq - 1, rows_total, files, why);
	return 0;
}

/* Files published: start the next segment, then drop the old one (in this
 * order, so that the journal always knows where the stream stands). */
static int next_segment(struct stream *s, const struct journal_segment_id *next)
{
	struct journal_segment_id old = s->j.id;
	int rc = journal_create(&s->j, s->jdir, s->exchange, next);
	if (rc < 0) {
		fail(s, rc, "cannot create journal segment in", s->jdir);
		return rc;
	}
	if ((old.start_seq != next->start_seq || old.ring_created_ns != next->ring_created_ns) &&
	    (rc = journal_unlink(s->jdir, &old)) < 0) {
		fail(s, rc, "cannot remove journal segment in", s->jdir);
		return rc;
	}
	s->seg_day = INT64_MIN;
	s->seg_rows = 0;
	return 0;
}

/* Close the segment: CUT durable first, then the files, then the journal. */
static int cut(struct stream *s, const char *why)
{
	int rc = journal_append_cut(&s->j);
	if (rc < 0) {
		fail(s, rc, "journal append", s->jdir);
		return rc;
	}
	if ((rc = sync_journal(s)) < 0)
		return rc;
	struct journal_segment_id next = {s->j.id.ring_created_ns, s->j.end_seq};
	if ((rc = publish_files(s, next.start_seq, why)) < 0)
		return rc;
	return next_segment(s, &next);
}

/*
 * One segment found at start. The newest one, if it has no CUT and belongs
 * to the ring as it is now, is the open segment: replayed into fresh .tmp
 * files and appended to. Any other is finished: its files are rebuilt from
 * the journal and published; an older one is also removed (the newest is
 * removed once its successor exists). *resume: where a new segment starts.
 */
static int recover_segment(struct stream *s, const struct journal_segment_id *id, int is_last, int64_t ring_gen,
			   int *have_open, uint64_t *resume)
{
	char path[PATH_LEN];
	struct journal_scan scan;
	journal_segment_path(path, sizeof(path), s->jdir, id);
	int rc = journal_recover_file(path, s->exchange, 1, &scan, NULL, NULL);
	if (rc == -EPROTO || rc == -EBADMSG || rc == -EXDEV) {
		log_err("%s: journal segment %s is unusable (%s): %s; left untouched, move it away to start over",
			s->exchange, path,
			rc == -EPROTO ? "written by another journal layout version"
			: rc == -EXDEV ? "belongs to another exchange"
				       : "bad header",
			strerror(-rc));
		return rc;
	}
	if (rc < 0) {
		fail(s, rc, "cannot recover journal segment", path);
		return rc;
	}
	/* The header, not the name, says which range this is. */
	s->j.id.ring_created_ns = scan.ring_created_ns;
	s->j.id.start_seq = scan.start_seq;
	int same_ring = scan.ring_created_ns == ring_gen;
	int open = is_last && !scan.closed && same_ring;
	s->seg_day = INT64_MIN;
	s->seg_rows = 0;
	rc = journal_recover_file(path, s->exchange, 0, &scan, replay_record, s);
	if (rc == 0 && open)
		rc = journal_open_append(&s->j, s->jdir, s->exchange, &scan);
	if (rc < 0) {
		fail(s, rc, "cannot replay journal segment", path);
		return rc;
	}
	if (open) {
		*have_open = 1;
		if (scan.records > 0)
			log_info("%s: replayed journal segment %s: bus_seq %" PRIu64 "..%" PRIu64 " (%" PRIu64 " rows)",
				 s->exchange, path, scan.start_seq, scan.end_seq, s->seg_rows);
		return 0;
	}
	const char *why = "recovered from the journal";
	if (!scan.closed && !same_ring) {
		why = "ring recreated";
		log_warn("%s: journal segment %s belongs to an earlier ring (created %" PRId64 ", now %" PRId64
			 "); publishing what it holds, bus_seq restarts",
			 s->exchange, path, scan.ring_created_ns, ring_gen);
	} else if (!scan.closed) {
		why = "damaged segment";
		log_err("%s: journal segment %s ends without a cut at bus_seq %" PRIu64 " (damaged); publishing what it holds",
			s->exchange, path, scan.end_seq);
	}
	s->j.end_seq = scan.end_seq;
	if (s->seg_rows > 0 && (rc = publish_files(s, scan.end_seq, why)) < 0)
		return rc;
	s->seg_day = INT64_MIN;
	s->seg_rows = 0;
	if (is_last && same_ring)
		*resume = scan.end_seq;
	if (!is_last && (rc = journal_unlink(s->jdir, id)) < 0) {
		fail(s, rc, "cannot remove journal segment", path);
		return rc;
	}
	return 0;
}

int stream_start(struct stream *s)
{
	struct journal_segment_id *ids = NULL;
	size_t n = 0;
	drop_state(s);
	s->healthy = 1;
	int rc = fileio_mkdir_p(s->jdir);
	if (rc < 0) {
		fail(s, rc, "cannot create journal directory", s->jdir);
		return rc;
	}
	if ((rc = journal_list(s->jdir, &ids, &n)) < 0) {
		fail(s, rc, "cannot list journal directory", s->jdir);
		return rc;
	}
	struct ring *ring = ring_reader_ring(s->reader);
	struct journal_segment_id next = {ring_created_ns(ring), ring_reader_position(s->reader)};
	int have_open = 0;
	for (size_t i = 0; i < n; i++)
		if ((rc = recover_segment(s, &ids[i], i + 1 == n, next.ring_created_ns, &have_open, &next.start_seq)) < 0)
			goto out;
	if (!have_open) {
		/* next_segment also removes the newest old segment, if any */
		if (n > 0)
			s->j.id = ids[n - 1];
		else
			s->j.id = next;
		if ((rc = next_segment(s, &next)) < 0)
			goto out;
	}
	/* What the kernel holds of the open segment may not be on disk yet. */
	ring_reader_seek(s->reader, s->j.end_seq);
	rc = sync_journal(s);
out:
	free(ids);
	return rc;
}

static int journal_failed(struct stream *s, int rc)
{
	fail(s, rc, "journal append in", s->jdir);
	return rc;
}

/* One tick (or a lapped-gap row) into the journal and the files, cutting
 * first if its UTC date differs from the segment's. */
static int process(struct stream *s, uint64_t seq, const struct tick *t, int lost_marker)
{
	int rc;
	if (s->seg_day != INT64_MIN && day_of(t->ts_recv_ns) != s->seg_day && (rc = cut(s, "UTC date change")) < 0)
		return rc;
	rc = lost_marker ? journal_append_lost(&s->j, seq, t) : journal_append_ticks(&s->j, seq, t, 1);
	if (rc < 0)
		return journal_failed(s, rc);
	if ((rc = add_row(s, seq, t)) < 0)
		return rc;
	s->last_ts_recv = t->ts_recv_ns;
	for (int d = 0; d < DATASET_COUNT; d++)
		if (parquet_writer_is_open(s->pq[d]) && parquet_writer_file_bytes(s->pq[d]) >= s->cfg.rotate_bytes)
			return cut(s, "rotate_bytes");
	return 0;
}

size_t stream_poll(struct stream *s)
{
	if (!s->healthy)
		return 0;
	uint64_t from = ring_reader_position(s->reader);
	uint64_t first = 0, lost = 0;
	size_t n = ring_reader_read(s->reader, s->batch, BATCH_TICKS, &first, &lost);
	if (lost > 0) {
		struct tick gap;
		memset(&gap, 0, sizeof(gap));
		gap.kind = TICK_GAP;
		gap.ts_recv_ns = clock_realtime_ns();
		gap.ts_exchange_ns = gap.ts_recv_ns;
		gap.u.gap.ts_start_ns = s->last_ts_recv;
		gap.u.gap.ts_end_ns = gap.ts_recv_ns;
		gap.u.gap.reason = GAP_READER_LAPPED;
		gap.update_id = lost;
		log_err("%s: writer was lapped: %" PRIu64 " ticks lost (bus_seq %" PRIu64 "..%" PRIu64
			"), recorded as a reader_lapped gap",
			s->exchange, lost, from, from + lost - 1);
		count(s, SM_TICKS_LOST, lost);
		if (process(s, from, &gap, 1) < 0)
			return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (process(s, first + i, &s->batch[i], 0) < 0)
			return 0;
	count(s, SM_TICKS_READ, n);
	if (s->j.buf.len >= JOURNAL_WRITE_BYTES) {
		int rc = journal_flush(&s->j);
		if (rc < 0)
			journal_failed(s, rc);
	}
	return n + (lost > 0);
}

int stream_service(struct stream *s, int64_t now_ns)
{
	if (!s->healthy) {
		if (now_ns < s->retry_at_ns)
			return 0;
		int rc = stream_start(s);
		return rc == -EPROTO || rc == -EBADMSG || rc == -EXDEV ? rc : 0;
	}
	if (now_ns - s->last_sync_ns >= (int64_t)s->cfg.journal_fsync_ms * 1000000 &&
	    (s->j.written_seq != s->j.end_seq || s->j.buf.len > 0) && sync_journal(s) < 0)
		return 0;
	if (s->seg_rows > 0 && now_ns - s->seg_opened_ns >= (int64_t)s->cfg.rotate_s * 1000000000)
		cut(s, "rotate_s");
	return 0;
}

int stream_drain_and_close(struct stream *s, int64_t deadline_ns)
{
	if (!s->healthy)
		return -EIO;
	uint64_t head = ring_head(ring_reader_ring(s->reader));
	while (s->healthy && ring_reader_position(s->reader) < head && clock_monotonic_ns() < deadline_ns)
		if (stream_poll(s) == 0)
			break;
	if (s->healthy && ring_reader_position(s->reader) < head)
		log_warn("%s: stop deadline reached %" PRIu64 " ticks before the ring's head; they stay in the ring "
			 "for the next start",
			 s->exchange, head - ring_reader_position(s->reader));
	if (!s->healthy)
		return -EIO;
	int rc = s->seg_rows > 0 ? cut(s, "stop") : sync_journal(s);
	if (rc == 0)
		journal_close(&s->j);
	return rc;
}

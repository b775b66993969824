/* One ring's path to disk: ring -> journal -> Parquet file set, with
 * recovery from the journal after a crash or a disk error. */
#ifndef SPREADBUS_WRITER_STREAM_H
#define SPREADBUS_WRITER_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "shm/registry.h"
#include "shm/ring.h"
#include "shm/status.h"

struct stream_config {
	const char *data_dir;
	const char *journal_dir; /* the stream uses <journal_dir>/<exchange>/ */
	uint32_t row_group_rows;
	uint32_t rotate_s;
	uint64_t rotate_bytes;
	uint32_t journal_fsync_ms;
	int zstd_level;
};

struct stream_hooks {
	struct status_block *status;       /* counters and detail; may be NULL */
	const struct registry *registry;   /* symbol names; may be NULL ("#<id>") */
	void (*heartbeat)(void *ctx);      /* called during long replays; may be NULL */
	void *ctx;
};

struct stream;

/* reader: this ring's "writer" slot, positioned where a stream without any
 * journal should start. */
int stream_new(struct stream **out, const char *exchange, const struct stream_config *cfg,
	       const struct stream_hooks *hooks, struct ring_reader *reader);
void stream_free(struct stream *s);

/*
 * Recover from the journal (finish cut segments, truncate a torn tail,
 * rebuild the open segment's files) and seek the reader to the journal's
 * end. 0; a disk error (-errno, the stream is left failed and retried by
 * stream_service); or -EPROTO / -EBADMSG / -EXDEV: a journal this version
 * cannot use, left untouched (fatal, logged).
 */
int stream_start(struct stream *s);

/* Read what the ring has (up to one batch), journal it and encode it.
 * Returns ticks consumed (0 = nothing new or the stream is failed). */
size_t stream_poll(struct stream *s);

/* Periodic work: journal fsync + ring cursor commit every
 * journal_fsync_ms, time rotation, and the retry of a failed stream.
 * Returns 0, or a fatal error from a retried recovery. */
int stream_service(struct stream *s, int64_t now_mono_ns);

/* SIGTERM: read to the ring's head (or until deadline_ns, monotonic: what
 * is left stays in the ring for the next start), finish and close the
 * files, make everything durable. 0 or -errno (the journal still holds
 * everything). */
int stream_drain_and_close(struct stream *s, int64_t deadline_ns);

/* Not failed right now (reading and recording). */
int stream_healthy(const struct stream *s);
/* A disk error happened and recording has not yet got past that point. */
int stream_degraded(const struct stream *s);
/* Bytes in this stream's journal segment. */
uint64_t stream_journal_bytes(const struct stream *s);
struct ring_reader *stream_reader(const struct stream *s);
const char *stream_exchange(const struct stream *s);

#endif

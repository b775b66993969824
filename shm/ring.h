/* The tick ring: one producer, several readers, in one shared-memory
 * segment. The producer never waits; readers detect being lapped and count
 * exactly what they lost; idle readers sleep on a futex. */
#ifndef SPREADBUS_SHM_RING_H
#define SPREADBUS_SHM_RING_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "shm/segment.h"
#include "shm/tick.h"

#define RING_MAGIC 0x474e495242445053ULL /* "SPDBRING" little endian */
/* 2: a trade tick's id fills what was padding (shm/trade_id.h), which a
 * version 1 collector may have left holding a quote's bytes */
#define RING_LAYOUT_VERSION 2
#define RING_MAX_READERS 8
#define RING_READER_NAME_MAX 24
/* Largest record of a derived ring (tick rings: sizeof(struct tick)). */
#define RING_RECORD_MAX (128u << 10)

struct ring; /* process-local handle */

/* What a reader slot in the segment shows to anyone (supervisor, metrics). */
struct ring_reader_info {
	char name[RING_READER_NAME_MAX];
	uint64_t cursor;       /* next sequence the reader will read */
	uint64_t lost_total;   /* records lost to lapping, ever */
	int32_t pid;           /* last process that opened the slot */
};

/* capacity: number of ticks, a power of two >= 1024. */
size_t ring_segment_size(uint64_t capacity);

/* Supervisor side: create the segment (mode e.g. 0600), or attach to and
 * validate an existing one with the same capacity (after a supervisor
 * restart, so that data still in the ring is kept). */
int ring_create_or_attach(struct ring **out, const char *name, const char *label, uint64_t capacity,
			  mode_t mode, char *err, size_t err_len);

/* Children: attach to an existing ring; any capacity is accepted, anything
 * else that differs is refused with a message in err. */
int ring_attach(struct ring **out, const char *name, char *err, size_t err_len);
/* The same two for a derived ring whose records are record_size bytes (their
 * first 4 bytes are the ring's seq_lo, like a tick's). A tick ring is one
 * with record_size sizeof(struct tick); any other size is refused. */
int ring_create_or_attach_records(struct ring **out, const char *name, const char *label, uint64_t capacity,
				  uint32_t record_size, mode_t mode, char *err, size_t err_len);
int ring_attach_records(struct ring **out, const char *name, uint32_t record_size, char *err, size_t err_len);
void ring_close(struct ring *ring);

uint64_t ring_capacity(const struct ring *ring);
uint32_t ring_record_size(const struct ring *ring);
const char *ring_label(const struct ring *ring);
/* When the segment was created (CLOCK_REALTIME ns): a journal that recorded
 * it can tell a recreated ring (sequences restarted at 0) from its own. */
int64_t ring_created_ns(const struct ring *ring);
/* Sequence the next published tick will get (= ticks published ever). */
uint64_t ring_head(const struct ring *ring);

/* ---- producer (exactly one process at a time) ---- */

/* Recovers after a producer that died mid-publish: a record that was fully
 * written is kept, a half-written one is discarded. Returns the sequence the
 * next publish will get. */
uint64_t ring_producer_open(struct ring *ring);
/* Append n ticks; seq_lo is filled in. Returns the sequence of the first. */
uint64_t ring_publish(struct ring *ring, const struct tick *ticks, size_t n);
/* Derived rings: append n records of ring_record_size bytes each. */
uint64_t ring_publish_records(struct ring *ring, const void *records, size_t n);

/*
 * A ring that a bridge importer fills holds another host's records. Its
 * origin says which: from local sequence local_seq on, the record at
 * local_seq + k is followed by the remote record remote_next + k of the
 * remote ring created at remote_created_ns (so remote_next + (head - 1 -
 * local_seq) is the next remote sequence the importer wants). The origin
 * changes only where the remote sequence jumps (a gap record stands there).
 * It lives in the ring's producer line and survives the importer's death:
 * ring_origin_set is called right before publishing the record at
 * local_seq (= the next publish), and an origin counts only once that
 * record is published, so a crash in between leaves the previous one.
 */
struct ring_origin {
	int64_t remote_created_ns; /* never 0 */
	uint64_t local_seq;
	uint64_t remote_next;
};
/* After ring_producer_open: the origin of the newest record; -ENOENT if the
 * ring holds no imported record. */
int ring_origin_get(const struct ring *ring, struct ring_origin *out);
void ring_origin_set(struct ring *ring, const struct ring_origin *o);

/* ---- readers ---- */

struct ring_reader; /* process-local reader state over one named slot */

/* Where a reader slot that does not exist yet starts. */
enum ring_reader_start {
	RING_START_AT_HEAD,   /* only what is published from now on (live consumers) */
	RING_START_AT_OLDEST, /* everything the ring still holds (recorders) */
};

/* Open (or reopen after a restart) the reader slot called name. A new slot
 * is claimed with its cursor already at start, so that a reader that dies
 * before its first commit resumes from there; an existing one resumes from
 * its stored cursor. */
int ring_reader_open_from(struct ring_reader **out, struct ring *ring, const char *name,
			  enum ring_reader_start start);
/* ring_reader_open_from(out, ring, name, RING_START_AT_HEAD) */
int ring_reader_open(struct ring_reader **out, struct ring *ring, const char *name);
void ring_reader_close(struct ring_reader *r);
/* A reader without a slot in the segment, starting at from (tools that
 * inspect a ring, e.g. busctl dump): invisible to others, commit does
 * nothing, losses are reported to the caller only. */
int ring_reader_open_private(struct ring_reader **out, struct ring *ring, uint64_t from);

/*
 * Copy up to max ticks into out. Returns the number copied (0 when nothing
 * is available). *first_seq receives the sequence of out[0]; the others
 * follow contiguously. If the reader was lapped, the lost records are
 * skipped, *lost receives how many (also added to the slot's lost_total),
 * and out starts after them. Records are never torn.
 * The cursor in the segment is not moved: call ring_reader_commit.
 */
size_t ring_reader_read(struct ring_reader *r, struct tick *out, size_t max, uint64_t *first_seq,
			uint64_t *lost);
/* The same for a derived ring: out holds max records of ring_record_size. */
size_t ring_reader_read_records(struct ring_reader *r, void *out, size_t max, uint64_t *first_seq,
				uint64_t *lost);
/* Publish the reader's position (next sequence to read) into the segment. */
void ring_reader_commit(struct ring_reader *r, uint64_t next_seq);
/* Move the local read position (e.g. the writer resuming from its journal). */
void ring_reader_seek(struct ring_reader *r, uint64_t next_seq);
uint64_t ring_reader_position(const struct ring_reader *r);
struct ring *ring_reader_ring(const struct ring_reader *r);

/* Sleep until any of the readers has data or timeout_ms passes (-1 = no
 * limit). Returns 1 if data may be available, 0 on timeout, -EINTR. Costs
 * the producer nothing while nobody sleeps. */
int ring_wait_any(struct ring_reader *const *readers, size_t n, int timeout_ms);

/*
 * Waiting in batches. A reader woken on the futex again and again within
 * batch_ns (ticks arriving one by one) would cost a wake-up call to the
 * producer and a context switch to itself per record. Instead, while its
 * wake-ups keep finding records that close together, it sleeps out the rest
 * of batch_ns from its last wake-up unannounced: the producers make no
 * wake-up call, it wakes at most once per batch_ns and takes what came
 * meanwhile as one batch. A wake-up that finds nothing puts it back on the
 * futex. So batch_ns bounds what batching adds to a record's latency, and a
 * reader fed in bursts further apart than batch_ns waits as before.
 */
struct ring_batch_wait {
	int64_t batch_ns; /* 0: always ring_wait_any */
	int64_t woke_ns;  /* CLOCK_MONOTONIC of the last wake-up */
	int64_t gap_ns;   /* between the last two wake-ups */
	int timed;        /* the last sleep was a timed one */
};
/* got: records the caller read since its last call. Returns as
 * ring_wait_any does (a timed sleep returns 1). */
int ring_wait_batch(struct ring_batch_wait *bw, struct ring_reader *const *readers, size_t n, int timeout_ms,
		    size_t got);

/* Snapshot of every used reader slot; returns how many were written. */
size_t ring_readers_info(const struct ring *ring, struct ring_reader_info *out, size_t max);
/* The smallest committed cursor of any used reader slot (head if there is
 * none): what the slowest reader still needs. */
uint64_t ring_slowest_cursor(const struct ring *ring);

#endif

/* The writer's journal: per ring, append-only segment files of checksummed
 * records (ticks read from the ring, lapping losses, cuts). A segment holds
 * exactly the bus_seq range of one set of Parquet files. */
#ifndef SPREADBUS_WRITER_JOURNAL_H
#define SPREADBUS_WRITER_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "shm/tick.h"
#include "writer/bytebuf.h"

#define JOURNAL_MAGIC "SPDBJRNL"
#define JOURNAL_LAYOUT_VERSION 1
#define JOURNAL_HEADER_SIZE 64
#define JOURNAL_RECORD_HEADER_SIZE 16
#define JOURNAL_MAX_TICKS_PER_RECORD 65535
#define JOURNAL_NAME_MAX 24

/*
 * Segment file "<19-digit ring_created_ns>-<20-digit start_seq>.jnl":
 *   header (64 bytes): magic "SPDBJRNL", u32 layout version, u32 header size,
 *     u64 start_seq, char exchange[24], i64 ring_created_ns, 4 reserved,
 *     u32 crc32c(bytes 0..59)
 * ring_created_ns names the ring generation whose bus_seq the segment
 * holds: a ring recreated (after a reboot) restarts its sequence at 0.
 *   records: u32 crc32c(bytes 4..15 + payload), u16 type, u16 count,
 *     u64 seq, then count 64-byte ticks. All little-endian.
 * Records must continue the sequence exactly (seq == end of the previous).
 */
enum journal_record_type {
	JREC_TICKS = 1, /* count ticks with bus_seq seq .. seq+count-1 */
	JREC_LOST = 2,  /* one gap tick (reason reader_lapped, update_id = n lost); covers seq .. seq+n-1 */
	JREC_CUT = 3,   /* no payload: the segment ends at seq; its Parquet files may be finished */
};

struct journal_record {
	enum journal_record_type type;
	uint64_t seq;
	uint32_t count;
	const uint8_t *payload; /* count * 64 bytes; may be unaligned: memcpy ticks out */
};

/* Which segment: ring generation and first bus_seq (also its file name). */
struct journal_segment_id {
	int64_t ring_created_ns;
	uint64_t start_seq;
};

struct journal_scan {
	int64_t ring_created_ns;
	uint64_t start_seq;
	uint64_t end_seq;   /* next bus_seq after the last valid record */
	size_t valid_bytes; /* header plus every valid record */
	size_t torn_bytes;  /* bytes after them (a torn or corrupt tail) */
	uint64_t records;
	int closed;         /* the last valid record is a CUT */
};

/* Called for each valid record in order; a negative return stops the parse
 * and is returned. */
typedef int (*journal_record_fn)(void *ctx, const struct journal_record *rec);

/*
 * Validate a segment image. exchange (if not NULL) must match the header.
 * Returns 0 (scan filled; a bad record ends the valid part), -EPROTO (another
 * layout version), -EBADMSG (no valid header), -EXDEV (other exchange),
 * or fn's error.
 */
int journal_parse(const uint8_t *buf, size_t len, const char *exchange, struct journal_scan *scan,
		  journal_record_fn fn, void *ctx);

/* Read a segment file: parse it and, if truncate, cut a torn tail off
 * (logged with its size) and fsync. Same returns as journal_parse, or
 * -errno from the file system. The file is never changed otherwise. */
int journal_recover_file(const char *path, const char *exchange, int truncate, struct journal_scan *scan,
			 journal_record_fn fn, void *ctx);

/* The segments in dir, oldest first (ring generation, then start_seq),
 * malloc'd into *ids (free it). Leftover "*.jnl.tmp" files from a crash
 * are removed. */
int journal_list(const char *dir, struct journal_segment_id **ids, size_t *count);
/* "<dir>/<19-digit ring_created_ns>-<20-digit start_seq>.jnl" */
int journal_segment_path(char *out, size_t out_len, const char *dir, const struct journal_segment_id *id);

/* An open segment being appended to. */
struct journal {
	int fd;
	char dir[512];
	char exchange[JOURNAL_NAME_MAX];
	struct journal_segment_id id;
	uint64_t end_seq;      /* after every appended record (buffered or not) */
	uint64_t written_seq;  /* end of what reached the file */
	uint64_t file_bytes;   /* bytes written to the file */
	struct bytebuf buf;    /* records not yet written */
	size_t open_record;    /* offset in buf of an unfinished TICKS record, or SIZE_MAX */
};

void journal_init(struct journal *j);
/* Create a new empty segment, durably (temp, fsync, rename, dir fsync),
 * and open it for appending. */
int journal_create(struct journal *j, const char *dir, const char *exchange, const struct journal_segment_id *id);
/* Open an existing segment (after journal_recover_file) for appending. */
int journal_open_append(struct journal *j, const char *dir, const char *exchange, const struct journal_scan *scan);
void journal_close(struct journal *j);

/* Buffer records; contiguous ticks share one record. */
int journal_append_ticks(struct journal *j, uint64_t seq, const struct tick *ticks, size_t n);
int journal_append_lost(struct journal *j, uint64_t seq, const struct tick *gap);
int journal_append_cut(struct journal *j);
/* Write buffered records to the file (no fsync). 0 or -errno. */
int journal_flush(struct journal *j);
/* Flush and fdatasync: everything up to written_seq is durable. */
int journal_sync(struct journal *j);
/* Remove this segment's file and make that durable. */
int journal_unlink(const char *dir, const struct journal_segment_id *id);

#endif

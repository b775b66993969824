/* One frame in, normalized ticks out: size and type checks, gunzip for
 * adapters whose frames are gzip members, the adapter's parser, validation (prices, crossed book, clock skew), dedup
 * and the instrument's rules (collector/validate.h). Shared
 * by the live loop, --decode, the fuzzers and the benchmark. */
#ifndef SPREADBUS_COLLECTOR_PIPELINE_H
#define SPREADBUS_COLLECTOR_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/adapter.h"
#include "collector/dedup.h"
#include "collector/gunzip.h"
#include "collector/symbols.h"
#include "collector/validate.h"
#include "shm/tick.h"

/* Ticks one frame may hold (a burst of trades): 64 KB frames of ~150-byte
 * trades stay below it; more is refused as oversize. */
#define PIPELINE_MAX_TICKS 1024
/* A gzip frame (HTX) inflates to at most this much (and max_frame_bytes). */
#define PIPELINE_INFLATED_MAX 65536

struct pipeline {
	const struct adapter *adapter;
	struct symmap *symbols;
	uint8_t exchange_id;
	uint32_t max_frame_bytes;
	int64_t max_skew_ns;     /* 0 = no clock check (--decode) */
	struct dedup dedup;
	struct validate *validate; /* per-instrument rules, after dedup; NULL = none (set by the owner) */
	struct frame_out out;    /* the last frame's result; out.ticks below */
	struct tick ticks[PIPELINE_MAX_TICKS];
	uint8_t verdict[PIPELINE_MAX_TICKS]; /* per tick: REJECT_NONE = accepted, else why not */
	struct gunzip gz;        /* adapters with gzip_frames */
	char inflated[PIPELINE_INFLATED_MAX];
	size_t accepted;
};

/* The struct is large (~70 KB): allocate it. */
void pipeline_init(struct pipeline *p, const struct adapter *a, struct symmap *symbols, uint8_t exchange_id,
		   uint32_t max_frame_bytes, int64_t max_skew_ns);

/* Process one received frame. Returns what it was; for data, p->out.n
 * ticks with p->verdict[i] each and p->accepted of them good (ts_recv_ns,
 * exchange_id set). */
enum frame_kind pipeline_frame(struct pipeline *p, const char *buf, size_t len, bool binary, int64_t recv_ns);

#endif

/* Holes across a collector restart (docs/backfill.md): each symbol's last
 * live trade id and exchange time are kept in <state_dir>, so that the
 * trades missed between a stop (crash, SIGKILL, planned restart) and the
 * next start are queued for backfill like a jump on the live feed.
 *
 * The loop thread copies its last ids into a snapshot at most once a
 * second; the backfill thread writes the snapshot to a file (temporary
 * file, fsync, rename: a crash leaves the old state or the new one). At
 * start the file is read, then the ring the collector publishes into
 * (kept across its restarts) corrects it with the trades published after
 * the last write. */
#ifndef SPREADBUS_COLLECTOR_BACKFILL_RESUME_H
#define SPREADBUS_COLLECTOR_BACKFILL_RESUME_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "collector/symbols.h"
#include "shm/ring.h"
#include "shm/tick.h"

#define BACKFILL_RESUME_SYMBOLS 8192     /* symbols persisted at most: bounds the file (about 60 bytes each) */
#define BACKFILL_RESUME_EVERY_NS 1000000000LL

struct backfill;

struct backfill_resume_entry {
	char symbol[SYMBOL_CANONICAL_MAX];
	uint64_t id;
	int64_t ts_ns;
};

struct backfill_resume {
	char path[512];
	uint8_t *pending;                    /* per bus symbol id: last id from before the start, no live trade yet */
	const struct symmap *symbols;        /* loop thread only */
	struct backfill_resume_entry *snap;  /* BACKFILL_RESUME_SYMBOLS */
	size_t snap_n;
	atomic_bool snap_ready;              /* loop -> thread: snap is to be written; the thread clears it */
	int64_t next_snap_ns;                /* loop: monotonic */
	bool write_failed;                   /* thread: the last write failed (logged once) */
};

/* Allocates b->resume for the file <state_dir>/backfill.<exchange>.tsv.
 * 0 or -ENOMEM. */
int backfill_resume_init(struct backfill *b, const char *state_dir);
void backfill_resume_free(struct backfill *b);

/* Loop thread, before the first trade: the symbols' last trade ids from
 * the file, then from the ring's trades of this exchange. */
void backfill_resume_load(struct backfill *b, const struct symmap *symbols, struct ring *ring);

/* Loop thread, on every live trade before it is compared with the last
 * id: true on a symbol's first trade when the last id is from before the
 * start (its hole is repaired whatever its size, up to BACKFILL_MAX_HOLE,
 * and recorded not repairable beyond). A first id at or below the
 * persisted one is a sequence reset: the persisted id is forgotten. */
bool backfill_resume_first_trade(struct backfill *b, const struct tick *t);

/* Loop thread, on its timer: a new snapshot for the thread, at most once a
 * second and only when a last id changed. now_ns: monotonic. */
void backfill_resume_snapshot(struct backfill *b, int64_t now_ns);

/* Backfill thread: writes a pending snapshot. */
void backfill_resume_write(struct backfill *b);

/* Loop thread, once the backfill thread has stopped: writes the last ids
 * as they are now. */
void backfill_resume_save(struct backfill *b);

#endif

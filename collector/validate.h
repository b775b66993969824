/* Per-instrument validation of decoded ticks: prices on the instrument's
 * tick size and quantities on its lot size once its metadata is known, and
 * no quote whose mid jumps more than [exchange.NAME] max_price_jump_pct
 * from the last accepted mid within a second (docs/collector.md).
 *
 * Metadata comes from the discovery thread (collector/instruments_thread.h)
 * while the loop runs: the thread builds a snapshot and offers it through
 * one atomic pointer; the loop takes it off the tick path (validate_poll)
 * and resolves each symbol's steps the first time it sees the symbol after
 * that, so a tick costs no allocation, lock or search. */
#ifndef SPREADBUS_COLLECTOR_VALIDATE_H
#define SPREADBUS_COLLECTOR_VALIDATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "collector/adapter.h"
#include "collector/symbols.h"
#include "common/instrument.h"
#include "shm/registry.h"
#include "shm/tick.h"

/* The "last second" of max_price_jump_pct, in receive time. */
#define VALIDATE_JUMP_WINDOW_NS 1000000000LL
/* Decimals a tick or lot size may have; a finer size is no rule. */
#define VALIDATE_MAX_SCALE 15
/* Symbol ids checked: every bus id (registry) and --decode's local ones. */
#define VALIDATE_MAX_SYMBOLS (REGISTRY_MAX_SYMBOLS + 1)

/* A tick or lot size as an exact decimal: units * 10^-scale (0.0025 = 25
 * at scale 4). units == 0: no rule. */
struct validate_step {
	int64_t units;
	uint8_t scale;
};

/* The steps of one instrument, by canonical name. */
struct validate_entry {
	char canonical[INSTRUMENT_NAME_MAX];
	struct validate_step tick, lot;
};

/* One discovery's metadata, sorted by canonical name; immutable once
 * offered. */
struct validate_meta {
	size_t count;
	struct validate_entry entries[];
};

/* Loop thread: what it knows of one symbol id. */
struct validate_symbol {
	uint32_t epoch;          /* the install its steps were looked up in */
	struct validate_step tick, lot;
	double last_mid;         /* last accepted quote's mid; 0 = none */
	int64_t last_mid_ns;     /* its receive time */
};

struct validate {
	double max_jump_ratio;   /* max_price_jump_pct / 100; 0 = no jump rule */
	/* discovery thread -> loop: the newest snapshot not yet taken */
	_Atomic(struct validate_meta *) offered;
	/* loop thread only */
	struct validate_meta *current;
	uint32_t epoch;          /* installs so far; a symbol of another epoch looks its steps up again */
	struct validate_symbol symbols[VALIDATE_MAX_SYMBOLS];
};

/* Allocates one (about 400 KB, so not on a stack); NULL when out of
 * memory. max_price_jump_pct 0 = no jump rule. */
struct validate *validate_new(double max_price_jump_pct);
/* Frees it and any snapshot it holds; NULL is fine. Only once no thread
 * offers any more. */
void validate_free(struct validate *v);

/* Discovery thread: offer the metadata of set (any order) to the loop; an
 * earlier offer the loop did not take yet is replaced. 0 or -ENOMEM. */
int validate_offer(struct validate *v, const struct instrument_set *set);

/* Loop thread, off the tick path (its timer): install an offered
 * snapshot, if any. Returns true when it installed one. */
bool validate_poll(struct validate *v);

/* Loop thread, per tick that passed every other check: REJECT_OFF_TICK,
 * REJECT_OFF_LOT, REJECT_PRICE_JUMP or REJECT_NONE, in which case a
 * quote's mid becomes the last accepted one (now_ns: its receive time).
 * m names the tick's symbol id. */
enum reject_reason validate_tick(struct validate *v, const struct symmap *m, const struct tick *t, int64_t now_ns);

/* A size (a tick or lot size as the exchange published it, parsed to the
 * nearest double) as an exact decimal: the fewest decimals, at most
 * VALIDATE_MAX_SCALE, that make it whole within the allowance of
 * validate_on_step. Returns 0, or
 * -EINVAL (s->units = 0) for 0, a negative or non-finite size or one
 * finer than that. */
int validate_step_from_size(double size, struct validate_step *s);

/* Whether v (a positive price or quantity, the nearest double to the
 * exchange's decimal) is a whole multiple of s. x = v * 10^scale must lie
 * within 2^-51 * x of an integer n, and n be a multiple of s->units. The
 * allowance is twice the worst rounding error of x (the decimal's rounding
 * to v, then the product's: 2^-52 * x together), so a value on the step
 * always passes; and it decides exactly for any v written with at most 15
 * significant digits and no more decimals than the step: a digit beyond
 * the step puts x at least 10^-15 * x (from 10^-j below 10^(15-j)) from
 * every integer, more than the allowance and the rounding error together
 * (0.44 + 0.22 of that). An x of 2^50 (about 1.1e15) or more is not judged
 * (true): its rounding error may reach a quarter, and the integer next to
 * the one it stands for be taken; nor is a step with units 0. */
bool validate_on_step(double v, const struct validate_step *s);

#endif

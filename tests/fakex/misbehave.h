/* fakex: misbehaviour on command: the budgets the control port sets
 * ("malformed 20") and the ways a good frame is spoiled. */
#ifndef SPREADBUS_FAKEX_MISBEHAVE_H
#define SPREADBUS_FAKEX_MISBEHAVE_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/fakex/fakex.h"

#define MISBEHAVE_OVERSIZE_PAD (68 * 1024) /* frames above the 64 KiB limit */
#define MISBEHAVE_GARBAGE "<html><body><h1>502 Bad Gateway</h1></body></html>"

/* Invalid content the collector must reject, in the order it is sent:
 * cut JSON, not JSON, a missing price, prices that are not numbers or not
 * positive or overflow, deep nesting, an unknown symbol, a timestamp a day
 * ahead. MF_NONE: a good frame. */
enum malformed_kind {
	MF_TRUNCATED,
	MF_GARBAGE,
	MF_OMIT,
	MF_ABC,
	MF_ZERO,
	MF_NEGATIVE,
	MF_NESTED,
	MF_HUGE,
	MF_UNKNOWN_SYMBOL,
	MF_FUTURE,
	MF_NONE
};

void misbehave_init(void);
/* Spends one frame of the budget; false when it is empty. */
bool misbehave_take(enum fx_fault f);
/* Returns a frame that could not be sent to the budget. */
void misbehave_give_back(enum fx_fault f);
/* The next kind of malformed frame for a stream of this kind. */
enum malformed_kind misbehave_next_malformed(const struct fx_proto *p, enum fx_kind kind);
/* Applies k to a frame about to be formatted (its taint, symbol, time). */
void misbehave_taint(enum malformed_kind k, struct fx_taint *t, const struct fx_symbol **sym, int64_t *ts_ms);

/* Quotes that are well formed but break an instrument's rules (the
 * collector's validate.h): FXF_OFF_TICK, FXF_OFF_LOT (Binance only: the
 * others' budgets wait for a Binance quote), FXF_JUMP, spent in that order;
 * FXF_COUNT when none is due. */
enum fx_fault misbehave_take_spoiler(const struct fx_proto *p);
/* Spoils q as f says: the bid a tenth of a price step above its price
 * (still below the ask), the bid size a tenth of a quantity step above,
 * or the whole book half as high again. Other faults: nothing. */
void misbehave_spoil_quote(enum fx_fault f, struct fx_quote *q);

#endif

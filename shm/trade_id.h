/* Trade ids exactly as the exchange sent them: the few text forms real
 * exchanges use, packed losslessly into a tick's 128 bits plus a form tag. */
#ifndef SPREADBUS_SHM_TRADE_ID_H
#define SPREADBUS_SHM_TRADE_ID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shm/tick.h"

/*
 * Every form keeps the text byte for byte, so two ids are the same trade
 * exactly when their forms, zeros, hi and lo are equal. Form numbers are
 * stable: they live in ticks on the bus and in bridged streams.
 *
 * TRADE_ID_DECIMAL  digits, value hi:lo up to 2^128-1 (Binance, OKX, Bitget,
 *                   Coinbase, Kraken, Gate.io, HTX, Deribit BTC). Leading
 *                   zeros are kept: "007" is zeros=2, value 7, and is not
 *                   the same id as "7". 0 is also what every tick written
 *                   before this file held: update_id, a 64-bit decimal.
 * TRADE_ID_UUID     8-4-4-4-12 lowercase hex (Bybit derivatives' execId):
 *                   the first 16 hex digits in hi, the last 16 in lo.
 * TRADE_ID_UUID_UPPER the same in uppercase hex.
 * TRADE_ID_PREFIXED PREFIX-digits with a prefix of 1 to 8 letters or digits
 *                   (Deribit's "ETH-123456"): the prefix's bytes in hi
 *                   (NUL padded), the digits' value in lo (64 bits), zeros
 *                   as for a decimal.
 *
 * Anything else (empty, longer than TRADE_ID_TEXT_MAX, a decimal beyond
 * 2^128-1, mixed-case hex, escapes) fits no form: the caller rejects the
 * trade and counts it, never hashes it.
 */
enum trade_id_form {
	TRADE_ID_DECIMAL = 0,
	TRADE_ID_UUID = 1,
	TRADE_ID_UUID_UPPER = 2,
	TRADE_ID_PREFIXED = 3,
};

#define TRADE_ID_TEXT_MAX 48 /* longest text kept; a buffer needs one more byte */
#define TRADE_ID_PREFIX_MAX 8

struct trade_id {
	uint64_t lo, hi;
	uint8_t form;  /* enum trade_id_form */
	uint8_t zeros; /* leading '0' characters before the digits' value */
};

/* 0 and *id set, or -1 if the text fits no form. */
int trade_id_parse(const char *s, size_t len, struct trade_id *id);

/* Writes the exact text and a NUL to out; returns its length. */
size_t trade_id_format(const struct trade_id *id, char out[TRADE_ID_TEXT_MAX + 1]);

static inline bool trade_id_equal(const struct trade_id *a, const struct trade_id *b)
{
	return a->lo == b->lo && a->hi == b->hi && a->form == b->form && a->zeros == b->zeros;
}

/* An order on ids: by form, then value (numeric for decimals and for the
 * digits of one prefix, hex order for UUIDs), then leading zeros. Only
 * ids of one symbol of one exchange are compared (candles' open and close
 * among trades of the same time), which share a form. */
static inline int trade_id_cmp(const struct trade_id *a, const struct trade_id *b)
{
	if (a->form != b->form)
		return a->form < b->form ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return a->zeros < b->zeros ? -1 : a->zeros > b->zeros;
}

/* True, with *v, if the id is a plain decimal (no leading zero) below 2^64:
 * the only ids on which sequence arithmetic (backfill holes) means anything. */
static inline bool trade_id_u64(const struct trade_id *id, uint64_t *v)
{
	*v = id->lo;
	return id->form == TRADE_ID_DECIMAL && id->hi == 0 && id->zeros == 0;
}

static inline struct trade_id trade_id_of_tick(const struct tick *t)
{
	struct trade_id id = {.lo = t->update_id, .hi = t->u.trade.id_hi, .form = t->u.trade.id_form,
			      .zeros = t->u.trade.id_zeros};
	return id;
}

static inline void trade_id_to_tick(const struct trade_id *id, struct tick *t)
{
	t->update_id = id->lo;
	t->u.trade.id_hi = id->hi;
	t->u.trade.id_form = id->form;
	t->u.trade.id_zeros = id->zeros;
}

/* A plain 64-bit decimal id (backfill pages, test feeds). */
static inline void trade_id_set_u64(struct tick *t, uint64_t v)
{
	struct trade_id id = {.lo = v};
	trade_id_to_tick(&id, t);
}

/* Parses the exchange's text into the tick: 0, or -1 (tick untouched). */
static inline int trade_id_set(struct tick *t, const char *s, size_t len)
{
	struct trade_id id;
	if (trade_id_parse(s, len, &id) < 0)
		return -1;
	trade_id_to_tick(&id, t);
	return 0;
}

/* The tick's id as text into out; returns its length. */
static inline size_t trade_id_tick_text(const struct tick *t, char out[TRADE_ID_TEXT_MAX + 1])
{
	struct trade_id id = trade_id_of_tick(t);
	return trade_id_format(&id, out);
}

#endif

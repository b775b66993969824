/* Instrument discovery per exchange: which REST endpoints list the
 * instruments and their 24 h tickers, and how their answers are read.
 * One table entry per adapter (collector/instruments_<name>.c, listed in
 * instruments.c): adding an exchange's discovery = one file and one line. */
#ifndef SPREADBUS_COLLECTOR_INSTRUMENTS_H
#define SPREADBUS_COLLECTOR_INSTRUMENTS_H

#include <stddef.h>

#include "collector/json_scan.h"
#include "collector/rest.h"
#include "common/instrument.h"

struct instruments_api {
	const char *adapter;          /* the adapter's name */
	const char *default_rest_url; /* the public REST API, scheme://host */
	struct rest_limits limits;
	const char *info_path;        /* instruments: path and query */
	/* 24 h tickers of every instrument: one call each, NULL-terminated
	 * (Deribit's book summaries come per currency) */
	const char *const *tickers_paths;
	/* Fill set from an instruments answer; 0 or -1 with err set. */
	int (*parse_info)(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len);
	/* Set quote_volume_24h of the instruments in set (sorted by native
	 * name) from one tickers answer; 0 or -1 with err set. */
	int (*parse_tickers)(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len);
};

const struct instruments_api *instruments_api_find(const char *adapter);

/* For the parsers: walk body to the array at the object keys path[0..n)
 * (n = 0: the body is the array), calling elem() with the cursor on each
 * element. When code_key is set, a top-level member of that name must
 * equal code_ok: a scalar's text (Bybit retCode 0, OKX code "0", HTX
 * status "ok") or an array's or object's exact text (Kraken error []).
 * Checks the whole body is JSON. Returns 0 or -1 with err. */
int instruments_walk(const char *body, size_t len, const char *const *path, size_t n, const char *code_key,
		     const char *code_ok, int (*elem)(struct js *j, void *ctx), void *ctx, char *err,
		     size_t err_len);
/* The same for answers whose list is an object keyed by instrument name
 * (Kraken's result, Coinbase's stats): member() gets each key with the
 * cursor on its value. */
int instruments_walk_members(const char *body, size_t len, const char *const *path, size_t n, const char *code_key,
			     const char *code_ok, int (*member)(struct js *j, const struct js_span *key, void *ctx),
			     void *ctx, char *err, size_t err_len);

/* A decimal span (absent = 0). Returns 0 or -1. */
int instruments_decimal(const struct js_span *s, double *out);
/* A step given as a count of decimals (Gate.io precision, Bitget
 * pricePrecision, HTX tpp, Kraken lot_decimals): 2 -> 0.01 (absent = 0).
 * Returns 0 or -1 (not a count from 0 to 18). */
int instruments_precision(const struct js_span *s, double *out);
/* A span over a C string literal, for names an answer does not spell out. */
#define INSTRUMENTS_LITERAL(lit) ((struct js_span){ .s = (lit), .len = sizeof(lit) - 1, .quoted = true })
/* The names every instrument answer carries, as spans; suffix only for
 * derivatives (PERP, or the expiry YYMMDD), absent for spot. */
struct instruments_names {
	struct js_span native, status, base, quote, suffix;
};
/* Copy them into in, base and quote upper case, canonical = BASE-QUOTE
 * (BASE-QUOTE-SUFFIX for a derivative); trading when the status is
 * trading_status. Returns 0 or -1 (absent, too long, bad name). */
int instruments_fill(struct instrument *in, const struct instruments_names *n, const char *trading_status);
/* How much of a body of len bytes an error message quotes (at most max):
 * bodies are not NUL-terminated. */
static inline int instruments_quote_len(size_t len, size_t max)
{
	return (int)(len < max ? len : max);
}
/* Where an answer keeps its list: the object keys path[0..n) (n = 0: the
 * body is the list) and a top-level code member to check (as in
 * instruments_walk; code_key NULL: none). */
struct instruments_list {
	const char *const *path;
	size_t n;
	const char *code_key, *code_ok;
};
/* Instruments that are flat objects, one key per field (OKX, Gate.io,
 * Bitget, HTX, Coinbase): the keys, NULL where the answer has no such field
 * (it stays 0). */
struct instruments_flat {
	const char *native, *status, *base, *quote;
	const char *trading_status; /* the status value that means trading */
	const char *disabled;       /* a key whose true means not trading whatever the status */
	const char *tick, *lot, *min_qty, *min_notional;
	bool steps_in_decimals;     /* tick and lot are counts of decimals (instruments_precision) */
};
/* Fill set from an answer of flat instruments; 0 or -1 with err. */
int instruments_parse_flat(const char *body, size_t len, const struct instruments_list *list,
			   const struct instruments_flat *f, struct instrument_set *set, char *err, size_t err_len);
/* Set the volumes of set from an answer of flat tickers whose native_key
 * names the instrument and volume_key its 24 h quote volume; 0 or -1. */
int instruments_parse_volumes(const char *body, size_t len, const struct instruments_list *list,
			      const char *native_key, const char *volume_key, struct instrument_set *set, char *err,
			      size_t err_len);

/* Set the volume of the instrument named native (no-op if unknown). */
int instruments_set_volume(struct instrument_set *set, const struct js_span *native, const struct js_span *volume);
/* The same where the answer gives the 24 h volume in the base asset and a
 * price to turn it into the quote asset (Kraken v x vwap, Coinbase volume
 * x last): volume = base_volume * price. */
int instruments_set_volume_product(struct instrument_set *set, const struct js_span *native,
				   const struct js_span *base_volume, const struct js_span *price);

#endif

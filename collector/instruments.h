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
	const char *tickers_path;     /* 24 h tickers of every instrument */
	/* Fill set from an instruments answer; 0 or -1 with err set. */
	int (*parse_info)(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len);
	/* Set quote_volume_24h of the instruments in set (sorted by native
	 * name) from a tickers answer; 0 or -1 with err set. */
	int (*parse_tickers)(const char *body, size_t len, struct instrument_set *set, char *err, size_t err_len);
};

const struct instruments_api *instruments_api_find(const char *adapter);

/* For the parsers: walk body to the array at the object keys path[0..n),
 * calling elem() with the cursor on each element. When code_key is set,
 * a top-level member of that name must equal code_ok (Bybit retCode 0, OKX
 * code "0"). Checks the whole body is JSON. Returns 0 or -1 with err. */
int instruments_walk(const char *body, size_t len, const char *const *path, size_t n, const char *code_key,
		     const char *code_ok, int (*elem)(struct js *j, void *ctx), void *ctx, char *err,
		     size_t err_len);

/* A decimal span (absent = 0). Returns 0 or -1. */
int instruments_decimal(const struct js_span *s, double *out);
/* The names every instrument answer carries, as spans. */
struct instruments_names {
	struct js_span native, status, base, quote;
};
/* Copy them into in, canonical = BASE-QUOTE upper case; trading when the
 * status is trading_status. Returns 0 or -1 (absent, too long, bad name). */
int instruments_fill(struct instrument *in, const struct instruments_names *n, const char *trading_status);
/* How much of a body of len bytes an error message quotes (at most max):
 * bodies are not NUL-terminated. */
static inline int instruments_quote_len(size_t len, size_t max)
{
	return (int)(len < max ? len : max);
}
/* Set the volume of the instrument named native (no-op if unknown). */
int instruments_set_volume(struct instrument_set *set, const struct js_span *native, const struct js_span *volume);

#endif

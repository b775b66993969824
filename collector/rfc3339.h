/* RFC 3339 UTC times as exchanges send them ("2026-09-24T03:54:18.054886Z",
 * Kraken v2, Coinbase Advanced Trade) to ns since the Unix epoch, exactly
 * and without the C library's time zone machinery. */
#ifndef SPREADBUS_COLLECTOR_RFC3339_H
#define SPREADBUS_COLLECTOR_RFC3339_H

#include <stddef.h>
#include <stdint.h>

/* YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z, years 1970-2262; 0 or -1 (malformed,
 * out of range, or an offset other than Z). */
int rfc3339_to_ns(const char *s, size_t len, int64_t *out_ns);

#endif

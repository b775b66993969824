/* fakex: RFC 3339 UTC times as Kraken v2 and Coinbase Advanced Trade write
 * them, from the wall-clock milliseconds the server works in. */
#ifndef SPREADBUS_FAKEX_TIMEFMT_H
#define SPREADBUS_FAKEX_TIMEFMT_H

#include <stdint.h>

#include "tests/fakex/fxbuf.h"

/* "2026-09-24T03:54:18.054000Z", quoted, with digits (6 or 9) fraction digits. */
void fx_put_rfc3339(struct fxbuf *b, int64_t ms, int digits);

#endif

/* fakex: a frame whose payload is sent as one gzip member in a binary
 * frame (HTX), compressed in place in the fxbuf. */
#ifndef SPREADBUS_FAKEX_GZFRAME_H
#define SPREADBUS_FAKEX_GZFRAME_H

#include <stdbool.h>
#include <stddef.h>

#include "tests/fakex/fxbuf.h"

/* As wsframe_end(), for a payload written after wsframe_begin(): gzips
 * it, then frames it as binary. */
bool gzframe_end(struct fxbuf *b, size_t start);

#endif

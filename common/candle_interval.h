/* Candle intervals: the names [candles] intervals accepts (1m, 5m, 15m,
 * 1h) and their lengths. In common/ so that the config loader refuses a bad
 * list before the aggregator starts. */
#ifndef SPREADBUS_COMMON_CANDLE_INTERVAL_H
#define SPREADBUS_COMMON_CANDLE_INTERVAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/config.h"

/* Parses "1m, 5m" (comma- or space-separated, each once) into lengths in
 * ns. Returns the count, or -1 with "[candles] intervals: ..." in err. */
int candle_intervals_parse(const char *list, int64_t out_ns[CONFIG_MAX_CANDLE_INTERVALS], char *err, size_t err_len);
/* "1m", "5m", "15m", "1h" for an allowed length, else "?". */
const char *candle_interval_name(int64_t interval_ns);

#endif

/* Number formatting without printf on the hot path: integers, and doubles
 * in the shortest decimal form that reads back as the same double. */
#ifndef SPREADBUS_COMMON_FMT_H
#define SPREADBUS_COMMON_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Room for any output of the functions below, with the NUL. */
#define FMT_NUM_MAX 32

/*
 * Each writes a NUL-terminated number into buf and returns its length
 * (without the NUL), or 0 if it does not fit in len bytes (buf then holds
 * an empty string when len > 0). A number is never empty, so 0 is only
 * ever "too small".
 */
size_t fmt_u64(char *buf, size_t len, uint64_t v);
size_t fmt_i64(char *buf, size_t len, int64_t v);

/*
 * The shortest decimal that strtod() reads back as exactly v. Ordinary
 * prices and quantities come out without an exponent ("25.3519",
 * "0.00000001", "65114.2"); very large or tiny values use one ("1e+300").
 * The output is always a valid JSON number, except for NaN and infinities,
 * which have none: they are written as "null".
 */
size_t fmt_double(char *buf, size_t len, double v);

#endif

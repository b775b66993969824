/* Exchange decimal strings ("25.35190000", "0.001") to the nearest double,
 * correctly rounded like strtod, without a NUL terminator or a locale. */
#ifndef SPREADBUS_COMMON_DECIMAL_H
#define SPREADBUS_COMMON_DECIMAL_H

#include <stddef.h>

/* Longer input is refused: no real price or quantity needs it. */
#define DECIMAL_MAX_LEN 40

/*
 * Accepts an optional leading '-', digits with at most one '.', at least one
 * digit, and an optional exponent (e/E, optional sign, 1 to 4 digits).
 * Returns 0 with *out set, -EINVAL (empty, junk, '+', two dots, too long)
 * or -ERANGE (too large for a double).
 */
int decimal_parse(const char *s, size_t len, double *out);

#endif

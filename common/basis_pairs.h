/* [aggregator] basis: "SPOT/DERIVATIVE, ..." parsed into named pairs. */
#ifndef SPREADBUS_COMMON_BASIS_PAIRS_H
#define SPREADBUS_COMMON_BASIS_PAIRS_H

#include <stddef.h>

#include "common/config.h"

/* Fills out (at most CONFIG_MAX_BASIS) from list; returns how many, or -1
 * with why set. Each pair is a spot symbol and a perpetual or future
 * (symbol_basis_name_valid), and a symbol takes part in one pair at most:
 * each of its ticks feeds one basis. */
int basis_pairs_parse(const char *list, struct config_basis out[CONFIG_MAX_BASIS], char *why, size_t why_len);

#endif

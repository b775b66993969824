/* The canonical symbol grammar every process agrees on (config, registry,
 * adapters): header-only so that shm/ needs no link to common/. */
#ifndef SPREADBUS_COMMON_SYMBOL_NAME_H
#define SPREADBUS_COMMON_SYMBOL_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Longest canonical name, NUL excluded (registry and config slots are 24). */
#define SYMBOL_NAME_MAX_LEN 23

static inline bool symbol_name_part(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

/*
 * BASE-QUOTE for spot pairs; derivatives add a third part so that a
 * perpetual or a future never shares a name (and so a spread) with the spot
 * pair: BASE-QUOTE-PERP for perpetual swaps, BASE-QUOTE-YYMMDD for futures
 * expiring that day. Parts are upper-case letters and digits.
 */
static inline bool symbol_name_valid(const char *s, size_t n)
{
	if (n == 0 || n > SYMBOL_NAME_MAX_LEN)
		return false;
	const char *d1 = memchr(s, '-', n);
	if (!d1 || !symbol_name_part(s, (size_t)(d1 - s)))
		return false;
	const char *rest = d1 + 1;
	size_t rn = n - (size_t)(rest - s);
	const char *d2 = memchr(rest, '-', rn);
	if (!d2)
		return symbol_name_part(rest, rn);
	const char *kind = d2 + 1;
	size_t kn = n - (size_t)(kind - s);
	if (!symbol_name_part(rest, (size_t)(d2 - rest)))
		return false;
	if (kn == 4 && memcmp(kind, "PERP", 4) == 0)
		return true;
	if (kn != 6)
		return false;
	for (size_t i = 0; i < 6; i++)
		if (kind[i] < '0' || kind[i] > '9')
			return false;
	return true;
}

/* A basis spread ([aggregator] basis): SPOT/DERIVATIVE, a spot pair and a
 * perpetual or future, e.g. BTC-USDT/BTC-USDT-PERP. The aggregator names
 * its spread so, in the registry and on Redis like any symbol; no exchange
 * lists it. */
static inline size_t symbol_name_dashes(const char *s, size_t n)
{
	size_t d = 0;
	for (size_t i = 0; i < n; i++)
		d += s[i] == '-';
	return d;
}

static inline bool symbol_basis_name_valid(const char *s, size_t n)
{
	const char *slash = n <= SYMBOL_NAME_MAX_LEN ? memchr(s, '/', n) : NULL;
	if (!slash)
		return false;
	size_t sn = (size_t)(slash - s), dn = n - sn - 1;
	return symbol_name_valid(s, sn) && symbol_name_dashes(s, sn) == 1 && symbol_name_valid(slash + 1, dn) &&
	       symbol_name_dashes(slash + 1, dn) == 2;
}

#endif

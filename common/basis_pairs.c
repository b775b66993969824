#include "common/basis_pairs.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/symbol_name.h"

static int fail(char *why, size_t why_len, const char *item, size_t n, const char *what)
{
	snprintf(why, why_len, "'%.*s': %s", (int)(n > 40 ? 40 : n), item, what);
	return -1;
}

static bool used(const struct config_basis *b, int count, const char *sym)
{
	for (int i = 0; i < count; i++)
		if (strcmp(b[i].spot, sym) == 0 || strcmp(b[i].perp, sym) == 0)
			return true;
	return false;
}

int basis_pairs_parse(const char *list, struct config_basis out[CONFIG_MAX_BASIS], char *why, size_t why_len)
{
	int count = 0;
	for (const char *p = list; *p;) {
		size_t skip = strspn(p, " \t,");
		p += skip;
		if (!*p)
			break;
		size_t n = strcspn(p, " \t,");
		if (!symbol_basis_name_valid(p, n))
			return fail(why, why_len, p, n,
				    "expected SPOT/DERIVATIVE, e.g. BTC-USDT/BTC-USDT-PERP, 23 characters at most");
		if (count == CONFIG_MAX_BASIS)
			return fail(why, why_len, p, n, "more than CONFIG_MAX_BASIS (16) basis pairs");
		struct config_basis *b = &out[count];
		size_t sn = (size_t)((const char *)memchr(p, '/', n) - p);
		memset(b, 0, sizeof(*b));
		memcpy(b->name, p, n);
		memcpy(b->spot, p, sn);
		memcpy(b->perp, p + sn + 1, n - sn - 1);
		if (used(out, count, b->spot) || used(out, count, b->perp))
			return fail(why, why_len, p, n, "a symbol is in one basis pair at most");
		count++;
		p += n;
	}
	return count;
}

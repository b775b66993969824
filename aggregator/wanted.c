/* Reads what a config lists, symbol by symbol: every (exchange, symbol)
 * listing is collected, sorted by name to merge a symbol's exchanges, then
 * put back in order of first appearance. */
#include "aggregator/wanted.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/instrument.h"
#include "common/log.h"

_Static_assert(INSTRUMENT_NAME_MAX == CONFIG_NAME_MAX, "universe and config symbol names differ in size");

struct listing {
	const char *name;
	size_t first; /* position of the listing; after the merge, of the symbol's first */
	uint32_t ex_mask;
};

static int by_name(const void *a, const void *b)
{
	const struct listing *x = a, *y = b;
	int d = strcmp(x->name, y->name);
	return d ? d : (x->first > y->first) - (x->first < y->first);
}

static int by_first(const void *a, const void *b)
{
	const struct listing *x = a, *y = b;
	return (x->first > y->first) - (x->first < y->first);
}

/* [universe] mode = auto: each exchange's share of the universe the
 * supervisor persisted (none decided yet: none) instead of its list. */
static int universe_symbols(const struct config *cfg, char (*own[])[INSTRUMENT_NAME_MAX], size_t *count)
{
	char err[512];
	for (size_t e = 0; e < cfg->exchange_count; e++) {
		own[e] = NULL;
		count[e] = cfg->exchanges[e].symbol_count;
		if (!config_universe_auto(cfg))
			continue;
		int rc = universe_file_symbols(cfg->state_dir, cfg->exchanges[e].name, &own[e], &count[e], err, sizeof(err));
		if (rc == -ENOENT) {
			count[e] = 0;
		} else if (rc < 0) {
			log_err("aggregator: %s", err);
			return rc;
		}
	}
	return 0;
}

static int exchange_index(const char (*ex_names)[CONFIG_NAME_MAX], size_t ex_count, const char *name)
{
	for (size_t e = 0; e < ex_count; e++)
		if (strcmp(ex_names[e], name) == 0)
			return (int)e;
	return -ENOENT;
}

/* Merges the listings (sorted by name) into w, each symbol once. */
static int merge(struct wanted *w, struct listing *l, size_t n)
{
	size_t groups = 0;
	for (size_t i = 0; i < n; i++) {
		if (groups && strcmp(l[groups - 1].name, l[i].name) == 0)
			l[groups - 1].ex_mask |= l[i].ex_mask;
		else
			l[groups++] = l[i];
	}
	qsort(l, groups, sizeof(*l), by_first);
	w->syms = calloc(groups ? groups : 1, sizeof(*w->syms));
	if (!w->syms)
		return -ENOMEM;
	for (size_t i = 0; i < groups; i++) {
		memcpy(w->syms[i].name, l[i].name, CONFIG_NAME_MAX);
		w->syms[i].ex_mask = l[i].ex_mask;
	}
	w->count = groups;
	return 0;
}

int wanted_read(struct wanted *w, const struct config *cfg, const char (*ex_names)[CONFIG_NAME_MAX], size_t ex_count)
{
	char(*own[CONFIG_MAX_EXCHANGES])[INSTRUMENT_NAME_MAX] = { NULL };
	size_t count[CONFIG_MAX_EXCHANGES], total = 0, n = 0;
	memset(w, 0, sizeof(*w));
	int rc = universe_symbols(cfg, own, count);
	for (size_t e = 0; rc == 0 && e < cfg->exchange_count; e++)
		total += count[e];
	struct listing *l = rc == 0 ? malloc((total ? total : 1) * sizeof(*l)) : NULL;
	if (rc == 0 && !l)
		rc = -ENOMEM;
	for (size_t e = 0; rc == 0 && e < cfg->exchange_count; e++) {
		const struct config_exchange *x = &cfg->exchanges[e];
		int ex = x->enabled ? exchange_index(ex_names, ex_count, x->name) : -ENOENT;
		for (size_t s = 0; ex >= 0 && s < count[e]; s++, n++)
			l[n] = (struct listing){ own[e] ? own[e][s] : x->symbols[s], n, 1u << ex };
	}
	if (rc == 0) {
		qsort(l, n, sizeof(*l), by_name);
		rc = merge(w, l, n);
	}
	free(l);
	for (size_t e = 0; e < cfg->exchange_count; e++)
		free(own[e]);
	return rc;
}

void wanted_free(struct wanted *w)
{
	free(w->syms);
	memset(w, 0, sizeof(*w));
}

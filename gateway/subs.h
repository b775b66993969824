/* One client's subscriptions: per channel, a set of symbols and a set of
 * exchanges (each "all" or explicit), and the match of a message. */
#ifndef SPREADBUS_GATEWAY_SUBS_H
#define SPREADBUS_GATEWAY_SUBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gateway/request.h"
#include "shm/registry.h"

struct gw_filter {
	bool active;
	bool all_symbols, all_exchanges;
	uint32_t symbol_count;                               /* bits set in symbols */
	uint8_t symbols[REGISTRY_MAX_SYMBOLS / 8 + 1];       /* bit = registry symbol id */
	uint8_t exchanges[REGISTRY_MAX_EXCHANGES / 8 + 1];   /* bit = registry exchange id */
};

struct gw_subs {
	struct gw_filter ch[GW_CHANNELS];
	bool pairs_snapshot; /* a subscribe named pairs: fanout.c sends the latest matrices */
};

/* Subscriptions counted against max_subscriptions_per_client: one per
 * channel with all symbols, else one per (channel, symbol). */
uint32_t gw_subs_count(const struct gw_subs *s);

/*
 * Applies r (names resolved through reg) if the result stays within max
 * subscriptions. Subscribing adds symbols and exchanges (absent = all);
 * unsubscribing without symbols and exchanges drops the channel, else
 * removes the symbols and exchanges named. Returns 0, or -1 with a message
 * for the client in err (nothing changed).
 */
int gw_subs_apply(struct gw_subs *s, const struct gw_request *r, const struct registry *reg, uint32_t max,
		  char *err, size_t err_len);

/* Quotes and trades: does channel c take a tick of symbol and exchange? */
bool gw_subs_match(const struct gw_subs *s, enum gw_channel c, unsigned symbol_id, unsigned exchange_id);
/* Spreads: the symbol, and its best pair's buy or sell exchange (0 = none). */
bool gw_subs_match_spread(const struct gw_subs *s, unsigned symbol_id, unsigned buy_id, unsigned sell_id);

#endif

/* Live symbol changes (SIGHUP): the collector's symbols change on its
 * running connections, for adapters with live_symbols. */
#ifndef SPREADBUS_COLLECTOR_LIVE_SYMBOLS_H
#define SPREADBUS_COLLECTOR_LIVE_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>

#include "collector/collector.h"
#include "common/config.h"
#include "common/instrument.h"

/* The symbols an exchange streams: its section's list, or its share of
 * the persisted universe in [universe] mode = auto (-ENOENT: none yet). */
struct wanted_symbols {
	const char **names;
	size_t count;
	char (*universe)[INSTRUMENT_NAME_MAX]; /* auto mode: what names point into */
};
int collector_wanted_symbols(const struct config *cfg, const struct config_exchange *cx, struct wanted_symbols *w,
			     char *err, size_t err_len);
void collector_wanted_free(struct wanted_symbols *w);

/* SIGHUP asks for a change; installed before the symbols are first read,
 * so that no request is lost. */
int collector_symbols_watch(void);
/* True once per SIGHUP received (the live loop's timer asks). */
bool collector_symbols_change_due(void);
/* Reads the config (or the universe) again and applies its symbols; an
 * adapter without live_symbols stops the collector instead, with exit
 * status RUNTIME_EXIT_RESTART: the supervisor starts it again at once. */
void collector_change_symbols(struct collector *c);
/* The wanted set becomes names: see the file comment. */
int collector_apply_symbols(struct collector *c, const char *const *names, size_t n);

#endif

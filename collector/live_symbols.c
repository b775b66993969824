/* Live symbol changes: the supervisor sends SIGHUP after a reload or a new
 * universe changed this exchange's symbols; the collector reads the list
 * again and changes its subscriptions on the connections it has. Removed
 * symbols are marked (their ticks dropped, an unsubscribe sent), added ones
 * are appended to the symbol map, to the last link while it has room and
 * to new links after it; a link left without symbols closes. Symbols that
 * stay are not touched: no reconnect, no gap. */
#include "collector/live_symbols.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "shm/registry.h"

static volatile sig_atomic_t change_requested;

static void on_hup(int sig)
{
	(void)sig;
	change_requested = 1;
}

int collector_symbols_watch(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_hup;
	return sigaction(SIGHUP, &sa, NULL) < 0 ? -errno : 0;
}

bool collector_symbols_change_due(void)
{
	if (!change_requested)
		return false;
	change_requested = 0;
	return true;
}

int collector_wanted_symbols(const struct config *cfg, const struct config_exchange *cx, struct wanted_symbols *w,
			     char *err, size_t err_len)
{
	memset(w, 0, sizeof(*w));
	size_t n = cx->symbol_count;
	if (config_universe_auto(cfg)) {
		int rc = universe_file_symbols(cfg->state_dir, cx->name, &w->universe, &n, err, err_len);
		if (rc < 0)
			return rc;
	}
	w->names = calloc(n ? n : 1, sizeof(*w->names));
	if (!w->names) {
		collector_wanted_free(w);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		w->names[i] = w->universe ? w->universe[i] : cx->symbols[i];
	w->count = n;
	return 0;
}

void collector_wanted_free(struct wanted_symbols *w)
{
	free(w->names);
	free(w->universe);
	memset(w, 0, sizeof(*w));
}

/* Appends name with its registry id; returns its entry index, or -1. */
static long append_symbol(struct collector *c, const char *name)
{
	int id = registry_symbol_id(c->rt->bus.registry, name);
	int rc = id > 0 ? symmap_add(&c->symbols, name, (uint16_t)id) : -ENOENT;
	if (rc < 0) {
		log_warn("%s: symbol %s not added: %s", c->name, name,
			 rc == -ENOENT ? "not in the registry" : "cannot be named on this exchange");
		return -1;
	}
	return (long)c->symbols.count - 1;
}

static size_t link_wanted(const struct collector *c, const struct link *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->count; i++)
		n += !symmap_at(&c->symbols, l->first + i)->removed;
	return n;
}

/* Entries [from, count) of the map: onto the last link while it has room,
 * then onto new links. Entries no link can take are marked removed. */
static void place_new(struct collector *c, size_t from, int64_t now)
{
	size_t total = c->symbols.count;
	if (c->link_count > 0 && from < total) {
		struct link *last = &c->links[c->link_count - 1];
		size_t room = c->per_conn > last->count ? c->per_conn - last->count : 0;
		size_t take = total - from < room ? total - from : room;
		last->count += take;
		from += take;
	}
	while (from < total && c->link_count < COLLECTOR_MAX_LINKS) {
		size_t take = total - from < c->per_conn ? total - from : c->per_conn;
		if (collector_link_add(c, from, take, now) < 0)
			break;
		from += take;
	}
	if (from < total)
		log_err("%s: %zu added symbols need more than %d connections: not subscribed", c->name, total - from,
			COLLECTOR_MAX_LINKS);
	for (; from < total; from++)
		symmap_at(&c->symbols, from)->removed = true;
}

int collector_apply_symbols(struct collector *c, const char *const *names, size_t n)
{
	size_t old_count = c->symbols.count, added = 0, back = 0, removed = 0;
	int64_t now = clock_monotonic_ns();
	if (symmap_reserve(&c->symbols, old_count + n) < 0)
		return -ENOMEM;
	bool *seen = calloc(old_count + n + 1, sizeof(*seen));
	if (!seen)
		return -ENOMEM;
	uint32_t gen = ++c->sym_gen;
	for (size_t i = 0; i < n; i++) {
		char native[SYMBOL_NATIVE_MAX];
		struct symmap_entry *e = NULL;
		if (c->adapter->native_symbol(names[i], native, sizeof(native)) == 0)
			e = symmap_lookup(&c->symbols, native, strlen(native));
		if (e) {
			seen[e - c->symbols.entries] = true;
			if (e->removed) {
				e->removed = false;
				e->gen = gen;
				back++;
			}
			continue;
		}
		long idx = append_symbol(c, names[i]);
		if (idx < 0)
			continue;
		seen[idx] = true;
		symmap_at(&c->symbols, (size_t)idx)->gen = gen;
		added++;
	}
	for (size_t i = 0; i < old_count; i++) {
		struct symmap_entry *e = symmap_at(&c->symbols, i);
		if (!seen[i] && !e->removed) {
			e->removed = true;
			e->gen = gen;
			removed++;
		}
	}
	free(seen);
	c->any_removed = c->any_removed || removed > 0;
	place_new(c, old_count, now);
	size_t open = 0, symbols = 0;
	for (size_t i = 0; i < c->link_count; i++) {
		struct link *l = &c->links[i];
		size_t wanted = link_wanted(c, l);
		if (!wanted && !l->emptied)
			collector_link_close(l, "no symbols left on this connection");
		else if (wanted && l->emptied)
			collector_link_reopen(l, now);
		else if (wanted)
			collector_link_resubscribe(l);
		open += wanted > 0;
		symbols += wanted;
	}
	c->status->conn_count = (uint32_t)c->link_count;
	log_info("%s: symbols changed live: %zu added, %zu back, %zu removed; collecting %zu symbols over %zu "
		 "connection(s)", c->name, added, back, removed, symbols, open);
	return 0;
}

void collector_change_symbols(struct collector *c)
{
	char err[512];
	struct wanted_symbols w;
	if (!c->adapter->live_symbols) {
		log_msg(LOG_LVL_NOTICE, "%s: the %s adapter cannot change symbols live: restarting to take them", c->name,
			c->adapter->name);
		c->restart_wanted = true;
		raise(SIGTERM); /* the stop every child knows; the exit status asks for the restart */
		return;
	}
	struct config *cfg = config_new();
	if (!cfg) {
		log_err("%s: out of memory reading the new symbols", c->name);
		return;
	}
	int rc = config_load(cfg, c->rt->config_path, NULL, err, sizeof(err));
	const struct config_exchange *cx = rc == 0 ? config_exchange_find(cfg, c->name) : NULL;
	if (!cx) {
		log_err("%s: symbols not changed: %s", c->name, rc ? "the config does not load" : "no section any more");
		config_free(cfg);
		return;
	}
	rc = collector_wanted_symbols(cfg, cx, &w, err, sizeof(err));
	if (rc < 0)
		log_err("%s: symbols not changed: %s", c->name, err);
	else if (collector_apply_symbols(c, w.names, w.count) < 0)
		log_err("%s: symbols not changed: out of memory", c->name);
	collector_wanted_free(&w);
	config_free(cfg);
}

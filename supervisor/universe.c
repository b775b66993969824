/* The universe decided in one place: reports in, rules applied, the
 * decision persisted, registered, applied and shown. */
#include "supervisor/universe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/clock.h"
#include "common/log.h"
#include "shm/registry.h"
#include "supervisor/reload.h"
#include "supervisor/supervisor.h"

/* A candidate (exchange, instrument) while selecting. */
struct cand {
	const char *symbol;
	size_t ex;
	const struct instrument *in;
	bool qualifies; /* trading, quote asset taken, volume reached */
	bool included;
	bool chosen;
	char reason[UNIVERSE_REASON_MAX];
};

/* name is an item of the comma-separated list (spaces around items ignored). */
static bool list_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *t = e;
		while (t > p && t[-1] == ' ')
			t--;
		if ((size_t)(t - p) == n && strncasecmp(p, name, n) == 0)
			return true;
		p = e;
	}
	return false;
}

static int cmp_cand_symbol(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = strcmp(x->symbol, y->symbol);
	return c ? c : (x->ex > y->ex) - (x->ex < y->ex);
}

/* Per exchange: included first, then by volume (highest first), then name. */
static int cmp_cand_rank(const void *a, const void *b)
{
	const struct cand *x = *(const struct cand *const *)a, *y = *(const struct cand *const *)b;
	if (x->included != y->included)
		return x->included ? -1 : 1;
	if (x->in->quote_volume_24h != y->in->quote_volume_24h)
		return x->in->quote_volume_24h > y->in->quote_volume_24h ? -1 : 1;
	return strcmp(x->symbol, y->symbol);
}

static int cmp_pick(const void *a, const void *b)
{
	const struct universe_pick *x = a, *y = b;
	return strcmp(x->in.canonical, y->in.canonical);
}

/* The reason of a chosen run: where it qualifies, with the volumes. */
static void run_reason(const struct universe_exchange *ex, const struct cand *run, size_t n, size_t qualified,
		       uint32_t min_exchanges, char *out, size_t out_len)
{
	int len = snprintf(out, out_len, "on %zu exchanges (at least %u) with volume:", qualified, min_exchanges);
	for (size_t i = 0; i < n && len > 0 && (size_t)len < out_len; i++)
		if (run[i].qualifies)
			len += snprintf(out + len, out_len - (size_t)len, " %s %.0f", ex[run[i].ex].name,
					run[i].in->quote_volume_24h);
}

/* Whether (exchange, symbol) is in the universe in use. */
static bool in_prev(const struct universe_pick *prev, size_t n, const char *exchange, const char *symbol)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(prev[i].in.canonical, symbol) == 0 && strcmp(prev[i].exchange, exchange) == 0)
			return true;
	return false;
}

int universe_select(const struct config_universe *rules, const struct universe_exchange *ex, size_t ex_count,
		    const struct universe_pick *prev, size_t prev_n, struct universe_pick **picks_out, size_t *n_out)
{
	size_t total = 0, nc = 0, np = 0;
	for (size_t e = 0; e < ex_count; e++)
		total += ex[e].set.count;
	struct cand *c = calloc(total ? total : 1, sizeof(*c));
	struct cand **rank = calloc(total ? total : 1, sizeof(*rank));
	struct universe_pick *picks = calloc(total ? total : 1, sizeof(*picks));
	if (!c || !rank || !picks) {
		free(c);
		free(rank);
		free(picks);
		return -ENOMEM;
	}
	for (size_t e = 0; e < ex_count; e++) {
		for (size_t i = 0; i < ex[e].set.count; i++) {
			const struct instrument *in = &ex[e].set.items[i];
			/* only trading instruments count, and exclude always wins */
			if (!in->trading || list_has(rules->exclude, in->canonical))
				continue;
			struct cand *k = &c[nc];
			k->symbol = in->canonical;
			k->ex = e;
			k->in = in;
			k->included = list_has(rules->include, in->canonical);
			double min = (double)rules->min_quote_volume_24h;
			if (in->quote_volume_24h < min && in->quote_volume_24h >= min * UNIVERSE_KEEP_VOLUME_PCT / 100 &&
			    in_prev(prev, prev_n, ex[e].name, in->canonical))
				min = min * UNIVERSE_KEEP_VOLUME_PCT / 100;
			k->qualifies = list_has(rules->quote_assets, in->quote) && in->quote_volume_24h >= min;
			if (k->included || k->qualifies)
				nc++;
		}
	}
	qsort(c, nc, sizeof(*c), cmp_cand_symbol);
	for (size_t i = 0; i < nc;) {
		size_t j = i, qualified = 0;
		while (j < nc && strcmp(c[j].symbol, c[i].symbol) == 0) {
			/* one exchange listing a name twice counts once: keep its first */
			if (j > i && c[j].ex == c[j - 1].ex)
				c[j].qualifies = c[j].included = false;
			qualified += c[j].qualifies;
			j++;
		}
		char reason[UNIVERSE_REASON_MAX];
		run_reason(ex, &c[i], j - i, qualified, rules->min_exchanges, reason, sizeof(reason));
		for (size_t k = i; k < j; k++) {
			if (c[k].included) {
				c[k].chosen = true;
				snprintf(c[k].reason, sizeof(c[k].reason), "include");
			} else if (c[k].qualifies && qualified >= rules->min_exchanges) {
				c[k].chosen = true;
				snprintf(c[k].reason, sizeof(c[k].reason), "%s", reason);
			}
		}
		i = j;
	}
	/* max_symbols per exchange, the top by volume */
	for (size_t e = 0; e < ex_count; e++) {
		size_t nr = 0;
		for (size_t i = 0; i < nc; i++)
			if (c[i].chosen && c[i].ex == e)
				rank[nr++] = &c[i];
		qsort(rank, nr, sizeof(*rank), cmp_cand_rank);
		if (nr > rules->max_symbols)
			nr = rules->max_symbols;
		size_t first = np;
		for (size_t i = 0; i < nr; i++) {
			struct universe_pick *p = &picks[np++];
			snprintf(p->exchange, sizeof(p->exchange), "%s", ex[e].name);
			snprintf(p->reason, sizeof(p->reason), "%s", rank[i]->reason);
			p->in = *rank[i]->in;
		}
		qsort(picks + first, np - first, sizeof(*picks), cmp_pick);
	}
	free(c);
	free(rank);
	*picks_out = picks;
	*n_out = np;
	return 0;
}

static struct universe *U(struct supervisor *s)
{
	return s->universe;
}

/* Register every symbol of the picks (ids are appended, never reused). */
static int register_picks(struct supervisor *s, const struct universe_pick *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int id = registry_add_symbol(s->bus.registry, p[i].in.canonical);
		if (id < 0) {
			log_err("universe: cannot register %s: %s", p[i].in.canonical, strerror(-id));
			return id;
		}
	}
	return 0;
}

/* The exchanges whose collectors report, from the config; the reports of
 * those still configured are kept. Returns whether the list changed. */
static bool sync_exchanges(struct universe *u, const struct config *cfg)
{
	struct universe_exchange next[CONFIG_MAX_EXCHANGES];
	size_t n = 0;
	bool changed = false;
	memset(next, 0, sizeof(next));
	for (size_t i = 0; i < cfg->exchange_count; i++) {
		const struct config_exchange *cx = &cfg->exchanges[i];
		if (!cx->enabled || config_exchange_bridged(cx))
			continue;
		struct universe_exchange *x = &next[n++];
		bool known = false;
		snprintf(x->name, sizeof(x->name), "%s", cx->name);
		for (size_t k = 0; k < u->ex_count && !known; k++)
			if (strcmp(u->ex[k].name, x->name) == 0) {
				*x = u->ex[k];
				memset(&u->ex[k], 0, sizeof(u->ex[k])); /* its set moved */
				known = true;
			}
		changed |= !known;
	}
	for (size_t k = 0; k < u->ex_count; k++) {
		changed |= u->ex[k].name[0] != '\0'; /* no longer configured */
		instrument_set_free(&u->ex[k].set);
	}
	memcpy(u->ex, next, sizeof(next));
	u->ex_count = n;
	return changed;
}

int universe_open(struct supervisor *s)
{
	char path[CONFIG_PATH_MAX + 32], err[512];
	const struct config *cfg = s->cfg;
	struct universe *u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	s->universe = u;
	u->source = "config";
	u->opened_ns = clock_realtime_ns();
	u->rules = cfg->universe;
	sync_exchanges(u, cfg);
	if (!config_universe_auto(cfg))
		return 0;
	if (universe_file_path(path, sizeof(path), cfg->state_dir) < 0)
		return -ENAMETOOLONG;
	int rc = universe_file_read(path, &u->picks, &u->pick_count, &u->computed_ns, err, sizeof(err));
	if (rc == -ENOENT) {
		log_info("universe: none persisted yet (%s): collectors discover first", path);
		return 0;
	}
	if (rc < 0) {
		log_err("universe: the persisted universe is unusable, starting without: %s", err);
		return 0;
	}
	u->source = "persisted";
	log_info("universe: %zu (exchange, symbol) pairs from %s", u->pick_count, path);
	return register_picks(s, u->picks, u->pick_count);
}

void universe_close(struct supervisor *s)
{
	struct universe *u = U(s);
	if (!u)
		return;
	for (size_t i = 0; i < u->ex_count; i++)
		instrument_set_free(&u->ex[i].set);
	free(u->picks);
	free(u);
	s->universe = NULL;
}

/* Read reports whose file changed; true if any did. */
static bool read_reports(struct supervisor *s)
{
	struct universe *u = U(s);
	char path[CONFIG_PATH_MAX + 64], err[512];
	bool changed = false;
	for (size_t i = 0; i < u->ex_count; i++) {
		struct universe_exchange *x = &u->ex[i];
		struct stat st;
		if (instrument_file_path(path, sizeof(path), s->cfg->runtime_dir, x->name) < 0 || stat(path, &st) < 0)
			continue;
		int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
		if (mtime == x->file_mtime_ns)
			continue;
		x->file_mtime_ns = mtime;
		struct instrument_set fresh = { 0 };
		if (instrument_file_read(path, &fresh, err, sizeof(err)) < 0) {
			log_warn("universe: %s's report is unusable, keeping the last: %s", x->name, err);
			instrument_set_free(&fresh);
			continue;
		}
		if (fresh.fetched_ns < u->opened_ns) {
			/* left by collectors of a past run: not what the exchange says now */
			instrument_set_free(&fresh);
			continue;
		}
		instrument_set_free(&x->set);
		x->set = fresh;
		x->reported_ns = fresh.fetched_ns;
		changed = true;
	}
	return changed;
}

static bool same_picks(const struct universe_pick *a, size_t na, const struct universe_pick *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i].exchange, b[i].exchange) != 0 || strcmp(a[i].in.canonical, b[i].in.canonical) != 0)
			return false;
	return true;
}

/* Whether exchange's symbols differ between two decisions. */
static bool exchange_changed(const char *exchange, const struct universe_pick *a, size_t na,
			     const struct universe_pick *b, size_t nb)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < na && strcmp(a[i].exchange, exchange) != 0)
			i++;
		while (j < nb && strcmp(b[j].exchange, exchange) != 0)
			j++;
		if (i == na || j == nb)
			return (i == na) != (j == nb);
		if (strcmp(a[i].in.canonical, b[j].in.canonical) != 0)
			return true;
		i++, j++;
	}
}

/* Appends ", name" (or name first) to a list for the log. */
static void append_name(char *list, size_t size, size_t *len, const char *name)
{
	if (*len < size)
		*len += (size_t)snprintf(list + *len, size - *len, "%s%s", *len ? ", " : "", name);
}

static void decide(struct supervisor *s)
{
	struct universe *u = U(s);
	struct universe_pick *picks;
	size_t n;
	char path[CONFIG_PATH_MAX + 32], err[512];
	int64_t t0 = clock_monotonic_ns();
	if (universe_select(&s->cfg->universe, u->ex, u->ex_count, u->picks, u->pick_count, &picks, &n) < 0) {
		log_err("universe: out of memory while selecting");
		return;
	}
	u->computations++;
	u->last_compute_ms = (double)(clock_monotonic_ns() - t0) / 1e6;
	bool same = same_picks(picks, n, u->picks, u->pick_count);
	/* metadata (volumes) is refreshed either way; persisted only on change */
	struct universe_pick *old = u->picks;
	size_t old_n = u->pick_count;
	u->picks = picks;
	u->pick_count = n;
	u->source = "discovered";
	if (same) {
		free(old);
		return;
	}
	u->computed_ns = clock_realtime_ns();
	u->changes++;
	mkdir(s->cfg->state_dir, 0750);
	if (universe_file_path(path, sizeof(path), s->cfg->state_dir) < 0 ||
	    universe_file_write(path, picks, n, u->computed_ns, err, sizeof(err)) < 0)
		log_err("universe: cannot persist: %s", err);
	if (register_picks(s, picks, n) < 0) {
		free(old);
		return;
	}
	char restarted[256] = "", live[256] = "";
	size_t len = 0, live_len = 0;
	for (size_t i = 0; i < u->ex_count; i++) {
		if (!exchange_changed(u->ex[i].name, old, old_n, picks, n))
			continue;
		struct child *c = supervisor_find_child(s, u->ex[i].name);
		/* a collector that can takes its share live; the others restart */
		if (c && reload_symbols_live(s, c))
			append_name(live, sizeof(live), &live_len, u->ex[i].name);
		else if (c && supervisor_child_restart(s, c, err, sizeof(err)) == 0)
			append_name(restarted, sizeof(restarted), &len, u->ex[i].name);
	}
	/* the aggregator reads the universe again too (restarted only when it
	 * cannot be told yet) */
	struct child *agg = supervisor_find_child(s, "aggregator");
	if ((len || live_len) && agg && reload_symbols_live(s, agg))
		append_name(live, sizeof(live), &live_len, "aggregator");
	else if ((len || live_len) && agg && supervisor_child_restart(s, agg, err, sizeof(err)) == 0)
		append_name(restarted, sizeof(restarted), &len, "aggregator");
	log_info("universe: %zu (exchange, symbol) pairs chosen in %.1f ms from %zu exchange report(s); "
		 "taken live by: %s; restarted to take it: %s",
		 n, u->last_compute_ms, u->ex_count, live_len ? live : "none", len ? restarted : "none");
	free(old);
}

static bool rules_equal(const struct config_universe *a, const struct config_universe *b)
{
	return strcmp(a->mode, b->mode) == 0 && a->min_exchanges == b->min_exchanges &&
	       a->min_quote_volume_24h == b->min_quote_volume_24h && strcmp(a->quote_assets, b->quote_assets) == 0 &&
	       a->max_symbols == b->max_symbols && strcmp(a->include, b->include) == 0 &&
	       strcmp(a->exclude, b->exclude) == 0;
}

void universe_tick(struct supervisor *s, int64_t now)
{
	struct universe *u = U(s);
	if (!u || now < u->next_poll_ns || s->shutting_down)
		return;
	u->next_poll_ns = now + UNIVERSE_POLL_NS;
	/* a reload: new rules or other exchanges mean a new decision */
	bool reloaded = !rules_equal(&u->rules, &s->cfg->universe);
	if (sync_exchanges(u, s->cfg) || reloaded) {
		u->rules = s->cfg->universe;
		log_info("universe: the config changed: deciding again");
		u->pending = true;
		u->first_change_ns = now - UNIVERSE_SETTLE_NS; /* no need to wait for reports */
	}
	if (read_reports(s) && !u->pending) {
		u->pending = true;
		u->first_change_ns = now;
	}
	if (!u->pending || !config_universe_auto(s->cfg))
		return;
	size_t reported = 0;
	for (size_t i = 0; i < u->ex_count; i++)
		reported += u->ex[i].reported_ns != 0;
	if (reported < u->ex_count && now - u->first_change_ns < UNIVERSE_SETTLE_NS)
		return;
	u->pending = false;
	decide(s);
}

size_t universe_symbol_count(const struct supervisor *s, const char *exchange)
{
	const struct universe *u = s->universe;
	size_t n = 0;
	if (!config_universe_auto(s->cfg)) {
		const struct config_exchange *cx = config_exchange_find(s->cfg, exchange);
		return cx ? cx->symbol_count : 0;
	}
	for (size_t i = 0; u && i < u->pick_count; i++)
		n += strcmp(u->picks[i].exchange, exchange) == 0;
	return n;
}

static void render_instrument(struct jsonw *w, const struct instrument *in)
{
	jsonw_kv_string(w, "native", in->native);
	jsonw_kv_string(w, "status", in->status);
	jsonw_kv_bool(w, "trading", in->trading);
	jsonw_kv_double(w, "tick_size", in->tick_size);
	jsonw_kv_double(w, "lot_size", in->lot_size);
	jsonw_kv_double(w, "min_qty", in->min_qty);
	jsonw_kv_double(w, "min_notional", in->min_notional);
	jsonw_kv_double(w, "quote_volume_24h", in->quote_volume_24h);
}

/* list mode: the configured symbols, with metadata where a report has it. */
static void render_configured(struct supervisor *s, struct jsonw *w, const struct universe_exchange *x)
{
	const struct config_exchange *cx = config_exchange_find(s->cfg, x->name);
	for (size_t i = 0; cx && i < cx->symbol_count; i++) {
		jsonw_object_begin(w);
		jsonw_kv_string(w, "symbol", cx->symbols[i]);
		jsonw_kv_string(w, "reason", "listed in the config");
		for (size_t k = 0; k < x->set.count; k++)
			if (strcmp(x->set.items[k].canonical, cx->symbols[i]) == 0) {
				render_instrument(w, &x->set.items[k]);
				break;
			}
		jsonw_object_end(w);
	}
}

char *universe_render(struct supervisor *s, bool control_reply, size_t *len)
{
	struct universe *u = U(s);
	const struct config_universe *r = &s->cfg->universe;
	size_t cap = 65536 + (u ? u->pick_count : 0) * 640;
	for (size_t i = 0; u && i < s->cfg->exchange_count; i++)
		cap += s->cfg->exchanges[i].symbol_count * 640;
	char *buf = malloc(cap + 2);
	struct jsonw w;
	if (!buf || !u) {
		free(buf);
		return NULL;
	}
	jsonw_init(&w, buf, cap);
	if (control_reply) {
		jsonw_object_begin(&w);
		jsonw_kv_bool(&w, "ok", true);
		jsonw_key(&w, "universe");
	}
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "mode", r->mode);
	jsonw_kv_string(&w, "source", u->source);
	jsonw_kv_int64(&w, "computed_ns", u->computed_ns);
	jsonw_kv_uint64(&w, "computations", u->computations);
	jsonw_kv_uint64(&w, "changes", u->changes);
	jsonw_kv_double(&w, "last_compute_ms", u->last_compute_ms);
	jsonw_key(&w, "rules");
	jsonw_object_begin(&w);
	jsonw_kv_uint64(&w, "min_exchanges", r->min_exchanges);
	jsonw_kv_uint64(&w, "min_quote_volume_24h", r->min_quote_volume_24h);
	jsonw_kv_string(&w, "quote_assets", r->quote_assets);
	jsonw_kv_uint64(&w, "max_symbols", r->max_symbols);
	jsonw_kv_string(&w, "include", r->include);
	jsonw_kv_string(&w, "exclude", r->exclude);
	jsonw_kv_uint64(&w, "refresh_s", r->refresh_s);
	jsonw_object_end(&w);
	jsonw_key(&w, "exchanges");
	jsonw_object_begin(&w);
	for (size_t e = 0; e < u->ex_count; e++) {
		const struct universe_exchange *x = &u->ex[e];
		jsonw_key(&w, x->name);
		jsonw_object_begin(&w);
		jsonw_kv_int64(&w, "reported_ns", x->reported_ns);
		jsonw_kv_uint64(&w, "instruments", x->set.count);
		jsonw_key(&w, "symbols");
		jsonw_array_begin(&w);
		if (!config_universe_auto(s->cfg))
			render_configured(s, &w, x);
		for (size_t i = 0; config_universe_auto(s->cfg) && i < u->pick_count; i++) {
			const struct universe_pick *p = &u->picks[i];
			if (strcmp(p->exchange, x->name) != 0)
				continue;
			jsonw_object_begin(&w);
			jsonw_kv_string(&w, "symbol", p->in.canonical);
			jsonw_kv_string(&w, "reason", p->reason);
			render_instrument(&w, &p->in);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
		jsonw_object_end(&w);
	}
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	if (control_reply)
		jsonw_object_end(&w);
	if (jsonw_finish(&w, len) < 0) {
		free(buf);
		return NULL;
	}
	buf[(*len)++] = '\n';
	buf[*len] = '\0';
	return buf;
}

/* Alert rules from [alert.NAME], evaluated on every spread update and polled
 * for holds that lasted long enough; each event is encoded once into its
 * JSON (docs/redis.md "Alerts") and written to the ring, the webhook and
 * the Redis queue. Everything is sized at start. */
#include "aggregator/alerts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregator/alert.h"
#include "aggregator/webhook.h"
#include "common/fmt.h"
#include "common/jsonw.h"
#include "common/log.h"
#include "shm/spreads.h"

#define ALERT_JSON_MAX 640   /* names are at most CONFIG_NAME_MAX, 6 numbers, 3 timestamps */
#define REDIS_QUEUE 1024     /* events held while Redis is away */
#define POLL_EVERY_NS 1000000LL
#define FIELDS 12

struct rule {
	char name[CONFIG_NAME_MAX];
	struct alert_rule r;
	uint8_t *applies;       /* [sym] */
	bool all_symbols;       /* symbols = "*": symbols added at run time too */
	struct webhook *hook;   /* NULL without webhook_url */
};

struct queued {
	unsigned rule, sym;
	struct alert_event ev;
};

struct alerts {
	const struct spread_core *core;
	size_t rule_count, sym_count;
	struct rule rules[CONFIG_MAX_ALERTS];
	struct alert_state *state;  /* [sym * rule_count + rule]: symbols added at run time append */
	bool any_duration;          /* some rule holds before opening: poll */
	int64_t next_poll_ns;
	struct ring *ring;
	const struct registry *reg;
	struct spreads_record *rec;
	uint16_t *symbol_id;
	uint8_t exchange_id[CONFIG_MAX_EXCHANGES];
	bool to_redis;
	struct queued *queue;
	size_t q_head, q_count;
	char maxlen[24];
	struct alerts_counters c;
	struct log_limit lim;
	char json[ALERT_JSON_MAX];
	size_t json_len;
	char text[FIELDS][FMT_NUM_MAX + CONFIG_NAME_MAX * 2];
	struct redis_pub_field fields[FIELDS];
};

/* Calls fn for each comma-separated, trimmed name of list; "*" = all (fn
 * not called, returns 1). Returns 0, 1, or fn's first error. */
static int each_name(const char *list, int (*fn)(void *ctx, const char *name), void *ctx)
{
	char name[CONFIG_NAME_MAX];
	const char *p = list;
	while (*p == ' ')
		p++;
	if (strcmp(p, "*") == 0)
		return 1;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n && p[n - 1] == ' ')
			n--;
		if (n >= sizeof(name))
			return -ENAMETOOLONG;
		memcpy(name, p, n);
		name[n] = '\0';
		int rc = n ? fn(ctx, name) : 0;
		if (rc < 0)
			return rc;
		p = end ? end + 1 : p + strlen(p);
		while (*p == ' ')
			p++;
	}
	return 0;
}

struct resolve {
	struct alerts *a;
	struct rule *r;
};

static int add_symbol(void *ctx, const char *name)
{
	struct resolve *x = ctx;
	int s = spread_core_symbol_index(x->a->core, name);
	if (s < 0) {
		log_err("aggregator: [alert.%s] symbols: %s is not a symbol of two enabled exchanges", x->r->name, name);
		return -EINVAL;
	}
	x->r->applies[s] = 1;
	return 0;
}

static int add_exchange(void *ctx, const char *name)
{
	struct resolve *x = ctx;
	for (unsigned e = 0; e < spread_core_exchange_count(x->a->core); e++) {
		if (strcmp(spread_core_exchange_name(x->a->core, e), name) == 0) {
			x->r->r.exchange_mask |= 1u << e;
			return 0;
		}
	}
	log_err("aggregator: [alert.%s] exchanges: %s is not an enabled exchange", x->r->name, name);
	return -EINVAL;
}

static int add_rule(struct alerts *a, const struct config_alert *ca)
{
	struct rule *r = &a->rules[a->rule_count++];
	snprintf(r->name, sizeof(r->name), "%s", ca->name);
	r->r.min_net_bps = ca->min_net_bps;
	r->r.min_notional = ca->min_notional;
	r->r.min_duration_ns = (int64_t)ca->min_duration_ms * 1000000LL;
	r->r.cooldown_ns = (int64_t)ca->cooldown_ms * 1000000LL;
	a->any_duration |= ca->min_duration_ms > 0;
	if (!(r->applies = calloc(a->sym_count + 1, 1)))
		return -ENOMEM;
	struct resolve x = {a, r};
	int rc = each_name(ca->symbols, add_symbol, &x);
	r->all_symbols = rc == 1;
	if (rc == 1)
		memset(r->applies, 1, a->sym_count);
	if (rc >= 0 && (rc = each_name(ca->exchanges, add_exchange, &x)) == 1)
		r->r.exchange_mask = UINT32_MAX;
	if (rc >= 0 && ca->webhook_url[0])
		rc = webhook_create(&r->hook, ca->webhook_url);
	if (rc == -ENAMETOOLONG)
		log_err("aggregator: [alert.%s]: a name in symbols or exchanges is too long", r->name);
	return rc < 0 ? rc : 0;
}

/* Registry ids of the core's symbols from index from on. */
static void map_symbols(struct alerts *a, size_t from)
{
	for (size_t s = from; s < a->sym_count; s++) {
		int id = registry_symbol_id(a->reg, spread_core_symbol_name(a->core, (unsigned)s));
		a->symbol_id[s] = id > 0 ? (uint16_t)id : 0;
	}
}

static int map_ids(struct alerts *a, const struct registry *reg)
{
	if (!(a->rec = calloc(1, ring_record_size(a->ring))) ||
	    !(a->symbol_id = calloc(a->sym_count + 1, sizeof(*a->symbol_id))))
		return -ENOMEM;
	if (spreads_json_room(ring_record_size(a->ring)) < ALERT_JSON_MAX) {
		log_err("aggregator: _spreads records cannot hold an alert of up to %d bytes", ALERT_JSON_MAX);
		return -EMSGSIZE;
	}
	map_symbols(a, 0);
	for (unsigned e = 0; e < spread_core_exchange_count(a->core) && e < CONFIG_MAX_EXCHANGES; e++) {
		int id = registry_exchange_id(reg, spread_core_exchange_name(a->core, e));
		a->exchange_id[e] = id > 0 && id <= UINT8_MAX ? (uint8_t)id : 0;
	}
	return 0;
}

int alerts_create(struct alerts **out, const struct config *cfg, const struct spread_core *core,
		  struct ring *spreads, const struct registry *reg, bool to_redis)
{
	*out = NULL;
	size_t enabled = 0;
	for (size_t i = 0; i < cfg->alert_count; i++)
		enabled += cfg->alerts[i].enabled;
	if (!enabled)
		return 0;
	struct alerts *a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->core = core;
	a->sym_count = spread_core_symbol_count(core);
	a->ring = spreads;
	a->reg = reg;
	a->to_redis = to_redis;
	snprintf(a->maxlen, sizeof(a->maxlen), "%u", cfg->redis.stream_maxlen);
	int rc = -ENOMEM;
	a->state = calloc(enabled * a->sym_count + 1, sizeof(*a->state));
	a->queue = calloc(REDIS_QUEUE, sizeof(*a->queue));
	if (!a->state || !a->queue)
		goto out;
	for (size_t i = 0; i < cfg->alert_count; i++)
		if (cfg->alerts[i].enabled && (rc = add_rule(a, &cfg->alerts[i])) < 0)
			goto out;
	rc = map_ids(a, reg);
out:
	if (rc < 0)
		alerts_free(a);
	else
		*out = a;
	return rc;
}

int alerts_grow(struct alerts *a, size_t symbols)
{
	if (!a || symbols <= a->sym_count)
		return 0;
	struct alert_state *st = realloc(a->state, (symbols * a->rule_count + 1) * sizeof(*st));
	if (!st)
		return -ENOMEM;
	a->state = st;
	memset(st + a->sym_count * a->rule_count, 0, ((symbols - a->sym_count) * a->rule_count + 1) * sizeof(*st));
	uint16_t *ids = realloc(a->symbol_id, (symbols + 1) * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	a->symbol_id = ids;
	for (size_t i = 0; i < a->rule_count; i++) {
		struct rule *r = &a->rules[i];
		uint8_t *applies = realloc(r->applies, symbols + 1);
		if (!applies)
			return -ENOMEM;
		/* a rule naming its symbols named them at start: none of these */
		memset(applies + a->sym_count, r->all_symbols, symbols + 1 - a->sym_count);
		r->applies = applies;
	}
	size_t from = a->sym_count;
	a->sym_count = symbols;
	map_symbols(a, from);
	return 0;
}

void alerts_free(struct alerts *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->rule_count; i++) {
		webhook_free(a->rules[i].hook);
		free(a->rules[i].applies);
	}
	free(a->state);
	free(a->queue);
	free(a->rec);
	free(a->symbol_id);
	free(a);
}

static const char *kind_name(enum alert_kind k)
{
	return k == ALERT_EVENT_OPEN ? "open" : "close";
}

/* The JSON object, and the flat XADD fields with the same values. */
static void encode(struct alerts *a, const struct queued *q)
{
	const struct alert_event *ev = &q->ev;
	const char *rule = a->rules[q->rule].name, *sym = spread_core_symbol_name(a->core, q->sym);
	const char *buy = spread_core_exchange_name(a->core, ev->pair.buy_ex);
	const char *sell = spread_core_exchange_name(a->core, ev->pair.sell_ex);
	char id[FMT_NUM_MAX + CONFIG_NAME_MAX * 2];
	snprintf(id, sizeof(id), "%s:%s:%lld", rule, sym, (long long)ev->opened_ns);
	int64_t duration_ms = (ev->ts_ns - ev->opened_ns) / 1000000;
	struct jsonw w;
	jsonw_init(&w, a->json, sizeof(a->json));
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "type", "alert");
	jsonw_kv_string(&w, "event", kind_name(ev->kind));
	jsonw_kv_string(&w, "id", id);
	jsonw_kv_string(&w, "rule", rule);
	jsonw_kv_string(&w, "symbol", sym);
	jsonw_kv_string(&w, "buy", buy);
	jsonw_kv_string(&w, "sell", sell);
	jsonw_kv_double(&w, "net_spread_bps", ev->pair.net_spread_bps);
	jsonw_kv_double(&w, "peak_net_bps", ev->peak_net_bps);
	jsonw_kv_double(&w, "notional", ev->pair.notional);
	jsonw_kv_int64(&w, "opened_ns", ev->opened_ns);
	jsonw_kv_int64(&w, "ts_ns", ev->ts_ns);
	jsonw_kv_int64(&w, "duration_ms", duration_ms);
	jsonw_object_end(&w);
	if (jsonw_finish(&w, &a->json_len) < 0)
		a->json_len = 0; /* cannot happen within ALERT_JSON_MAX; nothing half-written goes out */

	const char *names[FIELDS] = {"event", "id", "rule", "symbol", "buy", "sell", "net_spread_bps",
				     "peak_net_bps", "notional", "opened_ns", "ts_ns", "duration_ms"};
	const char *strs[6] = {kind_name(ev->kind), id, rule, sym, buy, sell};
	for (int i = 0; i < FIELDS; i++) {
		char *t = a->text[i];
		size_t cap = sizeof(a->text[i]), n;
		if (i < 6)
			n = (size_t)snprintf(t, cap, "%s", strs[i]);
		else if (i < 9)
			n = fmt_double(t, cap, i == 6 ? ev->pair.net_spread_bps : i == 7 ? ev->peak_net_bps : ev->pair.notional);
		else
			n = fmt_i64(t, cap, i == 9 ? ev->opened_ns : i == 10 ? ev->ts_ns : duration_ms);
		a->fields[i] = (struct redis_pub_field){names[i], t, n < cap ? n : cap - 1};
	}
}

static void write_ring(struct alerts *a, const struct queued *q)
{
	struct spreads_record *r = a->rec;
	r->symbol_id = a->symbol_id[q->sym];
	r->buy_exchange_id = a->exchange_id[q->ev.pair.buy_ex];
	r->sell_exchange_id = a->exchange_id[q->ev.pair.sell_ex];
	r->kind = SPREADS_KIND_ALERT;
	r->json_len = (uint32_t)a->json_len;
	r->ts_ns = q->ev.ts_ns;
	memcpy(r->json, a->json, a->json_len);
	ring_publish_records(a->ring, r, 1);
}

static void emit(struct alerts *a, unsigned rule, unsigned sym, const struct alert_event *ev)
{
	struct queued q = {rule, sym, *ev};
	if (ev->kind == ALERT_EVENT_OPEN)
		a->c.opened++;
	else
		a->c.closed++;
	encode(a, &q);
	if (!a->json_len)
		return;
	write_ring(a, &q);
	if (a->rules[rule].hook)
		webhook_post(a->rules[rule].hook, a->json, a->json_len);
	if (!a->to_redis)
		return;
	if (a->q_count == REDIS_QUEUE) {
		a->c.redis_dropped++;
		log_limited(&a->lim, LOG_LVL_WARNING, "aggregator: alert queue for Redis full (%d events), event dropped",
			    REDIS_QUEUE);
		return;
	}
	a->queue[(a->q_head + a->q_count++) % REDIS_QUEUE] = q;
}

void alerts_on_update(struct alerts *a, unsigned sym, const struct spread_pair_view *pairs, size_t n, int64_t now_ns)
{
	if (sym >= a->sym_count)
		return; /* listed while alerts_grow had no memory */
	for (unsigned i = 0; i < a->rule_count; i++) {
		struct rule *r = &a->rules[i];
		if (!r->applies[sym])
			continue;
		int best = alert_match(&r->r, pairs, n);
		struct alert_pair q;
		if (best >= 0)
			q = (struct alert_pair){pairs[best].buy_ex, pairs[best].sell_ex, pairs[best].net_spread_bps,
						pairs[best].notional};
		struct alert_event ev;
		if (alert_step(&a->state[sym * a->rule_count + i], &r->r, now_ns, best >= 0 ? &q : NULL, &ev))
			emit(a, i, sym, &ev);
	}
}

void alerts_poll(struct alerts *a, int64_t now_ns)
{
	if (!a->any_duration || now_ns < a->next_poll_ns)
		return;
	a->next_poll_ns = now_ns + POLL_EVERY_NS;
	for (unsigned i = 0; i < a->rule_count; i++) {
		for (unsigned s = 0; s < a->sym_count; s++) {
			struct alert_state *st = &a->state[s * a->rule_count + i];
			struct alert_event ev;
			if (st->phase == ALERT_HOLDING && alert_due(st, &a->rules[i].r, now_ns, &ev))
				emit(a, i, s, &ev);
		}
	}
}

void alerts_redis(struct alerts *a, struct redis_pub *redis)
{
	while (a->q_count && redis_pub_ready(redis)) {
		const struct queued *q = &a->queue[a->q_head];
		encode(a, q);
		char channel[8 + CONFIG_NAME_MAX];
		int clen = snprintf(channel, sizeof(channel), "alert:%s", spread_core_symbol_name(a->core, q->sym));
		if (redis_pub_alert(redis, a->maxlen[0] != '0' ? a->maxlen : NULL, a->fields, FIELDS, channel,
				    (size_t)clen, a->json, a->json_len) < 0)
			break;
		a->q_head = (a->q_head + 1) % REDIS_QUEUE;
		a->q_count--;
	}
}

size_t alerts_redis_queued(const struct alerts *a)
{
	return a->q_count;
}

void alerts_counters(const struct alerts *a, struct alerts_counters *out)
{
	*out = a->c;
	for (size_t i = 0; i < a->rule_count; i++) {
		if (!a->rules[i].hook)
			continue;
		struct webhook_counters w;
		webhook_counters(a->rules[i].hook, &w);
		out->webhook_sent += w.sent;
		out->webhook_failed += w.failed;
		out->webhook_dropped += w.dropped;
	}
}

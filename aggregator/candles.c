/* Each slot (exchange, symbol, interval) holds its two newest candles
 * with trades: cur and prev. Each stays open for a late trade until the
 * exchange clock passes its end plus grace (or a third candle begins, which
 * closes prev at once), and once closed is kept to be revised by a trade
 * that arrives later still. Older trades are counted, not used. */
#include "aggregator/candles.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	struct candle cur, prev; /* trades == 0: none */
};

struct candles {
	size_t exchanges, symbols, intervals;
	int64_t interval_ns[CONFIG_MAX_CANDLE_INTERVALS];
	int64_t grace_ns;
	int64_t *clock_ns; /* [exchange]: newest exchange time seen */
	int64_t *due_ns;   /* [exchange]: earliest end + grace of its open candles (INT64_MAX: none) */
	struct slot *slots; /* [(sym * exchanges + ex) * intervals + iv]: symbols added at run time append */
	candles_emit_fn emit;
	void *ctx;
	struct candles_counters n;
};

int candles_create(struct candles **out, size_t exchanges, size_t symbols, const int64_t *interval_ns,
		   size_t intervals, int64_t grace_ns, candles_emit_fn emit, void *ctx)
{
	*out = NULL;
	if (intervals == 0 || intervals > CONFIG_MAX_CANDLE_INTERVALS)
		return -EINVAL;
	struct candles *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->exchanges = exchanges;
	c->symbols = symbols;
	c->intervals = intervals;
	memcpy(c->interval_ns, interval_ns, intervals * sizeof(*interval_ns));
	c->grace_ns = grace_ns;
	c->emit = emit;
	c->ctx = ctx;
	c->clock_ns = calloc(exchanges ? exchanges : 1, sizeof(*c->clock_ns));
	c->due_ns = calloc(exchanges ? exchanges : 1, sizeof(*c->due_ns));
	c->slots = calloc(exchanges * symbols * intervals + 1, sizeof(*c->slots));
	if (!c->clock_ns || !c->due_ns || !c->slots) {
		candles_free(c);
		return -ENOMEM;
	}
	for (size_t e = 0; e < exchanges; e++)
		c->due_ns[e] = INT64_MAX;
	*out = c;
	return 0;
}

void candles_free(struct candles *c)
{
	if (!c)
		return;
	free(c->clock_ns);
	free(c->due_ns);
	free(c->slots);
	free(c);
}

int candles_grow(struct candles *c, size_t symbols)
{
	if (symbols <= c->symbols)
		return 0;
	size_t per_symbol = c->exchanges * c->intervals;
	struct slot *s = realloc(c->slots, (symbols * per_symbol + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s + c->symbols * per_symbol, 0, ((symbols - c->symbols) * per_symbol + 1) * sizeof(*s));
	c->slots = s;
	c->symbols = symbols;
	return 0;
}

size_t candles_interval_count(const struct candles *c)
{
	return c->intervals;
}

int64_t candles_grace_ns(const struct candles *c)
{
	return c->grace_ns;
}

int64_t candles_interval_ns(const struct candles *c, unsigned iv)
{
	return c->interval_ns[iv];
}

static struct slot *slot_of(struct candles *c, unsigned ex, unsigned sym, unsigned iv)
{
	return &c->slots[((size_t)sym * c->exchanges + ex) * c->intervals + iv];
}

static void start(struct candle *k, int64_t start_ns, const struct tick *t, int64_t ts)
{
	memset(k, 0, sizeof(*k));
	k->start_ns = start_ns;
	k->open = k->high = k->low = k->close = t->u.trade.px;
	k->open_ts_ns = k->close_ts_ns = ts;
	k->first_id = k->last_id = trade_id_of_tick(t);
}

/* Open and close are the trades first and last by (exchange time, trade
 * id), whatever order they arrive in. */
static void add(struct candle *k, const struct tick *t, int64_t ts)
{
	double px = t->u.trade.px, qty = t->u.trade.qty;
	if (k->trades) {
		struct trade_id id = trade_id_of_tick(t);
		if (ts < k->open_ts_ns || (ts == k->open_ts_ns && trade_id_cmp(&id, &k->first_id) < 0)) {
			k->open = px;
			k->open_ts_ns = ts;
			k->first_id = id;
		}
		if (ts > k->close_ts_ns || (ts == k->close_ts_ns && trade_id_cmp(&id, &k->last_id) > 0)) {
			k->close = px;
			k->close_ts_ns = ts;
			k->last_id = id;
		}
		if (px > k->high)
			k->high = px;
		if (px < k->low)
			k->low = px;
	}
	k->volume += qty;
	k->quote_volume += px * qty;
	if (t->kind == TICK_TRADE_BUY)
		k->buy_volume += qty;
	k->trades++;
}

static void close_candle(struct candles *c, unsigned ex, unsigned sym, unsigned iv, struct candle *k)
{
	k->closed = true;
	c->n.closed++;
	c->emit(c->ctx, ex, sym, iv, k);
}

/* Closes what the exchange clock has passed: prev first, so that closed
 * candles of a slot always leave in start order. */
static void close_due(struct candles *c, unsigned ex, unsigned sym, unsigned iv)
{
	struct slot *s = slot_of(c, ex, sym, iv);
	int64_t clock = c->clock_ns[ex], len = c->interval_ns[iv];
	if (s->prev.trades && !s->prev.closed && clock >= s->prev.start_ns + len + c->grace_ns)
		close_candle(c, ex, sym, iv, &s->prev);
	if (s->cur.trades && !s->cur.closed && clock >= s->cur.start_ns + len + c->grace_ns)
		close_candle(c, ex, sym, iv, &s->cur);
}

/* A trade into a candle already closed re-emits it as the next revision. */
static void add_to(struct candles *c, unsigned ex, unsigned sym, unsigned iv, struct candle *k, const struct tick *t,
		   int64_t ts)
{
	add(k, t, ts);
	if (!k->closed) {
		c->emit(c->ctx, ex, sym, iv, k);
		return;
	}
	k->revision++;
	c->n.revisions++;
	close_candle(c, ex, sym, iv, k);
}

static int64_t floor_to(int64_t ts, int64_t len)
{
	int64_t q = ts / len;
	if (ts % len < 0)
		q--;
	return q * len;
}

static void trade_into(struct candles *c, unsigned ex, unsigned sym, unsigned iv, const struct tick *t, int64_t ts)
{
	struct slot *s = slot_of(c, ex, sym, iv);
	int64_t at = floor_to(ts, c->interval_ns[iv]);
	if (!s->cur.trades || at > s->cur.start_ns) {
		if (s->cur.trades) {
			/* a third candle: the older of the two leaves now */
			if (s->prev.trades && !s->prev.closed)
				close_candle(c, ex, sym, iv, &s->prev);
			s->prev = s->cur;
		}
		start(&s->cur, at, t, ts);
		if (at + c->interval_ns[iv] + c->grace_ns < c->due_ns[ex])
			c->due_ns[ex] = at + c->interval_ns[iv] + c->grace_ns;
		add_to(c, ex, sym, iv, &s->cur, t, ts);
	} else if (at == s->cur.start_ns) {
		add_to(c, ex, sym, iv, &s->cur, t, ts);
	} else if (s->prev.trades && at == s->prev.start_ns) {
		/* silent while prev is still open: only the newest candle is published open */
		if (s->prev.closed)
			add_to(c, ex, sym, iv, &s->prev, t, ts);
		else
			add(&s->prev, t, ts);
	} else {
		c->n.too_late++;
		return;
	}
	close_due(c, ex, sym, iv);
}

static int64_t open_due(const struct candles *c, const struct candle *k, unsigned iv)
{
	return k->trades && !k->closed ? k->start_ns + c->interval_ns[iv] + c->grace_ns : INT64_MAX;
}

/* Closes every candle of exchange ex that its clock has passed, and notes
 * when that is next worth doing. Runs about once per interval end (all
 * candles of an interval end together), so closing needs no timer: a
 * candle closes at the first tick of its exchange past its end + grace,
 * the same tick whenever the same ticks are read again. */
static void close_exchange(struct candles *c, unsigned ex)
{
	int64_t next = INT64_MAX;
	for (unsigned sym = 0; sym < c->symbols; sym++)
		for (unsigned iv = 0; iv < c->intervals; iv++) {
			close_due(c, ex, sym, iv);
			const struct slot *s = slot_of(c, ex, sym, iv);
			int64_t a = open_due(c, &s->prev, iv), b = open_due(c, &s->cur, iv);
			if (a < next)
				next = a;
			if (b < next)
				next = b;
		}
	c->due_ns[ex] = next;
}

void candles_observe(struct candles *c, unsigned ex, int64_t ts_exchange_ns)
{
	if (ts_exchange_ns > c->clock_ns[ex])
		c->clock_ns[ex] = ts_exchange_ns;
	if (c->clock_ns[ex] >= c->due_ns[ex])
		close_exchange(c, ex);
}

void candles_on_trade(struct candles *c, unsigned ex, unsigned sym, const struct tick *t)
{
	int64_t ts = t->ts_exchange_ns ? t->ts_exchange_ns : t->ts_recv_ns;
	candles_observe(c, ex, ts);
	for (unsigned iv = 0; iv < c->intervals; iv++)
		trade_into(c, ex, sym, iv, t, ts);
}

void candles_on_gap(struct candles *c, unsigned ex, int sym)
{
	size_t from = sym < 0 ? 0 : (size_t)sym, to = sym < 0 ? c->symbols : (size_t)sym + 1;
	for (size_t s = from; s < to; s++)
		for (unsigned iv = 0; iv < c->intervals; iv++) {
			struct slot *sl = slot_of(c, ex, (unsigned)s, iv);
			if (sl->cur.trades)
				sl->cur.gaps++;
		}
}

void candles_mark_partial(struct candles *c, unsigned ex, int64_t before_ns)
{
	for (unsigned sym = 0; sym < c->symbols; sym++)
		for (unsigned iv = 0; iv < c->intervals; iv++) {
			struct slot *s = slot_of(c, ex, sym, iv);
			if (s->cur.trades && s->cur.start_ns < before_ns)
				s->cur.gaps++;
			if (s->prev.trades && s->prev.start_ns < before_ns)
				s->prev.gaps++;
		}
}

void candles_tick(struct candles *c, unsigned ex, int sym, const struct tick *t)
{
	if (tick_is_trade(t)) {
		if (sym >= 0)
			candles_on_trade(c, ex, (unsigned)sym, t);
	} else if (tick_is_hole(t)) {
		if (t->symbol_id == 0)
			candles_on_gap(c, ex, -1);
		else if (sym >= 0)
			candles_on_gap(c, ex, sym);
	} else if (t->ts_exchange_ns) {
		candles_observe(c, ex, t->ts_exchange_ns);
	}
}

void candles_counters(const struct candles *c, struct candles_counters *out)
{
	*out = c->n;
}

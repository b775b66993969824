/* Candles against brute force: random trades on 2 exchanges x 2 symbols,
 * with out-of-order trades and trades on interval boundaries. Every
 * emission is checked against candles recomputed from scratch over the
 * trades the oracle accepts (acceptance: the trade's interval is one of
 * the two newest of its slot with trades), and closes against the rule:
 * only once the exchange clock passed end + grace or a third candle began. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aggregator/candles.h"
#include "common/candle_interval.h"
#include "test_common_rng.h"

#define SEC 1000000000LL
#define MIN (60 * SEC)
#define EXS 2
#define SYMS 2
#define IVS 2
#define TRADES 6000
#define GRACE (2 * SEC)
#define SLOTS (EXS * SYMS * IVS)

static const int64_t iv_ns[IVS] = {MIN, 5 * MIN};

struct trade {
	unsigned ex, sym;
	struct tick t;
	bool accepted[IVS];
};

struct oracle {
	struct trade tr[TRADES];
	size_t n;                  /* trades fed so far */
	int64_t clock[EXS];
	int64_t newest[SLOTS], second[SLOTS]; /* the two newest accepted starts; INT64_MIN: none */
	int64_t closed_start[SLOTS]; /* newest start closed at revision 0 */
	uint64_t closes, revisions, emissions;
};

static struct oracle O;

static unsigned slot(unsigned ex, unsigned sym, unsigned iv)
{
	return (ex * SYMS + sym) * IVS + iv;
}

static int64_t floor_div(int64_t ts, int64_t len)
{
	int64_t q = ts / len;
	return (ts % len < 0 ? q - 1 : q) * len;
}

/* Brute force over the accepted trades fed so far of one candle. */
static void brute(unsigned ex, unsigned sym, unsigned iv, int64_t start, struct candle *k)
{
	memset(k, 0, sizeof(*k));
	const struct tick *first = NULL, *last = NULL;
	for (size_t i = 0; i < O.n; i++) {
		const struct trade *tr = &O.tr[i];
		if (tr->ex != ex || tr->sym != sym || !tr->accepted[iv] || floor_div(tr->t.ts_exchange_ns, iv_ns[iv]) != start)
			continue;
		const struct tick *t = &tr->t;
		if (!first || t->ts_exchange_ns < first->ts_exchange_ns ||
		    (t->ts_exchange_ns == first->ts_exchange_ns && t->update_id < first->update_id))
			first = t;
		if (!last || t->ts_exchange_ns > last->ts_exchange_ns ||
		    (t->ts_exchange_ns == last->ts_exchange_ns && t->update_id > last->update_id))
			last = t;
		if (!k->trades || t->u.trade.px > k->high)
			k->high = t->u.trade.px;
		if (!k->trades || t->u.trade.px < k->low)
			k->low = t->u.trade.px;
		k->trades++;
		k->volume += t->u.trade.qty;
		k->quote_volume += t->u.trade.px * t->u.trade.qty;
		if (t->kind == TICK_TRADE_BUY)
			k->buy_volume += t->u.trade.qty;
	}
	if (first) {
		k->open = first->u.trade.px;
		k->first_id.lo = first->update_id; /* the feed's ids are plain decimals */
		k->close = last->u.trade.px;
		k->last_id.lo = last->update_id;
	}
	k->start_ns = start;
}

static void on_emit(void *ctx, unsigned ex, unsigned sym, unsigned iv, const struct candle *c)
{
	(void)ctx;
	struct candle want;
	brute(ex, sym, iv, c->start_ns, &want);
	O.emissions++;
	assert_int_equal(c->start_ns, want.start_ns);
	assert_int_equal(c->trades, want.trades);
	assert_true(c->open == want.open && c->high == want.high && c->low == want.low && c->close == want.close);
	assert_true(c->volume == want.volume && c->quote_volume == want.quote_volume &&
		    c->buy_volume == want.buy_volume);
	assert_true(trade_id_equal(&c->first_id, &want.first_id));
	assert_true(trade_id_equal(&c->last_id, &want.last_id));
	if (!c->closed)
		return;
	unsigned s = slot(ex, sym, iv);
	O.closes++;
	if (c->revision == 0) {
		/* closed in start order, and only when due: the clock passed
		 * end + grace, or two newer candles... a newer one exists and a
		 * third began (then this is no longer among the two newest) */
		assert_true(O.closed_start[s] == INT64_MIN || c->start_ns > O.closed_start[s]);
		O.closed_start[s] = c->start_ns;
		bool due = O.clock[ex] >= c->start_ns + iv_ns[iv] + GRACE;
		bool displaced = c->start_ns < O.second[s];
		assert_true(due || displaced);
	} else {
		O.revisions++;
	}
}

static void accept(struct trade *tr)
{
	for (unsigned iv = 0; iv < IVS; iv++) {
		unsigned s = slot(tr->ex, tr->sym, iv);
		int64_t at = floor_div(tr->t.ts_exchange_ns, iv_ns[iv]);
		if (O.newest[s] == INT64_MIN || at > O.newest[s]) {
			O.second[s] = O.newest[s];
			O.newest[s] = at;
			tr->accepted[iv] = true;
		} else {
			tr->accepted[iv] = at == O.newest[s] || at == O.second[s];
		}
	}
}

static void random_trades_match_brute_force(void **state)
{
	(void)state;
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	memset(&O, 0, sizeof(O));
	for (unsigned s = 0; s < SLOTS; s++)
		O.newest[s] = O.second[s] = O.closed_start[s] = INT64_MIN;
	struct candles *c;
	assert_int_equal(candles_create(&c, EXS, SYMS, iv_ns, IVS, GRACE, on_emit, NULL), 0);
	int64_t now[EXS] = {1700000000LL * SEC, 1700000000LL * SEC + 7 * SEC};
	for (size_t i = 0; i < TRADES; i++) {
		struct trade *tr = &O.tr[i];
		uint64_t r = test_rng_next(&rng);
		tr->ex = (unsigned)(r % EXS);
		tr->sym = (unsigned)((r >> 8) % SYMS);
		now[tr->ex] += (int64_t)((r >> 16) % (200 * 1000)) * 1000 * 10; /* up to 2 s */
		int64_t ts = now[tr->ex];
		unsigned pick = (unsigned)((r >> 40) % 100);
		if (pick < 10)
			ts -= (int64_t)((r >> 48) % 150) * SEC; /* late, up to 2.5 min */
		else if (pick < 15)
			ts = floor_div(ts, MIN); /* exactly on a boundary */
		else if (pick < 20)
			ts = floor_div(ts, MIN) - 1; /* the last nanosecond of one */
		tr->t.kind = (r >> 56) & 1 ? TICK_TRADE_BUY : TICK_TRADE_SELL;
		tr->t.ts_exchange_ns = ts;
		tr->t.update_id = i + 1;
		tr->t.u.trade.px = 100.0 + (double)((r >> 20) % 1000) / 8.0;
		tr->t.u.trade.qty = (double)((r >> 30) % 64 + 1) / 16.0;
		accept(tr);
		if (ts > O.clock[tr->ex])
			O.clock[tr->ex] = ts;
		O.n = i + 1;
		candles_on_trade(c, tr->ex, tr->sym, &tr->t);
	}
	/* the clocks move far past every candle: all close */
	for (unsigned e = 0; e < EXS; e++) {
		O.clock[e] += 2 * 3600 * SEC;
		candles_observe(c, e, O.clock[e]);
	}
	for (unsigned s = 0; s < SLOTS; s++)
		assert_true(O.closed_start[s] == O.newest[s]);
	struct candles_counters n;
	candles_counters(c, &n);
	assert_int_equal(n.closed, O.closes);
	assert_int_equal(n.revisions, O.revisions);
	size_t rejected = 0;
	for (size_t i = 0; i < TRADES; i++)
		for (unsigned iv = 0; iv < IVS; iv++)
			rejected += !O.tr[i].accepted[iv];
	assert_int_equal(n.too_late, rejected);
	assert_true(O.revisions > 0 && rejected > 0); /* the generator reached both rules */
	candles_free(c);
}

struct last {
	struct candle c;
	int n;
};

static void keep_last(void *ctx, unsigned ex, unsigned sym, unsigned iv, const struct candle *c)
{
	(void)ex, (void)sym, (void)iv;
	struct last *l = ctx;
	l->c = *c;
	l->n++;
}

static void trade(struct candles *c, int64_t ts, uint64_t id, double px)
{
	struct tick t = {.kind = TICK_TRADE, .ts_exchange_ns = ts, .update_id = id};
	t.u.trade.px = px;
	t.u.trade.qty = 1;
	candles_on_trade(c, 0, 0, &t);
}

/* A gap marker is counted in the candle open when it came, not the next;
 * a closed candle's late trade re-emits it as revision 1. */
static void gap_and_revision(void **state)
{
	(void)state;
	struct last l = {0};
	struct candles *c;
	int64_t iv = MIN, t0 = 1700000040LL * SEC; /* 1700000040 is a minute boundary */
	assert_int_equal(candles_create(&c, 1, 1, &iv, 1, GRACE, keep_last, &l), 0);
	trade(c, t0 + SEC, 1, 10);
	candles_on_gap(c, 0, -1);
	trade(c, t0 + 30 * SEC, 2, 11);
	assert_false(l.c.closed);
	assert_int_equal(l.c.gaps, 1);
	candles_observe(c, 0, t0 + MIN + GRACE - 1);
	assert_false(l.c.closed);
	candles_observe(c, 0, t0 + MIN + GRACE); /* a quote's time, say */
	assert_true(l.c.closed);
	assert_int_equal(l.c.revision, 0);
	assert_int_equal(l.c.trades, 2);
	trade(c, t0 + MIN + SEC, 3, 12);
	assert_int_equal(l.c.gaps, 0);
	trade(c, t0 + 59 * SEC, 4, 9); /* late for the first minute */
	assert_true(l.c.closed);
	assert_int_equal(l.c.start_ns, t0);
	assert_int_equal(l.c.revision, 1);
	assert_true(l.c.close == 9 && l.c.low == 9 && l.c.last_id.lo == 4 && l.c.trades == 3);
	candles_free(c);
}

static void intervals_parse(void **state)
{
	(void)state;
	int64_t ns[CONFIG_MAX_CANDLE_INTERVALS];
	char err[128];
	assert_int_equal(candle_intervals_parse("1m, 5m,15m 1h", ns, err, sizeof(err)), 4);
	assert_true(ns[0] == MIN && ns[3] == 60 * MIN);
	assert_int_equal(candle_intervals_parse("1m, 2m", ns, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'2m'"));
	assert_int_equal(candle_intervals_parse("5m,5m", ns, err, sizeof(err)), -1);
	assert_int_equal(candle_intervals_parse(" ", ns, err, sizeof(err)), -1);
	assert_string_equal(candle_interval_name(15 * MIN), "15m");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_trades_match_brute_force),
		cmocka_unit_test(gap_and_revision),
		cmocka_unit_test(intervals_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Deterministic test ticks from a bus_seq (1 in 97 a gap, 1 in 3 of the
 * rest a trade, the others quotes; exact binary fractions), and
 * market-like ticks for size measurements. */
#include "tests/integration/writer_feed.h"

#include <math.h>
#include <string.h>

static const uint32_t gap_reasons[] = {GAP_DISCONNECT, GAP_STALL, GAP_SERVER_SHUTDOWN, GAP_COLLECTOR_START,
				       GAP_RECONNECT_PLANNED};
static const uint8_t trade_kinds[] = {TICK_TRADE_BUY, TICK_TRADE_SELL, TICK_TRADE};

void writer_feed_tick(struct tick *t, uint64_t seq, int64_t ts_base_ns, int64_t ts_step_ns,
		      const uint16_t *symbol_ids, unsigned symbol_count)
{
	memset(t, 0, sizeof(*t));
	t->ts_recv_ns = ts_base_ns + (int64_t)seq * ts_step_ns;
	t->ts_exchange_ns = t->ts_recv_ns - 250000 - (int64_t)(seq % 1000);
	if (seq % 97 == 0) {
		t->kind = TICK_GAP;
		t->update_id = seq % 5;
		t->u.gap.reason = gap_reasons[(seq / 97) % 5];
		/* a collector's first start has no data before it: start unknown */
		t->u.gap.ts_start_ns = t->u.gap.reason == GAP_COLLECTOR_START ? 0 : t->ts_recv_ns - 1000000;
		t->u.gap.ts_end_ns = t->ts_recv_ns;
		/* and it is the whole connection's: no symbol */
		if (t->u.gap.reason != GAP_COLLECTOR_START)
			t->symbol_id = symbol_ids[seq % symbol_count];
		return;
	}
	t->symbol_id = symbol_ids[seq % symbol_count];
	if (seq % 3 == 0) {
		t->kind = trade_kinds[(seq / 3) % 3];
		t->update_id = seq * 7 + 1;
		t->u.trade.px = 100.0 + (double)(seq % 4096) / 64.0;
		t->u.trade.qty = (double)(seq % 1000 + 1) / 8.0;
		return;
	}
	t->kind = TICK_QUOTE;
	t->update_id = seq * 3 + 1;
	t->u.quote.bid_px = 1000.0 + (double)(seq % 8192) / 128.0;
	t->u.quote.bid_qty = (double)(seq % 777 + 1) / 16.0;
	t->u.quote.ask_px = t->u.quote.bid_px + 0.5;
	t->u.quote.ask_qty = (double)(seq % 333 + 1) / 4.0;
}

/* xorshift64*: fast, reproducible, good enough for test data */
static uint64_t next_random(struct writer_feed_market *m)
{
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return m->rng * 2685821657736338717ULL;
}

void writer_feed_market_init(struct writer_feed_market *m, int64_t ts_base_ns, uint64_t seed)
{
	memset(m, 0, sizeof(*m));
	m->rng = seed | 1;
	m->ts_recv_ns = ts_base_ns;
	for (unsigned i = 0; i < WRITER_FEED_MAX_SYMBOLS; i++) {
		m->mid[i] = 10.0 + (double)(next_random(m) % 6000000) / 100.0;
		m->update_id[i] = 400000000 + next_random(m) % 100000000;
		m->trade_id[i] = 3000000000ULL + next_random(m) % 1000000000ULL;
	}
}

void writer_feed_market_tick(struct writer_feed_market *m, struct tick *t, const uint16_t *symbol_ids,
			     unsigned symbol_count)
{
	memset(t, 0, sizeof(*t));
	unsigned k = (unsigned)(next_random(m) % symbol_count) % WRITER_FEED_MAX_SYMBOLS;
	m->ts_recv_ns += (int64_t)(next_random(m) % 100000); /* 0..100 us apart */
	t->ts_recv_ns = m->ts_recv_ns;
	/* exchanges stamp milliseconds, 1..20 ms before we receive */
	t->ts_exchange_ns = (t->ts_recv_ns - 1000000 - (int64_t)(next_random(m) % 19000000)) / 1000000 * 1000000;
	t->symbol_id = symbol_ids[k];
	int64_t step = (int64_t)(next_random(m) % 5) - 2; /* the mid moves -2..+2 cents */
	m->mid[k] = round(m->mid[k] * 100.0 + (double)step) / 100.0;
	if (m->mid[k] < 0.05)
		m->mid[k] = 0.05;
	if (next_random(m) % 5 != 0) {
		t->kind = TICK_QUOTE;
		t->update_id = m->update_id[k] += 1 + next_random(m) % 20;
		t->u.quote.bid_px = m->mid[k];
		t->u.quote.ask_px = round(m->mid[k] * 100.0 + 1.0) / 100.0;
		t->u.quote.bid_qty = (double)(1 + next_random(m) % 500000) / 10000.0;
		t->u.quote.ask_qty = (double)(1 + next_random(m) % 500000) / 10000.0;
		return;
	}
	t->kind = next_random(m) % 2 ? TICK_TRADE_BUY : TICK_TRADE_SELL;
	t->update_id = ++m->trade_id[k];
	t->u.trade.px = m->mid[k];
	t->u.trade.qty = (double)(1 + next_random(m) % 200000) / 10000.0;
}

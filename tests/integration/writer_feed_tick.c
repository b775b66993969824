/* Deterministic test ticks from a bus_seq: 1 in 97 a gap, 1 in 3 of the
 * rest a trade, the others quotes; prices are exact binary fractions. */
#include "tests/integration/writer_feed.h"

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
		t->u.gap.ts_start_ns = t->ts_recv_ns - 1000000;
		t->u.gap.ts_end_ns = t->ts_recv_ns;
		t->u.gap.reason = gap_reasons[(seq / 97) % 5];
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

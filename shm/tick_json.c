#include "shm/tick_json.h"

#include "shm/trade_id.h"

void tick_json_fields(struct jsonw *w, const struct tick *t)
{
	if (t->kind == TICK_QUOTE) {
		jsonw_kv_uint64(w, "update_id", t->update_id);
		jsonw_kv_double(w, "bid_px", t->u.quote.bid_px);
		jsonw_kv_double(w, "bid_qty", t->u.quote.bid_qty);
		jsonw_kv_double(w, "ask_px", t->u.quote.ask_px);
		jsonw_kv_double(w, "ask_qty", t->u.quote.ask_qty);
	} else if (tick_is_trade(t)) {
		jsonw_kv_double(w, "px", t->u.trade.px);
		jsonw_kv_double(w, "qty", t->u.trade.qty);
		jsonw_kv_string(w, "side", tick_trade_side_name(t));
		/* a string: the exchange's own text ("007", a UUID, "ETH-1", a
		 * 128-bit number), which no JSON number reader keeps exactly */
		char id[TRADE_ID_TEXT_MAX + 1];
		trade_id_tick_text(t, id);
		jsonw_kv_string(w, "trade_id", id);
		if (t->u.trade.flags & TICK_TRADE_BACKFILLED)
			jsonw_kv_bool(w, "backfilled", true);
	} else if (t->kind == TICK_GAP) {
		jsonw_kv_int64(w, "ts_start_ns", t->u.gap.ts_start_ns);
		jsonw_kv_int64(w, "ts_end_ns", t->u.gap.ts_end_ns);
		jsonw_kv_string(w, "reason", tick_gap_reason_name(t->u.gap.reason));
		jsonw_kv_uint64(w, "lost", t->update_id);
		if (t->u.gap.reason == GAP_BACKFILL) {
			jsonw_kv_uint64(w, "recovered", t->u.gap.recovered);
			jsonw_kv_string(w, "status", tick_backfill_status_name(t));
		}
	}
}

/* The frame pipeline: refuse what is too big or binary (gunzip it for
 * adapters whose frames are gzip members), parse with the
 * adapter, validate each tick, drop duplicates, apply the instrument's
 * rules. No allocation. */
#include "collector/pipeline.h"

#include <errno.h>
#include <math.h>
#include <string.h>

void pipeline_init(struct pipeline *p, const struct adapter *a, struct symmap *symbols, uint8_t exchange_id,
		   uint32_t max_frame_bytes, int64_t max_skew_ns)
{
	memset(p, 0, sizeof(*p));
	p->adapter = a;
	p->symbols = symbols;
	p->exchange_id = exchange_id;
	p->max_frame_bytes = max_frame_bytes;
	p->max_skew_ns = max_skew_ns;
	dedup_init(&p->dedup);
	p->out.ticks = p->ticks;
	p->out.cap = PIPELINE_MAX_TICKS;
}

/* Value checks of one parsed tick. */
static enum reject_reason tick_validate(const struct tick *t, int64_t now_ns, int64_t max_skew_ns)
{
	if (t->kind == TICK_QUOTE) {
		const double *v = &t->u.quote.bid_px;
		for (int i = 0; i < 4; i++)
			if (!isfinite(v[i]))
				return REJECT_NON_NUMERIC;
		if (!(t->u.quote.bid_px > 0) || !(t->u.quote.ask_px > 0) || !(t->u.quote.bid_qty > 0) ||
		    !(t->u.quote.ask_qty > 0))
			return REJECT_NON_POSITIVE;
		/* bid == ask (a locked book) is legal; only bid > ask is crossed */
		if (t->u.quote.bid_px > t->u.quote.ask_px)
			return REJECT_CROSSED;
	} else {
		if (!isfinite(t->u.trade.px) || !isfinite(t->u.trade.qty))
			return REJECT_NON_NUMERIC;
		if (!(t->u.trade.px > 0) || !(t->u.trade.qty > 0))
			return REJECT_NON_POSITIVE;
	}
	if (max_skew_ns > 0 && t->ts_exchange_ns != 0) {
		int64_t d = t->ts_exchange_ns - now_ns;
		if (d > max_skew_ns || d < -max_skew_ns)
			return REJECT_CLOCK_SKEW;
	}
	return REJECT_NONE;
}

enum frame_kind pipeline_frame(struct pipeline *p, const char *buf, size_t len, bool binary, int64_t recv_ns)
{
	struct frame_out *out = &p->out;
	out->n = 0;
	out->control = CONTROL_NONE;
	out->reject = REJECT_NONE;
	out->detail[0] = '\0';
	out->has_conn_seq = false;
	p->accepted = 0;
	if (len > p->max_frame_bytes)
		return adapter_frame_reject(out, REJECT_OVERSIZE);
	if (binary && !p->adapter->gzip_frames)
		return adapter_frame_reject(out, REJECT_BINARY);
	if (binary) {
		size_t n, used, cap = p->max_frame_bytes < sizeof(p->inflated) ? p->max_frame_bytes : sizeof(p->inflated);
		int rc = gunzip_frame(&p->gz, buf, len, p->inflated, cap, &n, &used);
		if (rc == -EMSGSIZE)
			return adapter_frame_reject(out, REJECT_OVERSIZE);
		/* not gzip, cut short, or more than one member: malformed */
		if (rc < 0 || used != len)
			return adapter_frame_reject(out, REJECT_JSON);
		buf = p->inflated;
		len = n;
	}
	enum frame_kind k = p->adapter->parse(p->symbols, buf, len, out);
	if (k != FRAME_DATA)
		return k;
	for (size_t i = 0; i < out->n; i++) {
		struct tick *t = &p->ticks[i];
		enum reject_reason r = tick_validate(t, recv_ns, p->max_skew_ns);
		if (r == REJECT_NONE) {
			bool dup = t->kind == TICK_QUOTE ? dedup_quote_seen(symmap_by_id(p->symbols, t->symbol_id), t)
							 : dedup_trade_seen(&p->dedup, t);
			if (dup)
				r = REJECT_DUPLICATE;
		}
		if (r == REJECT_NONE && p->validate)
			r = validate_tick(p->validate, p->symbols, t, recv_ns);
		t->seq_lo = 0;
		if (tick_is_trade(t)) /* the slot may hold an older quote's bytes there */
			t->u.trade.flags = 0;
		t->exchange_id = p->exchange_id;
		t->ts_recv_ns = recv_ns;
		p->verdict[i] = (uint8_t)r;
		p->accepted += r == REJECT_NONE;
	}
	return FRAME_DATA;
}

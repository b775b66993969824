/* The body shared by the per-exchange fuzz targets: any bytes as one frame
 * through the full pipeline, then the invariants of what it accepted. */
#ifndef SPREADBUS_TESTS_FUZZ_ADAPTER_H
#define SPREADBUS_TESTS_FUZZ_ADAPTER_H

#include <stdint.h>
#include <stdlib.h>

#include "collector/pipeline.h"

/* Symbols a fuzz run may invent in the open map before it is full (then
 * lookups of new names fail, which is also a path worth running). */
#define FUZZ_SYMBOLS 4096
/* A fixed "now" so that clock-skew rejects are reproducible. */
#define FUZZ_NOW_NS 1700000000000000000LL

static int fuzz_adapter_frame(const char *adapter, const uint8_t *data, size_t size)
{
	static struct symmap symbols;
	static struct pipeline *p;
	if (!p) {
		const struct adapter *a = adapter_find(adapter);
		p = malloc(sizeof(*p));
		if (!a || !p || symmap_init(&symbols, a, FUZZ_SYMBOLS, true) < 0)
			abort();
		/* a known symbol, so that closed-map paths and dedup see real ids
		 * (a derivatives-only adapter refuses the spot name) */
		if (symmap_add(&symbols, "BTC-USDT", 1) < 0 && symmap_add(&symbols, "BTC-USDT-PERP", 1) < 0)
			abort();
		pipeline_init(p, a, &symbols, 1, 65536, 300000LL * 1000000);
	}
	enum frame_kind k = pipeline_frame(p, (const char *)data, size, false, FUZZ_NOW_NS);
	if (k != FRAME_DATA)
		return 0;
	if (p->out.n == 0 || p->out.n > PIPELINE_MAX_TICKS)
		abort();
	for (size_t i = 0; i < p->out.n; i++) {
		const struct tick *t = &p->ticks[i];
		if (!symmap_by_id(&symbols, t->symbol_id))
			abort();
		if (p->verdict[i] != REJECT_NONE)
			continue;
		if (t->kind == TICK_QUOTE) {
			if (!(t->u.quote.bid_px > 0 && t->u.quote.ask_px >= t->u.quote.bid_px && t->u.quote.bid_qty > 0 &&
			      t->u.quote.ask_qty > 0))
				abort();
		} else if (!tick_is_trade(t) || !(t->u.trade.px > 0 && t->u.trade.qty > 0)) {
			abort();
		}
	}
	return 0;
}

#endif

/* fakex: misbehaviour budgets and spoilers. Budgets are global: whichever
 * connection sends next spends them, in place of a good frame. */
#include "tests/fakex/misbehave.h"

#define NESTING_DEPTH 5000
#define FUTURE_SKEW_MS (24LL * 3600 * 1000)

static char nesting[2 * NESTING_DEPTH + 1];

/* A symbol no client subscribed to and no config lists; its tick size is
 * taken from the symbol it stands in for. */
static struct fx_symbol unknown_symbol = {
	.canon = "NOPE-USDT",
	.compact = "NOPEUSDT",
	.lower = "nopeusdt",
};

void misbehave_init(void)
{
	for (int i = 0; i < NESTING_DEPTH; i++) {
		nesting[i] = '[';
		nesting[2 * NESTING_DEPTH - 1 - i] = ']';
	}
}

bool misbehave_take(enum fx_fault f)
{
	if (!fx.faults[f])
		return false;
	fx.faults[f]--;
	return true;
}

void misbehave_give_back(enum fx_fault f)
{
	fx.faults[f]++;
	if (f == FXF_MALFORMED)
		fx.malformed_turn--;
}

enum malformed_kind misbehave_next_malformed(const struct fx_proto *p, enum fx_kind kind)
{
	enum malformed_kind k = (enum malformed_kind)(fx.malformed_turn++ % MF_NONE);
	/* Binance quotes carry no timestamp to skew */
	if (k == MF_FUTURE && p == &fx_proto_binance && kind == FX_QUOTES)
		k = MF_UNKNOWN_SYMBOL;
	return k;
}

void misbehave_taint(enum malformed_kind k, struct fx_taint *t, const struct fx_symbol **sym, int64_t *ts_ms)
{
	static const char *const raw[MF_NONE] = {
		[MF_ABC] = "\"abc\"",
		[MF_ZERO] = "\"0\"",
		[MF_NEGATIVE] = "\"-1.5\"",
		[MF_HUGE] = "\"1e999\"",
	};
	if (k == MF_NESTED) {
		t->px_raw = nesting;
	} else if (k < MF_NONE && raw[k]) {
		t->px_raw = raw[k];
	} else if (k == MF_OMIT) {
		t->omit_px = true;
	} else if (k == MF_UNKNOWN_SYMBOL) {
		unknown_symbol.px_decimals = (*sym)->px_decimals;
		*sym = &unknown_symbol;
	} else if (k == MF_FUTURE) {
		*ts_ms += FUTURE_SKEW_MS;
	}
}

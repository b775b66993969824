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

enum fx_fault misbehave_take_spoiler(const struct fx_proto *p)
{
	if (misbehave_take(FXF_OFF_TICK))
		return FXF_OFF_TICK;
	/* only Binance's quote writer takes a raw size */
	if (p == &fx_proto_binance && misbehave_take(FXF_OFF_LOT))
		return FXF_OFF_LOT;
	if (misbehave_take(FXF_JUMP))
		return FXF_JUMP;
	return FXF_COUNT;
}

/* "mantissa * 10^-decimals" as a quoted JSON decimal in out, NUL-ended. */
static const char *quoted_decimal(char *out, size_t len, int64_t mantissa, int decimals)
{
	struct fxbuf b = fxbuf_on(out, len - 1);
	fxbuf_char(&b, '"', 1);
	fxbuf_decimal(&b, mantissa, decimals, false);
	fxbuf_char(&b, '"', 1);
	out[b.len] = '\0';
	return out;
}

void misbehave_spoil_quote(enum fx_fault f, struct fx_quote *q)
{
	/* a tenth of a step is off every tick the fake REST lists for the
	 * symbol (its step, a half or a quarter of it) */
	static char px[48], qty[48];
	if (f == FXF_OFF_TICK) {
		q->taint.px_raw = quoted_decimal(px, sizeof(px), q->bid * 10 + 1, q->sym->px_decimals + 1);
	} else if (f == FXF_OFF_LOT) {
		q->taint.qty_raw = quoted_decimal(qty, sizeof(qty), q->bid_qty * 10 + 1, FX_QTY_DECIMALS + 1);
	} else if (f == FXF_JUMP) {
		int64_t spread = q->ask - q->bid;
		q->bid += q->bid / 2;
		q->ask = q->bid + spread;
	}
}

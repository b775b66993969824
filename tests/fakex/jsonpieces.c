/* fakex: the JSON pieces every exchange format shares: quoted strings,
 * decimal prices and sizes (or their misbehaving stand-ins), padding. */
#include "tests/fakex/fakex.h"

void fx_put_quoted(struct fxbuf *b, const char *s)
{
	fxbuf_char(b, '"', 1);
	fxbuf_put(b, s);
	fxbuf_char(b, '"', 1);
}

static int64_t rescale(int64_t mantissa, int from, int to)
{
	for (; from < to; from++)
		mantissa *= 10;
	for (; from > to; from--)
		mantissa /= 10;
	return mantissa;
}

void fx_put_px(struct fxbuf *b, const struct fx_taint *t, int64_t mantissa, int decimals, int out_decimals, bool trim)
{
	if (t->px_raw) {
		fxbuf_put(b, t->px_raw);
		return;
	}
	fxbuf_char(b, '"', 1);
	fxbuf_decimal(b, rescale(mantissa, decimals, out_decimals), out_decimals, trim);
	fxbuf_char(b, '"', 1);
}

void fx_put_qty(struct fxbuf *b, int64_t mantissa, int out_decimals, bool trim)
{
	fxbuf_char(b, '"', 1);
	fxbuf_decimal(b, rescale(mantissa, FX_QTY_DECIMALS, out_decimals), out_decimals, trim);
	fxbuf_char(b, '"', 1);
}

void fx_put_pad(struct fxbuf *b, const struct fx_taint *t)
{
	if (!t->pad_bytes)
		return;
	fxbuf_put(b, ",\"pad\":\"");
	fxbuf_char(b, 'x', t->pad_bytes);
	fxbuf_char(b, '"', 1);
}

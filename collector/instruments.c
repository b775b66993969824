/* The table of discovery APIs, and what every exchange's parser shares:
 * walking to the list in an answer, reading spans, naming instruments. */
#include "collector/instruments.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern const struct instruments_api instruments_binance;
extern const struct instruments_api instruments_binance_usdm;
extern const struct instruments_api instruments_bitget;
extern const struct instruments_api instruments_bybit;
extern const struct instruments_api instruments_coinbase;
extern const struct instruments_api instruments_deribit;
extern const struct instruments_api instruments_gateio;
extern const struct instruments_api instruments_htx;
extern const struct instruments_api instruments_kraken;
extern const struct instruments_api instruments_okx;

static const struct instruments_api *const apis[] = {
	&instruments_binance, &instruments_binance_usdm, &instruments_bitget, &instruments_bybit,
	&instruments_coinbase, &instruments_deribit, &instruments_gateio, &instruments_htx,
	&instruments_kraken, &instruments_okx,
};

const struct instruments_api *instruments_api_find(const char *adapter)
{
	for (size_t i = 0; i < sizeof(apis) / sizeof(apis[0]); i++)
		if (strcmp(apis[i]->adapter, adapter) == 0)
			return apis[i];
	return NULL;
}

struct walk {
	const char *const *path;
	size_t n, depth;
	const char *code_key, *code_ok;
	struct js_span code;
	bool code_seen, found;
	int (*elem)(struct js *j, void *ctx);
	int (*member)(struct js *j, const struct js_span *key, void *ctx);
	void *ctx;
	size_t failed_at; /* 1 + index of the element that failed, 0 = none */
};

/* The list at the cursor: an array (elem per element) or, for member
 * walks, an object (member per key). 1 when walked, -1 on error. */
static int walk_list(struct js *j, struct walk *w)
{
	bool first;
	int rc;
	size_t i = 0;
	struct js_span key;
	if (w->member ? js_obj_begin(j, &first) < 0 : js_arr_begin(j, &first) < 0)
		return -1;
	while ((rc = w->member ? js_obj_key(j, &first, &key) : js_arr_next(j, &first)) == 1) {
		if ((w->member ? w->member(j, &key, w->ctx) : w->elem(j, w->ctx)) < 0) {
			w->failed_at = i + 1;
			return -1;
		}
		i++;
	}
	w->found = rc == 0;
	return rc < 0 ? -1 : 1;
}

/* A top-level code: a scalar's text, or an array's or object's raw text. */
static int walk_code(struct js *j, struct js_span *code)
{
	if (!js_peek(j, '[') && !js_peek(j, '{'))
		return js_scalar(j, code);
	const char *start = j->p;
	if (js_skip(j) < 0)
		return -1;
	*code = (struct js_span){ .s = start, .len = (size_t)(j->p - start) };
	return 0;
}

static int walk_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct walk *w = ctx;
	if (w->depth == 0 && w->code_key && js_span_is(key, w->code_key, strlen(w->code_key))) {
		w->code_seen = true;
		return walk_code(j, &w->code) < 0 ? -1 : 1;
	}
	if (!js_span_is(key, w->path[w->depth], strlen(w->path[w->depth])))
		return 0;
	if (w->depth + 1 < w->n) {
		w->depth++;
		int rc = js_object(j, NULL, 0, NULL, walk_hook, w);
		w->depth--;
		return rc < 0 ? -1 : 1;
	}
	return walk_list(j, w);
}

static int walk_body(const char *body, size_t len, struct walk *w, char *err, size_t err_len)
{
	const char *list = w->n ? w->path[w->n - 1] : "answer";
	struct js j;
	js_init(&j, body, len);
	/* n = 0: the body itself is the list (no envelope, so no code either) */
	int rc = w->n ? js_object(&j, NULL, 0, NULL, walk_hook, w) : walk_list(&j, w);
	bool code_bad = w->code_key && (!w->code_seen || !js_span_is(&w->code, w->code_ok, strlen(w->code_ok)));
	/* an error answer's list is often null ({"code":"429",...,"data":null}):
	 * its code says more than the walk that stopped there */
	if ((rc < 0 || !js_at_end(&j)) && !(code_bad && w->code_seen)) {
		if (w->failed_at)
			snprintf(err, err_len, "element %zu of '%s' is malformed", w->failed_at - 1, list);
		else
			snprintf(err, err_len, "malformed JSON near byte %zu of %zu: %.*s", (size_t)(j.p - body), len,
				 instruments_quote_len(len, 40), body);
		return -1;
	}
	if (code_bad) {
		snprintf(err, err_len, "%s is %.*s, not %s: %.*s", w->code_key, w->code_seen ? (int)w->code.len : 6,
			 w->code_seen ? w->code.s : "absent", w->code_ok, instruments_quote_len(len, 120), body);
		return -1;
	}
	if (!w->found) {
		snprintf(err, err_len, "no '%s' list in the answer: %.*s", list, instruments_quote_len(len, 80), body);
		return -1;
	}
	return 0;
}

int instruments_walk(const char *body, size_t len, const char *const *path, size_t n, const char *code_key,
		     const char *code_ok, int (*elem)(struct js *j, void *ctx), void *ctx, char *err, size_t err_len)
{
	struct walk w = { .path = path, .n = n, .code_key = code_key, .code_ok = code_ok, .elem = elem, .ctx = ctx };
	return walk_body(body, len, &w, err, err_len);
}

int instruments_walk_members(const char *body, size_t len, const char *const *path, size_t n, const char *code_key,
			     const char *code_ok, int (*member)(struct js *j, const struct js_span *key, void *ctx),
			     void *ctx, char *err, size_t err_len)
{
	struct walk w = { .path = path, .n = n, .code_key = code_key, .code_ok = code_ok, .member = member, .ctx = ctx };
	return walk_body(body, len, &w, err, err_len);
}

/* A string span that fits, is not empty and needs no unescaping. */
static int instruments_copy(const struct js_span *s, char *out, size_t out_len)
{
	if (!s->s || s->len == 0 || s->len >= out_len || s->escaped)
		return -1;
	memcpy(out, s->s, s->len);
	out[s->len] = '\0';
	return 0;
}

int instruments_decimal(const struct js_span *s, double *out)
{
	if (!s->s || s->len == 0) {
		*out = 0;
		return 0;
	}
	return js_span_decimal(s, out);
}

int instruments_precision(const struct js_span *s, double *out)
{
	uint64_t digits;
	if (!s->s || s->len == 0) {
		*out = 0;
		return 0;
	}
	if (js_span_u64(s, &digits) < 0 || digits > 18)
		return -1;
	*out = 1;
	for (uint64_t i = 0; i < digits; i++)
		*out /= 10;
	return 0;
}

static void instruments_upper(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

int instruments_fill(struct instrument *in, const struct instruments_names *names, const char *trading_status)
{
	char suffix[INSTRUMENT_NAME_MAX] = "";
	if (instruments_copy(&names->native, in->native, sizeof(in->native)) < 0 ||
	    instruments_copy(&names->status, in->status, sizeof(in->status)) < 0 ||
	    instruments_copy(&names->base, in->base, sizeof(in->base)) < 0 ||
	    instruments_copy(&names->quote, in->quote, sizeof(in->quote)) < 0 ||
	    (names->suffix.s && instruments_copy(&names->suffix, suffix, sizeof(suffix)) < 0))
		return -1;
	in->trading = strcmp(in->status, trading_status) == 0;
	/* HTX names assets in lower case: the universe compares quote assets
	 * with the configured (upper-case) ones */
	instruments_upper(in->base);
	instruments_upper(in->quote);
	int n = snprintf(in->canonical, sizeof(in->canonical), "%s-%s%s%s", in->base, in->quote, suffix[0] ? "-" : "",
			 suffix);
	if (n < 0 || (size_t)n >= sizeof(in->canonical))
		return -1;
	for (char *p = in->canonical; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return -1;
	instruments_upper(in->canonical);
	return 0;
}

int instruments_set_volume(struct instrument_set *set, const struct js_span *native, const struct js_span *volume)
{
	if (!native->s)
		return -1;
	struct instrument *in = instrument_set_find_native(set, native->s, native->len);
	if (!in)
		return 0; /* a ticker without an instrument (delisted meanwhile) */
	return instruments_decimal(volume, &in->quote_volume_24h);
}

int instruments_set_volume_product(struct instrument_set *set, const struct js_span *native,
				   const struct js_span *base_volume, const struct js_span *price)
{
	double volume, px;
	if (!native->s)
		return -1;
	struct instrument *in = instrument_set_find_native(set, native->s, native->len);
	if (!in)
		return 0;
	if (instruments_decimal(base_volume, &volume) < 0 || instruments_decimal(price, &px) < 0)
		return -1;
	in->quote_volume_24h = volume * px;
	return 0;
}

struct flat_spans {
	struct instruments_names n;
	struct js_span disabled, tick, lot, min_qty, min_notional;
};

struct flat_walk {
	const struct instruments_flat *f;
	struct instrument_set *set;
	struct js_field fields[9];
	size_t nfields;
};

static void flat_field(struct flat_walk *w, const char *key, size_t offset)
{
	if (key)
		w->fields[w->nfields++] = (struct js_field){ key, strlen(key), offset };
}

static int flat_step(const struct instruments_flat *f, const struct js_span *s, double *out)
{
	return f->steps_in_decimals ? instruments_precision(s, out) : instruments_decimal(s, out);
}

static int flat_elem(struct js *j, void *ctx)
{
	struct flat_walk *w = ctx;
	const struct instruments_flat *f = w->f;
	struct flat_spans s = { 0 };
	struct instrument *in = instrument_set_add(w->set);
	if (!in || js_object(j, w->fields, w->nfields, &s, NULL, NULL) < 0)
		return -1;
	/* an instrument listed with trading switched off (Coinbase trading_disabled) */
	if (JS_IS(&s.disabled, "true"))
		s.n.status = INSTRUMENTS_LITERAL("disabled");
	if (instruments_fill(in, &s.n, f->trading_status) < 0 || flat_step(f, &s.tick, &in->tick_size) < 0 ||
	    flat_step(f, &s.lot, &in->lot_size) < 0 || instruments_decimal(&s.min_qty, &in->min_qty) < 0 ||
	    instruments_decimal(&s.min_notional, &in->min_notional) < 0)
		return -1;
	return 0;
}

int instruments_parse_flat(const char *body, size_t len, const struct instruments_list *list,
			   const struct instruments_flat *f, struct instrument_set *set, char *err, size_t err_len)
{
	struct flat_walk w = { .f = f, .set = set };
	flat_field(&w, f->native, offsetof(struct flat_spans, n.native));
	flat_field(&w, f->status, offsetof(struct flat_spans, n.status));
	flat_field(&w, f->base, offsetof(struct flat_spans, n.base));
	flat_field(&w, f->quote, offsetof(struct flat_spans, n.quote));
	flat_field(&w, f->disabled, offsetof(struct flat_spans, disabled));
	flat_field(&w, f->tick, offsetof(struct flat_spans, tick));
	flat_field(&w, f->lot, offsetof(struct flat_spans, lot));
	flat_field(&w, f->min_qty, offsetof(struct flat_spans, min_qty));
	flat_field(&w, f->min_notional, offsetof(struct flat_spans, min_notional));
	return instruments_walk(body, len, list->path, list->n, list->code_key, list->code_ok, flat_elem, &w, err,
				err_len);
}

struct volume_walk {
	struct instrument_set *set;
	struct js_field fields[2];
};

struct volume_spans {
	struct js_span native, volume;
};

static int volume_elem(struct js *j, void *ctx)
{
	struct volume_walk *w = ctx;
	struct volume_spans t = { 0 };
	if (js_object(j, w->fields, 2, &t, NULL, NULL) < 0)
		return -1;
	return instruments_set_volume(w->set, &t.native, &t.volume);
}

int instruments_parse_volumes(const char *body, size_t len, const struct instruments_list *list,
			      const char *native_key, const char *volume_key, struct instrument_set *set, char *err,
			      size_t err_len)
{
	struct volume_walk w = {
		.set = set,
		.fields = { { native_key, strlen(native_key), offsetof(struct volume_spans, native) },
			    { volume_key, strlen(volume_key), offsetof(struct volume_spans, volume) } },
	};
	return instruments_walk(body, len, list->path, list->n, list->code_key, list->code_ok, volume_elem, &w, err,
				err_len);
}

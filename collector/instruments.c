/* The table of discovery APIs, and what every exchange's parser shares:
 * walking to the list in an answer, reading spans, naming instruments. */
#include "collector/instruments.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

extern const struct instruments_api instruments_binance;
extern const struct instruments_api instruments_bybit;
extern const struct instruments_api instruments_okx;

static const struct instruments_api *const apis[] = {
	&instruments_binance,
	&instruments_bybit,
	&instruments_okx,
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
	const char *code_key;
	struct js_span code;
	bool code_seen, found;
	int (*elem)(struct js *j, void *ctx);
	void *ctx;
	size_t failed_at; /* 1 + index of the element that failed, 0 = none */
};

static int walk_hook(struct js *j, const struct js_span *key, void *ctx)
{
	struct walk *w = ctx;
	if (w->depth == 0 && w->code_key && js_span_is(key, w->code_key, strlen(w->code_key))) {
		w->code_seen = true;
		return js_scalar(j, &w->code) < 0 ? -1 : 1;
	}
	if (!js_span_is(key, w->path[w->depth], strlen(w->path[w->depth])))
		return 0;
	if (w->depth + 1 < w->n) {
		w->depth++;
		int rc = js_object(j, NULL, 0, NULL, walk_hook, w);
		w->depth--;
		return rc < 0 ? -1 : 1;
	}
	bool first;
	int rc;
	size_t i = 0;
	if (js_arr_begin(j, &first) < 0)
		return -1;
	while ((rc = js_arr_next(j, &first)) == 1) {
		if (w->elem(j, w->ctx) < 0) {
			w->failed_at = i + 1;
			return -1;
		}
		i++;
	}
	w->found = rc == 0;
	return rc < 0 ? -1 : 1;
}

int instruments_walk(const char *body, size_t len, const char *const *path, size_t n, const char *code_key,
		     const char *code_ok, int (*elem)(struct js *j, void *ctx), void *ctx, char *err, size_t err_len)
{
	struct walk w = { .path = path, .n = n, .code_key = code_key, .elem = elem, .ctx = ctx };
	struct js j;
	js_init(&j, body, len);
	if (js_object(&j, NULL, 0, NULL, walk_hook, &w) < 0 || !js_at_end(&j)) {
		if (w.failed_at)
			snprintf(err, err_len, "element %zu of '%s' is malformed", w.failed_at - 1, path[n - 1]);
		else
			snprintf(err, err_len, "malformed JSON near byte %zu of %zu: %.*s", (size_t)(j.p - body), len,
				 instruments_quote_len(len, 40), body);
		return -1;
	}
	if (code_key && (!w.code_seen || !js_span_is(&w.code, code_ok, strlen(code_ok)))) {
		snprintf(err, err_len, "%s is %.*s, not %s: %.*s", code_key, w.code_seen ? (int)w.code.len : 6,
			 w.code_seen ? w.code.s : "absent", code_ok, instruments_quote_len(len, 120), body);
		return -1;
	}
	if (!w.found) {
		snprintf(err, err_len, "no '%s' list in the answer: %.*s", path[n - 1], instruments_quote_len(len, 80),
			 body);
		return -1;
	}
	return 0;
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

int instruments_fill(struct instrument *in, const struct instruments_names *names, const char *trading_status)
{
	if (instruments_copy(&names->native, in->native, sizeof(in->native)) < 0 ||
	    instruments_copy(&names->status, in->status, sizeof(in->status)) < 0 ||
	    instruments_copy(&names->base, in->base, sizeof(in->base)) < 0 ||
	    instruments_copy(&names->quote, in->quote, sizeof(in->quote)) < 0)
		return -1;
	in->trading = strcmp(in->status, trading_status) == 0;
	int n = snprintf(in->canonical, sizeof(in->canonical), "%s-%s", in->base, in->quote);
	if (n < 0 || (size_t)n >= sizeof(in->canonical))
		return -1;
	for (char *p = in->canonical; *p; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-')
			return -1;
		*p = (char)toupper((unsigned char)*p);
	}
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

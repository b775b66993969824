/* The subscribe/unsubscribe/pairs request parser: every field bounded and
 * checked, anything unexpected refused with a reason for the client. */
#include "gateway/request.h"

#include <stdio.h>
#include <string.h>

#include "collector/json_scan.h"

static const char *const channel_names[GW_CHANNELS] = { "spreads", "quotes", "trades", "status",
							 "candles", "alerts",  "pairs" };

const char *gw_channel_name(enum gw_channel c)
{
	return (unsigned)c < GW_CHANNELS ? channel_names[c] : "unknown";
}

static int fail(char *err, size_t err_len, const char *msg)
{
	snprintf(err, err_len, "%s", msg);
	return -1;
}

/* Names are canonical symbols or exchange names: printable ASCII without
 * escapes, quotes or spaces, so that they can be echoed as they are. */
static bool plain_name(const struct js_span *s)
{
	if (!s->quoted || s->escaped || s->len == 0 || s->len >= REGISTRY_NAME_MAX)
		return false;
	for (size_t i = 0; i < s->len; i++)
		if (s->s[i] <= ' ' || s->s[i] > '~' || s->s[i] == '"' || s->s[i] == '\\')
			return false;
	return true;
}

static int parse_channels(struct js *j, struct gw_request *r, char *err, size_t err_len)
{
	bool first;
	int rc;
	if (js_arr_begin(j, &first) < 0)
		return fail(err, err_len, "channels must be an array of strings");
	while ((rc = js_arr_next(j, &first)) == 1) {
		struct js_span s;
		if (js_string(j, &s) < 0)
			return fail(err, err_len, "channels must be an array of strings");
		unsigned c = 0;
		while (c < GW_CHANNELS && !js_span_is(&s, channel_names[c], strlen(channel_names[c])))
			c++;
		if (c == GW_CHANNELS) {
			snprintf(err, err_len, "unknown channel \"%.*s\": use spreads, quotes, trades, status, candles, alerts or pairs",
				 plain_name(&s) ? (int)s.len : 0, s.s);
			return -1;
		}
		r->channels |= 1u << c;
	}
	if (rc < 0)
		return fail(err, err_len, "channels must be an array of strings");
	if (!r->channels)
		return fail(err, err_len, "channels must name at least one channel");
	return 0;
}

static int parse_names(struct js *j, const char *what, char (*names)[REGISTRY_NAME_MAX], size_t *count, char *err,
		       size_t err_len)
{
	bool first;
	int rc;
	if (js_arr_begin(j, &first) < 0) {
		snprintf(err, err_len, "%s must be an array of strings", what);
		return -1;
	}
	while ((rc = js_arr_next(j, &first)) == 1) {
		struct js_span s;
		if (js_string(j, &s) < 0 || !plain_name(&s)) {
			snprintf(err, err_len, "%s must hold names of 1 to %d printable characters", what,
				 REGISTRY_NAME_MAX - 1);
			return -1;
		}
		if (*count == GW_REQ_MAX_NAMES) {
			snprintf(err, err_len, "at most %d %s in one request", GW_REQ_MAX_NAMES, what);
			return -1;
		}
		memcpy(names[*count], s.s, s.len);
		names[*count][s.len] = '\0';
		(*count)++;
	}
	if (rc < 0) {
		snprintf(err, err_len, "%s must be an array of strings", what);
		return -1;
	}
	return 0;
}

/* The id is any scalar up to GW_REQ_ID_MAX characters, kept as JSON text. */
static int parse_id(struct js *j, struct gw_request *r, char *err, size_t err_len)
{
	const char *start;
	struct js_span s;
	js_ws(j);
	start = j->p;
	if (js_scalar(j, &s) < 0)
		return fail(err, err_len, "id must be a string or a number");
	size_t n = (size_t)(j->p - start);
	if (n > GW_REQ_ID_MAX)
		return fail(err, err_len, "id is too long");
	memcpy(r->id, start, n);
	r->id[n] = '\0';
	return 0;
}

/* After an error, the id may still be found (an error reply carries it):
 * the top-level keys are walked again, every other value skipped. */
static void find_id(const char *text, size_t len, struct gw_request *r)
{
	struct js j;
	struct js_span key;
	bool first;
	char err[8];
	js_init(&j, text, len);
	if (r->id[0] || js_obj_begin(&j, &first) < 0)
		return;
	while (js_obj_key(&j, &first, &key) == 1) {
		if (JS_IS(&key, "id")) {
			if (parse_id(&j, r, err, sizeof(err)) < 0)
				r->id[0] = '\0';
			return;
		}
		if (js_skip(&j) < 0)
			return;
	}
}

static int parse(const char *text, size_t len, struct gw_request *r, char *err, size_t err_len);

int gw_request_parse(const char *text, size_t len, struct gw_request *r, char *err, size_t err_len)
{
	int rc = parse(text, len, r, err, err_len);
	if (rc < 0)
		find_id(text, len, r);
	return rc;
}

static int parse(const char *text, size_t len, struct gw_request *r, char *err, size_t err_len)
{
	struct js j;
	struct js_span key, op = { 0 };
	bool first, have_op = false, have_channels = false, have_symbol = false;
	int rc;

	memset(r, 0, offsetof(struct gw_request, symbols));
	r->id[0] = '\0';
	js_init(&j, text, len);
	if (js_obj_begin(&j, &first) < 0)
		return fail(err, err_len, "a request is a JSON object");
	while ((rc = js_obj_key(&j, &first, &key)) == 1) {
		if (JS_IS(&key, "op")) {
			if (js_string(&j, &op) < 0)
				return fail(err, err_len, "op must be a string");
			have_op = true;
		} else if (JS_IS(&key, "channels")) {
			if (parse_channels(&j, r, err, err_len) < 0)
				return -1;
			have_channels = true;
		} else if (JS_IS(&key, "symbols")) {
			r->symbol_count = 0;
			if (parse_names(&j, "symbols", r->symbols, &r->symbol_count, err, err_len) < 0)
				return -1;
			r->symbols_given = true;
		} else if (JS_IS(&key, "symbol")) {
			struct js_span s;
			if (js_string(&j, &s) < 0 || !plain_name(&s)) {
				snprintf(err, err_len, "symbol must be a name of 1 to %d printable characters",
					 REGISTRY_NAME_MAX - 1);
				return -1;
			}
			memcpy(r->symbols[0], s.s, s.len);
			r->symbols[0][s.len] = '\0';
			have_symbol = true;
		} else if (JS_IS(&key, "exchanges")) {
			r->exchange_count = 0;
			if (parse_names(&j, "exchanges", r->exchanges, &r->exchange_count, err, err_len) < 0)
				return -1;
			r->exchanges_given = true;
		} else if (JS_IS(&key, "id")) {
			if (parse_id(&j, r, err, err_len) < 0)
				return -1;
		} else {
			snprintf(err, err_len, "unknown field \"%.*s\"", plain_name(&key) ? (int)key.len : 0, key.s);
			return -1;
		}
	}
	if (rc < 0 || !js_at_end(&j))
		return fail(err, err_len, "not valid JSON");
	if (!have_op)
		return fail(err, err_len, "op is missing");
	if (JS_IS(&op, "pairs")) {
		/* one symbol's matrix: the pairs channel of that symbol */
		if (!have_symbol || have_channels || r->symbols_given || r->exchanges_given)
			return fail(err, err_len, "pairs takes one symbol and no channels, symbols or exchanges");
		r->op = GW_OP_SUBSCRIBE;
		r->channels = 1u << GW_CH_PAIRS;
		r->symbols_given = true;
		r->symbol_count = 1;
		return 0;
	}
	if (have_symbol)
		return fail(err, err_len, "symbol is for op pairs: use symbols");
	if (JS_IS(&op, "subscribe"))
		r->op = GW_OP_SUBSCRIBE;
	else if (JS_IS(&op, "unsubscribe"))
		r->op = GW_OP_UNSUBSCRIBE;
	else
		return fail(err, err_len, "op must be subscribe, unsubscribe or pairs");
	if (!have_channels)
		return fail(err, err_len, "channels is missing");
	if ((r->channels & (1u << GW_CH_PAIRS)) && r->exchanges_given)
		return fail(err, err_len, "exchanges do not apply to pairs");
	return 0;
}

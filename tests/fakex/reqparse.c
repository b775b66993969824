/* fakex: client request parsing with jsmn over a fixed token array; values
 * that do not fit their field make the request invalid, never truncated. */
#include "tests/fakex/reqparse.h"

#include <errno.h>
#include <string.h>

#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>

#define MAX_TOKENS 2048

static jsmntok_t tokens[MAX_TOKENS]; /* single-threaded server */

/* Index just past the subtree rooted at token i. */
static int skip(const jsmntok_t *t, int n, int i)
{
	int end = i + 1;
	if (t[i].type == JSMN_OBJECT || t[i].type == JSMN_ARRAY) {
		int children = t[i].type == JSMN_OBJECT ? t[i].size * 2 : t[i].size;
		for (int c = 0; c < children && end < n; c++)
			end = skip(t, n, end);
	}
	return end;
}

static bool tok_is(const char *msg, const jsmntok_t *t, const char *s)
{
	size_t n = strlen(s);
	return t->type == JSMN_STRING && (size_t)(t->end - t->start) == n && memcmp(msg + t->start, s, n) == 0;
}

static int copy_tok(char *dst, size_t cap, const char *msg, const jsmntok_t *t)
{
	size_t n = (size_t)(t->end - t->start);
	if (n >= cap)
		return -EINVAL;
	memcpy(dst, msg + t->start, n);
	dst[n] = '\0';
	return 0;
}

static int parse_arg_object(struct fx_req_arg *a, const char *msg, const jsmntok_t *t, int n, int i)
{
	int end = skip(t, n, i);
	for (int k = i + 1; k + 1 < end; k = skip(t, n, k + 1)) {
		const jsmntok_t *v = &t[k + 1];
		if (tok_is(msg, &t[k], "channel") && v->type == JSMN_STRING) {
			if (copy_tok(a->channel, sizeof a->channel, msg, v))
				return -EINVAL;
		} else if (tok_is(msg, &t[k], "instId") && v->type == JSMN_STRING) {
			if (copy_tok(a->inst, sizeof a->inst, msg, v))
				return -EINVAL;
		}
	}
	return 0;
}

static void parse_args(struct fx_req *r, const char *msg, const jsmntok_t *t, int n, int i)
{
	if (t[i].type != JSMN_ARRAY) {
		r->args_bad = true;
		return;
	}
	for (int k = i + 1, c = 0; c < t[i].size && k < n; c++, k = skip(t, n, k)) {
		if (r->nargs == FX_REQ_MAX_ARGS) {
			r->args_bad = true;
			return;
		}
		struct fx_req_arg *a = &r->args[r->nargs++];
		memset(a, 0, sizeof *a);
		if (t[k].type == JSMN_STRING) {
			if (copy_tok(a->str, sizeof a->str, msg, &t[k]))
				r->args_bad = true;
		} else if (t[k].type == JSMN_OBJECT) {
			if (parse_arg_object(a, msg, t, n, k))
				r->args_bad = true;
		} else {
			r->args_bad = true;
		}
	}
}

int reqparse(struct fx_req *r, const char *msg, size_t len)
{
	jsmn_parser p;

	memset(r, 0, offsetof(struct fx_req, args));
	jsmn_init(&p);
	int n = jsmn_parse(&p, msg, len, tokens, MAX_TOKENS);
	if (n < 1 || tokens[0].type != JSMN_OBJECT)
		return -EINVAL;
	for (int k = 1; k + 1 < n; k = skip(tokens, n, k + 1)) {
		const jsmntok_t *key = &tokens[k], *v = &tokens[k + 1];
		if ((tok_is(msg, key, "method") || tok_is(msg, key, "op")) && v->type == JSMN_STRING) {
			if (copy_tok(r->op, sizeof r->op, msg, v))
				return -EINVAL;
		} else if (tok_is(msg, key, "id")) {
			if (copy_tok(r->id, sizeof r->id, msg, v))
				return -EINVAL;
			r->has_id = true;
			r->id_is_string = v->type == JSMN_STRING;
		} else if (tok_is(msg, key, "req_id") && v->type == JSMN_STRING) {
			if (copy_tok(r->req_id, sizeof r->req_id, msg, v))
				return -EINVAL;
			r->has_req_id = true;
		} else if (tok_is(msg, key, "params") || tok_is(msg, key, "args")) {
			parse_args(r, msg, tokens, n, k + 1);
		}
	}
	return 0;
}

/* fakex: dotted-path lookups in a client request, with jsmn over a fixed
 * token array. */
#include "tests/fakex/reqpath.h"

#include <errno.h>
#include <string.h>

#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>

#define MAX_TOKENS 1024

static jsmntok_t tok[MAX_TOKENS];

/* Index just past the value at token i. */
static int next_value(int n, int i)
{
	int end = i + 1, children = tok[i].type == JSMN_OBJECT ? 2 * tok[i].size
				   : tok[i].type == JSMN_ARRAY ? tok[i].size : 0;
	for (int c = 0; c < children && end < n; c++)
		end = next_value(n, end);
	return end;
}

int reqpath_parse(struct fx_reqpath *r, const char *msg, size_t len)
{
	jsmn_parser p;
	jsmn_init(&p);
	r->msg = msg;
	r->ntok = jsmn_parse(&p, msg, len, tok, MAX_TOKENS);
	return r->ntok >= 1 && tok[0].type == JSMN_OBJECT ? 0 : -EINVAL;
}

/* The token of the value at path, or -1. */
static int find(const struct fx_reqpath *r, const char *path)
{
	int obj = 0;
	while (*path) {
		size_t klen = strcspn(path, ".");
		int found = -1;
		if (tok[obj].type != JSMN_OBJECT)
			return -1;
		for (int k = obj + 1, i = 0; i < tok[obj].size && k + 1 < r->ntok; i++, k = next_value(r->ntok, k + 1)) {
			if (tok[k].type == JSMN_STRING && (size_t)(tok[k].end - tok[k].start) == klen &&
			    memcmp(r->msg + tok[k].start, path, klen) == 0)
				found = k + 1;
		}
		if (found < 0)
			return -1;
		obj = found;
		path += klen + (path[klen] == '.');
	}
	return obj;
}

static int copy(const struct fx_reqpath *r, int t, char *out, size_t cap)
{
	size_t n = (size_t)(tok[t].end - tok[t].start);
	if (n >= cap)
		return -EINVAL;
	memcpy(out, r->msg + tok[t].start, n);
	out[n] = '\0';
	return 0;
}

int reqpath_string(const struct fx_reqpath *r, const char *path, char *out, size_t cap)
{
	int t = find(r, path);
	if (t < 0 || tok[t].type != JSMN_STRING)
		return -ENOENT;
	return copy(r, t, out, cap);
}

int reqpath_number(const struct fx_reqpath *r, const char *path, char *out, size_t cap)
{
	int t = find(r, path);
	if (t < 0 || tok[t].type != JSMN_PRIMITIVE || !(r->msg[tok[t].start] == '-' || (r->msg[tok[t].start] >= '0' &&
									r->msg[tok[t].start] <= '9')))
		return -ENOENT;
	return copy(r, t, out, cap);
}

int reqpath_strings(const struct fx_reqpath *r, const char *path, char (*out)[FX_REQPATH_ITEM], int max)
{
	int t = find(r, path);
	if (t < 0 || tok[t].type != JSMN_ARRAY)
		return -ENOENT;
	if (tok[t].size > max)
		return -EINVAL;
	for (int i = 0, k = t + 1; i < tok[t].size; i++, k = next_value(r->ntok, k))
		if (tok[k].type != JSMN_STRING || copy(r, k, out[i], FX_REQPATH_ITEM) < 0)
			return -EINVAL;
	return tok[t].size;
}

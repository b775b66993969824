/* `spreadctl universe`: the control reply as a table, one line per
 * (exchange, symbol) with its volume, tick and lot size and why it is in. */
#include <stdlib.h>
#include <string.h>

#define JSMN_STATIC
#include <jsmn.h>

#include "supervisor/universe.h"

struct doc {
	const char *js;
	jsmntok_t *tok;
	int n;
};

/* Index just past token i's subtree. */
static int next_of(const struct doc *d, int i)
{
	int end = d->tok[i].end;
	i++;
	while (i < d->n && d->tok[i].start < end)
		i++;
	return i;
}

/* Value of key in the object at obj, or -1. */
static int member(const struct doc *d, int obj, const char *key)
{
	if (obj < 0 || d->tok[obj].type != JSMN_OBJECT)
		return -1;
	size_t kl = strlen(key);
	for (int k = 0, i = obj + 1; k < d->tok[obj].size; k++) {
		const jsmntok_t *t = &d->tok[i];
		if ((size_t)(t->end - t->start) == kl && memcmp(d->js + t->start, key, kl) == 0)
			return i + 1;
		i = next_of(d, i + 1);
	}
	return -1;
}

static const char *text(const struct doc *d, int i, char *out, size_t out_len)
{
	int n = i < 0 ? 1 : d->tok[i].end - d->tok[i].start;
	snprintf(out, out_len, "%.*s", n, i < 0 ? "-" : d->js + d->tok[i].start);
	return out;
}

int universe_print(const char *js, size_t len, bool json, FILE *out)
{
	jsmn_parser p;
	jsmn_init(&p);
	int n = jsmn_parse(&p, js, len, NULL, 0);
	struct doc d = { js, n > 0 ? calloc((size_t)n, sizeof(jsmntok_t)) : NULL, n };
	int rc = -1;
	if (!d.tok)
		goto bad;
	jsmn_init(&p);
	if (jsmn_parse(&p, js, len, d.tok, (unsigned)n) != n || d.tok[0].type != JSMN_OBJECT)
		goto bad;
	int ok = member(&d, 0, "ok"), u = member(&d, 0, "universe");
	if (ok < 0 || js[d.tok[ok].start] != 't' || u < 0) {
		char msg[256];
		fprintf(stderr, "spreadctl: %s\n", text(&d, member(&d, 0, "error"), msg, sizeof(msg)));
		free(d.tok);
		return -1;
	}
	if (json) {
		fwrite(js + d.tok[u].start, 1, (size_t)(d.tok[u].end - d.tok[u].start), out);
		fputc('\n', out);
		free(d.tok);
		return 0;
	}
	char a[64], b[64], c[64], e[64], f[64], g[64], r[256];
	int ex = member(&d, u, "exchanges");
	fprintf(out, "mode %s, source %s\n", text(&d, member(&d, u, "mode"), a, sizeof(a)),
		text(&d, member(&d, u, "source"), b, sizeof(b)));
	fprintf(out, "%-12s %-16s %-18s %16s %12s %12s  %s\n", "EXCHANGE", "SYMBOL", "NATIVE", "VOLUME_24H", "TICK", "LOT",
		"REASON");
	if (ex < 0)
		goto bad;
	for (int k = 0, i = ex + 1; k < d.tok[ex].size; k++) {
		int syms = member(&d, i + 1, "symbols");
		text(&d, i, a, sizeof(a));
		for (int m = 0, s = syms + 1; syms >= 0 && m < d.tok[syms].size; m++) {
			fprintf(out, "%-12s %-16s %-18s %16s %12s %12s  %s\n", a, text(&d, member(&d, s, "symbol"), b, sizeof(b)),
				text(&d, member(&d, s, "native"), c, sizeof(c)),
				text(&d, member(&d, s, "quote_volume_24h"), e, sizeof(e)),
				text(&d, member(&d, s, "tick_size"), f, sizeof(f)),
				text(&d, member(&d, s, "lot_size"), g, sizeof(g)),
				text(&d, member(&d, s, "reason"), r, sizeof(r)));
			s = next_of(&d, s);
		}
		i = next_of(&d, i + 1);
	}
	rc = 0;
bad:
	if (rc < 0)
		fprintf(stderr, "spreadctl: malformed universe reply\n");
	free(d.tok);
	return rc;
}

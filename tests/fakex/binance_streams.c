/* fakex: Binance stream names and paths, shared by spot and USD-M. */
#include "tests/fakex/binance_streams.h"

#include <errno.h>
#include <string.h>

int fx_binance_stream(const char *const suffix[], const char *name, size_t len, const struct fx_symbol **sym,
		      enum fx_kind *kind)
{
	const char *at = memchr(name, '@', len);
	if (!at)
		return -EINVAL;
	size_t rest = len - (size_t)(at - name);
	for (int k = FX_QUOTES; k <= FX_TRADES; k++) {
		if (strlen(suffix[k]) == rest && memcmp(at, suffix[k], rest) == 0) {
			*kind = (enum fx_kind)k;
			*sym = fx_symbol_find(name, (size_t)(at - name), FX_NAME_LOWER);
			return *sym ? 0 : -ENOENT;
		}
	}
	return -EINVAL;
}

/* "a/b/c" up to '&' or the end. */
static int open_streams(const char *const suffix[], struct fx_session *s, const char *list)
{
	while (*list && *list != '&') {
		size_t n = strcspn(list, "/&");
		const struct fx_symbol *sym;
		enum fx_kind kind;
		if (fx_binance_stream(suffix, list, n, &sym, &kind))
			return -EINVAL;
		if (s)
			fx_session_subscribe(s, sym, kind);
		list += n + (list[n] == '/');
	}
	return 0;
}

int fx_binance_open(const char *const suffix[], struct fx_session *s, const char *path, const char *query)
{
	bool raw = strcmp(path, "/ws") == 0 || strncmp(path, "/ws/", 4) == 0;
	if (!raw && strcmp(path, "/stream") != 0)
		return -ENOENT;
	if (s)
		s->combined = !raw;
	if (raw)
		return path[3] == '/' ? open_streams(suffix, s, path + 4) : 0;
	if (!query)
		return 0;
	return strncmp(query, "streams=", 8) == 0 ? open_streams(suffix, s, query + 8) : -EINVAL;
}

void fx_binance_wrap(const char *const suffix[], struct fxbuf *b, const struct fx_session *s,
		     const struct fx_symbol *sym, enum fx_kind kind)
{
	if (!s->combined)
		return;
	fxbuf_put(b, "{\"stream\":\"");
	fxbuf_put(b, sym->lower);
	fxbuf_put(b, suffix[kind]);
	fxbuf_put(b, "\",\"data\":");
}

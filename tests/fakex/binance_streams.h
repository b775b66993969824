/* fakex: the Binance stream protocol that spot and USD-M futures share:
 * "<lower-case name><suffix>" stream names (the suffix of each fx_kind is
 * the market's: "@bookTicker", "@trade" or "@aggTrade"), raw /ws[/<stream>]
 * and combined /stream?streams=a/b paths, the combined wrapper. */
#ifndef SPREADBUS_FAKEX_BINANCE_STREAMS_H
#define SPREADBUS_FAKEX_BINANCE_STREAMS_H

#include "tests/fakex/fakex.h"

/* A stream name into its symbol and kind: 0, -EINVAL (not a stream of
 * this market) or -ENOENT (unknown symbol). */
int fx_binance_stream(const char *const suffix[], const char *name, size_t len, const struct fx_symbol **sym,
		      enum fx_kind *kind);

/* fx_proto open for /ws and /ws/<stream> (raw payloads) and
 * /stream?streams=a/b (combined): every named stream must be known, like
 * the real server's HTTP 400; with s, subscribes them. */
int fx_binance_open(const char *const suffix[], struct fx_session *s, const char *path, const char *query);

/* {"stream":"<name>","data": ahead of a payload on a combined session
 * (the payload closes it with a second brace); nothing on a raw one. */
void fx_binance_wrap(const char *const suffix[], struct fxbuf *b, const struct fx_session *s,
		     const struct fx_symbol *sym, enum fx_kind kind);

#endif

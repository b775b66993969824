/* The Binance market-stream protocol that spot and USD-M futures share:
 * lower-case stream names in a combined-stream query, SUBSCRIBE requests,
 * and the answers to requests. */
#ifndef SPREADBUS_COLLECTOR_BINANCE_STREAMS_H
#define SPREADBUS_COLLECTOR_BINANCE_STREAMS_H

#include <stddef.h>

#include "collector/adapter.h"
#include "collector/json_scan.h"

struct sbuf;
struct symmap_entry;

/* The stream suffixes of one market ("@bookTicker", "@trade" or "@aggTrade"). */
struct binance_streams {
	const char *quotes, *trades;
};

/* <lower-case native name><suffix of ch>. */
void binance_put_stream(struct sbuf *b, const struct binance_streams *bs, const struct symmap_entry *e,
			enum sub_channel ch);

/* build_path: on a combined-stream path (ending in /stream) as many
 * symbols' streams as fit in the query within budget bytes; other paths
 * (raw /ws) as they are, everything by SUBSCRIBE. */
int binance_streams_path(const struct binance_streams *bs, size_t budget, const struct sub_request *req,
			 const char *base_path, char *out, size_t out_len, size_t *consumed);

/* build_subscribe: {"method":"SUBSCRIBE","params":[...],"id":N}, at most
 * 200 streams, item() writing one quoted stream name. */
int binance_streams_subscribe(const struct sub_request *req, size_t start, char *out, size_t out_len,
			      size_t *consumed, void (*item)(struct sbuf *b, const struct symmap_entry *e, enum sub_channel ch));

/* Every field a spot or USD-M frame we care about may carry; spans are
 * empty (s == NULL) when absent. "a" is the ask price in bookTicker, the
 * aggregate trade id in aggTrade. */
struct binance_fields {
	struct js_span e, E, s, u, b, B, a, A, t, p, q, T, m, code, msg, result, method;
};

/* The frame walked into *f, the combined-stream wrapper's "data" too.
 * False when out is already the result: a reject (adapter_walk_frame), or
 * an answer to a request or the request itself (captures hold both
 * directions): {"code","msg"} errors, {"result":null} acks, a list
 * result (LIST_SUBSCRIPTIONS), {"method":...}. */
bool binance_walk_frame(const char *frame, size_t len, struct binance_fields *f, struct frame_out *out);

/* A trade's aggressor from "m", the buyer was the maker (then the
 * aggressor sold); REJECT_NON_NUMERIC when m is not a boolean. */
enum reject_reason binance_maker_side(const struct js_span *m, struct tick *t);

#endif

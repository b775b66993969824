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

/* For js_object hooks: the "result" of an answer, a list (LIST_SUBSCRIPTIONS)
 * recorded as "list". Returns 1 (consumed), 0 (let the walk skip it), -1. */
int binance_result_hook(struct js *j, struct js_span *result);

/* An answer to a request, or a request itself (captures hold both
 * directions): {"code","msg"} errors, {"result":null} acks, a list result,
 * {"method":...}. Returns true with out filled, false for anything else. */
bool binance_answer(const struct js_span *code, const struct js_span *msg, const struct js_span *result,
		    const struct js_span *method, struct frame_out *out);

#endif

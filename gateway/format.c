/* Message text: spreads and candles wrap the aggregator's JSON untouched; ticks use the
 * tick JSON fields of shm/tick_json (as busctl dump prints them). */
#include "gateway/format.h"

#include <string.h>

#include "common/jsonw.h"
#include "shm/tick_json.h"

size_t gw_format_record(char *out, size_t cap, const char *channel, const struct spreads_record *r)
{
	size_t c = strlen(channel), n = 12 + c + 9;
	if (n + r->json_len + 1 > cap)
		return 0;
	memcpy(out, "{\"channel\":\"", 12);
	memcpy(out + 12, channel, c);
	memcpy(out + 12 + c, "\",\"data\":", 9);
	memcpy(out + n, r->json, r->json_len);
	n += r->json_len;
	out[n++] = '}';
	return n;
}

size_t gw_format_tick(char *out, size_t cap, const char *channel, const struct registry *reg, const struct tick *t,
		      uint64_t seq)
{
	struct jsonw w;
	size_t len;
	jsonw_init(&w, out, cap);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "channel", channel);
	jsonw_key(&w, "data");
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "exchange", registry_exchange_name(reg, t->exchange_id));
	jsonw_kv_string(&w, "symbol", registry_symbol_name(reg, t->symbol_id));
	jsonw_kv_uint64(&w, "seq", seq);
	jsonw_kv_int64(&w, "ts_exchange_ns", t->ts_exchange_ns);
	jsonw_kv_int64(&w, "ts_recv_ns", t->ts_recv_ns);
	tick_json_fields(&w, t);
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	return jsonw_finish(&w, &len) == 0 ? len : 0;
}

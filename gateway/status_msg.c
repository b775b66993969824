/* Builds the status channel's message: one entry per collector block, the
 * message rate from the counter's change since the previous message. */
#include "gateway/status_msg.h"

#include "common/jsonw.h"

/* The most telling state of a collector's connections: streaming if any
 * streams, else the first one's. */
static const char *connection_state(const struct status_block *b)
{
	uint32_t n = __atomic_load_n(&b->conn_count, __ATOMIC_RELAXED);
	if (n > STATUS_MAX_CONNS)
		n = STATUS_MAX_CONNS;
	for (uint32_t i = 0; i < n; i++)
		if (__atomic_load_n(&b->conns[i].state, __ATOMIC_RELAXED) == CONN_STREAMING)
			return status_conn_state_name(CONN_STREAMING);
	return status_conn_state_name(n ? __atomic_load_n(&b->conns[0].state, __ATOMIC_RELAXED) : CONN_IDLE);
}

size_t gw_status_msg(char *out, size_t cap, struct status_table *t, struct gw_rates *r, int64_t now_ns,
		     unsigned clients)
{
	struct jsonw w;
	size_t len;
	double secs = r->at_ns ? (double)(now_ns - r->at_ns) / 1e9 : 0;
	jsonw_init(&w, out, cap);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "channel", "status");
	jsonw_key(&w, "data");
	jsonw_object_begin(&w);
	jsonw_kv_int64(&w, "ts_ns", now_ns);
	jsonw_kv_uint64(&w, "gateway_clients", clients);
	jsonw_key(&w, "exchanges");
	jsonw_array_begin(&w);
	for (unsigned i = 0; i < STATUS_MAX_CHILDREN; i++) {
		const struct status_block *b = status_table_at(t, i);
		if (!b || !b->name[0] || b->role != ROLE_COLLECTOR)
			continue;
		uint64_t messages = status_get(b, SM_MESSAGES);
		int32_t pid = __atomic_load_n(&b->pid, __ATOMIC_RELAXED);
		bool same = r->at_ns && r->pid[i] == pid && messages >= r->messages[i];
		jsonw_object_begin(&w);
		jsonw_kv_string(&w, "exchange", b->name);
		jsonw_kv_string(&w, "state", status_child_state_name(__atomic_load_n(&b->state, __ATOMIC_RELAXED)));
		jsonw_kv_string(&w, "connection", connection_state(b));
		jsonw_key(&w, "messages_per_s");
		if (same && secs > 0)
			jsonw_double(&w, (double)(messages - r->messages[i]) / secs);
		else
			jsonw_null(&w);
		jsonw_kv_int64(&w, "last_message_ns", (int64_t)status_get(b, SM_LAST_MESSAGE_NS));
		jsonw_kv_int64(&w, "heartbeat_ns", __atomic_load_n(&b->heartbeat_ns, __ATOMIC_RELAXED));
		jsonw_object_end(&w);
		r->messages[i] = messages;
		r->pid[i] = pid;
	}
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	r->at_ns = now_ns;
	return jsonw_finish(&w, &len) == 0 ? len : 0;
}

/* The status table: one cache-line-aligned block per child in a shared
 * segment, heartbeats and counters as lock-free relaxed atomics. */
#include "shm/status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shm/segment.h"

/* Blocks start on cache lines so that two children never share one. */
#define STATUS_BLOCK_STRIDE ((sizeof(struct status_block) + 63) / 64 * 64)

struct status_table {
	struct segment seg;
};

static const struct status_metric_info metric_info[SM_COUNT] = {
	[SM_MESSAGES] = { "messages_received_total", SMT_COUNTER, "WebSocket frames received from the exchange", 1 },
	[SM_BYTES] = { "received_bytes_total", SMT_COUNTER, "Bytes of WebSocket payload received", 1 },
	[SM_TICKS_PUBLISHED] = { "ticks_published_total", SMT_COUNTER, "Ticks appended to the exchange's ring", 1 },
	[SM_REJECT_JSON] = { "rejects_json_total", SMT_COUNTER, "Frames rejected as malformed JSON", 1 },
	[SM_REJECT_FIELD] = { "rejects_field_total", SMT_COUNTER, "Messages rejected for a missing or non-numeric field", 1 },
	[SM_REJECT_PRICE] = { "rejects_price_total", SMT_COUNTER, "Messages rejected for a non-positive price or quantity", 1 },
	[SM_REJECT_CROSSED] = { "rejects_crossed_total", SMT_COUNTER, "Quotes rejected because bid > ask", 1 },
	[SM_REJECT_TIME] = { "rejects_time_total", SMT_COUNTER, "Messages rejected for a timestamp outside the allowed clock skew", 1 },
	[SM_REJECT_SYMBOL] = { "rejects_symbol_total", SMT_COUNTER, "Messages rejected for an unknown symbol", 1 },
	[SM_REJECT_OVERSIZE] = { "rejects_oversize_total", SMT_COUNTER, "Frames rejected as larger than max_frame_bytes", 1 },
	[SM_REJECT_BINARY] = { "rejects_binary_total", SMT_COUNTER, "Binary frames rejected where text was expected", 1 },
	[SM_DUPLICATES] = { "duplicates_total", SMT_COUNTER, "Duplicate updates or trades dropped", 1 },
	[SM_RECONNECTS] = { "reconnects_total", SMT_COUNTER, "Connections to the exchange re-established", 1 },
	[SM_GAPS] = { "gaps_total", SMT_COUNTER, "Gap markers written to the ring", 1 },
	[SM_LAST_MESSAGE_NS] = { "last_message_timestamp_seconds", SMT_GAUGE, "Receive time of the last market message, Unix seconds", 1e-9 },
	[SM_HEALTH_SCORE] = { "health_score", SMT_GAUGE, "Health of the collector, 0 (down) to 100", 1 },
	[SM_TICKS_READ] = { "ticks_read_total", SMT_COUNTER, "Ticks read from the rings", 1 },
	[SM_TICKS_LOST] = { "ticks_lost_total", SMT_COUNTER, "Ticks lost because the reader was lapped", 1 },
	[SM_READ_LAG] = { "read_lag_ticks", SMT_GAUGE, "Ticks published but not yet read, summed over rings", 1 },
	[SM_SPREADS_COMPUTED] = { "spreads_computed_total", SMT_COUNTER, "Cross-exchange spreads computed", 1 },
	[SM_PUBLISHED] = { "redis_published_total", SMT_COUNTER, "Spread updates sent to Redis", 1 },
	[SM_CONFLATED] = { "redis_conflated_total", SMT_COUNTER, "Spread updates replaced by a newer one before sending", 1 },
	[SM_PUBLISH_DROPPED] = { "redis_dropped_total", SMT_COUNTER, "Spread updates dropped because Redis was down or failing", 1 },
	[SM_REDIS_UP] = { "redis_up", SMT_GAUGE, "1 if the aggregator is connected to Redis, else 0", 1 },
	[SM_REDIS_ERRORS] = { "redis_errors_total", SMT_COUNTER, "Redis connection and command errors", 1 },
	[SM_WINDOW_MEMORY] = { "window_memory_bytes", SMT_GAUGE, "Memory held by rolling-window statistics", 1 },
	[SM_WINDOW_MEMORY_MAX] = { "window_memory_max_bytes", SMT_GAUGE, "Cap on the memory of rolling-window statistics", 1 },
	[SM_WINDOW_REFUSED] = { "window_refused_total", SMT_COUNTER, "Window samples refused, or left out of percentiles, at the memory cap", 1 },
	[SM_ALERTS_OPENED] = { "alerts_opened_total", SMT_COUNTER, "Alerts opened", 1 },
	[SM_ALERTS_CLOSED] = { "alerts_closed_total", SMT_COUNTER, "Alerts closed", 1 },
	[SM_ALERTS_DROPPED] = { "alerts_redis_dropped_total", SMT_COUNTER, "Alert events dropped because the queue for Redis was full", 1 },
	[SM_WEBHOOK_SENT] = { "alerts_webhook_sent_total", SMT_COUNTER, "Alert events POSTed to a webhook and answered 2xx", 1 },
	[SM_WEBHOOK_FAILED] = { "alerts_webhook_failed_total", SMT_COUNTER, "Alert events a webhook did not take after every retry", 1 },
	[SM_WEBHOOK_DROPPED] = { "alerts_webhook_dropped_total", SMT_COUNTER, "Alert events dropped because a webhook's queue was full", 1 },
	[SM_CANDLES_CLOSED] = { "candles_closed_total", SMT_COUNTER, "Closed candles (revisions included) acknowledged by Redis", 1 },
	[SM_CANDLES_BACKLOG] = { "candles_backlog", SMT_GAUGE, "Closed candles waiting for Redis", 1 },
	[SM_CANDLES_DROPPED] = { "candles_dropped_total", SMT_COUNTER, "Closed candles dropped because the backlog was full", 1 },
	[SM_CANDLES_LATE] = { "candles_late_trades_total", SMT_COUNTER, "Trades too late for any candle still kept", 1 },
	[SM_ROWS_WRITTEN] = { "rows_written_total", SMT_COUNTER, "Rows in finished Parquet files", 1 },
	[SM_FILES_WRITTEN] = { "files_written_total", SMT_COUNTER, "Parquet files finished", 1 },
	[SM_BYTES_WRITTEN] = { "written_bytes_total", SMT_COUNTER, "Bytes of finished Parquet files", 1 },
	[SM_JOURNAL_BYTES] = { "journal_bytes", SMT_GAUGE, "Size of the writer's journal", 1 },
	[SM_DISK_ERRORS] = { "disk_errors_total", SMT_COUNTER, "Write, fsync or rename failures", 1 },
	[SM_SPREADS_WRITTEN] = { "spreads_ring_written_total", SMT_COUNTER, "Spread updates written to the _spreads ring", 1 },
	[SM_GW_CLIENTS] = { "gateway_clients", SMT_GAUGE, "WebSocket clients connected to the gateway", 1 },
	[SM_GW_ACCEPTED] = { "gateway_clients_accepted_total", SMT_COUNTER, "WebSocket clients accepted", 1 },
	[SM_GW_REFUSED] = { "gateway_clients_refused_total", SMT_COUNTER, "WebSocket upgrades refused: max_clients connected, a wrong token or an origin not allowed", 1 },
	[SM_GW_MESSAGES_SENT] = { "gateway_messages_sent_total", SMT_COUNTER, "Messages sent to WebSocket clients", 1 },
	[SM_GW_BYTES_SENT] = { "gateway_sent_bytes_total", SMT_COUNTER, "Payload bytes sent to WebSocket clients", 1 },
	[SM_GW_CONFLATED] = { "gateway_conflated_total", SMT_COUNTER, "Queued spread or quote messages replaced by a newer one for a lagging client", 1 },
	[SM_GW_DROPPED_SLOW] = { "gateway_dropped_slow_total", SMT_COUNTER, "Clients disconnected because their trade queue was full", 1 },
	[SM_GW_DROPPED_PING] = { "gateway_dropped_ping_timeout_total", SMT_COUNTER, "Clients disconnected because they did not answer a ping in time", 1 },
	[SM_GW_BAD_REQUESTS] = { "gateway_bad_requests_total", SMT_COUNTER, "Client requests answered with an error", 1 },
	[SM_GW_QUEUE_MAX] = { "gateway_client_queue_max_messages", SMT_GAUGE, "Messages waiting for the most lagging client", 1 },
	[SM_BACKFILLS] = { "backfills_total", SMT_COUNTER, "Trade holes whose REST backfill finished", 1 },
	[SM_BACKFILL_RECOVERED] = { "backfill_trades_recovered_total", SMT_COUNTER, "Trades recovered from REST trade history", 1 },
	[SM_BACKFILL_MISSING] = { "backfill_trades_missing_total", SMT_COUNTER, "Trades of holes still missing after backfill", 1 },
	[SM_BACKFILL_REST_ERRORS] = { "backfill_rest_errors_total", SMT_COUNTER, "Failed REST trade-history calls", 1 },
	[SM_AGG_SYMBOLS] = { "aggregator_symbols", SMT_GAUGE, "Symbols the aggregator computes spreads for", 1 },
	[SM_SYMBOLS_REFUSED] = { "aggregator_symbols_refused", SMT_GAUGE, "Symbol listings refused at the window memory cap", 1 },
	[SM_REJECT_TICK_SIZE] = { "rejects_tick_size_total", SMT_COUNTER, "Ticks rejected for a price that is not a multiple of the instrument's tick size", 1 },
	[SM_REJECT_LOT_SIZE] = { "rejects_lot_size_total", SMT_COUNTER, "Ticks rejected for a quantity that is not a multiple of the instrument's lot size", 1 },
	[SM_REJECT_PRICE_JUMP] = { "rejects_price_jump_total", SMT_COUNTER, "Quotes rejected for a mid further than max_price_jump_pct from the last accepted one within a second", 1 },
};

const struct status_metric_info *status_metric_info(enum status_metric m)
{
	if ((unsigned)m >= SM_COUNT)
		return NULL;
	return &metric_info[m];
}

const char *status_role_name(uint32_t role)
{
	switch (role) {
	case ROLE_COLLECTOR: return "collector";
	case ROLE_AGGREGATOR: return "aggregator";
	case ROLE_WRITER: return "writer";
	case ROLE_GATEWAY: return "gateway";
	case ROLE_BRIDGE: return "bridge";
	}
	return "unknown";
}

const char *status_child_state_name(uint32_t state)
{
	switch (state) {
	case CHILD_STARTING: return "starting";
	case CHILD_RUNNING: return "running";
	case CHILD_DEGRADED: return "degraded";
	case CHILD_STOPPING: return "stopping";
	case CHILD_EXITED: return "exited";
	}
	return "unknown";
}

const char *status_conn_state_name(uint32_t state)
{
	switch (state) {
	case CONN_IDLE: return "idle";
	case CONN_CONNECTING: return "connecting";
	case CONN_SUBSCRIBING: return "subscribing";
	case CONN_STREAMING: return "streaming";
	case CONN_BACKOFF: return "backoff";
	}
	return "unknown";
}

const char *status_conn_error_name(enum conn_error e)
{
	switch (e) {
	case CONN_ERR_CONNECT: return "connect";
	case CONN_ERR_TLS: return "tls_handshake";
	case CONN_ERR_CLOSED_BY_PEER: return "closed_by_peer";
	case CONN_ERR_DEAD_PEER: return "dead_peer";
	case CONN_ERR_STALLED: return "stalled";
	case CONN_ERR_SUBSCRIBE_REJECTED: return "subscribe_rejected";
	case CONN_ERR_COUNT: break;
	}
	return "unknown";
}

static const struct status_hist_info hist_info[SH_KIND_COUNT] = {
	[SH_EXCHANGE_TO_RECEIVE] = { "exchange_to_receive_seconds",
				     "Time from a tick's exchange timestamp to its receipt (ticks that carry one)" },
	[SH_RECEIVE_TO_RING] = { "receive_to_ring_seconds",
				 "Time from a tick's receipt to its append to the exchange's ring" },
	[SH_RING_TO_REDIS] = { "ring_to_redis_seconds",
			       "Time from the receipt of the tick that changed a spread (its ts_recv_ns in the ring) "
			       "to the spread update sent to Redis, by the tick's exchange" },
};

const struct status_hist_info *status_hist_info(enum status_hist_kind k)
{
	if (k <= SH_NONE || k >= SH_KIND_COUNT)
		return NULL;
	return &hist_info[k];
}

static size_t status_segment_size(void)
{
	return 64 + STATUS_MAX_CHILDREN * STATUS_BLOCK_STRIDE;
}

static struct segment_spec status_spec(void)
{
	struct segment_spec spec = {
		.magic = STATUS_MAGIC,
		.layout_version = STATUS_LAYOUT_VERSION,
		.record_size = STATUS_BLOCK_STRIDE,
		.capacity = STATUS_MAX_CHILDREN,
		.total_size = status_segment_size(),
		.label = "status",
		.kind = "status table",
	};
	return spec;
}

static struct status_block *block_at(struct status_table *t, unsigned i)
{
	return (struct status_block *)((char *)t->seg.base + 64 + i * STATUS_BLOCK_STRIDE);
}

struct status_block *status_table_at(struct status_table *t, unsigned idx)
{
	return idx < STATUS_MAX_CHILDREN ? block_at(t, idx) : NULL;
}

static int table_wrap(struct status_table **out, struct segment *seg, const char *name, char *err, size_t err_len)
{
	struct status_table *t = calloc(1, sizeof(*t));

	if (!t) {
		snprintf(err, err_len, "status table %s: out of memory", name);
		segment_detach(seg);
		return -ENOMEM;
	}
	t->seg = *seg;
	*out = t;
	return 0;
}

int status_table_attach(struct status_table **out, const char *name, char *err, size_t err_len)
{
	struct segment_spec spec = status_spec();
	struct segment seg;
	int rc = segment_attach(&seg, name, &spec, err, err_len);

	if (rc < 0)
		return rc;
	return table_wrap(out, &seg, name, err, err_len);
}

int status_table_create_or_attach(struct status_table **out, const char *name, mode_t mode, char *err,
				  size_t err_len)
{
	struct segment_spec spec = status_spec();
	struct segment seg;
	int rc = segment_create_or_attach(&seg, name, &spec, mode, err, err_len);

	if (rc < 0)
		return rc;
	return table_wrap(out, &seg, name, err, err_len);
}

void status_table_close(struct status_table *t)
{
	if (!t)
		return;
	segment_detach(&t->seg);
	free(t);
}

static int name_matches(const struct status_block *b, const char *name)
{
	return __atomic_load_n(&b->name[0], __ATOMIC_ACQUIRE) && strncmp(b->name, name, STATUS_NAME_MAX) == 0;
}

struct status_block *status_table_find(struct status_table *t, const char *name)
{
	unsigned i;

	if (!name || !name[0])
		return NULL;
	for (i = 0; i < STATUS_MAX_CHILDREN; i++)
		if (name_matches(block_at(t, i), name))
			return block_at(t, i);
	return NULL;
}

struct status_block *status_table_claim(struct status_table *t, const char *name, enum status_role role)
{
	struct status_block *b = status_table_find(t, name);
	unsigned i;

	if (b) {
		__atomic_store_n(&b->role, (uint32_t)role, __ATOMIC_RELAXED);
		return b;
	}
	if (!name || !name[0] || strlen(name) >= STATUS_NAME_MAX)
		return NULL;
	for (i = 0; i < STATUS_MAX_CHILDREN; i++) {
		b = block_at(t, i);
		if (__atomic_load_n(&b->name[0], __ATOMIC_ACQUIRE))
			continue;
		memset(b, 0, sizeof(*b));
		b->role = (uint32_t)role;
		/* The name's first byte is written last (release): a child that
		 * finds the name sees a zeroed block with its role. */
		memcpy(b->name + 1, name + 1, strlen(name) - 1);
		__atomic_store_n(&b->name[0], name[0], __ATOMIC_RELEASE);
		return b;
	}
	return NULL;
}

void status_heartbeat(struct status_block *b, int64_t now_ns)
{
	__atomic_store_n(&b->heartbeat_ns, now_ns, __ATOMIC_RELEASE);
}

void status_set_state(struct status_block *b, enum child_state s)
{
	__atomic_store_n(&b->state, (uint32_t)s, __ATOMIC_RELEASE);
}

void status_add(struct status_block *b, enum status_metric m, uint64_t v)
{
	if ((unsigned)m < SM_COUNT)
		__atomic_fetch_add(&b->metrics[m], v, __ATOMIC_RELAXED);
}

void status_set(struct status_block *b, enum status_metric m, uint64_t v)
{
	if ((unsigned)m < SM_COUNT)
		__atomic_store_n(&b->metrics[m], v, __ATOMIC_RELAXED);
}

uint64_t status_get(const struct status_block *b, enum status_metric m)
{
	if ((unsigned)m >= SM_COUNT)
		return 0;
	return __atomic_load_n(&b->metrics[m], __ATOMIC_RELAXED);
}

void status_set_conn(struct status_block *b, unsigned idx, enum conn_state s, int64_t now_ns)
{
	uint32_t count;

	if (idx >= STATUS_MAX_CONNS)
		return;
	__atomic_store_n(&b->conns[idx].since_ns, now_ns, __ATOMIC_RELAXED);
	__atomic_store_n(&b->conns[idx].state, (uint8_t)s, __ATOMIC_RELEASE);
	count = __atomic_load_n(&b->conn_count, __ATOMIC_RELAXED);
	if (idx + 1 > count)
		__atomic_store_n(&b->conn_count, idx + 1, __ATOMIC_RELEASE);
}

void status_set_detail(struct status_block *b, const char *text)
{
	size_t i, len = text ? strnlen(text, STATUS_DETAIL_MAX - 1) : 0;

	/* Byte-wise relaxed stores: a concurrent reader may see a mix of old
	 * and new text, never undefined behaviour; the NUL is always there. */
	for (i = 0; i < STATUS_DETAIL_MAX; i++)
		__atomic_store_n(&b->detail[i], i < len ? text[i] : '\0', __ATOMIC_RELAXED);
}

void status_conn_error(struct status_block *b, enum conn_error e)
{
	if ((unsigned)e < CONN_ERR_COUNT)
		__atomic_fetch_add(&b->conn_errors[e], 1, __ATOMIC_RELAXED);
}

uint64_t status_conn_errors(const struct status_block *b, enum conn_error e)
{
	if ((unsigned)e >= CONN_ERR_COUNT)
		return 0;
	return __atomic_load_n(&b->conn_errors[e], __ATOMIC_RELAXED);
}

struct histogram *status_histogram_claim(struct status_block *b, enum status_hist_kind kind, const char *exchange)
{
	struct status_histogram *free_slot = NULL;

	if (!status_hist_info(kind) || !exchange || strlen(exchange) >= STATUS_NAME_MAX)
		return NULL;
	for (unsigned i = 0; i < STATUS_MAX_HISTOGRAMS; i++) {
		struct status_histogram *x = &b->hists[i];
		uint32_t k = __atomic_load_n(&x->kind, __ATOMIC_ACQUIRE);
		if (k == (uint32_t)kind && strncmp(x->exchange, exchange, STATUS_NAME_MAX) == 0)
			return &x->h;
		if (k == SH_NONE && !free_slot)
			free_slot = x;
	}
	if (!free_slot)
		return NULL;
	/* Only the child claims its slots; the kind is stored last so that a
	 * reader never sees a slot without its exchange. */
	memset(&free_slot->h, 0, sizeof(free_slot->h));
	memset(free_slot->exchange, 0, sizeof(free_slot->exchange));
	memcpy(free_slot->exchange, exchange, strlen(exchange));
	__atomic_store_n(&free_slot->kind, (uint32_t)kind, __ATOMIC_RELEASE);
	return &free_slot->h;
}

enum status_hist_kind status_histogram_at(const struct status_block *b, unsigned i, const char **exchange,
					  const struct histogram **h)
{
	uint32_t k;

	if (i >= STATUS_MAX_HISTOGRAMS)
		return SH_NONE;
	k = __atomic_load_n(&b->hists[i].kind, __ATOMIC_ACQUIRE);
	if (!status_hist_info((enum status_hist_kind)k))
		return SH_NONE;
	*exchange = b->hists[i].exchange;
	*h = &b->hists[i].h;
	return (enum status_hist_kind)k;
}

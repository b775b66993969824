/* Status blocks: one per child process in one shared-memory segment. The
 * child writes its heartbeat, state and counters; the supervisor reads them
 * for liveness, /health and /metrics. */
#ifndef SPREADBUS_SHM_STATUS_H
#define SPREADBUS_SHM_STATUS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "shm/histogram.h"

#define STATUS_MAGIC 0x5441545342445053ULL /* "SPDBSTAT" */
#define STATUS_LAYOUT_VERSION 3
#define STATUS_MAX_CHILDREN 64
#define STATUS_NAME_MAX 32
#define STATUS_MAX_CONNS 16
#define STATUS_DETAIL_MAX 120
/* Latency histograms per block: a collector uses two, the aggregator one
 * per exchange (at most CONFIG_MAX_EXCHANGES, 16). */
#define STATUS_MAX_HISTOGRAMS 16

enum status_role { ROLE_COLLECTOR = 1, ROLE_AGGREGATOR = 2, ROLE_WRITER = 3, ROLE_GATEWAY = 4, ROLE_BRIDGE = 5 };

enum child_state {
	CHILD_STARTING = 1,
	CHILD_RUNNING = 2,  /* working normally */
	CHILD_DEGRADED = 3, /* running, but something it needs is failing (exchange down, Redis down, disk error) */
	CHILD_STOPPING = 4,
	CHILD_EXITED = 5,
};

enum conn_state { CONN_IDLE = 0, CONN_CONNECTING = 1, CONN_SUBSCRIBING = 2, CONN_STREAMING = 3, CONN_BACKOFF = 4 };

/* Why a collector's connection failed or was given up (connection_errors_total). */
enum conn_error {
	CONN_ERR_CONNECT,            /* refused, unreachable, DNS, or no answer within the connect timeout */
	CONN_ERR_TLS,                /* TLS or WebSocket handshake failed */
	CONN_ERR_CLOSED_BY_PEER,     /* an open connection closed by the exchange or the network */
	CONN_ERR_DEAD_PEER,          /* no frame within dead_peer_timeout_ms, or no pong in time */
	CONN_ERR_STALLED,            /* frames but no market data within no_data_timeout_ms */
	CONN_ERR_SUBSCRIBE_REJECTED, /* the exchange answered a request with an error */
	CONN_ERR_COUNT
};

/* What a status block histogram measures (its Prometheus family). */
enum status_hist_kind {
	SH_NONE = 0,               /* free slot */
	SH_EXCHANGE_TO_RECEIVE,    /* collector: tick ts_exchange_ns to ts_recv_ns */
	SH_RECEIVE_TO_RING,        /* collector: ts_recv_ns to the append to the ring */
	SH_RING_TO_REDIS,          /* aggregator: ts_recv_ns of the tick that changed a spread to its update sent to Redis */
	SH_KIND_COUNT
};

/*
 * Counters and gauges. One enum for every role (a role leaves the others at
 * zero); status_metric_info() gives each its Prometheus name, type and help.
 * Append only: the numbers are part of the segment layout.
 */
enum status_metric {
	/* collector */
	SM_MESSAGES,          /* counter: frames received */
	SM_BYTES,             /* counter: bytes received */
	SM_TICKS_PUBLISHED,   /* counter: ticks appended to the ring */
	SM_REJECT_JSON,       /* counter: malformed JSON */
	SM_REJECT_FIELD,      /* counter: missing or non-numeric field */
	SM_REJECT_PRICE,      /* counter: non-positive price or quantity */
	SM_REJECT_CROSSED,    /* counter: bid > ask */
	SM_REJECT_TIME,       /* counter: timestamp outside the allowed skew */
	SM_REJECT_SYMBOL,     /* counter: unknown symbol */
	SM_REJECT_OVERSIZE,   /* counter: frame larger than the limit */
	SM_REJECT_BINARY,     /* counter: binary frame where text was expected */
	SM_DUPLICATES,        /* counter: duplicate update/trade id dropped */
	SM_RECONNECTS,        /* counter: connections re-established */
	SM_GAPS,              /* counter: gap markers written */
	SM_LAST_MESSAGE_NS,   /* gauge: receive time of the last market message */
	SM_HEALTH_SCORE,      /* gauge: 0-100 */
	/* readers (aggregator, writer) */
	SM_TICKS_READ,        /* counter */
	SM_TICKS_LOST,        /* counter: lost to lapping */
	SM_READ_LAG,          /* gauge: sum over rings of head - cursor */
	/* aggregator */
	SM_SPREADS_COMPUTED,  /* counter */
	SM_PUBLISHED,         /* counter: spread updates sent to Redis */
	SM_CONFLATED,         /* counter: updates replaced by a newer one before sending */
	SM_PUBLISH_DROPPED,   /* counter: updates dropped (Redis down or erroring) */
	SM_REDIS_UP,          /* gauge: 1 connected, 0 not */
	SM_REDIS_ERRORS,      /* counter */
	SM_WINDOW_MEMORY,     /* gauge: bytes held by rolling windows */
	SM_WINDOW_MEMORY_MAX, /* gauge: [aggregator] max_window_memory_mb in bytes */
	SM_WINDOW_REFUSED,    /* counter: window samples refused at the memory cap */
	SM_ALERTS_OPENED,     /* counter: alert open events */
	SM_ALERTS_CLOSED,     /* counter: alert close events */
	SM_ALERTS_DROPPED,    /* counter: alert events the Redis queue had no room for */
	SM_WEBHOOK_SENT,      /* counter: webhook POSTs answered 2xx */
	SM_WEBHOOK_FAILED,    /* counter: webhook events given up after every retry */
	SM_WEBHOOK_DROPPED,   /* counter: webhook events dropped, the queue full */
	SM_CANDLES_CLOSED,    /* counter: closed candles (revisions included) Redis acknowledged */
	SM_CANDLES_BACKLOG,   /* gauge: closed candles waiting for Redis */
	SM_CANDLES_DROPPED,   /* counter: closed candles dropped, the backlog full */
	SM_CANDLES_LATE,      /* counter: trades too late for any candle kept */
	/* writer */
	SM_ROWS_WRITTEN,      /* counter: rows in finished Parquet files */
	SM_FILES_WRITTEN,     /* counter */
	SM_BYTES_WRITTEN,     /* counter */
	SM_JOURNAL_BYTES,     /* gauge */
	SM_DISK_ERRORS,       /* counter */
	/* aggregator */
	SM_SPREADS_WRITTEN,   /* counter: spread updates written to the _spreads ring */
	/* gateway (also SM_TICKS_READ, SM_TICKS_LOST, SM_READ_LAG over the tick rings and _spreads) */
	SM_GW_CLIENTS,        /* gauge: WebSocket clients connected */
	SM_GW_ACCEPTED,       /* counter: WebSocket clients accepted */
	SM_GW_REFUSED,        /* counter: upgrades refused (max_clients, token, origin) */
	SM_GW_MESSAGES_SENT,  /* counter: messages sent to clients */
	SM_GW_BYTES_SENT,     /* counter: payload bytes sent to clients */
	SM_GW_CONFLATED,      /* counter: queued spreads/quotes replaced by a newer one */
	SM_GW_DROPPED_SLOW,   /* counter: clients disconnected for falling behind on trades */
	SM_GW_DROPPED_PING,   /* counter: clients disconnected for not answering pings */
	SM_GW_BAD_REQUESTS,   /* counter: client requests answered with an error */
	SM_GW_QUEUE_MAX,      /* gauge: messages waiting for the most lagging client */
	/* collector: trade backfill (collector/backfill.h) */
	SM_BACKFILLS,         /* counter: holes whose repair finished */
	SM_BACKFILL_RECOVERED, /* counter: trades recovered from REST history */
	SM_BACKFILL_MISSING,  /* counter: trades of holes still missing after the repair */
	SM_BACKFILL_REST_ERRORS, /* counter: failed trade-history calls */
	/* aggregator: symbols taken at run time (docs/universe.md) */
	SM_AGG_SYMBOLS,       /* gauge: symbols listed on at least one exchange */
	SM_SYMBOLS_REFUSED,   /* gauge: (symbol, exchange) listings the window memory cap had no room for */
	/* collector: per-instrument rules (collector/validate.h) */
	SM_REJECT_TICK_SIZE,  /* counter: a price off the instrument's tick size */
	SM_REJECT_LOT_SIZE,   /* counter: a quantity off its lot size */
	SM_REJECT_PRICE_JUMP, /* counter: a quote's mid beyond max_price_jump_pct of the last accepted one */
	SM_COUNT
};

enum status_metric_type { SMT_COUNTER, SMT_GAUGE };

struct status_metric_info {
	const char *name; /* Prometheus name without the spreadbus_ prefix, e.g. "messages_total" */
	enum status_metric_type type;
	const char *help;
	double scale; /* stored value * scale = value in the base unit (1e-9: ns to seconds) */
};

const struct status_metric_info *status_metric_info(enum status_metric m);

/* Lower-case names for JSON and logs ("collector", "running", "streaming");
 * "unknown" for a value outside the enum. */
const char *status_role_name(uint32_t role);
const char *status_child_state_name(uint32_t state);
const char *status_conn_state_name(uint32_t state);
/* "connect", "tls", "closed_by_peer", ...: the reason label. */
const char *status_conn_error_name(enum conn_error e);

struct status_hist_info {
	const char *name; /* Prometheus family without the spreadbus_ prefix */
	const char *help;
};
/* NULL for SH_NONE or a value outside the enum. */
const struct status_hist_info *status_hist_info(enum status_hist_kind k);

struct status_conn {
	uint8_t state;          /* enum conn_state */
	uint8_t pad[7];
	int64_t since_ns;       /* when it entered that state */
};

/* One latency histogram of a block, labelled by the exchange it is about. */
struct status_histogram {
	uint32_t kind;          /* enum status_hist_kind, stored last (release) when claimed */
	uint32_t pad;
	char exchange[STATUS_NAME_MAX];
	struct histogram h;
};

/* One child's block. Written only by the child (except name/role/slot
 * claim, set by the supervisor). Counters are relaxed atomics. */
struct status_block {
	char name[STATUS_NAME_MAX]; /* "binance", "aggregator", "writer"; empty = free slot */
	uint32_t role;              /* enum status_role */
	uint32_t state;             /* enum child_state */
	int32_t pid;
	uint32_t conn_count;
	int64_t started_ns;
	int64_t heartbeat_ns;       /* CLOCK_REALTIME of the last heartbeat */
	uint64_t metrics[SM_COUNT];
	struct status_conn conns[STATUS_MAX_CONNS];
	char detail[STATUS_DETAIL_MAX]; /* last notable problem, for people */
	uint64_t conn_errors[CONN_ERR_COUNT]; /* collector: by enum conn_error */
	struct status_histogram hists[STATUS_MAX_HISTOGRAMS];
};

struct status_table; /* process-local handle over the segment */

int status_table_create_or_attach(struct status_table **out, const char *name, mode_t mode, char *err,
				  size_t err_len);
int status_table_attach(struct status_table **out, const char *name, char *err, size_t err_len);
void status_table_close(struct status_table *t);

/* Supervisor: the block for name, claimed if new. NULL if the table is full. */
struct status_block *status_table_claim(struct status_table *t, const char *name, enum status_role role);
/* Anyone: the block for name, or NULL. */
struct status_block *status_table_find(struct status_table *t, const char *name);
/* Anyone: block idx (0 .. STATUS_MAX_CHILDREN-1), claimed or not (an empty
 * name means free), for listing every child; NULL past the end. */
struct status_block *status_table_at(struct status_table *t, unsigned idx);

/* Child side helpers; all lock-free, safe against a concurrent reader. */
void status_heartbeat(struct status_block *b, int64_t now_ns);
void status_set_state(struct status_block *b, enum child_state s);
void status_add(struct status_block *b, enum status_metric m, uint64_t v);
void status_set(struct status_block *b, enum status_metric m, uint64_t v);
uint64_t status_get(const struct status_block *b, enum status_metric m);
void status_set_conn(struct status_block *b, unsigned idx, enum conn_state s, int64_t now_ns);
void status_set_detail(struct status_block *b, const char *text);
void status_conn_error(struct status_block *b, enum conn_error e);
uint64_t status_conn_errors(const struct status_block *b, enum conn_error e);
/* Child, at start (not on the tick path): the block's histogram of kind
 * for exchange, the one a previous run of the child used if there is one
 * (it counts on, like the counters). NULL if all STATUS_MAX_HISTOGRAMS
 * slots are taken or the name is too long. */
struct histogram *status_histogram_claim(struct status_block *b, enum status_hist_kind kind, const char *exchange);
/* Reader: slot i's kind (SH_NONE when free), its exchange and histogram. */
enum status_hist_kind status_histogram_at(const struct status_block *b, unsigned i, const char **exchange,
					  const struct histogram **h);

#endif

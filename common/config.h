/* The service configuration: one INI file (libinih), environment overrides
 * (SPREADBUS_<SECTION>_<KEY>), validation with file and line in every error. */
#ifndef SPREADBUS_COMMON_CONFIG_H
#define SPREADBUS_COMMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#define CONFIG_MAX_EXCHANGES 16
#define CONFIG_MAX_SYMBOLS 1024   /* per exchange */
#define CONFIG_NAME_MAX 24        /* exchange names, canonical symbols */
#define CONFIG_PATH_MAX 256
#define CONFIG_STR_MAX 256
#define CONFIG_MAX_BRIDGES 8
#define CONFIG_MAX_CANDLE_INTERVALS 4 /* 1m, 5m, 15m, 1h */
#define CONFIG_BRIDGE_NAME_MAX 16 /* "bridge.NAME" names its child */
#define CONFIG_MAX_ALERTS 16

struct config_exchange {
	char name[CONFIG_NAME_MAX];       /* section [exchange.<name>]; adapter name unless `adapter` is set */
	char adapter[CONFIG_NAME_MAX];    /* binance, bybit, okx */
	bool enabled;
	size_t symbol_count;
	char symbols[CONFIG_MAX_SYMBOLS][CONFIG_NAME_MAX]; /* canonical BASE-QUOTE */
	bool quotes;                      /* subscribe best bid/ask */
	bool trades;                      /* subscribe trades */
	char url[CONFIG_STR_MAX];         /* empty = the exchange's public endpoint; ws:// or wss:// */
	char rest_url[CONFIG_STR_MAX];    /* REST base (scheme://host:port); empty = the exchange's public API */
	bool tls_verify;                  /* verify the server certificate (off only for tests) */
	uint32_t ping_interval_ms;        /* client keepalive interval where the exchange wants one */
	uint32_t dead_peer_timeout_ms;    /* no frame of any kind for this long = dead connection */
	uint32_t no_data_timeout_ms;      /* no market message for this long = stalled connection */
	uint32_t reconnect_min_ms;
	uint32_t reconnect_max_ms;
	uint32_t max_symbols_per_conn;    /* 0 = the exchange's documented limit */
	uint32_t max_frame_bytes;
	uint32_t max_clock_skew_ms;       /* reject exchange timestamps further than this from local time */
	uint32_t connection_lifetime_s;   /* planned reconnect before the exchange's own limit; 0 = none */
	uint32_t heartbeat_timeout_ms;    /* supervisor kills the collector when its heartbeat is older */
	double taker_fee_bps;             /* fee of a taker order, bps of its notional: net spreads */
	double max_price_jump_pct;        /* reject quotes whose mid moved more than this from the last accepted within 1 s; 0 = off */
	char source[16];                  /* "collector", or "bridge": no collector, a [bridge.NAME] importer fills the ring */
	uint64_t config_hash;             /* hash of every key of this section: changed => restart on reload */
};

/* [bridge.NAME]: one spreadbus-bridge child carrying rings over NATS
 * JetStream (docs/cluster.md). */
struct config_bridge {
	char name[CONFIG_NAME_MAX];
	char child_name[CONFIG_NAME_MAX];  /* "bridge.NAME": its child process and status block */
	bool enabled;
	char mode[8];                      /* "export" or "import" */
	char rings[CONFIG_STR_MAX];        /* comma-separated ring (exchange) names, or "*" = every ring */
	char source_instance[CONFIG_NAME_MAX]; /* import: the exporting instance */
	char urls[CONFIG_STR_MAX];         /* comma-separated nats:// or tls:// URLs (a cluster's servers) */
	char creds_file[CONFIG_PATH_MAX];  /* NATS credentials file, or empty */
	char token[CONFIG_STR_MAX];        /* NATS token, or empty */
	char tls_ca[CONFIG_PATH_MAX];      /* CA file for tls:// servers, or empty = system CAs */
	char stream[CONFIG_NAME_MAX * 2];  /* empty = SPREADBUS_<INSTANCE> of the exporting instance */
	bool create_stream;                /* export: create the stream if missing (else only check it) */
	char storage[8];                   /* "file" or "memory" */
	uint32_t replicas;
	uint32_t max_age_s;                /* 0 = keep until the stream's limits */
	uint32_t batch_ticks;              /* ticks per message at most */
	uint32_t batch_delay_ms;           /* a partial batch waits at most this long */
	uint32_t max_in_flight;            /* messages published and not yet acknowledged */
	uint32_t retry_min_ms;             /* NATS errors: first retry */
	uint32_t retry_max_ms;             /* retry cap (doubling) */
	uint32_t heartbeat_timeout_ms;
	uint64_t config_hash;
};

struct config_redis {
	bool enabled;
	char host[CONFIG_STR_MAX];
	uint16_t port;
	char unix_socket[CONFIG_PATH_MAX]; /* wins over host/port when set */
	char password[CONFIG_STR_MAX];
	uint32_t db;
	uint32_t stream_maxlen;            /* XADD spreads MAXLEN ~ N */
	uint32_t connect_timeout_ms;
	uint32_t breaker_min_ms;           /* first retry after a failure */
	uint32_t breaker_max_ms;           /* retry cap */
	uint32_t max_pending;              /* commands in flight before updates are conflated */
};

/* Candles from trades (docs/redis.md "Candles"); part of the aggregator's
 * config hash. */
struct config_candles {
	bool enabled;
	char intervals[CONFIG_STR_MAX]; /* "1m, 5m, 15m, 1h" */
	int64_t interval_ns[CONFIG_MAX_CANDLE_INTERVALS]; /* parsed from intervals at load */
	uint32_t interval_count;
	uint32_t grace_ms;        /* a candle closes this long after its end, in exchange time */
	uint32_t open_publish_ms; /* PUBLISH of the open candle at most this often per candle */
	uint32_t backlog;         /* closed candles held while Redis is away */
	uint32_t stream_maxlen;   /* XADD candles MAXLEN ~ N */
};

/* [alert.NAME]: one spread alert rule of the aggregator (docs/redis.md
 * "Alerts"); part of the aggregator's config hash. */
struct config_alert {
	char name[CONFIG_NAME_MAX];
	bool enabled;
	char symbols[CONFIG_STR_MAX];     /* comma-separated canonical symbols, or "*" */
	char exchanges[CONFIG_STR_MAX];   /* comma-separated exchange names, or "*" */
	double min_net_bps;               /* the best qualifying pair's net spread */
	double min_notional;              /* its executable notional, quote currency */
	uint32_t min_duration_ms;         /* held this long before the alert opens */
	uint32_t cooldown_ms;             /* after a close, no new alert for this long */
	char webhook_url[CONFIG_STR_MAX]; /* http(s) URL each event is POSTed to, or empty */
};

#define CONFIG_MAX_BASIS 16

/* [aggregator] basis: one spot-versus-derivative spread, named SPOT/PERP. */
struct config_basis {
	char spot[CONFIG_NAME_MAX], perp[CONFIG_NAME_MAX];
	char name[CONFIG_NAME_MAX]; /* "SPOT/PERP", a symbol of its own */
};

struct config_aggregator {
	uint32_t window_s;           /* rolling window, default 900 */
	uint32_t stale_quote_ms;     /* quotes older than this take no part in spreads */
	uint32_t window_buckets;     /* time buckets per window (a window's memory grows with it) */
	uint32_t max_window_memory_mb; /* cap on all windows together */
	uint32_t publish_interval_ms;/* per-symbol conflation interval; 0 = publish every update */
	uint32_t pairs_interval_ms;  /* least time between two pair matrices of a symbol; 0 = with every update */
	uint32_t max_batch_delay_us; /* most that waiting for a batch may add to an update's latency; 0 = none */
	uint32_t heartbeat_timeout_ms;
	char basis[CONFIG_STR_MAX];  /* "BTC-USDT/BTC-USDT-PERP, ..." */
	struct config_basis basis_pairs[CONFIG_MAX_BASIS]; /* parsed from basis at load */
	uint32_t basis_count;
	uint64_t config_hash;
};

struct config_writer {
	bool enabled;
	char data_dir[CONFIG_PATH_MAX];
	char journal_dir[CONFIG_PATH_MAX]; /* default <state_dir>/journal */
	uint32_t row_group_rows;
	uint32_t rotate_s;
	uint64_t rotate_bytes;
	uint32_t journal_fsync_ms;
	int compression_level;             /* zstd level */
	uint32_t heartbeat_timeout_ms;
	uint64_t config_hash;
};

struct config_gateway {
	bool enabled;
	char listen[64];                   /* "127.0.0.1:9281": WebSocket /ws and the dashboard at / */
	char www_dir[CONFIG_PATH_MAX];     /* the dashboard's files; empty = <bin_dir>/../share/spreadbus/www */
	uint32_t ping_interval_ms;         /* a ping to every client this often */
	uint32_t ping_timeout_ms;          /* no pong (or any frame) for this long: dropped */
	uint32_t max_clients;
	uint32_t max_subscriptions_per_client;
	uint32_t max_message_bytes;        /* largest request a client may send */
	uint32_t queue_messages;           /* per-client send queue bound (trades past it: disconnected) */
	uint32_t conflate_after_ms;        /* a client this far behind gets spreads and quotes conflated */
	char token[CONFIG_STR_MAX];        /* bearer token clients must present; empty = none */
	char allowed_origins[CONFIG_STR_MAX]; /* browsers' Origin values allowed besides the gateway's own; empty = any */
	uint32_t heartbeat_timeout_ms;
	uint64_t config_hash;
};

/* [universe]: which symbols each collector streams (docs/universe.md). */
struct config_universe {
	char mode[8];                      /* "list" (each exchange's symbols) or "auto" (discovered) */
	uint32_t min_exchanges;            /* auto: listed and trading on at least this many exchanges */
	uint64_t min_quote_volume_24h;     /* auto: 24 h volume in the quote asset, on each counted exchange */
	char quote_assets[CONFIG_STR_MAX]; /* auto: comma-separated quote assets taken */
	uint32_t max_symbols;              /* auto: per exchange, the top by volume */
	char include[CONFIG_STR_MAX];      /* auto: symbols always taken where they trade */
	char exclude[CONFIG_STR_MAX];      /* auto: symbols never taken */
	uint32_t refresh_s;                /* collectors fetch instruments this often */
	uint32_t rest_timeout_ms;          /* every REST call's total time limit */
};

struct config_restart {
	uint32_t backoff_initial_ms; /* after the first (immediate) restart */
	uint32_t backoff_max_ms;
	uint32_t burst_count;        /* more than this many crashes ... */
	uint32_t burst_window_s;     /* ... within this many seconds opens the circuit */
	uint32_t hold_ms;            /* first hold; doubles each time, up to hold_max_ms */
	uint32_t hold_max_ms;
	uint32_t stop_timeout_ms;    /* SIGTERM to SIGKILL on stop */
};

struct config {
	char path[CONFIG_PATH_MAX];
	/* [service] */
	char instance[CONFIG_NAME_MAX];
	char runtime_dir[CONFIG_PATH_MAX]; /* control socket */
	char state_dir[CONFIG_PATH_MAX];   /* journal and other private state */
	char bin_dir[CONFIG_PATH_MAX];     /* where the child programs are; empty = next to spreadbus */
	uint64_t ring_capacity;            /* ticks per ring, power of two */
	mode_t shm_mode;
	char log_format[8];                /* "text" or "json" */
	int log_level;                     /* syslog priority, e.g. 6 = info */
	uint32_t reload_debounce_ms;       /* SIGHUP: apply once no other came for this long */
	uint32_t reload_min_interval_ms;   /* SIGHUP: two applications at least this far apart */
	/* [http] */
	char http_listen[64];              /* "127.0.0.1:9280"; empty = off */
	/* [restart] */
	struct config_restart restart;
	struct config_redis redis;
	struct config_aggregator aggregator;
	struct config_candles candles;
	struct config_writer writer;
	struct config_gateway gateway;
	struct config_universe universe;
	size_t exchange_count;
	struct config_exchange exchanges[CONFIG_MAX_EXCHANGES];
	size_t bridge_count;
	struct config_bridge bridges[CONFIG_MAX_BRIDGES];
	size_t alert_count;
	struct config_alert alerts[CONFIG_MAX_ALERTS];
};

/*
 * Load and validate path, then apply environment overrides from envp (NULL =
 * environ). Every problem is written to errbuf as "FILE:LINE: message" lines
 * (errors from the environment name the variable). Returns 0, or the number
 * of errors (> 0), or a negative errno if the file cannot be read.
 * The struct is large: allocate it (config_new) rather than on the stack.
 */
struct config *config_new(void);
void config_free(struct config *c);
int config_load(struct config *c, const char *path, char *const *envp, char *errbuf, size_t errbuf_len);

const struct config_exchange *config_exchange_find(const struct config *c, const char *name);
/* An exchange whose ring a bridge fills (source = bridge) has no collector.
 * Inline: the bus (shm/) asks it without linking the config loader. */
static inline bool config_exchange_bridged(const struct config_exchange *ex)
{
	return strcmp(ex->source, "bridge") == 0;
}
/* [universe] mode = auto: symbols come from discovery, not from each section. */
static inline bool config_universe_auto(const struct config *c)
{
	return strcmp(c->universe.mode, "auto") == 0;
}
const struct config_bridge *config_bridge_find(const struct config *c, const char *name);

/*
 * For `spreadbus --check-config FILE`: loads path with the environment's
 * overrides, writes every error line to out (then "FILE: N errors", or
 * "FILE: ok (N exchanges)"). Returns what config_load() returns: 0 = valid.
 */
int config_check_file(const char *path, FILE *out);

/* Writes the effective configuration (defaults filled in) as INI to out.
 * Returns 0 or -EIO. */
int config_dump(const struct config *c, FILE *out);

#endif

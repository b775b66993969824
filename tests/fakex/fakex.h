/* fakex: the fake exchange server's shared state: options, exchanges,
 * client sessions, counters and misbehaviour budgets, and the session API
 * the protocol files (proto_*.c) use. */
#ifndef SPREADBUS_FAKEX_FAKEX_H
#define SPREADBUS_FAKEX_FAKEX_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/loop_timer.h"
#include "tests/fakex/fxbuf.h"
#include "tests/fakex/prices.h"
#include "tests/fakex/tape.h"

#define FX_MAX_SYMBOLS 512 /* enough for several full Binance SUBSCRIBE messages per link */
#define FX_MAX_EXCHANGES 10 /* every protocol it speaks, in one process (DEMO_EXCHANGES=all) */
#define FX_MAX_SUBS 1024 /* Binance's per-connection stream limit */
#define FX_CTL_BYTES 16384
#define FX_RX_BYTES 32768
#define FX_LAST_FRAME_BYTES 2048
#define FX_TAPE_EVENTS 4096 /* per stream: more than 20 ms at 200 000 frames/s */

enum fx_kind { FX_QUOTES = 0, FX_TRADES = 1 };

/* How the exchange decides a client is dead. */
enum fx_keepalive {
	FX_KA_SERVER_PING, /* Binance: server pings, client must pong in time */
	FX_KA_CLIENT_PING, /* Bybit: client must send {"op":"ping"} in time */
	FX_KA_IDLE_CLOSE,  /* OKX: closed without a subscription or pushed data */
};

/* Per-exchange counters, in the order stats prints them. */
enum fx_counter {
	FXC_CONNECTIONS_TOTAL,
	FXC_REFUSED,
	FXC_SUBSCRIBE_REQUESTS,
	FXC_QUOTES,
	FXC_TRADES,
	FXC_MALFORMED,
	FXC_OVERSIZE,
	FXC_BINARY,
	FXC_DUPLICATE,
	FXC_OUT_OF_ORDER,
	FXC_CROSSED,
	FXC_OFF_TICK,
	FXC_OFF_LOT,
	FXC_JUMP,
	FXC_NOTICES,
	FXC_PINGS_SENT,
	FXC_PONGS_RECEIVED,
	FXC_PINGS_RECEIVED,
	FXC_PONGS_SENT,
	FXC_CLOSED_KEEPALIVE,
	FXC_CLOSED_COMMAND,
	FXC_CLOSED_LIFETIME,
	FXC_CLOSED_RATE_LIMIT,
	FXC_CLOSED_PROTOCOL,
	FXC_BYTES_SENT,
	FXC_SEQ_SKIPPED,
	FXC_COUNT
};
extern const char *const fx_counter_names[FXC_COUNT];

/* Misbehaviour budgets set by control commands, spent by whichever
 * connection sends next. */
enum fx_fault { FXF_MALFORMED, FXF_OVERSIZE, FXF_BINARY, FXF_DUPLICATE, FXF_OUT_OF_ORDER, FXF_CROSSED,
	FXF_OFF_TICK, FXF_OFF_LOT, FXF_JUMP, FXF_SEQ_SKIP, FXF_COUNT };

struct fx_session;

struct fx_proto {
	const char *name;
	enum fx_keepalive keepalive;
	/* The upgrade request's path and query (NULL if none). With s NULL,
	 * only checks (0 accepts); with s, may subscribe (combined streams). */
	int (*open)(struct fx_session *s, const char *path, const char *query);
	void (*on_text)(struct fx_session *s, const char *msg, size_t len);
	void (*quote)(struct fxbuf *b, const struct fx_session *s, const struct fx_quote *q);
	void (*trade)(struct fxbuf *b, const struct fx_session *s, const struct fx_trade *t);
	bool gzip_frames; /* every frame one gzip member in a binary frame (HTX) */
	/* every message carries its number on the connection (Coinbase
	 * sequence_num: fx_session msgs_numbered); "seq_skip" skips one */
	bool numbers_messages;
	/* An application-level ping the client must answer (HTX {"ping":n},
	 * Deribit's test_request), queued every --binance-ping-ms; the answer
	 * counts as the client's keepalive. NULL if the exchange has none. */
	void (*app_ping)(struct fx_session *s);
	/* Announces an imminent disconnect; NULL if the exchange has none. */
	void (*notice)(struct fxbuf *b, const struct fx_session *s, int64_t now_ms);
};

extern const struct fx_proto fx_proto_binance, fx_proto_bybit, fx_proto_okx;

struct fx_options {
	double rate;          /* data frames per second per connection */
	unsigned trade_every; /* a trade stream gets 1 of every N of its turns */
	uint64_t seed;
	const char *tls_cert, *tls_key;
	int control_port;
	const char *ready_file;
	int64_t binance_ping_ms, binance_pong_timeout_ms;
	unsigned binance_max_msgs_per_s;
	int64_t bybit_ping_timeout_ms;
	int64_t okx_idle_ms;
	int64_t shutdown_grace_ms;
	int64_t max_lifetime_ms;
	bool verbose;
};

/* The good events of one stream that were written to some connection:
 * how many distinct ones, and the lowest and highest id among them. Ids
 * grow by one per event, so count == last - first + 1 means no hole. */
struct fx_sent {
	uint64_t count, first_id, last_id;
};

struct fx_exchange {
	const struct fx_proto *proto;
	struct lws_vhost *vhost;
	int port;
	unsigned connections; /* open now */
	unsigned streams;     /* subscribed now, over all connections */
	struct fx_market markets[FX_MAX_SYMBOLS];
	struct fx_tape tapes[FX_MAX_SYMBOLS][2]; /* [symbol][enum fx_kind] */
	struct fx_sent sent[FX_MAX_SYMBOLS][2];  /* what left as good frames, per stream */
	unsigned readers[FX_MAX_SYMBOLS][2];     /* connections subscribed to the stream */
	int64_t unread_since_ns[FX_MAX_SYMBOLS][2]; /* its last reader left then (0: never) */
	uint64_t counters[FXC_COUNT];
};

struct fx_sub {
	uint16_t sym;    /* index in fx.symbols */
	uint8_t kind;    /* enum fx_kind */
	uint64_t cursor; /* next event on the stream's tape */
};

struct fx_session {
	struct lws *wsi;
	struct fx_exchange *ex;
	struct fx_session *next, **pprev;
	bool combined; /* Binance /stream: {"stream":..,"data":..} wrapper */
	char conn_id[32];
	unsigned serial; /* 1, 2, ... in the order connections opened (event log, drop) */
	unsigned nsubs, next_sub;
	struct fx_sub subs[FX_MAX_SUBS];
	uint64_t last_quote_id[FX_MAX_SYMBOLS];
	double tokens;
	int64_t tokens_ns, opened_ns, last_push_ns, last_client_ping_ns, ping_sent_ns, close_at_ns;
	int64_t window_start_ns;
	unsigned window_msgs;
	int64_t silent_until_ns; /* "silence": neither sends nor reads until then */
	bool want_ping, ping_outstanding, notice_pending, silenced;
	char ping_payload[24];
	size_t ping_payload_len;
	uint64_t msgs_numbered; /* numbers_messages: the next message's number (data: server.c, replies: the proto) */
	int close_why; /* an FXC_CLOSED_* counter, or 0 */
	bool close_counted;
	size_t ctl_len, last_len, rx_len;
	uint8_t ctl[FX_CTL_BYTES];               /* framed replies waiting to be sent */
	uint8_t last_frame[FX_LAST_FRAME_BYTES]; /* last data frame, for duplicates */
	char rx[FX_RX_BYTES];
};

struct fx_server {
	struct fx_options opt;
	struct fx_symbol symbols[FX_MAX_SYMBOLS];
	unsigned nsymbols;
	struct fx_exchange exchanges[FX_MAX_EXCHANGES];
	unsigned nexchanges;
	struct fx_session *sessions;
	struct lws_context *ctx;
	int control_port;
	int64_t started_ns;
	double rate;
	uint32_t faults[FXF_COUNT];
	unsigned malformed_turn;
	int64_t stall_until_ns, refuse_until_ns, quiet_until_ns;
	unsigned sessions_opened;
	uint64_t rng;
	struct loop_timer tick; /* sending and misbehaving, every TICK_US */
};

extern struct fx_server fx;

int64_t fx_now_ns(void); /* monotonic */
int64_t fx_wall_ms(void);

/* Session API for the protocol files. */
const struct fx_symbol *fx_symbol_find(const char *name, size_t len, int which);
#define FX_NAME_CANON 0   /* BTC-USDT */
#define FX_NAME_COMPACT 1 /* BTCUSDT */
#define FX_NAME_LOWER 2   /* btcusdt */
/* 0, -EEXIST (already), or -ENOSPC. */
int fx_session_subscribe(struct fx_session *s, const struct fx_symbol *sym, enum fx_kind kind);
int fx_session_unsubscribe(struct fx_session *s, const struct fx_symbol *sym, enum fx_kind kind);
/* Queues a text frame to be sent before any more data. */
void fx_session_reply(struct fx_session *s, const char *text, size_t len);
void fx_session_close(struct fx_session *s, enum fx_counter why);
/* One line of the event log on stdout: "fakex-event <wall ms.us>
 * <exchange> <connection serial, 0 if none> <what>", written whole. */
void fx_log_event(const struct fx_exchange *ex, unsigned conn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* JSON pieces shared by the protocol files (jsonpieces.c). */
void fx_put_quoted(struct fxbuf *b, const char *s);
/* A price as a JSON string of mantissa*10^-decimals written with
 * out_decimals (trim: no trailing zeros), or the taint's raw JSON. */
void fx_put_px(struct fxbuf *b, const struct fx_taint *t, int64_t mantissa, int decimals, int out_decimals, bool trim);
void fx_put_qty(struct fxbuf *b, int64_t mantissa, int out_decimals, bool trim);
/* ,"pad":"xxx..." when the taint asks for an oversize frame. */
void fx_put_pad(struct fxbuf *b, const struct fx_taint *t);

/* Server life cycle (server.c) and commands (control.c). */
extern const struct lws_protocols fx_exchange_protocols[2], fx_control_protocols[2];
int fx_server_start_tick(void);
void fx_close_all(void);
void fx_shutdown_notice(void);
/* Every connection open now stops sending and reading for ms (new ones
 * are not affected): a peer that died without closing. */
void fx_silence(int64_t ms);
/* Shuts down the socket of connection serial (no close frame); -ENOENT. */
int fx_drop(unsigned serial);
void fx_set_rate(double rate);

#endif

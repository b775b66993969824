/* The live collector of one exchange: its connections (links), their
 * WebSocket sessions, timers, and what it reports in its status block. */
#ifndef SPREADBUS_COLLECTOR_COLLECTOR_H
#define SPREADBUS_COLLECTOR_COLLECTOR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "collector/adapter.h"
#include "collector/pipeline.h"
#include "collector/symbols.h"
#include "common/netaddr.h"
#include "common/config.h"
#include "common/loop_timer.h"
#include "common/log.h"
#include "shm/ring.h"
#include "shm/runtime.h"
#include "shm/status.h"

#define COLLECTOR_MAX_LINKS STATUS_MAX_CONNS
#define COLLECTOR_PATH_MAX 2048
/* A replaced connection stays open this long after its successor took
 * over: what was in flight on it still arrives (dedup drops the overlap). */
#define COLLECTOR_RETIRE_DRAIN_MS 1000

struct lws;
struct lws_context;
struct link;

enum session_state { SESSION_IDLE = 0, SESSION_CONNECTING, SESSION_OPEN };

/* One WebSocket connection. A link has two so that a planned reconnect can
 * open the successor before closing the old one. */
struct session {
	struct link *link;
	struct lws *wsi;
	enum session_state state;
	bool streaming;            /* market data received on this connection */
	bool retiring;             /* closed by us after its successor took over */
	int64_t retire_at_ns;      /* monotonic: when a retiring connection closes */
	bool seq_known;            /* next_seq is set (adapters that number messages) */
	uint64_t next_seq;         /* the message number expected next on this connection */
	bool killing;              /* we asked libwebsockets to close it */
	bool awaiting_pong;        /* our keepalive is unanswered */
	uint32_t close_gap_reason; /* enum tick_gap_reason if we close it */
	char close_why[STATUS_DETAIL_MAX];
	int64_t connect_ns, open_ns, last_frame_ns, last_data_ns, last_ping_ns; /* monotonic */
	char path[COLLECTOR_PATH_MAX];
	size_t path_consumed;      /* symbols subscribed through the URL */
	size_t sub_next;           /* next symbol (relative to the link) to subscribe */
	size_t sub_total;          /* subscribe steps of this connection, set when it opens */
	uint32_t gen_done;         /* symbol changes up to this generation are applied here */
	uint32_t delta_gen;        /* the generation the change under way brings it to */
	size_t delta_next;         /* next entry (relative to the link) the change looks at */
	bool delta_adding;         /* the change's second pass: subscribe the added (first: unsubscribe) */
	int64_t next_sub_ns;
	bool want_ping;
	char reply[FRAME_DETAIL_MAX]; /* the answer an exchange asked for (CONTROL_REPLY), sent first */
	size_t reply_len;
	char *rx;                  /* reassembly of fragmented frames, max_frame_bytes */
	size_t rx_len;
	bool rx_in_msg, rx_oversize, rx_binary;
};

/* A share of the symbols with its own connection and status slot. */
struct link {
	struct collector *c;
	unsigned idx;
	size_t first, count;       /* symbol map entries */
	struct session sess[2];
	int primary;               /* index into sess of the connection we rely on */
	unsigned attempt;          /* failed attempts since data last flowed */
	int64_t retry_at_ns;       /* monotonic; 0 = no reconnect scheduled */
	int64_t successor_at_ns;   /* monotonic; 0 = no planned reconnect due */
	int64_t last_data_wall_ns; /* wall time of the last market data (gap start) */
	bool gap_open;
	uint32_t gap_reason;
	int64_t gap_start_ns;
	enum conn_state shown;     /* last state written to the status block */
	bool ever_connected;
	bool emptied;              /* a live change removed all its symbols: closed, no reconnect */
};

struct collector {
	const char *name;          /* exchange name (status block, logs) */
	const struct adapter *adapter;
	const struct config_exchange *cx;
	struct symmap symbols;
	struct pipeline *pipe;
	struct ring *ring;         /* NULL in tests that only count */
	struct backfill *backfill; /* NULL: no REST trade history for this adapter or no REST URL */
	struct status_block *status;
	struct histogram *lat_exchange_to_receive, *lat_receive_to_ring; /* in the status block; NULL: no slot */
	struct netaddr_url url;
	char base_path[NETADDR_PATH_MAX];
	int64_t started_ns;        /* wall clock */
	int64_t started_mono_ns;
	bool ever_streamed;
	uint64_t rng;
	uint64_t req_id;
	size_t link_count;
	size_t per_conn;           /* symbols per connection at most */
	uint32_t sym_gen;          /* live symbol changes so far */
	bool any_removed;          /* some map entries are removed: their late ticks are dropped */
	bool restart_wanted;       /* new symbols the adapter cannot take live: exit RUNTIME_EXIT_RESTART */
	struct link links[COLLECTOR_MAX_LINKS];
	struct lws_context *ctx;
	struct loop_timer tick_timer; /* the loop's 50 ms tick */
	struct runtime *rt;        /* the stop flag and parent watch */
	int64_t window_start_ns;
	int64_t next_connect_ns;   /* monotonic: connection attempts are spaced */
	uint64_t window_frames, window_rejects, last_window_frames, last_window_rejects;
	struct log_limit lim_reject, lim_control, lim_conn;
	/* settings in ns, resolved from the config and the adapter */
	int64_t dead_peer_ns, no_data_ns, ping_ns, pong_timeout_ns, lifetime_ns, connect_timeout_ns;
};

/* Split the configured symbols over links (max_symbols_per_conn, or the
 * adapter's limit). Returns the number of links, or -E2BIG if more than
 * COLLECTOR_MAX_LINKS would be needed. */
int collector_plan_links(struct collector *c, size_t per_conn);

/* A new link over map entries [first, first + count), connecting from
 * now on (spaced by the adapter's interval). -ENOMEM, -E2BIG. */
int collector_link_add(struct collector *c, size_t first, size_t count, int64_t now);
/* Live changes on a link (collector/live.c): close its connections for
 * good, open them again, or send the change on the open ones. */
void collector_link_close(struct link *l, const char *why);
void collector_link_reopen(struct link *l, int64_t now);
void collector_link_resubscribe(struct link *l);

/* Run the libwebsockets loop until the runtime says stop. Returns 0 or -errno if
 * the loop could not be set up. */
int collector_run_live(struct collector *c);

/* Publish one gap marker per symbol of the link (or one with symbol id 0
 * for the whole exchange when l is NULL). */
void collector_write_gap(struct collector *c, struct link *l, uint32_t reason, int64_t start_ns, int64_t end_ns);

#endif

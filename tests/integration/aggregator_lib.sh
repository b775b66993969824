# Shared by the aggregator's integration tests and benchmarks (sourced), on
# top of tests/lib: a private redis-server that can be killed and restarted
# on its port, the bus, the aggregator, a scripted feeder and status reads.
set -uo pipefail # no -e: the tests check every step themselves
AGG_SRC=${SPREADBUS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
source "$AGG_SRC/tests/lib/common.sh"
source "$AGG_SRC/tests/lib/bus.sh"
tl_init
tl_need_bins spreadbus-aggregator spreadbus-busctl aggregator_feed aggregator_sub
BIN=$TL_BIN
T=$TL_TMP
INSTANCE="agg$$r$RANDOM"
CONF=$T/spreadbus.conf
AGG_LOG=$T/aggregator.log
REDIS_PORT=
AGG_PID=

# start_redis [redis-server options...]: on a free port the first time, on
# the same port after stop_redis. REDIS_PASS (if set) is used by rcli.
start_redis() {
	REDIS_PORT=${REDIS_PORT:-$(tl_free_port)}
	tl_spawn redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
		--dir "$T" "$@"
	tl_wait_for 10 "redis-server on port $REDIS_PORT" redis_ping
}
redis_ping() { rcli ping 2>/dev/null | grep -q PONG; }
stop_redis() { tl_stop redis KILL; }
redis_pid() { echo "${TL_PID[redis]}"; }
rcli() { redis-cli -p "$REDIS_PORT" ${REDIS_PASS:+-a "$REDIS_PASS" --no-auth-warning} "$@"; }

# write_config: three exchanges quoting BTC-USDT and ETH-USDT (SOL-USDT on
# binance only), or all quoting $SYMBOLS; creates the bus. Knobs:
# REDIS_PASSWORD_CONF, REDIS_DB, REDIS_SOCKET, STREAM_MAXLEN, STALE_MS, MAX_PENDING,
# RING_CAPACITY.
write_config() {
	cat >"$CONF" <<CONF
[service]
instance = $INSTANCE
runtime_dir = $T/run
state_dir = $T/state
ring_capacity = ${RING_CAPACITY:-65536}
log_level = info

[http]
listen =

[redis]
enabled = true
host = 127.0.0.1
port = ${REDIS_PORT:-1}
unix_socket = ${REDIS_SOCKET:-}
password = ${REDIS_PASSWORD_CONF:-}
db = ${REDIS_DB:-0}
stream_maxlen = ${STREAM_MAXLEN:-1000}
connect_timeout_ms = 500
breaker_min_ms = 100
breaker_max_ms = 800
max_pending = ${MAX_PENDING:-10000}

[aggregator]
window_s = 60
window_buckets = 60
stale_quote_ms = ${STALE_MS:-5000}

[writer]
enabled = false

[exchange.binance]
symbols = ${SYMBOLS:-BTC-USDT, ETH-USDT, SOL-USDT}

[exchange.okx]
symbols = ${SYMBOLS:-BTC-USDT, ETH-USDT}

[exchange.bybit]
symbols = ${SYMBOLS:-BTC-USDT, ETH-USDT}
CONF
	tl_bus_create "$CONF"
}
unlink_bus() { "$BIN/spreadbus-busctl" --config "$CONF" unlink >>"$T/busctl.log" 2>&1; }

start_aggregator() {
	tl_spawn aggregator "$BIN/spreadbus-aggregator" --config "$CONF"
	AGG_PID=${TL_PID[aggregator]}
	tl_wait_for 5 "aggregator heartbeat" agg_alive
}
# stop_aggregator: SIGTERM, and it must exit 0.
stop_aggregator() {
	tl_stop aggregator TERM
	tl_assert_eq "aggregator exit status" 0 "${TL_EXIT[aggregator]}"
}

# The feeder reads commands from a fifo on fd 3 and answers "ok N" lines
# (N = ticks published so far) in feeder.log.
start_feeder() {
	rm -f "$T/feed.in"
	mkfifo "$T/feed.in"
	tl_spawn feeder bash -c 'exec "$0" --config "$1" <"$2"' "$BIN/aggregator_feed" "$CONF" "$T/feed.in"
	exec 3>"$T/feed.in"
}
stop_feeder() {
	exec 3>&-
	tl_stop feeder
}
feeder_acks() { grep -c '^ok' "$T/feeder.log" || true; }
feeder_published() { grep '^ok' "$T/feeder.log" | tail -n 1 | awk '{print $2}'; }
# feed COMMAND...: send one command and wait until the feeder did it.
feed() {
	local before
	before=$(feeder_acks)
	echo "$*" >&3
	tl_wait_for 60 "feeder: $*" feeder_acked_more_than "$before"
}
feeder_acked_more_than() { [ "$(feeder_acks)" -gt "$1" ]; }

# status of block "aggregator"
field() { tl_bus_field "$CONF" aggregator "$1"; }
metric() { tl_bus_metric "$CONF" aggregator "$1"; }
metric_at_least() { [ "$(metric "$1")" -ge "$2" ]; }
metric_equals() { [ "$(metric "$1")" = "$2" ]; }
heartbeat_age_ms() { echo $((($(date +%s%N) - $(field .heartbeat_ns)) / 1000000)); }
# alive: our process owns the block and runs (degraded = Redis down)
agg_alive() {
	[ "$(field .pid)" = "$AGG_PID" ] && [[ $(field .state) =~ ^(running|degraded)$ ]]
}

# Shared by the aggregator's integration tests and benchmarks (sourced): a
# temp dir and instance, a private redis-server on a free port, the bus
# created with busctl, the aggregator and the feeder in the background,
# status polling with deadlines, and cleanup of everything on exit.
set -euo pipefail
BIN=${SPREADBUS_BIN:?SPREADBUS_BIN must point at the build/bin directory}
T=$(mktemp -d /tmp/spreadbus-aggtest.XXXXXX)
INSTANCE="agg$$r$RANDOM"
CONF=$T/spreadbus.conf
AGG_LOG=$T/aggregator.log
REDIS_PORT=
REDIS_PID=
AGG_PID=
FEED_PID=
EXTRA_PIDS=

agg_cleanup() {
	local rc=$? p
	exec 3>&- 2>/dev/null || true
	for p in $AGG_PID $FEED_PID $EXTRA_PIDS $REDIS_PID; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	[ -f "$CONF" ] && "$BIN/spreadbus-busctl" --config "$CONF" unlink >/dev/null 2>&1 || true
	rm -f /dev/shm/spreadbus."$INSTANCE".* 2>/dev/null || true
	if [ $rc -ne 0 ] && [ -f "$AGG_LOG" ]; then
		echo "---- aggregator log (last 40 lines) ----"
		tail -n 40 "$AGG_LOG"
	fi
	rm -rf "$T"
	return $rc
}
trap agg_cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# wait_until SECONDS DESCRIPTION COMMAND...: poll COMMAND until it succeeds.
wait_until() {
	local limit=$1 what=$2
	shift 2
	local deadline=$((SECONDS + limit))
	until "$@"; do
		[ $SECONDS -lt $deadline ] || fail "timed out after ${limit}s waiting for: $what"
		sleep 0.05
	done
}

# start_redis [redis-server options...]: a throwaway server on a free port
# (REDIS_PORT is kept across restarts of the same test).
start_redis() {
	local tries
	for tries in $(seq 20); do
		[ -n "$REDIS_PORT" ] && [ "$tries" = 1 ] || REDIS_PORT=$((20000 + RANDOM % 40000))
		redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
			--dir "$T" --logfile "$T/redis.log" "$@" &
		REDIS_PID=$!
		local i
		for i in $(seq 100); do
			redis-cli -p "$REDIS_PORT" ${REDIS_PASS:+-a "$REDIS_PASS" --no-auth-warning} ping 2>/dev/null | grep -q PONG && return 0
			kill -0 "$REDIS_PID" 2>/dev/null || break
			sleep 0.05
		done
		kill -KILL "$REDIS_PID" 2>/dev/null || true
		wait "$REDIS_PID" 2>/dev/null || true
		REDIS_PID=
	done
	fail "could not start redis-server"
}

stop_redis() {
	kill -KILL "$REDIS_PID" 2>/dev/null || true
	wait "$REDIS_PID" 2>/dev/null || true
	REDIS_PID=
}

rcli() {
	redis-cli -p "$REDIS_PORT" ${REDIS_PASS:+-a "$REDIS_PASS" --no-auth-warning} "$@"
}

# write_config: three exchanges quoting BTC-USDT and ETH-USDT (SOL-USDT on
# binance only), or all quoting $SYMBOLS. Environment knobs:
# REDIS_PASSWORD_CONF, REDIS_DB, STALE_MS, MAX_PENDING, RING_CAPACITY.
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
password = ${REDIS_PASSWORD_CONF:-}
db = ${REDIS_DB:-0}
stream_maxlen = 1000
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
	"$BIN/spreadbus-busctl" --config "$CONF" create >/dev/null
}

start_aggregator() {
	"$BIN/spreadbus-aggregator" --config "$CONF" >>"$AGG_LOG" 2>&1 &
	AGG_PID=$!
	wait_until 5 "aggregator heartbeat" agg_alive
}

# The feeder reads commands from fd 3 (a fifo) so a test can script it.
start_feeder() {
	mkfifo "$T/feed.in"
	"$BIN/aggregator_feed" --config "$CONF" <"$T/feed.in" >"$T/feed.out" 2>>"$T/feed.err" &
	FEED_PID=$!
	exec 3>"$T/feed.in"
}

# feed COMMAND...: send one command and wait until the feeder did it.
feed() {
	local before
	before=$(wc -l <"$T/feed.out")
	echo "$*" >&3
	wait_until 60 "feeder: $*" feeder_done_after "$before"
}
feeder_done_after() { [ "$(wc -l <"$T/feed.out")" -gt "$1" ]; }

agg_status() {
	"$BIN/spreadbus-busctl" --config "$CONF" status | jq -c 'select(.name == "aggregator")'
}
# metric NAME: the aggregator's counter or gauge.
metric() { agg_status | jq -r ".metrics.$1"; }
# alive: our process owns the block and it is running (degraded = Redis down)
agg_alive() {
	local s
	s=$(agg_status)
	[ "$(jq -r .pid <<<"$s")" = "$AGG_PID" ] && [[ $(jq -r .state <<<"$s") =~ ^(running|degraded)$ ]]
}
metric_at_least() { [ "$(metric "$1")" -ge "$2" ]; }
metric_equals() { [ "$(metric "$1")" = "$2" ]; }
heartbeat_age_ms() { echo $((($(date +%s%N) - $(agg_status | jq -r '.heartbeat_ns')) / 1000000)); }

# Shared by the aggregator's integration tests and benchmarks (sourced), on
# top of tests/lib: a private redis-server (tests/lib/redis.sh: it can be
# killed and restarted on its port), the bus, the aggregator, a scripted
# feeder and status reads.
set -uo pipefail # no -e: the tests check every step themselves
AGG_SRC=${SPREADBUS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
source "$AGG_SRC/tests/lib/common.sh"
source "$AGG_SRC/tests/lib/config.sh"
source "$AGG_SRC/tests/lib/bus.sh"
source "$AGG_SRC/tests/lib/redis.sh"
tl_init
tl_need_bins spreadbus-aggregator spreadbus-busctl aggregator_feed aggregator_sub
BIN=$TL_BIN
T=$TL_TMP
INSTANCE=$(tl_instance agg)
CONF=$T/spreadbus.conf
AGG_LOG=$T/aggregator.log
AGG_PID=

# write_config: three exchanges quoting BTC-USDT and ETH-USDT (SOL-USDT on
# binance only), or all quoting $SYMBOLS; Redis at $TL_REDIS_PORT; creates
# the bus. Knobs: REDIS_PASSWORD_CONF, REDIS_DB, REDIS_SOCKET,
# STREAM_MAXLEN, STALE_MS, MAX_PENDING, RING_CAPACITY; EXTRA_CONF: an
# array of more section.key=value settings.
write_config() {
	tl_write_config "$CONF" "$INSTANCE" "service.ring_capacity=${RING_CAPACITY:-65536}" \
		redis.enabled=true redis.host=127.0.0.1 "redis.port=${TL_REDIS_PORT:-1}" \
		"redis.unix_socket=${REDIS_SOCKET:-}" "redis.password=${REDIS_PASSWORD_CONF:-}" "redis.db=${REDIS_DB:-0}" \
		"redis.stream_maxlen=${STREAM_MAXLEN:-1000}" redis.connect_timeout_ms=500 redis.breaker_min_ms=100 \
		redis.breaker_max_ms=800 "redis.max_pending=${MAX_PENDING:-10000}" \
		aggregator.window_s=60 aggregator.window_buckets=60 "aggregator.stale_quote_ms=${STALE_MS:-5000}" \
		writer.enabled=false \
		"exchange.binance.symbols=${SYMBOLS:-BTC-USDT, ETH-USDT, SOL-USDT}" \
		"exchange.okx.symbols=${SYMBOLS:-BTC-USDT, ETH-USDT}" \
		"exchange.bybit.symbols=${SYMBOLS:-BTC-USDT, ETH-USDT}" ${EXTRA_CONF[@]+"${EXTRA_CONF[@]}"}
	tl_bus_create "$CONF"
}

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
	tl_wait_for 60 "feeder: $*" tl_at_least $((before + 1)) feeder_acks
}

# status of block "aggregator"
field() { tl_bus_field "$CONF" aggregator "$1"; }
metric() { tl_bus_metric "$CONF" aggregator "$1"; }
metric_equals() { [ "$(metric "$1")" = "$2" ]; }
heartbeat_age_ms() { echo $((($(date +%s%N) - $(field .heartbeat_ns)) / 1000000)); }
# alive: our process owns the block and runs (degraded = Redis down)
agg_alive() {
	[ "$(field .pid)" = "$AGG_PID" ] && [[ $(field .state) =~ ^(running|degraded)$ ]]
}

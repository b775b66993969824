# Shared by the gateway's integration tests (sourced), on top of tests/lib:
# a bus with three exchanges, the real aggregator and gateway as processes,
# the scripted feeder (aggregator_feed) and WebSocket clients
# (spreadbus-test-wsclient) that the test talks to through fifos.
set -uo pipefail # no -e: the tests check every step themselves
GW_SRC=${SPREADBUS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
source "$GW_SRC/tests/lib/common.sh"
source "$GW_SRC/tests/lib/bus.sh"
source "$GW_SRC/tests/lib/config.sh"
tl_init
tl_need_bins spreadbus-aggregator spreadbus-gateway spreadbus-busctl spreadbus-test-wsclient aggregator_feed
BIN=$TL_BIN
T=$TL_TMP
INSTANCE=$(tl_instance gw)
CONF=$T/spreadbus.conf
GW_PORT=
declare -A GW_FD=()

# gw_config [section.key=value ...]: three exchanges quoting BTC-USDT and
# ETH-USDT, the gateway on a free port; creates the bus.
gw_config() {
	GW_PORT=$(tl_free_port)
	tl_write_config "$CONF" "$INSTANCE" \
		aggregator.window_s=60 aggregator.window_buckets=60 \
		gateway.enabled=true "gateway.listen=127.0.0.1:$GW_PORT" "gateway.www_dir=$GW_SRC/gateway/www" \
		"exchange.binance.symbols=BTC-USDT, ETH-USDT" "exchange.okx.symbols=BTC-USDT, ETH-USDT" \
		"exchange.bybit.symbols=BTC-USDT, ETH-USDT" "$@"
	tl_bus_create "$CONF"
}

gw_metric() { tl_bus_metric "$CONF" gateway "$1"; }
gw_metric_at_least() { [ "$(gw_metric "$2")" -ge "$1" ]; }
agg_running() { [[ $(tl_bus_field "$CONF" aggregator .state) =~ ^(running|degraded)$ ]]; }
gw_running() { [[ $(tl_bus_field "$CONF" gateway .state) == running ]]; }

start_aggregator() {
	tl_spawn aggregator "$BIN/spreadbus-aggregator" --config "$CONF"
	tl_wait_for 5 "aggregator running" agg_running
}

start_gateway() {
	tl_spawn gateway "$BIN/spreadbus-gateway" --config "$CONF"
	tl_wait_for 5 "gateway listening" gw_running
}

# The feeder takes commands on fd 3 and answers "ok N" in feeder.log.
start_feeder() {
	mkfifo "$T/feed.in"
	tl_spawn feeder bash -c 'exec "$0" --config "$1" <"$2"' "$BIN/aggregator_feed" "$CONF" "$T/feed.in"
	exec 3>"$T/feed.in"
}
feeder_acks() { grep -c '^ok' "$T/feeder.log" || true; }
# feed COMMAND...: one command, waited for
feed() {
	local before
	before=$(feeder_acks)
	echo "$*" >&3
	tl_wait_for 60 "feeder: $*" tl_at_least $((before + 1)) feeder_acks
}

# client NAME [wsclient options]: a connection whose lines in are sent from
# `send NAME JSON`, and whose messages are NAME.log lines.
client() {
	local name=$1 fd
	shift
	mkfifo "$T/$name.in"
	tl_spawn "$name" bash -c 'exec "$0" "$@" <"'"$T/$name.in"'"' "$BIN/spreadbus-test-wsclient" --port "$GW_PORT" "$@"
	exec {fd}>"$T/$name.in"
	GW_FD[$name]=$fd
	tl_wait_for 5 "$name connected" grep -q '^CONNECTED' "$T/$name.log"
}
send() { echo "$2" >&"${GW_FD[$1]}"; }
# lines NAME JQ-FILTER: how many received JSON lines match (select) the filter
lines() { grep '^{' "$T/$1.log" | jq -c "select($2)" 2>/dev/null | wc -l; }
lines_at_least() { [ "$(lines "$2" "$3")" -ge "$1" ]; }
# request NAME JSON: send it and wait for the reply with the same id
request() {
	local id
	id=$(jq -c '.id' <<<"$2")
	send "$1" "$2"
	tl_wait_for 5 "$1: reply to request $id" lines_at_least 1 "$1" ".id == $id"
	grep '^{' "$T/$1.log" | jq -c "select(.id == $id)" | tail -n 1
}

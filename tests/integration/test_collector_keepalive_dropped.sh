#!/usr/bin/env bash
# The fake exchange enforces keepalive rules, and the collector recovers when
# it breaks them: a collector that pings Bybit less often than the server
# requires (every 3 s against a 1 s limit) is dropped and reconnects; so is
# an OKX collector that stays silent (pings after 5 s of silence) while the
# server pushes nothing and closes idle connections after 1 s. Every symbol
# flows again after each drop.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

SYMS=(BTC-USDT ETH-USDT)
# dropped_once EXCHANGE: waits for a keepalive drop, a new connection and
# all symbols flowing on it
dropped_once() {
	local ex=$1
	tl_wait_for 15 "$ex to drop the collector for its keepalive rule" \
		tl_at_least 1 tl_fakex_stat "$ex.closed_keepalive"
	tl_wait_for 15 "the collector to reconnect to $ex" tl_at_least 2 tl_fakex_stat "$ex.connections_total"
}

tl_fakex_start --exchange bybit --symbols BTC-USDT,ETH-USDT --rate 100 --bybit-ping-timeout-ms 1000
tl_collector_start bybit "BTC-USDT, ETH-USDT" exchange.bybit.ping_interval_ms=3000
tl_wait_flowing 20 -1 "${SYMS[@]}"
dropped_once bybit
tl_wait_flowing 20 "$(tl_ring_last_seq)" "${SYMS[@]}"
tl_collector_same_pid
tl_ring_check_no_duplicates
tl_collector_stop
tl_fakex_stop
"$TL_BIN/spreadbus-busctl" --config "$TL_CONFIG" unlink >/dev/null 2>&1

tl_fakex_start --exchange okx --symbols BTC-USDT,ETH-USDT --rate 100 --okx-idle-ms 1000
tl_collector_start okx "BTC-USDT, ETH-USDT" exchange.okx.ping_interval_ms=5000 exchange.okx.no_data_timeout_ms=20000
tl_wait_flowing 20 -1 "${SYMS[@]}"
tl_fakex_cmd "rate 0" >/dev/null
dropped_once okx
tl_fakex_cmd "rate 100" >/dev/null
tl_wait_flowing 20 "$(tl_ring_last_seq)" "${SYMS[@]}"
tl_collector_same_pid
tl_ring_check_no_duplicates
summary="okx dropped $(tl_fakex_stat okx.closed_keepalive) time(s)"
tl_collector_stop
tl_fakex_stop
tl_pass "$summary"

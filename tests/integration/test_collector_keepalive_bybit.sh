#!/usr/bin/env bash
# The collector subscribes to Bybit orderbook.1 and publicTrade on the fake
# exchange and keeps the connection by sending {"op":"ping"} (every 300 ms
# here) while the server drops clients silent for 2 s, for about 4 s: one
# connection, every symbol flowing, no duplicates.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

SYMS=(BTC-USDT ETH-USDT SOL-USDT)
tl_fakex_start --exchange bybit --symbols BTC-USDT,ETH-USDT,SOL-USDT --rate 100 --bybit-ping-timeout-ms 2000
tl_collector_start bybit "BTC-USDT, ETH-USDT, SOL-USDT" exchange.bybit.ping_interval_ms=300
tl_wait_flowing 20 -1 "${SYMS[@]}"
tl_wait_for 15 "12 client pings" tl_at_least 12 tl_fakex_stat bybit.pings_received

tl_assert_eq "connections made" 1 "$(tl_fakex_stat bybit.connections_total)"
tl_assert_eq "connections dropped for missing pings" 0 "$(tl_fakex_stat bybit.closed_keepalive)"
tl_assert_eq "topics subscribed" 6 "$(tl_fakex_stat bybit.streams)"
tl_assert_eq "collector reconnects" 0 "$(tl_collector_metric reconnects_total)"
tl_collector_same_pid
tl_ring_check_no_duplicates
summary="$(tl_fakex_stat bybit.frames) frames, $(tl_collector_metric ticks_published_total) ticks"
tl_collector_stop
tl_fakex_stop
tl_pass "$summary"

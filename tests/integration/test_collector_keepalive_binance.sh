#!/usr/bin/env bash
# The collector subscribes to Binance combined streams on the fake exchange
# and answers its pings (every 300 ms, pong due within 2 s) for 12 ping
# intervals on one connection, with every symbol flowing and no duplicates.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

SYMS=(BTC-USDT ETH-USDT SOL-USDT)
tl_fakex_start --exchange binance --symbols BTC-USDT,ETH-USDT,SOL-USDT --rate 100 \
	--binance-ping-ms 300 --binance-pong-timeout-ms 2000
tl_collector_start binance "BTC-USDT, ETH-USDT, SOL-USDT"
tl_wait_flowing 20 -1 "${SYMS[@]}"
tl_wait_for 15 "12 server pings" tl_at_least 12 tl_fakex_stat binance.pings_sent

tl_assert_eq "connections made" 1 "$(tl_fakex_stat binance.connections_total)"
tl_assert_eq "connections dropped for a missing pong" 0 "$(tl_fakex_stat binance.closed_keepalive)"
tl_assert_ge "pongs received" 11 "$(tl_fakex_stat binance.pongs_received)"
tl_assert_eq "streams subscribed" 6 "$(tl_fakex_stat binance.streams)"
tl_assert_eq "collector reconnects" 0 "$(tl_collector_metric reconnects_total)"
tl_collector_same_pid
tl_ring_check_no_duplicates
summary="$(tl_fakex_stat binance.frames) frames, $(tl_collector_metric ticks_published_total) ticks"
tl_collector_stop
tl_fakex_stop
tl_pass "$summary"

#!/usr/bin/env bash
# The collector subscribes to OKX bbo-tbt and trades on the fake exchange;
# when the server goes quiet (rate 0) for nearly twice its idle limit
# (2 s here), the collector's text pings (after 300 ms of silence) keep
# the connection open, and data flows again on the same connection.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

SYMS=(BTC-USDT ETH-USDT SOL-USDT)
tl_fakex_start --exchange okx --symbols BTC-USDT,ETH-USDT,SOL-USDT --rate 100 --okx-idle-ms 2000
tl_collector_start okx "BTC-USDT, ETH-USDT, SOL-USDT" exchange.okx.ping_interval_ms=300
tl_wait_flowing 20 -1 "${SYMS[@]}"
tl_fakex_cmd "rate 0" >/dev/null
pings=$(tl_fakex_stat okx.pings_received)
tl_wait_for 15 "12 text pings while the server is quiet" \
	tl_at_least $((pings + 12)) tl_fakex_stat okx.pings_received
last=$(tl_ring_last_seq)
tl_fakex_cmd "rate 100" >/dev/null
tl_wait_flowing 20 "$last" "${SYMS[@]}"

tl_assert_eq "connections made" 1 "$(tl_fakex_stat okx.connections_total)"
tl_assert_eq "connections closed as idle" 0 "$(tl_fakex_stat okx.closed_keepalive)"
tl_assert_eq "channels subscribed" 6 "$(tl_fakex_stat okx.streams)"
tl_assert_eq "collector reconnects" 0 "$(tl_collector_metric reconnects_total)"
tl_collector_same_pid
tl_ring_check_no_duplicates
summary="$(tl_fakex_stat okx.frames) frames, $(tl_collector_metric ticks_published_total) ticks"
tl_collector_stop
tl_fakex_stop
tl_pass "$summary"

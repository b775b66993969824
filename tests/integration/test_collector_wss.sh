#!/usr/bin/env bash
# The collector streams over wss:// from the fake exchange serving a
# self-signed certificate made at test time (tls_verify = false): Binance
# combined streams, server pings answered, every symbol flowing; then a
# forced close and a reconnect over TLS; with tls_verify = true the
# certificate is refused and counted as a TLS failure.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

SYMS=(BTC-USDT ETH-USDT)
tl_make_cert
tl_fakex_start --exchange binance --symbols BTC-USDT,ETH-USDT --rate 100 --tls-cert "$TL_CERT" --tls-key "$TL_KEY" \
	--binance-ping-ms 300 --binance-pong-timeout-ms 2000
TL_FAKEX_SCHEME=wss tl_collector_start binance "BTC-USDT, ETH-USDT" exchange.binance.tls_verify=false
grep -q 'url = wss://' "$TL_CONFIG" || tl_fail "config does not use wss://"
tl_wait_flowing 20 -1 "${SYMS[@]}"
tl_wait_for 10 "5 pings answered over TLS" tl_at_least 5 tl_fakex_stat binance.pongs_received
tl_assert_eq "connections made" 1 "$(tl_fakex_stat binance.connections_total)"

before=$(tl_ring_last_seq)
tl_fakex_cmd close >/dev/null
tl_wait_for 10 "a reconnect over TLS" tl_at_least 2 tl_fakex_stat binance.connections_total
tl_wait_flowing 20 "$(tl_ring_last_seq)" "${SYMS[@]}"
tl_assert_ge "gap markers after the close" 1 "$(tl_ring_gaps "$before")"
tl_collector_same_pid
tl_ring_check_no_duplicates
summary="$(tl_fakex_stat binance.bytes_sent) bytes over TLS"
tl_collector_stop

# The self-signed certificate refused (tls_verify = true): counted as a
# TLS failure, not as a refused connect.
TL_FAKEX_SCHEME=wss tl_collector_start binance "BTC-USDT, ETH-USDT" exchange.binance.tls_verify=true
tls_failure_counted() { (($(tl_bus_field "$TL_CONFIG" binance .connection_errors.tls_handshake) >= 1)); }
tl_wait_for 10 "a TLS failure counted" tls_failure_counted
tl_assert_eq "connect errors" 0 "$(tl_bus_field "$TL_CONFIG" binance .connection_errors.connect)"
tl_collector_stop
tl_fakex_stop
tl_pass "$summary"

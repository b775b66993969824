#!/usr/bin/env bash
# A client that stops answering pings (SIGSTOP: its socket stays open) is
# dropped within ping_timeout_ms and counted; a client that answers stays.
source "$(dirname "$0")/gateway_lib.sh"

gw_config gateway.ping_interval_ms=200 gateway.ping_timeout_ms=1000
start_gateway

client live
client dead
tl_wait_for 5 "two clients" gw_metric_at_least 2 gateway_clients
kill -STOP "${TL_PID[dead]}"
tl_cleanup kill -CONT "${TL_PID[dead]}"
start=$(date +%s%N)
tl_wait_for 5 "dead client dropped" gw_metric_at_least 1 gateway_dropped_ping_timeout_total
took_ms=$((($(date +%s%N) - start) / 1000000))
# 1000 ms after its last pong (up to one 200 ms ping interval before the
# stop), noticed by the next 100 ms housekeeping, plus this test's polling
((took_ms >= 700 && took_ms <= 2500)) || tl_fail "dropped after $took_ms ms, expected about 1000"
clients_are() { [ "$(gw_metric gateway_clients)" = "$1" ]; }
tl_wait_for 5 "dead client gone" clients_are 1
tl_holds 2 "live client stays connected" clients_are 1
[ "$(gw_metric gateway_dropped_ping_timeout_total)" = 1 ] || tl_fail "the live client was dropped too"
grep -q '^DISCONNECTED' "$T/live.log" && tl_fail "live client disconnected"
tl_log "dropped $took_ms ms after SIGSTOP (ping_timeout_ms 1000)"
tl_pass

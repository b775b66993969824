#!/usr/bin/env bash
# A client that falls conflate_after_ms behind is conflated long before its
# queue bound: stopped (SIGSTOP) while 6,000 spread updates stream, with a
# queue bound far above that, it is not sent the backlog when it resumes
# but the newest update of each symbol, and the updates it skipped are
# counted; it ends on the same latest update as a client that keeps up.
source "$(dirname "$0")/gateway_lib.sh"

gw_config gateway.conflate_after_ms=50 gateway.queue_messages=1000000 gateway.ping_timeout_ms=60000
start_aggregator
start_gateway
start_feeder

client fast
client stopped
request fast '{"op":"subscribe","channels":["spreads"],"id":1}' >/dev/null
request stopped '{"op":"subscribe","channels":["spreads"],"id":1}' >/dev/null
kill -STOP "${TL_PID[stopped]}"
tl_cleanup kill -CONT "${TL_PID[stopped]}"

written0=$(tl_bus_metric "$CONF" aggregator spreads_ring_written_total)
feed stream binance,okx BTC-USDT,ETH-USDT 3000 2
written=$(($(tl_bus_metric "$CONF" aggregator spreads_ring_written_total) - written0))
spreads_seen() { grep -c '"channel":"spreads"' "$T/$1.log" || true; }

# far below the bound, the stopped client is conflated by age alone (the
# bound is 1,000,000: no other rule can conflate here)
tl_wait_for 30 "half of $written updates conflated" gw_metric_at_least $((written / 2)) gateway_conflated_total
conflated=$(gw_metric gateway_conflated_total)
[ "$(gw_metric gateway_dropped_slow_total)" = 0 ] || tl_fail "a client was dropped"

kill -CONT "${TL_PID[stopped]}"
last_of() { grep '"channel":"spreads"' "$T/$1.log" | grep "\"symbol\":\"$2\"" | tail -n 1 | jq -c '.data.update'; }
for sym in BTC-USDT ETH-USDT; do
	tl_wait_for 30 "stopped: latest $sym" test "$(last_of stopped $sym)" = "$(last_of fast $sym)"
done
got=$(spreads_seen stopped)
((got < written / 2)) || tl_fail "stopped client got $got of $written updates: it was sent the backlog"
tl_log "stopped client: $got of $written updates, $conflated conflated"
tl_pass

#!/usr/bin/env bash
# /ping, /health, /ready and /metrics: values agree with the status blocks
# (spreadbus-busctl status) and spreadctl; promtool accepts the metrics;
# /ready is 503 with reasons while no exchange streams.
. "$(dirname "$0")/supervisor_lib.sh"
write_config
sv_start

[ "$(http_get /ping)" = pong ] || tl_fail "/ping"
[ "$(http_code /nope)" = 404 ] || tl_fail "unknown path should be 404"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST --max-time 5 "http://127.0.0.1:$HTTP_PORT/ping")" = 405 ] ||
	tl_fail "POST should be 405"

# /health against spreadctl and the status blocks
http_get /health >"$T/health.json"
jq -e '.status and .uptime_s >= 0 and (.supervisor.rss_bytes > .supervisor.private_bytes) and .supervisor.private_bytes > 0 and (.children | length) == 4
	and (.exchanges | length) == 2 and (.rings | length) == 2 and .redis.enabled == false
	and .writer.enabled == true' "$T/health.json" >/dev/null || tl_fail "/health shape: $(cat "$T/health.json")"
for name in binance okx aggregator writer; do
	[ "$(jq -r --arg n $name '.children[] | select(.name==$n) | .pid' "$T/health.json")" = "$(child_pid $name)" ] ||
		tl_fail "/health pid of $name disagrees with spreadctl"
	[ "$(jq -r --arg n $name '.children[] | select(.name==$n) | .rss_bytes > .private_bytes and .private_bytes > 0' \
		"$T/health.json")" = true ] || tl_fail "no resident or private memory for $name (or private above resident)"
done
"$BIN/spreadbus-busctl" --config "$CONF" status >"$T/blocks.jsonl"
for ex in binance okx; do
	want=$(jq -r --arg n $ex 'select(.name==$n) | .pid' "$T/blocks.jsonl")
	[ "$(jq -r --arg n $ex '.children[] | select(.name==$n) | .pid' "$T/health.json")" = "$want" ] ||
		tl_fail "/health pid of $ex disagrees with its status block ($want)"
	jq -e --arg n $ex '.exchanges[] | select(.name==$n) | .streaming == false' "$T/health.json" >/dev/null ||
		tl_fail "$ex cannot be streaming: nothing listens on its port"
done
jq -e '.rings[] | select(.exchange=="binance") | .capacity == 1024' "$T/health.json" >/dev/null || tl_fail "ring capacity"
# the aggregator's window memory and its default cap (256 MB)
windows_reported() {
	http_get /health | jq -e '.windows.memory_max_bytes == 268435456 and .windows.memory_bytes > 0
		and .windows.memory_bytes <= .windows.memory_max_bytes and .windows.refused_total == 0' >/dev/null
}
tl_wait_for 5 "/health windows" windows_reported

# /ready: nothing streams (the exchanges' port is closed)
[ "$(http_code /ready)" = 503 ] || tl_fail "/ready should be 503 without a streaming exchange"
http_get /ready | jq -e '.ready == false and (.reasons | map(test("no exchange is streaming")) | any)' >/dev/null ||
	tl_fail "/ready reasons: $(http_get /ready)"

# /metrics: promtool, and figures equal to the status blocks
http_get /metrics >"$T/metrics.txt"
promtool check metrics <"$T/metrics.txt" || tl_fail "promtool check metrics failed"
grep -q '^spreadbus_child_up{exchange="binance"} 1$' "$T/metrics.txt" || tl_fail "child_up binance"
grep -q '^spreadbus_child_up{child="writer"} 1$' "$T/metrics.txt" || tl_fail "child_up writer"
grep -q '^spreadbus_child_restarts_total{exchange="okx"} 0$' "$T/metrics.txt" || tl_fail "restarts okx"
grep -q '^spreadbus_uptime_seconds ' "$T/metrics.txt" || tl_fail "uptime"
[ "$(grep -c '^# TYPE spreadbus_child_up gauge$' "$T/metrics.txt")" -eq 1 ] || tl_fail "TYPE once per family"
# nothing listens: no connection is open, the failed connects are counted,
# and the collectors' latency histograms are there, empty
grep -q '^spreadbus_exchange_connections_active{exchange="binance"} 0$' "$T/metrics.txt" || tl_fail "active connections"
grep -q '^spreadbus_receive_to_ring_seconds_bucket{exchange="okx",le="+Inf"} 0$' "$T/metrics.txt" ||
	tl_fail "receive_to_ring_seconds histogram of okx"
grep -q '^# TYPE spreadbus_exchange_to_receive_seconds histogram$' "$T/metrics.txt" || tl_fail "exchange_to_receive TYPE"
connects_counted() {
	http_get /metrics | grep -qE '^spreadbus_connection_errors_total\{exchange="okx",reason="connect"\} [1-9]'
}
tl_wait_for 10 "failed connects counted" connects_counted
# memory: the private part is above 0 and below the resident memory (which
# counts the mapped rings), for every child and the supervisor
sample() { sed -n "s/^spreadbus_$1 //p" "$T/metrics.txt"; }
for labels in '{exchange="binance"}' '{exchange="okx"}' '{child="aggregator"}' '{child="writer"}'; do
	rss=$(sample "child_resident_memory_bytes$labels") priv=$(sample "child_private_memory_bytes$labels")
	[ -n "$rss" ] && [ -n "$priv" ] && [ "$priv" -gt 0 ] && [ "$rss" -gt "$priv" ] ||
		tl_fail "memory of $labels: resident '$rss', private '$priv'"
done
rss=$(sample supervisor_resident_memory_bytes) priv=$(sample supervisor_private_memory_bytes)
[ -n "$rss" ] && [ -n "$priv" ] && [ "$priv" -gt 0 ] && [ "$rss" -gt "$priv" ] ||
	tl_fail "supervisor memory: resident '$rss', private '$priv'"
# counters that do not move while no exchange is reachable: equal to the block
for ex in binance okx; do
	want=$(jq -r --arg n $ex 'select(.name==$n) | .metrics.messages_received_total // .metrics.messages // 0' "$T/blocks.jsonl")
	got=$(sed -n "s/^spreadbus_messages_received_total{exchange=\"$ex\"} //p" "$T/metrics.txt")
	[ "$got" = "$want" ] || tl_fail "messages_received_total for $ex: metrics $got, block $want"
done
# a restart shows in the counter
kill -KILL "$(child_pid okx)"
okx_restart_counted() { http_get /metrics | grep -q '^spreadbus_child_restarts_total{exchange="okx"} 1$'; }
tl_wait_for 10 "okx restarted" okx_restart_counted
echo "http endpoints: ok"

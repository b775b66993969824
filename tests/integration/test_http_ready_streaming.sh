#!/usr/bin/env bash
# /ready, /health and /metrics with a collector that streams from the fake
# exchange: /ready is 200 once binance streams, the figures agree with its
# status block, and /ready flips to 503 (with the reason) when every
# collector is stopped with spreadctl, and back to 200 when one starts.
. "$(dirname "$0")/supervisor_lib.sh"
"$BIN/spreadbus-fakex" --exchange binance:0 --ready-file "$T/fx.ready" --rate 50 >"$T/fakex.log" 2>&1 &
EXTRA_PIDS=$!
wait_until 10 "fake exchange listening" grep -qs '^control ' "$T/fx.ready"
FX_PORT=$(awk '$1 == "binance" { print $2 }' "$T/fx.ready")
URL_binance=ws://127.0.0.1:$FX_PORT write_config
sv_start

wait_until 20 "/ready 200" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$HTTP_PORT/ready)\" = 200 ]"
http_get /ready | jq -e '.ready == true and .reasons == []' >/dev/null || fail "/ready body: $(http_get /ready)"

# /health: binance streams (okx cannot), with a message rate once a full
# second has been sampled
wait_until 10 "a message rate" bash -c "curl -s http://127.0.0.1:$HTTP_PORT/health |
	jq -e '.exchanges[] | select(.name==\"binance\") | .message_rate > 0' >/dev/null"
http_get /health >"$T/health.json"
# ready, but okx (nothing listens on its port) does not stream: degraded
jq -e '.status == "degraded" and .reasons == [] and .problems == ["okx is not streaming"]' "$T/health.json" >/dev/null ||
	fail "health status: $(jq -c '{status,reasons,problems}' "$T/health.json")"
jq -e '.exchanges[] | select(.name=="binance") | .streaming and (.connections | index("streaming"))
	and .last_message_age_ms < 5000 and .messages_total > 0' "$T/health.json" >/dev/null ||
	fail "binance in /health: $(jq -c '.exchanges' "$T/health.json")"
jq -e '.exchanges[] | select(.name=="okx") | .streaming == false' "$T/health.json" >/dev/null || fail "okx streams?"
jq -e '.rings[] | select(.exchange=="binance") | .head > 0 and ([.readers[].name] | index("aggregator") and index("writer"))' \
	"$T/health.json" >/dev/null || fail "ring readers: $(jq -c '.rings' "$T/health.json")"

# /metrics between two readings of the status block: before <= metric <= after
blk() { "$BIN/spreadbus-busctl" --config "$CONF" status | jq -r --arg n binance "select(.name==\$n) | .metrics.$1"; }
before=$(blk messages_received_total)
http_get /metrics >"$T/metrics.txt"
after=$(blk messages_received_total)
got=$(sed -n 's/^spreadbus_messages_received_total{exchange="binance"} //p' "$T/metrics.txt")
[ "$before" -gt 0 ] && [ "$before" -le "$got" ] && [ "$got" -le "$after" ] ||
	fail "messages_received_total: block $before..$after, metrics $got"
grep -q '^spreadbus_exchange_streaming{exchange="binance"} 1$' "$T/metrics.txt" || fail "streaming gauge binance"
grep -q '^spreadbus_exchange_streaming{exchange="okx"} 0$' "$T/metrics.txt" || fail "streaming gauge okx"
grep -qE '^spreadbus_ring_reader_lag_ticks\{exchange="binance",reader="writer"\} [0-9]+$' "$T/metrics.txt" || fail "lag"
promtool check metrics <"$T/metrics.txt" || fail "promtool check metrics failed"

# every collector stopped: 503 with the reason
ctl stop binance >/dev/null
ctl stop okx >/dev/null
wait_until 10 "/ready 503" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$HTTP_PORT/ready)\" = 503 ]"
http_get /ready | jq -e '.ready == false and (.reasons | map(test("no exchange is streaming")) | any)' >/dev/null ||
	fail "/ready reasons: $(http_get /ready)"
http_get /health | jq -e '.status == "down"' >/dev/null || fail "/health status should be down"

# one back: 200 again
ctl start binance >/dev/null
wait_until 20 "/ready 200 again" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$HTTP_PORT/ready)\" = 200 ]"
http_get /health | jq -e '.status == "degraded" and (.problems | index("okx is stopped"))' >/dev/null ||
	fail "/health with okx stopped should be degraded: $(http_get /health | jq -c '{status,problems}')"

# the writer down: 503 naming it
ctl stop writer >/dev/null
wait_until 10 "/ready 503 for the writer" bash -c "curl -s http://127.0.0.1:$HTTP_PORT/ready | jq -e '.reasons | index(\"writer is not running\")' >/dev/null"
echo "/ready follows streaming and the children: ok"

#!/usr/bin/env bash
# /ready, /health and /metrics with a collector that streams from the fake
# exchange: /ready is 200 once binance streams, the figures agree with its
# status block, and /ready flips to 503 (with the reason) when every
# collector is stopped with spreadctl, and back to 200 when one starts.
. "$(dirname "$0")/supervisor_lib.sh"
source "$SV_SRC/tests/lib/fakex.sh"
tl_fakex_start --exchange binance:0 --rate 50
URL_binance=ws://127.0.0.1:${TL_FAKEX_PORT[binance]} write_config
sv_start

tl_wait_for 20 "/ready 200" http_code_is 200 /ready
http_get /ready | jq -e '.ready == true and .reasons == []' >/dev/null || tl_fail "/ready body: $(http_get /ready)"

# /health: binance streams (okx cannot), with a message rate once a full
# second has been sampled
binance_rate() { http_get /health | jq -e '.exchanges[] | select(.name=="binance") | .message_rate > 0' >/dev/null; }
tl_wait_for 10 "a message rate" binance_rate
http_get /health >"$T/health.json"
# ready, but okx (nothing listens on its port) does not stream: degraded
jq -e '.status == "degraded" and .reasons == [] and .problems == ["okx is not streaming"]' "$T/health.json" >/dev/null ||
	tl_fail "health status: $(jq -c '{status,reasons,problems}' "$T/health.json")"
jq -e '.exchanges[] | select(.name=="binance") | .streaming and (.connections | index("streaming"))
	and .last_message_age_ms < 5000 and .messages_total > 0' "$T/health.json" >/dev/null ||
	tl_fail "binance in /health: $(jq -c '.exchanges' "$T/health.json")"
jq -e '.exchanges[] | select(.name=="okx") | .streaming == false' "$T/health.json" >/dev/null || tl_fail "okx streams?"
jq -e '.rings[] | select(.exchange=="binance") | .head > 0 and ([.readers[].name] | index("aggregator") and index("writer"))' \
	"$T/health.json" >/dev/null || tl_fail "ring readers: $(jq -c '.rings' "$T/health.json")"

# /metrics between two readings of the status block: before <= metric <= after
blk() { "$BIN/spreadbus-busctl" --config "$CONF" status | jq -r --arg n binance "select(.name==\$n) | .metrics.$1"; }
before=$(blk messages_received_total)
http_get /metrics >"$T/metrics.txt"
after=$(blk messages_received_total)
got=$(sed -n 's/^spreadbus_messages_received_total{exchange="binance"} //p' "$T/metrics.txt")
[ "$before" -gt 0 ] && [ "$before" -le "$got" ] && [ "$got" -le "$after" ] ||
	tl_fail "messages_received_total: block $before..$after, metrics $got"
grep -q '^spreadbus_exchange_streaming{exchange="binance"} 1$' "$T/metrics.txt" || tl_fail "streaming gauge binance"
grep -q '^spreadbus_exchange_streaming{exchange="okx"} 0$' "$T/metrics.txt" || tl_fail "streaming gauge okx"
grep -qE '^spreadbus_ring_reader_lag_ticks\{exchange="binance",reader="writer"\} [0-9]+$' "$T/metrics.txt" || tl_fail "lag"
promtool check metrics <"$T/metrics.txt" || tl_fail "promtool check metrics failed"

# every collector stopped: 503 with the reason
ctl stop binance >/dev/null
ctl stop okx >/dev/null
tl_wait_for 10 "/ready 503" http_code_is 503 /ready
http_get /ready | jq -e '.ready == false and (.reasons | map(test("no exchange is streaming")) | any)' >/dev/null ||
	tl_fail "/ready reasons: $(http_get /ready)"
http_get /health | jq -e '.status == "down"' >/dev/null || tl_fail "/health status should be down"

# one back: 200 again
ctl start binance >/dev/null
tl_wait_for 20 "/ready 200 again" http_code_is 200 /ready
http_get /health | jq -e '.status == "degraded" and (.problems | index("okx is stopped"))' >/dev/null ||
	tl_fail "/health with okx stopped should be degraded: $(http_get /health | jq -c '{status,problems}')"

# the writer down: 503 naming it
ctl stop writer >/dev/null
writer_named() { http_get /ready | jq -e '.reasons | index("writer is not running")' >/dev/null; }
tl_wait_for 10 "/ready 503 for the writer" writer_named
echo "/ready follows streaming and the children: ok"

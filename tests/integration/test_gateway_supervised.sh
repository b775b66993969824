#!/usr/bin/env bash
# The supervisor runs the gateway like any other child: spreadctl lists it,
# /health shows it, /metrics carries its spreadbus_gateway_* counters, and
# a SIGKILLed gateway is restarted (clients can connect again) while no
# other child notices.
. "$(dirname "$0")/supervisor_lib.sh"
tl_need_bins spreadbus-gateway spreadbus-test-wsclient
GW_PORT=$(tl_free_port)
write_config
sed -i "/^\[gateway\]/,/^$/ s|^enabled = false|enabled = true\nlisten = 127.0.0.1:$GW_PORT\nwww_dir = $SV_SRC/gateway/www\nheartbeat_timeout_ms = 3000|" "$CONF"
sv_start

child_pid gateway | grep -Eq '^[0-9]+$' || tl_fail "spreadctl status lists no gateway: $(status_json)"
http_get /health >"$T/health.json"
jq -e '(.children | length) == 5 and .gateway.enabled == true and .gateway.state == "running" and
	.gateway.reported_state == "running" and .gateway.clients == 0' "$T/health.json" >/dev/null ||
	tl_fail "/health gateway: $(jq -c .gateway "$T/health.json")"

# a client, counted in /metrics
mkfifo "$T/c1.in"
tl_spawn c1 bash -c 'exec "$0" --port "$1" <"$2"' "$BIN/spreadbus-test-wsclient" "$GW_PORT" "$T/c1.in"
exec 4>"$T/c1.in"
tl_wait_for 5 "client connected" grep -q '^CONNECTED' "$T/c1.log"
echo '{"op":"subscribe","channels":["spreads","status"],"id":1}' >&4
tl_wait_for 5 "status message" grep -q '"channel":"status"' "$T/c1.log"
grep '"channel":"status"' "$T/c1.log" | tail -n 1 | jq -e '[.data.exchanges[].exchange] == ["binance","okx"]' >/dev/null ||
	tl_fail "status message: $(grep '"channel":"status"' "$T/c1.log" | tail -n 1)"
# (through a variable: grep -q on a pipe would SIGPIPE curl under pipefail)
metric_is() { local m; m=$(http_get /metrics) && grep -qx "spreadbus_$1" <<<"$m"; }
tl_wait_for 5 "gateway_clients 1 in /metrics" metric_is 'gateway_clients{child="gateway"} 1'
http_get /metrics >"$T/metrics.txt"
promtool check metrics <"$T/metrics.txt" || tl_fail "promtool check metrics failed"
for family in gateway_clients_accepted_total gateway_messages_sent_total gateway_sent_bytes_total \
	gateway_conflated_total gateway_dropped_slow_total gateway_dropped_ping_timeout_total \
	gateway_bad_requests_total gateway_client_queue_max_messages ticks_read_total read_lag_ticks; do
	grep -q "^spreadbus_$family{child=\"gateway\"} [0-9]" "$T/metrics.txt" || tl_fail "no $family for the gateway"
done
grep -q '^spreadbus_spreads_ring_written_total{child="aggregator"} ' "$T/metrics.txt" ||
	tl_fail "no spreads_ring_written_total for the aggregator"
grep -q 'gateway_.*{child="aggregator"}' "$T/metrics.txt" && tl_fail "gateway families shown for the aggregator"

# SIGKILL: restarted, the client sees the disconnect, a new one connects;
# every other child keeps its process
declare -A before=()
for n in binance okx aggregator writer; do before[$n]=$(child_pid "$n"); done
old=$(child_pid gateway)
kill -KILL "$old"
tl_wait_for 5 "gateway restarted" child_replaced gateway "$old"
tl_wait_for 10 "gateway up again" child_up gateway
tl_wait_for 5 "client saw the disconnect" grep -q '^DISCONNECTED' "$T/c1.log"
tl_reap c1 5 # the test client exits once its connection is gone
exec 4>&-
mkfifo "$T/c2.in"
tl_spawn c2 bash -c 'exec "$0" --port "$1" <"$2"' "$BIN/spreadbus-test-wsclient" "$GW_PORT" "$T/c2.in"
exec 5>"$T/c2.in"
tl_wait_for 10 "a new client connects" grep -q '^CONNECTED' "$T/c2.log"
for n in binance okx aggregator writer; do
	[ "$(child_pid "$n")" = "${before[$n]}" ] || tl_fail "$n was restarted too"
done
metric_is 'child_restarts_total{child="gateway"} 1' || tl_fail "gateway restart not counted"
metric_is 'child_restarts_total{child="aggregator"} 0' || tl_fail "aggregator restarted"
tl_stop c2 TERM # before the gateway goes: a client that exits by itself would fail the cleanup's kill under set -e
sv_stop TERM
tl_assert_eq "supervisor exit status" 0 "${TL_EXIT[supervisor]}"
tl_pass

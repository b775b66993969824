#!/usr/bin/env bash
# Alerts end to end with real processes (aggregator, redis-server, gateway,
# scripted feeder, a WebSocket client, a python3 webhook receiver): quotes
# whose spread net of both taker fees passes min_net_bps open an alert only
# after min_duration_ms, a quote that brings it under closes it; each event
# is one XADD alerts entry, one PUBLISH alert:<SYMBOL>, one message on the
# gateway's alerts channel, and reaches the webhook exactly once although
# the receiver refuses the first POST (retry).
source "$(dirname "$0")/gateway_lib.sh"
source "$GW_SRC/tests/lib/redis.sh"
tl_need_bins aggregator_sub
command -v python3 >/dev/null || tl_skip "python3 not installed"

tl_redis_start
HOOK_PORT=$(tl_free_port)
tl_spawn hook python3 "$GW_SRC/tests/integration/webhook_sink.py" "$HOOK_PORT" "$T/hook.out" 1
tl_wait_for 10 "webhook receiver listening" tl_port_in_use "$HOOK_PORT"

gw_config redis.enabled=true "redis.port=$TL_REDIS_PORT" redis.stream_maxlen=1000 \
	exchange.binance.taker_fee_bps=10 exchange.okx.taker_fee_bps=5 \
	"alert.arb.symbols=BTC-USDT" "alert.arb.exchanges=binance, okx" alert.arb.min_net_bps=20 \
	alert.arb.min_duration_ms=300 alert.arb.min_notional=100 alert.arb.cooldown_ms=10000 \
	"alert.arb.webhook_url=http://127.0.0.1:$HOOK_PORT/hook"
start_aggregator
start_gateway
start_feeder
tl_spawn sub "$BIN/aggregator_sub" --port "$TL_REDIS_PORT" --pattern 'alert:*' --count 2 --timeout-ms 30000
tl_wait_for 5 "subscriber ready" grep -q READY "$T/sub.log"
client alerts
reply=$(request alerts '{"op":"subscribe","channels":["alerts"],"symbols":["BTC-USDT"],"id":1}')
jq -e '.op == "subscribed" and .channels == ["alerts"]' <<<"$reply" >/dev/null || tl_fail "reply: $reply"

agg_metric() { tl_bus_metric "$CONF" aggregator "$1"; }
agg_metric_is() { [ "$(agg_metric "$1")" = "$2" ]; }
xlen_is() { [ "$(tl_redis_cli xlen alerts)" = "$1" ]; }

# buy binance at 100.1 + 10 bps = 100.2001, sell okx at 100.5 - 5 bps =
# 100.44975: net 0.24965, 24.915 bps of the cost (39.96 bps gross)
feed quote binance BTC-USDT 100 100.1
t0=$(date +%s%N)
feed quote okx BTC-USDT 100.5 100.6
net_ok() {
	jq -e '.buy == "binance" and .sell == "okx" and .qty == 1.5
		and (.net_spread_bps - 0.24965 / 100.2001 * 1e4 | fabs) <= 5e-7' \
		<<<"$(tl_redis_cli hget spread:latest BTC-USDT)" >/dev/null &&
		jq -e '.fees_bps == {"binance":10,"okx":5,"bybit":0}' <<<"$(tl_redis_cli hget spread:pairs BTC-USDT)" >/dev/null
}
tl_wait_for 5 "net spread in spread:latest" net_ok
tl_wait_for 5 "alert opened" agg_metric_is alerts_opened_total 1
xlen_is 1 || tl_wait_for 5 "XADD alerts open" xlen_is 1
tl_redis_cli --raw xrange alerts - + >"$T/x1"
fieldval() { awk -v k="$1" 'NR > 1 && (NR % 2 == 0) && $0 == k { getline; print; exit }' "$2"; }
tl_assert_eq "open event" open "$(fieldval event "$T/x1")"
tl_assert_eq "open pair" "binance okx BTC-USDT arb" "$(fieldval buy "$T/x1") $(fieldval sell "$T/x1") $(fieldval symbol "$T/x1") $(fieldval rule "$T/x1")"
opened=$(fieldval opened_ns "$T/x1")
tl_assert_ge "opened after min_duration_ms (ms since the qualifying quote)" 300 $(((opened - t0) / 1000000))

# okx's bid falls to 100.2: net 100.1499 - 100.2001 < 0, the alert closes
feed quote okx BTC-USDT 100.2 100.3
tl_wait_for 5 "alert closed" agg_metric_is alerts_closed_total 1
tl_wait_for 5 "XADD alerts close" xlen_is 2
tl_redis_cli --raw xrevrange alerts + - COUNT 1 >"$T/x2"
tl_assert_eq "close event" close "$(fieldval event "$T/x2")"
tl_assert_eq "same alert id" "$(fieldval id "$T/x1")" "$(fieldval id "$T/x2")"
[ "$(fieldval duration_ms "$T/x2")" -ge 0 ] || tl_fail "close duration: $(cat "$T/x2")"

# PUBLISH alert:BTC-USDT, twice
tl_wait_for 5 "two alert messages" tl_at_least 2 grep -c '^alert:BTC-USDT ' "$T/sub.log"
tl_assert_eq "published events" "open close" "$(grep '^alert:' "$T/sub.log" | cut -d' ' -f2- | jq -r .event | tr '\n' ' ' | sed 's/ $//')"
# the gateway's alerts channel, in order
tl_wait_for 5 "gateway: two alerts" lines_at_least 2 alerts '.channel == "alerts"'
tl_assert_eq "gateway events" "open close" "$(grep '^{' "$T/alerts.log" | jq -r 'select(.channel == "alerts") | .data.event' | tr '\n' ' ' | sed 's/ $//')"
# the webhook: the first POST refused, retried; each event accepted once
accepted() { cat "$T/hook.out" 2>/dev/null | awk '/^200 /{n++} END{print n+0}'; }
tl_wait_for 10 "webhook: two events accepted" tl_at_least 2 accepted
tl_assert_eq "webhook accepted events" "open close" "$(grep '^200 ' "$T/hook.out" | cut -d' ' -f3- | jq -r .event | tr '\n' ' ' | sed 's/ $//')"
tl_assert_eq "webhook content type" 2 "$(grep -c '^200 application/json ' "$T/hook.out")"
tl_assert_eq "refused then retried" 1 "$(grep -c '^503 ' "$T/hook.out")"
tl_wait_for 5 "webhook sent metric" agg_metric_is alerts_webhook_sent_total 2
tl_assert_eq "webhook failed" 0 "$(agg_metric alerts_webhook_failed_total)"
tl_assert_eq "webhook dropped" 0 "$(agg_metric alerts_webhook_dropped_total)"

# cool-down (10 s from the close): the spread is back, held past min_duration_ms, but opens no alert
feed quote okx BTC-USDT 100.5 100.6
tl_holds 0.6 "no alert opens during the cool-down" agg_metric_is alerts_opened_total 1
tl_stop aggregator TERM
tl_assert_eq "aggregator exit status" 0 "${TL_EXIT[aggregator]}"
tl_pass

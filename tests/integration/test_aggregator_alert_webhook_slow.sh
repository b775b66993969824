#!/usr/bin/env bash
# A slow webhook receiver (each answer 700 ms late) blocks nothing: while it
# works through the events, every alert event is already in Redis and the
# aggregator keeps reading ticks and beating; in the end the receiver got
# each event exactly once, in order, and nothing was counted failed or
# dropped.
source "$(dirname "$0")/aggregator_lib.sh"
command -v python3 >/dev/null || tl_skip "python3 not installed"

tl_redis_start
HOOK_PORT=$(tl_free_port)
tl_spawn hook python3 "$AGG_SRC/tests/integration/webhook_sink.py" "$HOOK_PORT" "$T/hook.out" 0 700
tl_wait_for 10 "webhook receiver listening" tl_port_in_use "$HOOK_PORT"
EXTRA_CONF=("alert.flip.symbols=BTC-USDT" alert.flip.min_net_bps=10 alert.flip.cooldown_ms=0
	"alert.flip.webhook_url=http://127.0.0.1:$HOOK_PORT/")
write_config
start_feeder
start_aggregator
tl_wait_for 5 "redis up" metric_equals redis_up 1

# okx's bid moves across binance's ask: each move opens or closes the alert
# (no fees: net = gross; 100.5 over 100.1 is 40 bps, 100.0 is negative)
feed quote binance BTC-USDT 99.9 100.1
for i in 1 2 3 4 5; do
	feed quote okx BTC-USDT 100.5 100.6
	feed quote okx BTC-USDT 100.0 100.05
done
xlen_is() { [ "$(tl_redis_cli xlen alerts)" = "$1" ]; }
tl_wait_for 5 "ten events in Redis" xlen_is 10
accepted() { cat "$T/hook.out" 2>/dev/null | awk '/^200 /{n++} END{print n+0}'; }
[ "$(accepted)" -lt 10 ] || tl_fail "the receiver was not slow: $(accepted) events already"
# the aggregator goes on while the receiver works: ticks read, heartbeat fresh
before=$(metric ticks_read_total)
feed stream binance,okx ETH-USDT 2000 1
tl_wait_for 5 "ticks read during the slow POSTs" tl_at_least $((before + 1000)) metric ticks_read_total
[ "$(heartbeat_age_ms)" -lt 1000 ] || tl_fail "heartbeat $(heartbeat_age_ms) ms old"
[ "$(accepted)" -lt 10 ] || tl_fail "the receiver was done before the check"

tl_wait_for 20 "ten events at the receiver" tl_at_least 10 accepted
tl_assert_eq "events in order, once each" "open close open close open close open close open close" \
	"$(grep '^200 ' "$T/hook.out" | cut -d' ' -f3- | jq -r .event | tr '\n' ' ' | sed 's/ $//')"
tl_assert_eq "distinct (id, event)" 10 "$(grep '^200 ' "$T/hook.out" | cut -d' ' -f3- | jq -r '"\(.id) \(.event)"' | sort -u | wc -l)"
tl_wait_for 5 "webhook sent metric" metric_equals alerts_webhook_sent_total 10
tl_assert_eq "webhook failed" 0 "$(metric alerts_webhook_failed_total)"
tl_assert_eq "webhook dropped" 0 "$(metric alerts_webhook_dropped_total)"
tl_assert_eq "alerts opened, closed" "5 5" "$(metric alerts_opened_total) $(metric alerts_closed_total)"
stop_aggregator
tl_pass

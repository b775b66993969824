#!/usr/bin/env bash
# A client that stops reading costs only itself: while one spreads client
# and one trades client are stopped (SIGSTOP), a fast client receives every
# spread update the aggregator wrote and every trade in order, and so do 50
# other trade clients (each checks the feeder's trade ids 1..N on its own);
# the stopped spreads client is conflated (counted), the stopped trades
# client is disconnected with a close reason once its queue is full.
source "$(dirname "$0")/gateway_lib.sh"

TRADES=100000
# conflate_after_ms high: the fast client must get every update even when a
# loaded machine holds it back for a moment (the stopped one still fills its
# queue_messages bound and is conflated)
gw_config gateway.ping_timeout_ms=60000 gateway.conflate_after_ms=30000
start_aggregator
start_gateway
start_feeder

client fast
client slow
client lagger
request fast '{"op":"subscribe","channels":["spreads","trades"],"id":1}' >/dev/null
request slow '{"op":"subscribe","channels":["spreads"],"id":1}' >/dev/null
request lagger '{"op":"subscribe","channels":["trades"],"id":1}' >/dev/null
kill -STOP "${TL_PID[slow]}" "${TL_PID[lagger]}"
tl_cleanup kill -CONT "${TL_PID[slow]}" "${TL_PID[lagger]}"

written0=$(tl_bus_metric "$CONF" aggregator spreads_ring_written_total)
feed stream binance,okx BTC-USDT,ETH-USDT 5000 3
feed trades bybit BTC-USDT $TRADES 25000
written=$(($(tl_bus_metric "$CONF" aggregator spreads_ring_written_total) - written0))
tl_log "aggregator wrote $written spread updates, feeder $TRADES trades"

# the stopped trades client: disconnected, counted, while the others go on
tl_wait_for 10 "lagger dropped as slow" gw_metric_at_least 1 gateway_dropped_slow_total
tl_wait_for 10 "slow client conflated" gw_metric_at_least 1 gateway_conflated_total
tl_assert_ge "longest client queue while one lags" 1024 "$(gw_metric gateway_client_queue_max_messages)"

# the fast client: every trade, in order, none missing
trades_seen() { grep -c '"channel":"trades"' "$T/fast.log" || true; }
tl_wait_for 30 "fast: all $TRADES trades" tl_at_least $TRADES trades_seen
grep '"channel":"trades"' "$T/fast.log" | grep -o '"trade_id":"[0-9]*"' | cut -d'"' -f4 >"$T/ids.txt"
seq 1 $TRADES | cmp -s - "$T/ids.txt" || tl_fail "fast: trades missing or out of order (first difference: $(seq 1 $TRADES | cmp - "$T/ids.txt"))"
# ... and every spread update the aggregator wrote during the stream
spreads_seen() { grep -c '"channel":"spreads"' "$T/fast.log" || true; }
tl_wait_for 10 "fast: all $written spread updates" tl_at_least "$written" spreads_seen
[ "$(gw_metric gateway_dropped_slow_total)" = 1 ] || tl_fail "only the lagger may be dropped"

# resumed, the slow client reads what its queue kept: the latest of each
# symbol, and stays connected; the lagger reads its close reason
kill -CONT "${TL_PID[slow]}" "${TL_PID[lagger]}"
tl_wait_for 10 "lagger: close reason" grep -q '^CLOSED 1008 slow consumer: trade, candle or alert queue full' "$T/lagger.log"
last_of() { grep '"channel":"spreads"' "$T/$1.log" | grep "\"symbol\":\"$2\"" | tail -n 1 | jq -c '.data.update'; }
for sym in BTC-USDT ETH-USDT; do
	tl_wait_for 60 "slow: latest $sym" test "$(last_of slow $sym)" = "$(last_of fast $sym)"
done
slow_n=$(grep -c '"channel":"spreads"' "$T/slow.log")
((slow_n < written)) || tl_fail "slow: $slow_n spreads of $written, nothing conflated"
# 50 more trade clients (one process, each checking on its own that trade
# ids run 1..N) while the slow client keeps its conflated place: every one
# gets every trade in order
client many --clients 50 --quiet --check-trades
send many '{"op":"subscribe","channels":["trades"],"id":1}'
many_subscribed() { grep -c '^REPLY conn=[0-9]* {"op":"subscribed"' "$T/many.log" || true; }
tl_wait_for 20 "50 trade clients subscribed" tl_at_least 50 many_subscribed
feed trades okx BTC-USDT 10000 2000
queues_empty() { [ "$(gw_metric gateway_client_queue_max_messages)" = 0 ]; }
tl_wait_for 30 "every client's queue drained" queues_empty
tl_stop many TERM
[ "$(grep -c "^TRADES conn=[0-9]* count=10000 out_of_order=0$" "$T/many.log")" = 50 ] ||
	tl_fail "the 50 trade clients: $(grep '^TRADES' "$T/many.log" | grep -v "count=10000 out_of_order=0$" | head -3)"
grep -q '^DISCONNECTED' "$T/slow.log" && tl_fail "the slow client was disconnected"
tl_log "slow client: $slow_n of $written spread updates, conflated $(gw_metric gateway_conflated_total)"
tl_pass

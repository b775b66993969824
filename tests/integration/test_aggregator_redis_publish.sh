#!/usr/bin/env bash
# A scripted quote sequence through the real aggregator into a real
# redis-server: the subscriber gets the expected JSON (best pair, all pairs,
# window), XADD and HSET hold the same, stale quotes and gap markers make no
# phantom spread, counters add up, and SIGTERM exits 0.
source "$(dirname "$0")/aggregator_lib.sh"

tl_redis_start
STALE_MS=30000 write_config
start_feeder
tl_spawn sub "$BIN/aggregator_sub" --port "$TL_REDIS_PORT" --count 6 --timeout-ms 30000
tl_wait_for 5 "subscriber ready" grep -q READY "$T/sub.log"
start_aggregator
tl_wait_for 5 "redis up" metric_equals redis_up 1
[ "$(metric window_memory_bytes)" -gt 0 ] || tl_fail "window memory not reported"

messages() { grep -c '^spread:' "$T/sub.log" || true; }
have_messages() { [ "$(messages)" -ge "$1" ]; }
# msg N: the JSON of the Nth message
msg() { grep '^spread:' "$T/sub.log" | sed -n "${1}p" | cut -d' ' -f2-; }
chan() { grep '^spread:' "$T/sub.log" | sed -n "${1}p" | cut -d' ' -f1; }
check() { # check N JQ-EXPRESSION
	jq -e "$2" <<<"$(msg "$1")" >/dev/null || tl_fail "message $1: expected $2 in $(msg "$1")"
}

feed quote binance BTC-USDT 100 100.5
feed quote okx BTC-USDT 101 101.5
tl_wait_for 5 "first spread" have_messages 1
[ "$(chan 1)" = spread:BTC-USDT ] || tl_fail "channel $(chan 1)"
check 1 '.symbol == "BTC-USDT" and .valid == true and .update == 1'
check 1 '.buy == "binance" and .sell == "okx" and .ask == 100.5 and .bid == 101 and .spread == 0.5'
check 1 '(.spread_bps - 0.5 / 100.5 * 1e4 | fabs) <= 5e-7' # rounded to 1e-6 bps
check 1 '.ask_qty == 2.5 and .bid_qty == 1.5'
check 1 '.buy_ts_recv_ns > 0 and .sell_ts_recv_ns >= .buy_ts_recv_ns and .buy_ts_exchange_ns > 0 and .ts_recv_ns == .sell_ts_recv_ns'
check 1 '.window.s == 60 and .window.count == 1 and .window.last == .spread_bps and .window.min == .window.max'
check 1 '(.window.p50 - .spread_bps | fabs) <= (.spread_bps | fabs) / 64'
check 1 '.pairs | length == 2'
check 1 '[.pairs[] | select(.buy == "okx" and .sell == "binance")][0] | .ask == 101.5 and .bid == 100 and (.spread_bps + 1.5 / 101.5 * 1e4 | fabs) <= 5e-7'

feed quote bybit BTC-USDT 100.2 100.3
tl_wait_for 5 "second spread" have_messages 2
check 2 '.update == 2 and .buy == "bybit" and .sell == "okx" and .ask == 100.3 and .bid == 101'
check 2 '.pairs | length == 6'
check 2 '.window.count == 1'

# binance ETH quote 60 s old (stale_quote_ms 30000): okx's quote makes no spread
feed quote binance ETH-USDT 10 10.1 60000
feed quote okx ETH-USDT 10.2 10.3
feed quote binance SOL-USDT 20 20.1
# a fresh binance quote does
feed quote binance ETH-USDT 10 10.1
tl_wait_for 5 "ETH spread" have_messages 3
[ "$(chan 3)" = spread:ETH-USDT ] || tl_fail "stale quote made a spread: $(msg 3)"
check 3 '.symbol == "ETH-USDT" and .update == 1 and .buy == "binance" and .sell == "okx" and .window.count == 1'

# okx's connection drops: its quotes leave every symbol
feed gap okx
tl_wait_for 5 "gap updates" have_messages 5
btc=$(grep '^spread:BTC-USDT' "$T/sub.log" | tail -n 1 | cut -d' ' -f2-)
eth=$(grep '^spread:ETH-USDT' "$T/sub.log" | tail -n 1 | cut -d' ' -f2-)
jq -e '.update == 3 and .valid and .buy == "binance" and .sell == "bybit" and (.pairs | length == 2)' <<<"$btc" >/dev/null ||
	tl_fail "BTC after gap: $btc"
jq -e '.update == 2 and .valid == false and (.pairs | length == 0) and has("buy") == false' <<<"$eth" >/dev/null ||
	tl_fail "ETH after gap: $eth"
# okx quotes again: BTC pairs with okx come back, window keeps counting
feed quote okx BTC-USDT 101 101.5
tl_wait_for 5 "okx back" have_messages 6
check 6 '.update == 4 and (.pairs | length == 6) and .buy == "bybit" and .sell == "okx" and .window.count == 2'

# HSET spread:latest holds the last message per symbol
[ "$(tl_redis_cli hget spread:latest BTC-USDT)" = "$(msg 6)" ] || tl_fail "spread:latest BTC-USDT differs from the last message"
[ "$(tl_redis_cli hget spread:latest ETH-USDT)" = "$eth" ] || tl_fail "spread:latest ETH-USDT differs"
[ "$(tl_redis_cli hlen spread:latest)" = 2 ] || tl_fail "spread:latest has $(tl_redis_cli hlen spread:latest) fields"
# XADD spreads: one entry per message, flat fields
[ "$(tl_redis_cli xlen spreads)" = 6 ] || tl_fail "stream length $(tl_redis_cli xlen spreads)"
tl_redis_cli --raw xrevrange spreads + - COUNT 1 >"$T/xlast"
fieldval() { awk -v k="$1" 'NR > 1 && (NR % 2 == 0) && $0 == k { getline; print; exit }' "$T/xlast"; }
[ "$(fieldval symbol)" = BTC-USDT ] || tl_fail "xadd symbol: $(cat "$T/xlast")"
[ "$(fieldval buy)" = bybit ] && [ "$(fieldval sell)" = okx ] || tl_fail "xadd pair: $(cat "$T/xlast")"
[ "$(fieldval ask)" = 100.3 ] && [ "$(fieldval bid)" = 101 ] && [ "$(fieldval valid)" = 1 ] || tl_fail "xadd prices: $(cat "$T/xlast")"
[ "$(fieldval update)" = 4 ] && [ "$(fieldval count)" = 2 ] || tl_fail "xadd update/count: $(cat "$T/xlast")"

# counters: 9 ticks; spreads computed 2 (okx BTC) + 4 (bybit) + 2 (fresh ETH) + 4 (okx BTC again)
tl_wait_for 5 "ticks read" metric_equals ticks_read_total 9
tl_wait_for 5 "published" metric_equals redis_published_total 6
[ "$(metric spreads_computed_total)" = 12 ] || tl_fail "spreads computed $(metric spreads_computed_total)"
[ "$(metric ticks_lost_total)" = 0 ] && [ "$(metric read_lag_ticks)" = 0 ] || tl_fail "lost/lag"
[ "$(metric redis_dropped_total)" = 0 ] || tl_fail "dropped $(metric redis_dropped_total)"

stop_aggregator
tl_pass

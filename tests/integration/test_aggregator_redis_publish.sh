#!/usr/bin/env bash
# A scripted quote sequence, with fees, through the real aggregator into a
# real redis-server: each message (best pair by net, its window, the pair
# count), the XADD entry and HSET spread:pairs agree field by field with an
# independent computation (spread_oracle.py), HSET spread:latest holds the
# last message, the README's examples have a live message's fields, stale
# quotes and gap markers make no phantom spread, counters add up, and
# SIGTERM exits 0.
source "$(dirname "$0")/aggregator_lib.sh"

tl_redis_start
FEES="okx=2,bybit=1"
EXTRA_CONF=(exchange.okx.taker_fee_bps=2 exchange.bybit.taker_fee_bps=1)
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
# oracle N QUOTES: message N, field by field, against spread_oracle.py's
# computation from the symbol's fresh quotes (ex:bid:ask, config order)
oracle() {
	python3 "$AGG_SRC/tests/integration/spread_oracle.py" update --quotes "$2" --fees "$FEES" "$(msg "$1")" ||
		tl_fail "message $1 differs from the oracle: $(msg "$1")"
}
# matrix SYMBOL QUOTES: HGET spread:pairs SYMBOL against the oracle
matrix() {
	local m
	m=$(tl_redis_cli hget spread:pairs "$1")
	python3 "$AGG_SRC/tests/integration/spread_oracle.py" pairs --quotes "$2" --fees "$FEES" --window-s 60 "$m" ||
		tl_fail "spread:pairs $1 differs from the oracle: $m"
}
matrix_has() { tl_redis_cli hget spread:pairs "$1" | jq -e "$2" >/dev/null 2>&1; }

feed quote binance BTC-USDT 100 100.5
feed quote okx BTC-USDT 101 101.5
tl_wait_for 5 "first spread" have_messages 1
[ "$(chan 1)" = spread:BTC-USDT ] || tl_fail "channel $(chan 1)"
oracle 1 binance:100:100.5,okx:101:101.5
check 1 '.symbol == "BTC-USDT" and .update == 1 and .pairs == 2 and .buy == "binance" and .sell == "okx"'
check 1 '.window.count == 1 and .window.min == .spread_bps and .window.max == .spread_bps and .window.mean == .spread_bps'
check 1 '(.window.p50 - .spread_bps | fabs) <= (.spread_bps | fabs) / 32' # histogram bins: within 3.125 %
tl_wait_for 5 "BTC matrix" matrix_has BTC-USDT '.pairs | length == 2'
matrix BTC-USDT binance:100:100.5,okx:101:101.5

feed quote bybit BTC-USDT 100.2 100.3
tl_wait_for 5 "second spread" have_messages 2
oracle 2 binance:100:100.5,okx:101:101.5,bybit:100.2:100.3
check 2 '.update == 2 and .buy == "bybit" and .sell == "okx" and .window.count == 1'
tl_wait_for 5 "BTC matrix of 6" matrix_has BTC-USDT '.pairs | length == 6'
matrix BTC-USDT binance:100:100.5,okx:101:101.5,bybit:100.2:100.3

# binance ETH quote 60 s old (stale_quote_ms 30000): okx's quote makes no spread
feed quote binance ETH-USDT 10 10.1 60000
feed quote okx ETH-USDT 10.2 10.3
feed quote binance SOL-USDT 20 20.1
# a fresh binance quote does
feed quote binance ETH-USDT 10 10.1
tl_wait_for 5 "ETH spread" have_messages 3
[ "$(chan 3)" = spread:ETH-USDT ] || tl_fail "stale quote made a spread: $(msg 3)"
oracle 3 binance:10:10.1,okx:10.2:10.3
check 3 '.symbol == "ETH-USDT" and .update == 1 and .window.count == 1'

# okx's connection drops: its quotes leave every symbol
feed gap okx
tl_wait_for 5 "gap updates" have_messages 5
btc=$(grep '^spread:BTC-USDT' "$T/sub.log" | tail -n 1 | cut -d' ' -f2-)
eth=$(grep '^spread:ETH-USDT' "$T/sub.log" | tail -n 1 | cut -d' ' -f2-)
python3 "$AGG_SRC/tests/integration/spread_oracle.py" update --quotes binance:100:100.5,bybit:100.2:100.3 \
	--fees "$FEES" "$btc" || tl_fail "BTC after gap: $btc"
jq -e '.update == 3 and .buy == "binance" and .sell == "bybit"' <<<"$btc" >/dev/null || tl_fail "BTC after gap: $btc"
python3 "$AGG_SRC/tests/integration/spread_oracle.py" update --quotes "" --fees "$FEES" "$eth" ||
	tl_fail "ETH after gap: $eth"
jq -e '.update == 2 and .pairs == 0 and has("buy") == false and has("window") == false' <<<"$eth" >/dev/null ||
	tl_fail "ETH after gap: $eth"
tl_wait_for 5 "ETH matrix empty" matrix_has ETH-USDT '.pairs == []'
# okx quotes again: BTC pairs with okx come back, window keeps counting
feed quote okx BTC-USDT 101 101.5
tl_wait_for 5 "okx back" have_messages 6
oracle 6 binance:100:100.5,okx:101:101.5,bybit:100.2:100.3
check 6 '.update == 4 and .pairs == 6 and .buy == "bybit" and .sell == "okx" and .window.count == 2'
tl_wait_for 5 "BTC matrix back to 6" matrix_has BTC-USDT '.pairs | length == 6'
matrix BTC-USDT binance:100:100.5,okx:101:101.5,bybit:100.2:100.3

# HSET spread:latest holds the last message per symbol
[ "$(tl_redis_cli hget spread:latest BTC-USDT)" = "$(msg 6)" ] || tl_fail "spread:latest BTC-USDT differs from the last message"
[ "$(tl_redis_cli hget spread:latest ETH-USDT)" = "$eth" ] || tl_fail "spread:latest ETH-USDT differs"
[ "$(tl_redis_cli hlen spread:latest)" = 2 ] || tl_fail "spread:latest has $(tl_redis_cli hlen spread:latest) fields"
[ "$(tl_redis_cli hlen spread:pairs)" = 2 ] || tl_fail "spread:pairs has $(tl_redis_cli hlen spread:pairs) fields"
# XADD spreads: one entry per message, the message's fields flat, the same text
[ "$(tl_redis_cli xlen spreads)" = 6 ] || tl_fail "stream length $(tl_redis_cli xlen spreads)"
tl_redis_cli --raw xrevrange spreads + - COUNT 1 >"$T/xlast"
mapfile -t xfields < <(tail -n +2 "$T/xlast")
python3 "$AGG_SRC/tests/integration/spread_oracle.py" xadd "$(msg 6)" "${xfields[@]}" ||
	tl_fail "xadd entry differs from message 6: $(cat "$T/xlast")"

# the README's examples parse and have a live message's fields
readme_example() { # the JSON block after the heading $1 in README.md section 4
	awk -v h="$1" '$0 == h { found = 1 } found && /^```json/ { on = 1; next } on && /^```/ { exit } on { print }' \
		"$AGG_SRC/README.md"
}
ex_update=$(readme_example '### The message (`PUBLISH` and `HSET`)')
ex_pairs=$(readme_example '### The pair matrix (`HSET spread:pairs`)')
[ -n "$ex_update" ] && [ -n "$ex_pairs" ] || tl_fail "README examples not found"
python3 "$AGG_SRC/tests/integration/spread_oracle.py" keys "$ex_update" "$(msg 6)" ||
	tl_fail "README's message example differs from a live message"
python3 "$AGG_SRC/tests/integration/spread_oracle.py" keys "$ex_pairs" "$(tl_redis_cli hget spread:pairs BTC-USDT)" ||
	tl_fail "README's matrix example differs from a live matrix"
[ "$(jq -c . <<<"$ex_update" | wc -c)" -le 401 ] || tl_fail "README's message example is over 400 bytes"

# counters: 9 ticks; spreads computed 2 (okx BTC) + 4 (bybit) + 2 (fresh ETH) + 4 (okx BTC again)
tl_wait_for 5 "ticks read" metric_equals ticks_read_total 9
tl_wait_for 5 "published" metric_equals redis_published_total 6
[ "$(metric spreads_computed_total)" = 12 ] || tl_fail "spreads computed $(metric spreads_computed_total)"
[ "$(metric ticks_lost_total)" = 0 ] && [ "$(metric read_lag_ticks)" = 0 ] || tl_fail "lost/lag"
[ "$(metric redis_dropped_total)" = 0 ] || tl_fail "dropped $(metric redis_dropped_total)"

stop_aggregator
tl_pass

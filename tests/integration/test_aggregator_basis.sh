#!/usr/bin/env bash
# [aggregator] basis: BTC-USDT/BTC-USDT-PERP through the real aggregator
# into a real redis-server. Its messages pair only spot quotes against
# perpetual quotes, both ways, an exchange listing both (okx) having one
# quote in each leg; the best pair is buy spot sell perp, then buy perp
# sell spot; BTC-USDT and BTC-USDT-PERP keep their own spreads.
source "$(dirname "$0")/aggregator_lib.sh"

tl_redis_start
SYMBOLS="BTC-USDT, BTC-USDT-PERP"
EXTRA_CONF=("aggregator.basis=BTC-USDT/BTC-USDT-PERP")
STALE_MS=30000 write_config
tl_spawn sub "$BIN/aggregator_sub" --port "$TL_REDIS_PORT" --count 100 --timeout-ms 60000
tl_wait_for 5 "subscriber ready" grep -q READY "$T/sub.log"
start_feeder
start_aggregator
tl_wait_for 5 "redis up" metric_equals redis_up 1

BASIS=BTC-USDT/BTC-USDT-PERP
count() { grep -c "^spread:$1 " "$T/sub.log" || true; }
have() { [ "$(count "$1")" -ge "$2" ]; }
last() { grep "^spread:$1 " "$T/sub.log" | tail -n 1 | cut -d' ' -f2-; }
check() { # check SYMBOL JQ-EXPRESSION: its last message
	jq -e "$2" <<<"$(last "$1")" >/dev/null || tl_fail "$1: expected $2 in $(last "$1")"
}
near() { printf '(%s) as $x | ($x - %s | fabs) < 1e-5' "$1" "$2"; }

# one spot quote, one perp quote: a basis, and neither leg has a spread
feed quote binance BTC-USDT 100 100.5
feed quote okx BTC-USDT-PERP 102 102.5
tl_wait_for 5 "first basis" have "$BASIS" 1
check "$BASIS" '.symbol == "BTC-USDT/BTC-USDT-PERP" and .pairs == 2 and .buy == "binance" and .sell == "okx"'
check "$BASIS" "$(near .spread_bps "(102 - 100.5) / 100.5 * 1e4")"
[ "$(count BTC-USDT)" = 0 ] && [ "$(count BTC-USDT-PERP)" = 0 ] || tl_fail "a leg alone made a spread"

# okx spot, cheaper: buy spot on okx, sell perp on okx
feed quote okx BTC-USDT 100.1 100.2
tl_wait_for 5 "second basis" have "$BASIS" 2
tl_wait_for 5 "spot spread" have BTC-USDT 1
check "$BASIS" '.pairs == 4 and .buy == "okx" and .sell == "okx"'
check "$BASIS" "$(near .spread_bps "(102 - 100.2) / 100.2 * 1e4")"
check BTC-USDT '.pairs == 2 and .buy == "okx" and .sell == "binance"'
[ "$(count BTC-USDT-PERP)" = 0 ] || tl_fail "the perp has one exchange but a spread"

# a cheap perp on bybit: buy perp on bybit, sell spot on okx (the higher bid)
feed quote bybit BTC-USDT-PERP 97 97.1
tl_wait_for 5 "third basis" have "$BASIS" 3
tl_wait_for 5 "perp spread" have BTC-USDT-PERP 1
check "$BASIS" '.pairs == 8 and .buy == "bybit" and .sell == "okx"'
check "$BASIS" "$(near .spread_bps "(100.1 - 97.1) / 97.1 * 1e4")"
check BTC-USDT-PERP '.pairs == 2 and .buy == "bybit" and .sell == "okx"'
check BTC-USDT '.pairs == 2'

# the latest and the matrix under the basis's name: 2 spot x 2 perp, both ways
latest_is_third() { tl_redis_cli hget spread:latest "$BASIS" | jq -e '.pairs == 8 and .buy == "bybit"' >/dev/null 2>&1; }
tl_wait_for 5 "spread:latest $BASIS" latest_is_third
matrix_of_8() {
	tl_redis_cli hget spread:pairs "$BASIS" |
		jq -e '.pairs | length == 8 and (map(select(.buy == "okx" and .sell == "okx")) | length == 2)' \
			>/dev/null 2>&1
}
tl_wait_for 5 "spread:pairs $BASIS" matrix_of_8

# okx drops: both its legs leave the basis (binance spot against bybit perp)
feed gap okx
tl_wait_for 5 "basis after gap" have "$BASIS" 4
check "$BASIS" '.pairs == 2 and .buy == "bybit" and .sell == "binance"'
check "$BASIS" "$(near .spread_bps "(100 - 97.1) / 97.1 * 1e4")"

stop_feeder
stop_aggregator
tl_pass

#!/usr/bin/env bash
# The gateway's protocol with real processes (aggregator, gateway, scripted
# feeder, WebSocket clients): subscribe with channel, symbol and exchange
# filters, replies, unsubscribe, bad requests answered with an error on a
# connection that survives, spread messages whose data is the JSON object
# Redis got for the same update, and the pairs op: a symbol's latest pair
# matrix at once, the one Redis holds in spread:pairs.
source "$(dirname "$0")/gateway_lib.sh"
source "$GW_SRC/tests/lib/redis.sh"

tl_redis_start
gw_config redis.enabled=true "redis.port=$TL_REDIS_PORT"
start_aggregator
start_gateway
start_feeder

client btc          # spreads of BTC-USDT
client okx          # quotes of okx, any symbol
client all          # everything, then unsubscribes

reply=$(request btc '{"op":"subscribe","channels":["spreads"],"symbols":["BTC-USDT"],"id":1}')
jq -e '.op == "subscribed" and .channels == ["spreads"] and .symbols == 1 and .exchanges == null and .subscriptions == 1' <<<"$reply" >/dev/null ||
	tl_fail "subscribe reply: $reply"
reply=$(request okx '{"op":"subscribe","channels":["quotes"],"exchanges":["okx"],"id":"q"}')
jq -e '.op == "subscribed" and .symbols == null and .exchanges == 1' <<<"$reply" >/dev/null || tl_fail "reply: $reply"
request all '{"op":"subscribe","channels":["spreads","quotes","trades"],"id":2}' >/dev/null

feed quote binance BTC-USDT 100 100.5
feed quote okx BTC-USDT 101 101.5
feed quote okx ETH-USDT 10 10.1
feed quote bybit ETH-USDT 10.2 10.3
feed trades bybit ETH-USDT 3 1000

# filters: btc sees BTC spreads only; okx sees okx quotes of both symbols
tl_wait_for 5 "btc: a spread" lines_at_least 1 btc '.channel == "spreads"'
tl_wait_for 5 "okx: two quotes" lines_at_least 2 okx '.channel == "quotes"'
tl_wait_for 5 "all: 3 trades" lines_at_least 3 all '.channel == "trades"'
tl_wait_for 5 "all: ETH spread" lines_at_least 1 all '.channel == "spreads" and .data.symbol == "ETH-USDT"'
[ "$(lines btc '.channel == "spreads" and .data.symbol != "BTC-USDT"')" = 0 ] || tl_fail "btc got another symbol"
[ "$(lines btc '.channel != "spreads" and .channel != null')" = 0 ] || tl_fail "btc got another channel"
[ "$(lines okx '.channel == "quotes" and .data.exchange != "okx"')" = 0 ] || tl_fail "okx got another exchange"
[ "$(lines okx '.channel == "quotes" and .data.symbol == "ETH-USDT" and .data.bid_px == 10 and .data.ask_px == 10.1 and .data.bid_qty == 1.5 and .data.seq >= 0 and .data.ts_recv_ns > 0')" = 1 ] ||
	tl_fail "okx: the ETH-USDT quote is not as fed: $(cat "$T/okx.log")"
[ "$(lines all '.channel == "trades" and .data.exchange == "bybit" and .data.symbol == "ETH-USDT" and .data.qty == 0.5')" = 3 ] ||
	tl_fail "trades are not as fed"
[ "$(grep '"channel":"trades"' "$T/all.log" | jq -r '.data.trade_id' | tr '\n' ' ')" = "1 2 3 " ] ||
	tl_fail "trades out of order"

# data equals what Redis got for the same update
redis_has_btc() { [ -n "$(tl_redis_cli hget spread:latest BTC-USDT)" ]; }
tl_wait_for 5 "redis: BTC spread" redis_has_btc
redis_json=$(tl_redis_cli hget spread:latest BTC-USDT)
update=$(jq -r .update <<<"$redis_json")
ws_json=$(grep '^{' "$T/btc.log" | jq -c "select(.channel == \"spreads\" and .data.update == $update) | .data" | tail -n 1)
[ -n "$ws_json" ] || tl_fail "no WebSocket message for update $update"
diff <(jq -S 'del(.ts_ns)' <<<"$redis_json") <(jq -S 'del(.ts_ns)' <<<"$ws_json") >"$T/diff.txt" ||
	tl_fail "WebSocket data differs from Redis: $(cat "$T/diff.txt")"

# bad requests: an error each, and the connection keeps working
bad=('not json' '{"op":"subscribe","channels":["nope"],"id":10}' '{"op":"subscribe","id":11}'
	'{"op":"subscribe","channels":["spreads"],"symbols":["NOPE-USDT"],"id":12}' '{"op":"fly","channels":["spreads"],"id":13}'
	'{"op":"subscribe","channels":["fills"],"id":14}' '[1,2,3]' '{"op":"subscribe","channels":["spreads"],"extra":1,"id":15}')
for b in "${bad[@]}"; do send btc "$b"; done
tl_wait_for 5 "8 error replies" lines_at_least 8 btc '.op == "error" and (.error | length) > 0'
[ "$(lines btc '.op == "error" and .id >= 10')" = 6 ] || tl_fail "error replies without their request's id" 
[ "$(lines btc '.op == "error" and .id == 12 and (.error | test("unknown symbol"))')" = 1 ] || tl_fail "no unknown-symbol error"
tl_wait_for 5 "bad requests counted" gw_metric_at_least 8 gateway_bad_requests_total
request btc '{"op":"subscribe","channels":["spreads"],"symbols":["ETH-USDT"],"id":20}' >/dev/null
feed quote okx ETH-USDT 10.05 10.15
tl_wait_for 5 "btc: ETH spread after the bad requests" lines_at_least 1 btc '.channel == "spreads" and .data.symbol == "ETH-USDT"'

# unsubscribe: nothing more on that channel after the reply
reply=$(request all '{"op":"unsubscribe","channels":["spreads","quotes"],"id":3}')
jq -e '.op == "unsubscribed" and .subscriptions == 1' <<<"$reply" >/dev/null || tl_fail "unsubscribe reply: $reply"
before=$(lines all '.channel == "spreads" or .channel == "quotes"')
feed quote binance BTC-USDT 100.1 100.6
feed trades okx BTC-USDT 2 1000
tl_wait_for 5 "all: still gets trades" lines_at_least 5 all '.channel == "trades"'
tl_wait_for 5 "btc: the new spread" lines_at_least 1 btc '.channel == "spreads" and .data.ask == 100.6'
[ "$(lines all '.channel == "spreads" or .channel == "quotes"')" = "$before" ] || tl_fail "all: messages after unsubscribe"

# pairs: a client asking for a symbol's matrix gets the latest at once (no
# new update needed), equal to Redis's spread:pairs, and later ones
client pairs
reply=$(request pairs '{"op":"pairs","symbol":"BTC-USDT","id":40}')
jq -e '.op == "subscribed" and .channels == ["pairs"] and .symbols == 1 and .id == 40' <<<"$reply" >/dev/null ||
	tl_fail "pairs reply: $reply"
tl_wait_for 5 "pairs: the BTC matrix" lines_at_least 1 pairs '.channel == "pairs"'
ws_pairs=$(grep '"channel":"pairs"' "$T/pairs.log" | head -n 1 | jq -c .data)
jq -e '.schema == 2 and .symbol == "BTC-USDT" and (.pairs | length) == 2 and (.pairs | map(.buy) | sort) == ["binance","okx"]' \
	<<<"$ws_pairs" >/dev/null || tl_fail "pairs: $ws_pairs"
# the same pairs once both have the newest matrix (each destination's is
# made at its own time, ts_ns, and one held back by pairs_interval_ms goes
# out later)
ws_latest_pairs() { grep '"channel":"pairs"' "$T/pairs.log" | tail -n 1 | jq -c '.data | del(.ts_ns)'; }
redis_pairs() { [ "$(tl_redis_cli hget spread:pairs BTC-USDT | jq -c 'del(.ts_ns)')" = "$(ws_latest_pairs)" ]; }
tl_wait_for 5 "the gateway's matrix is Redis's" redis_pairs
[ "$(lines pairs '.channel != "pairs" and .channel != null')" = 0 ] || tl_fail "pairs got another channel"
feed quote okx BTC-USDT 101.2 101.6
tl_wait_for 5 "pairs: a newer matrix" lines_at_least 1 pairs '.channel == "pairs" and (.data.pairs[] | select(.sell == "okx") | .bid) == 101.2'
reply=$(request pairs '{"op":"subscribe","channels":["pairs"],"exchanges":["okx"],"id":41}')
jq -e '.op == "error" and (.error | test("exchanges do not apply to pairs"))' <<<"$reply" >/dev/null ||
	tl_fail "pairs with exchanges: $reply"

[ "$(gw_metric gateway_clients)" = 4 ] || tl_fail "gateway_clients $(gw_metric gateway_clients)"
tl_wait_for 5 "messages counted" gw_metric_at_least 10 gateway_messages_sent_total
tl_stop gateway TERM
tl_assert_eq "gateway exit status" 0 "${TL_EXIT[gateway]}"
tl_pass

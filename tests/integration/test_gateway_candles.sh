#!/usr/bin/env bash
# The gateway's candles channel with real processes (aggregator, gateway,
# scripted feeder, WebSocket clients): candle updates from _spreads reach
# only clients whose symbol and exchange filters take them, the open state
# then the closed one in order, with the values the trades make; one exchange's
# clock closes its candles only; a spreads subscriber gets no candle.
source "$(dirname "$0")/gateway_lib.sh"

gw_config redis.enabled=false "candles.intervals=1m" candles.grace_ms=1000 candles.open_publish_ms=0
start_aggregator
start_gateway
start_feeder

client okxbtc  # candles of BTC-USDT on okx
client all     # every candle, and spreads
request okxbtc '{"op":"subscribe","channels":["candles"],"symbols":["BTC-USDT"],"exchanges":["okx"],"id":1}' >/dev/null
reply=$(request all '{"op":"subscribe","channels":["candles","spreads"],"id":2}')
jq -e '.op == "subscribed" and .channels == ["spreads","candles"]' <<<"$reply" >/dev/null || tl_fail "reply: $reply"

T0=1700000100000 # a minute boundary, in ms
feed trade okx BTC-USDT $((T0 + 1000)) 1 100 1 buy
feed trade okx BTC-USDT $((T0 + 2000)) 2 101.5 2 sell
feed trade okx ETH-USDT $((T0 + 3000)) 3 10 1 buy
feed trade binance BTC-USDT $((T0 + 4000)) 4 99 1 buy
feed trade okx BTC-USDT $((T0 + 61000)) 5 102 1 buy # okx's clock passes end + grace: minute 0 closes

closed='.channel == "candles" and .data.closed == true'
tl_wait_for 5 "okxbtc: the closed candle" lines_at_least 1 okxbtc "$closed"
# okx's clock closes ETH-USDT too, at the next sweep; binance's stays open
tl_wait_for 5 "all: the closed ETH-USDT candle" lines_at_least 1 all "$closed"' and .data.symbol == "ETH-USDT"'
[ "$(lines okxbtc '.channel == "candles" and (.data.exchange != "okx" or .data.symbol != "BTC-USDT")')" = 0 ] ||
	tl_fail "okxbtc got another exchange or symbol"
[ "$(lines all "$closed"' and .data.symbol == "ETH-USDT" and .data.exchange == "okx" and .data.trades == 1')" = 1 ] ||
	tl_fail "all: no closed ETH-USDT candle"
[ "$(lines all '.channel == "candles" and .data.exchange == "binance" and .data.closed == false')" = 1 ] ||
	tl_fail "all: binance's candle not just open"
[ "$(lines all '.channel == "spreads" and .data.interval != null')" = 0 ] || tl_fail "a candle on the spreads channel"
# okx BTC-USDT: minute 0 open (after trade 1 and 2, or only the latter when
# the aggregator read both in one turn: latest wins), minute 0 closed, then
# minute 1 open; never an open state of a candle after it closed
seq=$(grep '^{' "$T/okxbtc.log" | jq -r 'select(.channel == "candles") | "\(.data.start_ms):\(.data.trades):\(.data.closed)"' | tr '\n' ' ')
[[ $seq =~ ^($T0:1:false\ )?$T0:2:false\ $T0:2:true\ $((T0 + 60000)):1:false\ $ ]] ||
	tl_fail "okxbtc candle updates out of order: $seq"
[ "$(lines okxbtc "$closed"' and .data.key == "okx:BTC-USDT:1m:'$T0':0" and .data.open == 100 and .data.high == 101.5 and .data.low == 100 and .data.close == 101.5 and .data.volume == 3 and .data.quote_volume == 303 and .data.buy_volume == 1 and .data.vwap == 101 and .data.first_trade_id == "1" and .data.last_trade_id == "2" and .data.end_ms == '$((T0 + 60000)))" = 1 ] ||
	tl_fail "closed candle not as the trades make it: $(grep closed.:true "$T/okxbtc.log")"
tl_pass

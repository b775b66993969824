#!/usr/bin/env bash
# Candles from trades fed with chosen exchange times, on a real aggregator
# and redis-server: the closed candle's XADD candles entry against values
# worked out here from the fed trades (out of order, on a boundary, late
# within grace, then late after the close: a revision); the open candle's
# PUBLISH; a Redis outage during which candles close, delivered in order
# once Redis is back; a longer one that overflows the backlog: drops counted
# and their range logged.
source "$(dirname "$0")/aggregator_lib.sh"

tl_redis_start
EXTRA_CONF=("candles.intervals=1m, 5m" candles.grace_ms=2000 candles.open_publish_ms=0 candles.backlog=100)
write_config
start_feeder
start_aggregator
tl_wait_for 5 "redis up" metric_equals redis_up 1
tl_spawn sub "$BIN/aggregator_sub" --port "$TL_REDIS_PORT" --pattern 'candle:*' --timeout-ms 60000 --count 1000000
tl_wait_for 5 "subscriber ready" grep -q READY "$T/sub.log"

T0=1700000100000 # a 5-minute boundary, in ms
m() { echo $((T0 + $1)); }
trade() { feed trade binance BTC-USDT "$(m "$1")" "$2" "$3" "$4" "$5"; }

# entry N (0-based) of the candles stream as name=value lines
entry() { tl_redis_cli xrange candles - + | awk -v n="$1" 'NR > n * 41 + 1 && NR <= (n + 1) * 41' | paste -d= - -; }
entry_field() { entry "$1" | awk -F= -v k="$2" '$1 == k { sub(/^[^=]*=/, ""); print }'; }
xlen() { tl_redis_cli xlen candles; }
# expect N name=value...: entry N has these values
expect() {
	local n=$1 kv got
	shift
	for kv in "$@"; do
		got=$(entry_field "$n" "${kv%%=*}")
		tl_assert_eq "candle $n ${kv%%=*}" "${kv#*=}" "$got"
	done
}

# --- minute 0 ---
trade 1000 1 100 1 buy
trade 30000 2 105 2 sell
trade 20000 3 95 1 buy      # out of order, still minute 0
trade 59999 4 101 0.5 sell  # its last millisecond
trade 60000 5 102 1 buy     # the boundary: minute 1
trade 10000 6 99 1 sell     # late, but minute 0 is within its grace
[ "$(xlen)" = 0 ] || tl_fail "a candle closed before end + grace"
trade 62000 7 103 1 buy     # the exchange clock passes end + grace: minute 0 closes
tl_wait_for 5 "minute 0 closed" tl_at_least 1 xlen
expect 0 "key=binance:BTC-USDT:1m:$T0:0" exchange=binance symbol=BTC-USDT interval=1m "start_ms=$T0" \
	"end_ms=$(m 60000)" open=100 high=105 low=95 close=101 volume=5.5 quote_volume=554.5 buy_volume=2 \
	trades=5 first_trade_id=1 last_trade_id=4 gaps=0 revision=0 closed=true
python3 -c "import sys; sys.exit(float('$(entry_field 0 vwap)') != 554.5 / 5.5)" || tl_fail "vwap $(entry_field 0 vwap)"

# --- a trade after the close: revision 1, same key but the revision ---
trade 45000 8 90 1 sell
tl_wait_for 5 "revision" tl_at_least 2 xlen
expect 1 "key=binance:BTC-USDT:1m:$T0:1" open=100 high=105 low=90 close=101 volume=6.5 quote_volume=644.5 \
	trades=6 last_trade_id=4 revision=1

# --- the open candle, PUBLISH candle:binance:BTC-USDT ---
open_seen() {
	grep -F "candle:binance:BTC-USDT " "$T/sub.log" | grep -F "\"interval\":\"1m\",\"start_ms\":$(m 60000)," |
		grep -F '"trades":2,' | grep -qF '"closed":false'
}
tl_wait_for 5 "open candle published" open_seen

# --- Redis away while four 1m candles and the 5m one close ---
tl_redis_stop
tl_wait_for 5 "redis down noticed" metric_equals redis_up 0
trade 125000 9 104 1 buy
trade 185000 10 105 1 buy
trade 245000 11 106 1 buy
trade 302000 12 107 1 buy
tl_wait_for 5 "five candles held" metric_equals candles_backlog 5
tl_redis_start
tl_wait_for 10 "backlog delivered" tl_at_least 5 xlen
tl_wait_for 5 "backlog empty" metric_equals candles_backlog 0
[ "$(xlen)" = 5 ] || tl_fail "$(xlen) entries after the outage, expected 5"
keys=$(for i in 0 1 2 3 4; do entry_field $i key; done | tr '\n' ' ')
tl_assert_eq "order after the outage" \
	"binance:BTC-USDT:1m:$(m 60000):0 binance:BTC-USDT:1m:$(m 120000):0 binance:BTC-USDT:1m:$(m 180000):0 binance:BTC-USDT:1m:$(m 240000):0 binance:BTC-USDT:5m:$T0:0 " \
	"$keys"
expect 0 trades=2 open=102 close=103 first_trade_id=5 last_trade_id=7
expect 4 trades=11 open=100 high=106 low=90 close=106 first_trade_id=1 last_trade_id=11 volume=11.5
[ "$(metric candles_dropped_total)" = 0 ] || tl_fail "candles dropped"

# --- a longer outage than the backlog (100) holds: 105 1m and 21 5m candles
# close, the first 100 wait, 26 are dropped and counted, the range logged ---
tl_redis_stop
tl_wait_for 5 "redis down noticed" metric_equals redis_up 0
for m in $(seq 6 110); do
	trade $((m * 60000 + 3000)) $((m + 7)) 100 1 buy # closes minute m - 1
done
tl_wait_for 5 "backlog full" metric_equals candles_backlog 100
tl_wait_for 5 "drops counted" metric_equals candles_dropped_total 26
grep -q "candle backlog full (\[candles\] backlog = 100, Redis away): dropping closed candles from binance:BTC-USDT:" \
	"$AGG_LOG" || tl_fail "the first drop not logged"
tl_redis_start
tl_wait_for 10 "the 100 delivered" tl_at_least 100 xlen
tl_wait_for 5 "backlog empty again" metric_equals candles_backlog 0
[ "$(xlen)" = 100 ] || tl_fail "$(xlen) entries after the long outage, expected 100"
[ "$(entry_field 0 key)" = "binance:BTC-USDT:1m:$(m 300000):0" ] || tl_fail "first after the long outage: $(entry_field 0 key)"
trade $((111 * 60000 + 3000)) 118 100 1 buy
tl_wait_for 5 "the drop range logged" grep -q "closed candles were dropped, from binance:BTC-USDT:" "$AGG_LOG"
grep "closed candles were dropped" "$AGG_LOG" >&2

stop_aggregator
tl_pass

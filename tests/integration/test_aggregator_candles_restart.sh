#!/usr/bin/env bash
# Candles across aggregator SIGKILLs: the restarted aggregator rebuilds its
# open candles from the ring (a candle with trades from before and after a
# kill closes with all of them), and a closed candle killed in the backlog
# while Redis was down still reaches Redis; candles sent again after a
# restart are identical repeats (same key, same values), none is missing.
source "$(dirname "$0")/aggregator_lib.sh"

tl_redis_start
EXTRA_CONF=("candles.intervals=1m" candles.grace_ms=2000 candles.open_publish_ms=0)
write_config
start_feeder
start_aggregator
tl_wait_for 5 "redis up" metric_equals redis_up 1

T0=1700000100000
m() { echo $((T0 + $1)); }
trade() { feed trade binance BTC-USDT "$(m "$1")" "$2" "$3" "$4" "$5"; }
xlen() { tl_redis_cli xlen candles; }
kill_aggregator() {
	tl_stop aggregator KILL
	tl_assert_eq "aggregator killed" 137 "${TL_EXIT[aggregator]}"
}
read_three() { [ "$(metric ticks_read_total)" -ge 3 ]; }

# --- minute 0: three trades read, the aggregator killed, two more, restart ---
trade 1000 1 100 1 buy
trade 2000 2 104 1 sell
trade 3000 3 98 1 buy
tl_wait_for 5 "three trades read" read_three
kill_aggregator
trade 4000 4 101 2 sell
trade 59000 5 102 1 buy
start_aggregator
tl_wait_for 5 "redis up after restart" metric_equals redis_up 1
tl_wait_for 5 "rebuilt from the ring" grep -q "candles of binance rebuilt from 3 ticks" "$AGG_LOG"
trade 62000 6 103 1 buy # closes minute 0
tl_wait_for 5 "minute 0 closed" tl_at_least 1 xlen

# --- minute 1 closes while Redis is down; killed with it in the backlog ---
tl_redis_stop
tl_wait_for 5 "redis down noticed" metric_equals redis_up 0
trade 125000 7 105 1 buy # closes minute 1
tl_wait_for 5 "minute 1 in the backlog" metric_equals candles_backlog 1
kill_aggregator
tl_redis_start
start_aggregator
tl_wait_for 10 "minute 1 delivered after the restart" \
	eval '[ "$(tl_redis_cli xrange candles - + | grep -c "^binance:BTC-USDT:1m:$(m 60000):0$")" -ge 1 ]'
# and once more, for repeats of both
kill_aggregator
start_aggregator
tl_wait_for 5 "redis up" metric_equals redis_up 1
tl_wait_for 5 "backlog sent" metric_equals candles_backlog 0

# every entry as one line of its fields; repeats must be identical
tl_redis_cli xrange candles - + | awk '(NR - 1) % 41 == 0 { if (line != "") print line; line = ""; next }
	(NR - 1) % 41 % 2 == 1 { name = $0; next } { line = line " " name "=" $0 } END { if (line != "") print line }' >"$T/entries.txt"
cat "$T/entries.txt" >&2
keys=$(grep -o 'key=[^ ]*' "$T/entries.txt" | sort -u | tr '\n' ' ')
tl_assert_eq "candles on Redis" "key=binance:BTC-USDT:1m:$(m 0):0 key=binance:BTC-USDT:1m:$(m 60000):0 " "$keys"
[ "$(sort -u "$T/entries.txt" | wc -l)" = 2 ] || tl_fail "a repeat that differs: $(sort -u "$T/entries.txt")"
grep -q "key=binance:BTC-USDT:1m:$(m 0):0 .* open=100 high=104 low=98 close=102 volume=6 quote_volume=606 buy_volume=3 .* trades=5 first_trade_id=1 last_trade_id=5 gaps=0 revision=0" \
	"$T/entries.txt" || tl_fail "minute 0 is not all five trades"
grep -q "key=binance:BTC-USDT:1m:$(m 60000):0 .* trades=1 first_trade_id=6 last_trade_id=6 gaps=0" "$T/entries.txt" ||
	tl_fail "minute 1 not as fed"
stop_aggregator
tl_pass

#!/usr/bin/env bash
# The aggregator takes symbols at run time, same pid: a symbol registered
# after its start (the config lists it by then) gets spreads, candles and
# alerts at its first ticks, before any signal; a symbol removed by SIGHUP gets no
# spread message any more, even for ticks still arriving; past the window
# memory cap new symbols are refused, counted and logged, and the rest go
# on.
source "$(dirname "$0")/aggregator_lib.sh"
source "$AGG_SRC/tests/integration/live_symbols_lib.sh"

# the cap is read at start only: 1 MB, which holds about 900 symbols' tables
EXTRA_CONF=(aggregator.max_window_memory_mb=1 candles.enabled=true candles.open_publish_ms=0
	alert.wide.min_net_bps=10)
STALE_MS=600000 # no quote goes stale during the test: every update is one the test makes
tl_redis_start
SYMBOLS="BTC-USDT" write_config
start_feeder
start_aggregator
for what in candle alert; do
	tl_spawn "$what" "$BIN/aggregator_sub" --port "$TL_REDIS_PORT" --pattern "$what:*" --timeout-ms 60000 --count 1000000
	tl_wait_for 5 "$what subscriber ready" grep -q READY "$T/$what.log"
done
latest() { tl_redis_cli HGET spread:latest "$1"; }
has_latest() { [ -n "$(latest "$1")" ]; }
feed quote binance BTC-USDT 100.0 100.5
feed quote okx BTC-USDT 100.2 100.6
tl_wait_for 5 "BTC-USDT in spread:latest" has_latest BTC-USDT
tl_assert_eq "symbols listed at start" 1 "$(metric aggregator_symbols)"

# a new symbol: the config lists it and the registry has it (as the
# supervisor does it before it signals anyone); its ticks come first
SYMBOLS="BTC-USDT, ETH-USDT" write_config
feed quote binance ETH-USDT 10.0 10.5
feed quote okx ETH-USDT 10.2 10.6
tl_wait_for 5 "ETH-USDT in spread:latest" has_latest ETH-USDT
grep -q "aggregator: a tick of a newly registered symbol: 2 symbols" "$AGG_LOG" ||
	tl_fail "no listing on the new symbol's tick: $(grep 'aggregator: ' "$AGG_LOG" | tail -n 3)"
tl_assert_eq "aggregator pid" "$AGG_PID" "$(field .pid)"
tl_assert_eq "symbols listed" 2 "$(metric aggregator_symbols)"
latest ETH-USDT | jq -e '.symbol == "ETH-USDT"' >/dev/null || tl_fail "ETH-USDT spread: $(latest ETH-USDT)"
feed trade okx ETH-USDT "$(($(date +%s) * 1000))" 1 10.4 2 buy
tl_wait_for 5 "ETH-USDT's open candle published" grep -q '^candle:okx:ETH-USDT .*"trades":1' "$T/candle.log"
# buy on binance at 10.5, sell on okx at 11.0: about 470 bps, over the rule's 10
feed quote okx ETH-USDT 11.0 11.1
tl_wait_for 5 "ETH-USDT's alert opened" grep -q '^alert:ETH-USDT .*"event":"open"' "$T/alert.log"

# BTC-USDT removed by SIGHUP: its late ticks make no message
SYMBOLS="ETH-USDT" write_config
kill -HUP "$AGG_PID"
tl_wait_for 5 "the listing after SIGHUP" grep -q "aggregator: symbols changed (SIGHUP): 1 symbols" "$AGG_LOG"
btc_before=$(latest BTC-USDT)
read_before=$(metric ticks_read_total)
# one update for BTC-USDT and two for ETH-USDT so far (counted in the
# status block every 100 ms)
tl_wait_for 5 "the three updates counted" metric_equals spreads_ring_written_total 3
feed quote binance BTC-USDT 101.0 101.5
feed quote okx BTC-USDT 101.2 101.6
feed quote okx ETH-USDT 10.3 10.7
tl_wait_for 5 "the three ticks read" metric_equals ticks_read_total $((read_before + 3))
tl_wait_for 5 "ETH-USDT's update" metric_equals spreads_ring_written_total 4
tl_holds 0.5 "no update for BTC-USDT's ticks" metric_equals spreads_ring_written_total 4
tl_assert_eq "BTC-USDT's last spread after its removal" "$btc_before" "$(latest BTC-USDT)"
tl_assert_eq "aggregator pid after SIGHUP" "$AGG_PID" "$(field .pid)"

# 1023 more symbols on all three exchanges: some refused
SYMBOLS=$({ sym_range 1 1023 | sed 's/^S/M/'; echo ETH-USDT; } | sym_list) write_config
kill -HUP "$AGG_PID"
tl_wait_for 5 "refusals counted" tl_at_least 1 metric aggregator_symbols_refused
grep -q "new (symbol, exchange) listings refused: the window memory cap" "$AGG_LOG" || tl_fail "refusal not logged"
tl_assert_ge "window memory cap over its use" "$(metric window_memory_bytes)" "$(metric window_memory_max_bytes)"
feed quote binance M1-USDT 5.0 5.5
feed quote okx M1-USDT 5.2 5.6
tl_wait_for 5 "M1-USDT in spread:latest" has_latest M1-USDT
agg_alive || tl_fail "aggregator not alive"
stop_feeder
stop_aggregator
tl_pass "$(metric aggregator_symbols) symbols listed, $(metric aggregator_symbols_refused) listings refused at the cap"

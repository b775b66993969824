#!/usr/bin/env bash
# The aggregator's windows stay within [aggregator] max_window_memory_mb: a
# cap that holds three windows makes three, refuses the other pairs' samples
# and counts them, reports its use and cap in the status block (what /health
# and /metrics show), logs the refusal, and keeps publishing.
source "$(dirname "$0")/aggregator_lib.sh"

# 7000 buckets of 40 B: a window takes about 281 KB, so 1 MB holds three.
tl_write_config "$CONF" "$INSTANCE" writer.enabled=false \
	aggregator.window_s=60 aggregator.window_buckets=7000 aggregator.max_window_memory_mb=1 \
	"exchange.binance.symbols=BTC-USDT, ETH-USDT" "exchange.okx.symbols=BTC-USDT, ETH-USDT" \
	"exchange.bybit.symbols=BTC-USDT, ETH-USDT"
tl_bus_create "$CONF"
start_feeder
start_aggregator
tl_wait_for 5 "window cap reported" tl_at_least 1 metric window_memory_max_bytes
max=$(metric window_memory_max_bytes)
# the pool and the per-pair pointer table together
tl_assert_eq "window memory cap" 1048576 "$max"

# 12 ordered pairs get samples; every quote after the first two makes some
for round in 1 2 3; do
	for sym in BTC-USDT ETH-USDT; do
		feed quote binance $sym 100.$round 100.5
		feed quote okx $sym 100.2 100.6
		feed quote bybit $sym 100.1 100.$((round + 6))
	done
done
tl_wait_for 5 "refusals counted" tl_at_least 1 metric window_refused_total
tl_wait_for 5 "all ticks read" metric_equals ticks_read_total 18
used=$(metric window_memory_bytes)
tl_assert_ge "window memory used" 600000 "$used"
tl_assert_ge "window memory cap over its use" "$used" "$max"
# three windows made, nine pairs refused: used stays at three windows
tl_assert_ge "four windows over the memory used" "$used" $((4 * 281000))
tl_wait_for 5 "cap logged" grep -q "window memory cap reached" "$AGG_LOG"
agg_alive || tl_fail "aggregator not alive"
stop_feeder
stop_aggregator
tl_pass

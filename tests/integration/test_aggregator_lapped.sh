#!/usr/bin/env bash
# A lapped aggregator (frozen while a small ring wrapped) counts exactly the
# ticks it lost, forgets that exchange's quotes (no spread from a price that
# may have moved unseen), and catches up to the head.
source "$(dirname "$0")/aggregator_lib.sh"

tl_redis_start
RING_CAPACITY=1024 STALE_MS=60000 write_config
start_feeder
start_aggregator
tl_wait_for 5 "redis up" metric_equals redis_up 1

feed quote binance ETH-USDT 10 10.1
feed quote okx ETH-USDT 10.2 10.3
latest_valid() { tl_redis_cli hget spread:latest "$1" | jq -e "(.pairs > 0) == $2" >/dev/null; }
tl_wait_for 5 "ETH spread" latest_valid ETH-USDT true

kill -STOP "$AGG_PID"
feed stream binance BTC-USDT 20000 0.2 # 4000 ticks into a 1024-tick ring
kill -CONT "$AGG_PID"
total=$(feeder_published)
tl_wait_for 5 "caught up" metric_equals read_lag_ticks 0
lost=$(metric ticks_lost_total)
read=$(metric ticks_read_total)
tl_assert_ge "ticks lost" 2000 "$lost"
tl_assert_eq "read + lost" "$total" "$((read + lost))"
tl_wait_for 5 "ETH invalidated" latest_valid ETH-USDT false
agg_alive || tl_fail "aggregator not alive"
stop_aggregator
tl_pass

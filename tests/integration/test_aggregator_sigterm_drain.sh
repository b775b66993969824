#!/usr/bin/env bash
# SIGTERM: the aggregator reads every ring to its head, flushes the latest
# spreads to Redis, commits its cursors and exits 0; a restarted aggregator
# resumes from the committed cursor.
source "$(dirname "$0")/aggregator_lib.sh"

tl_redis_start
write_config
start_feeder
start_aggregator
tl_wait_for 5 "redis up" metric_equals redis_up 1

# Frozen: ticks pile up in the rings.
kill -STOP "$AGG_PID"
feed stream binance,okx,bybit BTC-USDT,ETH-USDT 20000 0.5
feed quote binance BTC-USDT 200 200.5
feed quote okx BTC-USDT 201 201.5
feed quote bybit BTC-USDT 200.1 200.6
total=$(feeder_published)
[ "$total" -ge 9000 ] || tl_fail "feeder published only $total"
kill -TERM "$AGG_PID"
kill -CONT "$AGG_PID"
start=$(date +%s%N)
tl_stop aggregator # already stopping: waits for the exit
ms=$((($(date +%s%N) - start) / 1000000))
tl_assert_eq "exit status" 0 "${TL_EXIT[aggregator]}"
[ $ms -lt 3000 ] || tl_fail "stop took $ms ms"
[ "$(metric ticks_read_total)" = "$total" ] || tl_fail "read $(metric ticks_read_total) of $total ticks"
[ "$(metric read_lag_ticks)" = 0 ] || tl_fail "lag $(metric read_lag_ticks) at exit"
[ "$(field .state)" = exited ] || tl_fail "state $(field .state)"
tl_redis_cli hget spread:latest BTC-USDT | jq -e '.buy == "binance" and .sell == "okx" and .ask == 200.5 and .bid == 201' >/dev/null ||
	tl_fail "last BTC spread not flushed: $(tl_redis_cli hget spread:latest BTC-USDT)"

# A new aggregator resumes after the committed cursor: nothing read twice.
feed quote bybit BTC-USDT 200.2 200.3
start_aggregator
tl_wait_for 5 "resumed" metric_equals ticks_read_total 1
stop_aggregator
tl_pass

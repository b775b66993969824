#!/usr/bin/env bash
# [redis] stream_maxlen: XADD spreads trims the stream to about N entries
# (Redis trims whole nodes of up to 100 entries, so "about" means within a
# node); 0 keeps every update. Each run streams 10,000 ticks through a
# fresh bus into the same Redis and compares the stream with the updates
# the aggregator published (one XADD each).
source "$(dirname "$0")/aggregator_lib.sh"

xlen_is() { [ "$(tl_redis_cli xlen spreads)" = "$1" ]; }

# run_with MAXLEN: sets $published to the updates the aggregator published.
run_with() {
	tl_redis_cli del spreads >/dev/null
	STREAM_MAXLEN=$1 write_config
	start_feeder
	start_aggregator
	tl_wait_for 5 "redis up" metric_equals redis_up 1
	feed stream binance,okx,bybit BTC-USDT,ETH-USDT 20000 0.5
	tl_wait_for 10 "aggregator caught up" metric_equals read_lag_ticks 0
	stop_aggregator
	stop_feeder
	published=$(metric redis_published_total)
	tl_assert_eq "dropped updates" 0 "$(metric redis_dropped_total)"
	tl_bus_unlink "$CONF"
}

tl_redis_start

run_with 0
[ "$published" -ge 500 ] || tl_fail "only $published updates published: too few to tell trimming apart"
tl_wait_for 5 "every one of $published updates in the stream (stream_maxlen = 0)" xlen_is "$published"

run_with 10
[ "$published" -ge 500 ] || tl_fail "only $published updates published: too few to tell trimming apart"
len=$(tl_redis_cli xlen spreads)
[ "$len" -ge 10 ] && [ "$len" -le 110 ] || tl_fail "stream_maxlen = 10: $len entries of $published updates"
tl_log "stream_maxlen = 0: all $published entries kept; stream_maxlen = 10: $len kept"
tl_pass

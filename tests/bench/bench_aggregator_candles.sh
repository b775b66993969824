#!/usr/bin/env bash
# BENCH candles_ticks_per_s: ticks/s the aggregator reads (and turns into
# spreads, candles and Redis commands) with candles on 4 intervals (1m, 5m,
# 15m, 1h), 3 exchanges x 200 symbols, half quotes and half trades; BENCH
# candles_off_ticks_per_s: the same run with [candles] enabled = false. Each
# run: the aggregator is stopped (SIGSTOP) while the feeder fills the rings
# with 1.2M ticks, then continued; the time until it has read them all.
# Real aggregator and redis-server.
SRC=${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$SRC/tests/integration/aggregator_lib.sh"

N=1200000
syms=$(for i in $(seq 200); do printf 'S%03d-USDT,' "$i"; done)
syms=${syms%,}
conf_syms=$(tr ',' '\n' <<<"$syms" | paste -sd',,,,,,,,,\n' | sed 's/,/, /g; 2,$s/^/  /; $!s/$/,/')
tl_redis_start

# run ENABLED -> ticks/s
run() {
	INSTANCE=$(tl_instance "cb$1")
	EXTRA_CONF=("candles.enabled=$1" "candles.intervals=1m, 5m, 15m, 1h")
	SYMBOLS=$conf_syms RING_CAPACITY=1048576 write_config
	start_feeder
	start_aggregator
	tl_wait_for 5 "redis up" metric_equals redis_up 1
	kill -STOP "$AGG_PID"
	feed mixed binance,okx,bybit "$syms" "$N"
	local t0 t1
	t0=$(date +%s%N)
	kill -CONT "$AGG_PID"
	tl_wait_for 120 "all ticks read" tl_at_least "$N" metric ticks_read_total
	t1=$(date +%s%N)
	echo "candles.enabled=$1: $N ticks in $(((t1 - t0) / 1000000)) ms, closed candles $(metric candles_closed_total)," \
		"spreads written $(metric spreads_ring_written_total), load $(cut -d' ' -f1 /proc/loadavg)" >&2
	stop_aggregator
	stop_feeder
	tl_bus_unlink "$CONF"
	echo $((N * 1000000000 / (t1 - t0)))
}

on=$(run true)
off=$(run false)
echo "BENCH candles_ticks_per_s $on ticks/s"
echo "BENCH candles_off_ticks_per_s $off ticks/s"

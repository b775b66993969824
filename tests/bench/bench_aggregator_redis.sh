#!/usr/bin/env bash
# BENCH redis_publish_ratio: spread updates/s the aggregator gets into a local
# redis-server, over redis-benchmark's PUBLISH rate (-P 16) with a payload of
# the same size, same run. BENCH tick_to_subscriber_*: from a tick entering
# a ring to a PSUBSCRIBE client receiving the spread, at 10k and 100k ticks/s.
# 3 exchanges x 50 symbols, real processes throughout.
SRC=${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$SRC/tests/integration/aggregator_lib.sh"

syms=$(for i in $(seq 50); do printf 'S%02d-USDT,' "$i"; done)
syms=${syms%,}
# the config wants long symbol lists on indented continuation lines
conf_syms=$(tr ',' '\n' <<<"$syms" | paste -sd',,,,,,,,,\n' | sed 's/,/, /g; 2,$s/^/  /; $!s/$/,/')
start_redis
SYMBOLS=$conf_syms RING_CAPACITY=1048576 write_config
start_feeder
start_aggregator
wait_until 5 "redis up" metric_equals redis_up 1

# latency RATE SECONDS -> "p50 p99" in microseconds
latency() {
	local rate=$1 secs=$2
	"$BIN/aggregator_sub" --port "$REDIS_PORT" --latency --skip 200 --count 100000000 \
		--timeout-ms $((secs * 1000 + 500)) >"$T/lat.out" 2>&1 &
	local sub=$!
	wait_until 5 "subscriber ready" grep -q READY "$T/lat.out"
	echo "stream binance,okx,bybit $syms $rate $secs" >&3
	wait "$sub" || true
	local line
	line=$(grep '^LATENCY' "$T/lat.out") || fail "no latency result: $(cat "$T/lat.out")"
	echo "latency at $rate/s: $line (count p50_us p99_us)" >&2
	awk '{print $3, $4}' <<<"$line"
}

read -r p50_10k p99_10k < <(latency 10000 3)
read -r p50_100k p99_100k < <(latency 100000 3)
wait_until 10 "feeder idle" bash -c "[ \$(wc -l <'$T/feed.out') -ge 2 ]"

# The aggregator's publish rate with the input well above what Redis takes
# (conflation keeps one update per symbol waiting).
echo "stream binance,okx,bybit $syms 150000 5" >&3
sleep 1.5
p0=$(metric redis_published_total)
t0=$(date +%s%N)
sleep 2.5
p1=$(metric redis_published_total)
t1=$(date +%s%N)
agg_rate=$(awk -v p="$((p1 - p0))" -v ns="$((t1 - t0))" 'BEGIN { printf "%.0f", p / (ns / 1e9) }')
wait_until 10 "feeder idle" bash -c "[ \$(wc -l <'$T/feed.out') -ge 3 ]"
payload=$(rcli hget spread:latest S01-USDT)
size=${#payload}
[ "$size" -gt 100 ] || fail "no payload in spread:latest"
lag_max=$(metric read_lag_ticks)

bench_rate=$(redis-benchmark -p "$REDIS_PORT" -P 16 -n 200000 -q PUBLISH spread:X "$payload" 2>/dev/null |
	tr '\r' '\n' | grep -o '[0-9.]* requests per second' | tail -n 1 | awk '{print $1}')
[ -n "$bench_rate" ] || fail "redis-benchmark gave no figure"
ratio=$(awk -v a="$agg_rate" -v b="$bench_rate" 'BEGIN { printf "%.3f", a / b }')
echo "aggregator: $agg_rate updates/s (each PUBLISH + XADD + HSET, $size-byte JSON); redis-benchmark PUBLISH: $bench_rate/s; lag now $lag_max" >&2

echo "BENCH redis_publish_ratio $ratio ratio"
echo "BENCH redis_aggregator_updates_per_s $agg_rate updates/s"
echo "BENCH redis_benchmark_publish_per_s $bench_rate requests/s"
echo "BENCH redis_payload_bytes $size bytes"
echo "BENCH tick_to_subscriber_p50_us $p50_10k us"
echo "BENCH tick_to_subscriber_p99_us $p99_10k us"
echo "BENCH tick_to_subscriber_p50_us_at_10k $p50_10k us"
echo "BENCH tick_to_subscriber_p99_us_at_10k $p99_10k us"
echo "BENCH tick_to_subscriber_p50_us_at_100k $p50_100k us"
echo "BENCH tick_to_subscriber_p99_us_at_100k $p99_100k us"

#!/usr/bin/env bash
# BENCH redis_publish_ratio: spread updates/s the aggregator gets into a local
# redis-server, over what redis-benchmark (-P 16) gets through for the same
# commands (PUBLISH, XADD, HSET with the aggregator's own payload and fields),
# same run; also against PUBLISH alone. BENCH tick_to_subscriber_*: from a tick entering
# a ring to a PSUBSCRIBE client receiving the spread, at 10k and 100k ticks/s.
# BENCH redis_bytes_per_update: what Redis reads per spread update (every
# command of it, the matrix's HSET spread:pairs included), over the
# throughput run; spread_message_bytes and spread_pairs_bytes: one update's
# message and one matrix. 3 exchanges, real processes throughout.
SRC=${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$SRC/tests/integration/aggregator_lib.sh"

# 500 symbols configured; the latency runs quote the first 50, the
# throughput run all 500 (with 50, conflation caps updates per loop turn)
all_syms=$(for i in $(seq 500); do printf 'S%03d-USDT,' "$i"; done)
all_syms=${all_syms%,}
syms=$(cut -d, -f1-50 <<<"$all_syms")
# the config wants long symbol lists on indented continuation lines
conf_syms=$(tr ',' '\n' <<<"$all_syms" | paste -sd',,,,,,,,,\n' | sed 's/,/, /g; 2,$s/^/  /; $!s/$/,/')
tl_redis_start
# PUBLISH_INTERVAL_MS: [aggregator] publish_interval_ms (default 0)
EXTRA_CONF=("aggregator.publish_interval_ms=${PUBLISH_INTERVAL_MS:-0}")
SYMBOLS=$conf_syms RING_CAPACITY=1048576 MAX_PENDING=${MAX_PENDING:-10000} write_config
start_feeder
start_aggregator
tl_wait_for 5 "redis up" metric_equals redis_up 1

# latency RATE SECONDS -> "p50 p99 p99.9" in microseconds
latency() {
	local rate=$1 secs=$2
	"$BIN/aggregator_sub" --port "$TL_REDIS_PORT" --latency --skip 200 --count 100000000 \
		--timeout-ms $((secs * 1000 + 500)) >"$T/lat.out" 2>&1 &
	local sub=$!
	tl_wait_for 5 "subscriber ready" grep -q READY "$T/lat.out"
	echo "stream binance,okx,bybit $syms $rate $secs" >&3
	wait "$sub" || true
	local line
	line=$(grep '^LATENCY' "$T/lat.out") || tl_fail "no latency result: $(cat "$T/lat.out")"
	echo "latency at $rate/s: $line (count p50_us p99_us p99.9_us)" >&2
	awk '{print $3, $4, $5}' <<<"$line"
}

read -r p50_10k p99_10k p999_10k < <(latency 10000 3)
read -r p50_100k p99_100k p999_100k < <(latency 100000 3)
tl_wait_for 10 "feeder idle" tl_at_least 2 feeder_acks

# The aggregator's publish rate with the input well above what Redis takes
# (conflation keeps one update per symbol waiting).
echo "stream binance,okx,bybit $all_syms 150000 5" >&3
redis_input_bytes() { tl_redis_cli info stats | tr -d '\r' | awk -F: '$1 == "total_net_input_bytes" { print $2 }'; }
sleep 1.5
p0=$(metric redis_published_total)
b0=$(redis_input_bytes)
t0=$(date +%s%N)
sleep 2.5
p1=$(metric redis_published_total)
b1=$(redis_input_bytes)
t1=$(date +%s%N)
bytes_per_update=$(awk -v b="$((b1 - b0))" -v p="$((p1 - p0))" 'BEGIN { printf "%.0f", b / p }')
agg_rate=$(awk -v p="$((p1 - p0))" -v ns="$((t1 - t0))" 'BEGIN { printf "%.0f", p / (ns / 1e9) }')
tl_wait_for 10 "feeder idle" tl_at_least 3 feeder_acks
payload=$(tl_redis_cli hget spread:latest S001-USDT)
size=${#payload}
[ "$size" -gt 100 ] || tl_fail "no payload in spread:latest"
# the matrix (absent before schema 2: 0)
pairs_size=$(tl_redis_cli hget spread:pairs S001-USDT | tr -d '\n' | wc -c)

# redis-benchmark's rate for one command, -P 16, default 50 clients
rb() {
	redis-benchmark -p "$TL_REDIS_PORT" -P 16 -n 200000 -q "$@" 2>/dev/null |
		tr '\r' '\n' | grep -o '[0-9.]* requests per second' | tail -n 1 | awk '{print $1}'
}
pub_rate=$(rb PUBLISH spread:X "$payload")
[ -n "$pub_rate" ] || tl_fail "redis-benchmark gave no figure"
# The same three commands an update costs, each with the aggregator's own
# arguments: the server's capacity for the mix is 1 / sum(1 / rate).
mapfile -t xfields < <(tl_redis_cli --raw xrevrange spreads + - COUNT 1 | tail -n +2)
xadd_rate=$(rb XADD benchstream MAXLEN '~' 1000 '*' "${xfields[@]}")
hset_rate=$(rb HSET spread:latest S001-USDT "$payload")
mix_rate=$(awk -v a="$pub_rate" -v b="$xadd_rate" -v c="$hset_rate" 'BEGIN { printf "%.0f", 1 / (1/a + 1/b + 1/c) }')
ratio=$(awk -v a="$agg_rate" -v b="$mix_rate" 'BEGIN { printf "%.3f", a / b }')
ratio_pub=$(awk -v a="$agg_rate" -v b="$pub_rate" 'BEGIN { printf "%.3f", a / b }')
echo "aggregator: $agg_rate updates/s (each PUBLISH + XADD + HSET, $size-byte JSON, ${#xfields[@]} XADD words;" \
	"redis errors $(metric redis_errors_total), dropped $(metric redis_dropped_total), load $(cut -d' ' -f1 /proc/loadavg))" >&2
echo "redis-benchmark -P 16: PUBLISH $pub_rate/s, XADD $xadd_rate/s, HSET $hset_rate/s => $mix_rate updates/s" >&2

echo "BENCH redis_publish_ratio $ratio ratio"
echo "BENCH redis_publish_ratio_vs_publish_only $ratio_pub ratio"
echo "BENCH redis_aggregator_updates_per_s $agg_rate updates/s"
echo "BENCH redis_benchmark_mix_per_s $mix_rate updates/s"
echo "BENCH redis_benchmark_publish_per_s $pub_rate requests/s"
echo "BENCH redis_payload_bytes $size bytes"
echo "BENCH spread_message_bytes $size bytes"
echo "BENCH spread_pairs_bytes $pairs_size bytes"
echo "BENCH redis_bytes_per_update $bytes_per_update bytes"
echo "BENCH tick_to_subscriber_p50_us $p50_10k us"
echo "BENCH tick_to_subscriber_p99_us $p99_10k us"
echo "BENCH tick_to_subscriber_p50_us_at_10k $p50_10k us"
echo "BENCH tick_to_subscriber_p99_us_at_10k $p99_10k us"
echo "BENCH tick_to_subscriber_p99.9_us_at_10k $p999_10k us"
echo "BENCH tick_to_subscriber_p50_us_at_100k $p50_100k us"
echo "BENCH tick_to_subscriber_p99_us_at_100k $p99_100k us"
echo "BENCH tick_to_subscriber_p99.9_us_at_100k $p999_100k us"

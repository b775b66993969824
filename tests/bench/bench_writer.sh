#!/usr/bin/env bash
# Writer throughput on one core: N market-like ticks (random-walk prices,
# jittered times; spreadbus-writer-feed --market) waiting in a ring, the writer
# started pinned to one CPU with the default config (zstd level 3, journal
# fsync every 200 ms, 65536-row groups); timed until it has journaled,
# encoded and published everything and exited on SIGTERM. Also the bytes
# per tick on disk, against the Binance bookTicker JSON the ticks stand for.
# Prints BENCH writer_ticks_per_s, writer_bytes_per_tick,
# writer_json_to_parquet_ratio (medians of RUNS runs).
source "$(dirname "$0")/../integration/writer_lib.sh"
TICKS=${BENCH_WRITER_TICKS:-2000000}
RUNS=${BENCH_WRITER_RUNS:-3}
RING_CAPACITY=4194304
EX="binance:BTC-USDT,ETH-USDT,SOL-USDT,BNB-USDT,XRP-USDT,DOGE-USDT,ADA-USDT,TRX-USDT"
pin=()
command -v taskset >/dev/null && pin=(taskset -c "$(($(nproc) - 1))")

rates=() sizes=()
for run in $(seq "$RUNS"); do
	INST=wb$$r$run
	rm -rf "$T/state"
	write_config "$EX"
	bus_create
	"$BIN/spreadbus-writer-feed" --config "$CFG" --ticks "$TICKS" --market >/dev/null
	start=$(date +%s%N)
	start_writer "${pin[@]}"
	# Caught up = every tick read, journaled and encoded; then SIGTERM
	# publishes the last files. Polled with busctl alone (no node) so the
	# poll costs next to nothing.
	until "$BIN/spreadbus-busctl" --config "$CFG" status |
		grep '"name":"writer"' | grep -q "\"ticks_read_total\":$TICKS,.*\"read_lag_ticks\":0,"; do
		sleep 0.005
	done
	stop_writer 2 >/dev/null
	ns=$(($(date +%s%N) - start))
	bytes=$(find "$DATA" -name '*.parquet' -printf '%s\n' | awk '{s += $1} END {print s}')
	[ "$(writer_status rows_written_total)" = "$TICKS" ] || tl_fail "rows_written_total $(writer_status rows_written_total)"
	rates+=("$(awk -v n="$TICKS" -v ns="$ns" 'BEGIN {printf "%.0f", n / (ns / 1e9)}')")
	sizes+=("$(awk -v b="$bytes" -v n="$TICKS" 'BEGIN {printf "%.2f", b / n}')")
	echo "run $run: $TICKS ticks in $((ns / 1000000)) ms, $bytes bytes of Parquet"
	tl_bus_unlink "$CFG"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
rate=$(median "${rates[@]}")
size=$(median "${sizes[@]}")
# A bookTicker frame as Binance sends it on a combined stream, from the fixtures.
json=$(awk '{n += length($0) + 1} END {printf "%.1f", n / NR}' "$FIXTURES/binance/combined_bookTicker.jsonl")
echo "BENCH writer_ticks_per_s $rate ticks/s"
echo "BENCH writer_bytes_per_tick $size bytes"
echo "BENCH writer_json_to_parquet_ratio $(awk -v j="$json" -v s="$size" 'BEGIN {printf "%.1f", j / s}') x (JSON ${json} bytes/frame)"

#!/usr/bin/env bash
# End-to-end collector throughput: spreadbus-fakex -> spreadbus-collector ->
# ring over loopback, per exchange. The fake exchange steps its rate up
# (frames per second on the collector's one connection, four symbols); each
# step runs STEP_S seconds, then the server pauses until the collector has
# accounted for every frame sent (ticks published + rejects + duplicates).
# Prints, per exchange, the highest rate the server actually sustained with
# nothing lost:  BENCH collector_e2e_<exchange>_frames_per_s <v> frames/s
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

STEP_S=${STEP_S:-1.5}
RATES=(${RATES:-20000 50000 100000 200000 300000 400000})
EXCHANGES=(${EXCHANGES:-binance bybit okx})

now_ns() { date +%s%N; }

# frames the server sent so far (good ones; no faults are injected here)
sent() { tl_fakex_stat "$TL_EX | .quotes + .trades"; }

# frames the collector accounted for: ticks published (gap markers are not
# counted there), rejects and duplicates
accounted() {
	tl_bus_field "$TL_CONFIG" "$TL_EX" '.metrics | (.ticks_published_total
		+ ([to_entries[] | select(.key | test("^rejects_.*_total$")) | .value] | add) + .duplicates_total)'
}

caught_up() { (($(accounted) >= $1)); }

bench_exchange() {
	local ex=$1 best=0 rate f0 f1 t0 t1 achieved total lost
	tl_fakex_start --exchange "$ex" --symbols BTC-USDT,ETH-USDT,SOL-USDT,BNB-USDT --rate 100
	tl_collector_start "$ex" "BTC-USDT, ETH-USDT, SOL-USDT, BNB-USDT" service.ring_capacity=1048576 \
		service.log_level=warning
	tl_wait_flowing 10 -1 BTC-USDT ETH-USDT SOL-USDT BNB-USDT
	for rate in "${RATES[@]}"; do
		tl_fakex_cmd "rate $rate" >/dev/null
		f0=$(sent) t0=$(now_ns)
		sleep "$STEP_S"
		f1=$(sent) t1=$(now_ns)
		tl_fakex_cmd "rate 0" >/dev/null
		total=$(sent)
		# the collector drains what is in flight; a shortfall after 5 s is loss
		local end=$(($(now_ns) + 5000000000))
		while ! caught_up "$total" && (($(now_ns) < end)); do sleep 0.05; done
		lost=$((total - $(accounted)))
		achieved=$(((f1 - f0) * 1000000000 / (t1 - t0)))
		tl_log "$ex: asked $rate/s, server sent $achieved/s, lost $lost of $total so far"
		((lost > 0)) && break
		((achieved > best)) && best=$achieved
		# the server could not send faster: the collector (or the CPU) is the limit
		((achieved * 10 < rate * 8)) && break
	done
	tl_collector_same_pid
	echo "BENCH collector_e2e_${ex}_frames_per_s $best frames/s"
	tl_stop collector
	tl_stop fakex
	"$TL_BIN/spreadbus-busctl" --config "$TL_CONFIG" unlink >/dev/null 2>&1
}

for ex in "${EXCHANGES[@]}"; do
	bench_exchange "$ex"
done

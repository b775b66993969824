#!/usr/bin/env bash
# Universe discovery at scale: the fake exchanges EXCHANGES (default
# binance bybit okx; "all": the ten) with INSTRUMENTS (2000) instruments
# each, collectors fetching over REST, the supervisor deciding
# [universe] mode = auto. Prints the collectors' fetch time (both calls and
# parsing), the decision's compute time, the time from start to the first
# decision, and peak memory (VmHWM) of the supervisor and of one collector.
TL_NAME=bench_universe
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/universe_lib.sh"

N=${INSTRUMENTS:-2000}
if [[ ${EXCHANGES:-} == all ]]; then
	UV_EXCHANGES=("${UV_ALL_EXCHANGES[@]}")
elif [[ -n ${EXCHANGES:-} ]]; then
	read -r -a UV_EXCHANGES <<<"$EXCHANGES"
fi
start_rest "$N"
write_universe_config universe.mode=auto universe.refresh_s=3600
t0=$(date +%s%N)
sv_start
tl_wait_for 60 "a universe decided" decided
t1=$(date +%s%N)
for ex in "${UV_EXCHANGES[@]}"; do
	ms=$(grep -o "$ex: instruments: $N from [^ ]* in [0-9]* ms" "$LOG" | head -1 | awk '{print $(NF-1)}')
	echo "BENCH universe_fetch_${ex}_ms ${ms:-nan} ms"
done
echo "BENCH universe_compute_ms $(http_get /universe | jq .last_compute_ms) ms"
echo "BENCH universe_start_to_decision_ms $(((t1 - t0) / 1000000)) ms"
echo "BENCH universe_pairs_chosen $(http_get /universe | jq '[.exchanges[].symbols | length] | add') pairs"
echo "BENCH universe_supervisor_peak_rss_kb $(awk '/VmHWM/ {print $2}' "/proc/$SV_PID/status") kB"
echo "BENCH universe_collector_peak_rss_kb $(awk '/VmHWM/ {print $2}' "/proc/$(child_pid binance)/status") kB"

#!/usr/bin/env bash
# bench_system_compare: frames/s that spreadbus (supervisor, 8 collectors,
# aggregator -> Redis; writer off, as the other side records nothing) takes
# from 8 Binance spreadbus-fakex, against the Node.js pipeline of
# tests/compare (ws + ioredis, same normalization, same spreads to the same
# kind of Redis), one after the other on the same fakex processes, offered
# more than either can take. Both measured the same way: data frames the
# fakex processes sent per second (a slow reader lowers that rate). Knobs:
# RATE (frames/s offered per connection, 150000), HOLD_S (10), WARM_S (3).
set -u
export CS_ADAPTERS=binance
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chaos/service.sh"
RATE=${RATE:-150000}
HOLD_S=${HOLD_S:-10}
WARM_S=${WARM_S:-3}
HZ=$(getconf CLK_TCK)
[[ -d $CS_SRC/tests/compare/node_modules/ws ]] || tl_fail "tests/compare has no node_modules: run 'make deps'"

cpu_ticks() {
	local p t=0
	for p in "$@"; do t=$((t + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
	echo "$t"
}

# measure PIDS...: "frames_per_s cpu_pct" over HOLD_S after WARM_S
measure() {
	local f0 f1 c0 c1 t0 t1
	sleep "$WARM_S"
	f0=$(cs_fx_offered) c0=$(cpu_ticks "$@") t0=$(date +%s%N)
	sleep "$HOLD_S"
	f1=$(cs_fx_offered) c1=$(cpu_ticks "$@") t1=$(date +%s%N)
	awk -v f=$((f1 - f0)) -v c=$((c1 - c0)) -v ns=$((t1 - t0)) -v hz="$HZ" \
		'BEGIN { printf "%.0f %.0f\n", f / (ns / 1e9), c / hz / (ns / 1e9) * 100 }'
}

cs_start_fakexes "$RATE"
cs_redis_start
cs_write_config "writer.enabled=false"

cs_supervisor_start
tl_wait_for 10 "8 connections to spreadbus" tl_at_least "$CS_N" cs_fx_connections
read -r c_rate c_cpu < <(measure $(cs_pids | awk '$1 !~ /^(fakex|redis)/ {print $2}'))
published=$(cs_health .redis.published_total)
cs_stop_service
cs_check_no_leaks
tl_wait_for 10 "fakex connections closed" cs_fx_no_connections

urls=()
for ex in $(cs_exchanges); do urls+=("$ex=ws://127.0.0.1:${CS_FX_PORT[$ex]}"); done
tl_spawn node node "$CS_SRC/tests/compare/pipeline.mjs" --redis-port "$TL_REDIS_PORT" --symbols "$CS_SYMBOLS" "${urls[@]}"
tl_wait_for 10 "8 connections to the Node.js pipeline" tl_at_least "$CS_N" cs_fx_connections
read -r n_rate n_cpu < <(measure "${TL_PID[node]}")
tl_stop node TERM
node_stats=$(tail -n 1 "$TL_TMP/node.log")
[[ $node_stats == frames* ]] || tl_fail "the Node.js pipeline printed no stats: $node_stats"
tl_log "spreadbus: $c_rate frames/s at $c_cpu% CPU (all its processes), $published spreads published"
tl_log "node: $n_rate frames/s at $n_cpu% CPU; $node_stats"
echo "BENCH compare_spreadbus_frames_per_s $c_rate frames/s"
echo "BENCH compare_node_frames_per_s $n_rate frames/s"
echo "BENCH compare_spreadbus_cpu_pct $c_cpu %"
echo "BENCH compare_node_cpu_pct $n_cpu %"
echo "BENCH compare_ratio $(awk -v a="$c_rate" -v b="$n_rate" 'BEGIN { printf "%.2f", a / b }') ratio"

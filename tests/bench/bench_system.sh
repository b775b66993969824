#!/usr/bin/env bash
# bench_system: the real service under its supervisor (8 collectors over
# loopback WebSocket from 8 spreadbus-fakex, aggregator -> redis-server,
# writer -> Parquet) at rising aggregate rates; per step: ticks/s offered,
# collected, recorded, spreads published, ring lag, loss, CPU and RSS per
# process, tick-to-subscriber latency. Knobs: RATES (aggregate ticks/s),
# HOLD_S (10; 60 for the documented long hold), WARM_S (3), PERF=1 (perf
# record of the whole machine during the last step). Table in
# $SPREADBUS_BUILD/bench-system.md; "BENCH <name> <value> <unit>" on stdout.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chaos/service.sh"

RATES=${RATES:-10000 50000 100000 200000 400000 800000}
HOLD_S=${HOLD_S:-10}
WARM_S=${WARM_S:-3}
HZ=$(getconf CLK_TCK)
OUT=${SPREADBUS_BUILD:-$CS_SRC/build}/bench-system.md

# One line of counters: time_ns heads writer_read agg_read lost published offered
snapshot() {
	local h offered=0 ex
	for ex in $(cs_exchanges); do offered=$((offered + $(cs_fx_frames "$ex"))); done
	h=$(cs_health '[([.rings[].head] | add),
		([.rings[].readers[] | select(.name == "writer") | .cursor] | add),
		([.rings[].readers[] | select(.name == "aggregator") | .cursor] | add),
		([.rings[].readers[] | .lost_total] | add),
		.redis.published_total] | map(tostring) | join(" ")')
	echo "$(date +%s%N) $h $offered"
}

max_lags() { cs_health '[([.rings[].readers[] | select(.name == "aggregator") | .lag] | max),
	([.rings[].readers[] | select(.name == "writer") | .lag] | max)] | map(tostring) | join(" ")'; }

# CPU % of one core and RssAnon MB per group of processes between two
# cs_proc_sample files: "group cpu_pct rss_mb" (collectors, fakex: summed
# CPU, largest RSS)
cpu_rss() {
	awk -v hz="$HZ" -v secs="$3" '
		function group(n) { return n ~ /^b[0-9]+$/ ? "collectors" : n ~ /^fakex-/ ? "fakex" : n }
		FNR == NR { t0[$1] = $3; next }
		($1 in t0) { g = group($1); cpu[g] += ($3 - t0[$1]) / hz / secs * 100; if ($4 > rss[g]) rss[g] = $4 }
		END { for (g in cpu) printf "%s %.0f %.1f\n", g, cpu[g], rss[g] / 1024 }' "$1" "$2"
}

cs_start_fakexes 1
cs_redis_start
cs_write_config "restart.stop_timeout_ms=120000" "writer.heartbeat_timeout_ms=30000"
cs_supervisor_start
tl_wait_for 10 "writer running" tl_at_least 1 cs_health .writer.journal_bytes
mkdir -p "$(dirname "$OUT")"
{
	echo "| target ticks/s | offered | collected | recorded | spreads published/s | max lag agg / writer | lost | latency p50 / p99 / p99.9 us | CPU % sup / collectors / agg / writer / fakex / redis | RSS anon MB sup / collector (max) / agg / writer | load avg | held |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} >"$OUT"
best=0
for rate in $RATES; do
	cs_fx_all "rate $((rate / CS_N))"
	sleep "$WARM_S"
	read -r t0 h0 w0 a0 l0 p0 o0 < <(snapshot)
	cs_proc_sample >"$TL_TMP/procA"
	"$TL_BIN/aggregator_sub" --port "$TL_REDIS_PORT" --latency --skip 100 --count 100000000 \
		--timeout-ms $((HOLD_S * 1000)) >"$TL_TMP/lat.out" 2>&1 &
	sub=$!
	perf=
	if [[ ${PERF:-0} == 1 && $rate == "${RATES##* }" ]]; then
		perf record -a -o "$TL_TMP/perf.data" -- sleep "$((HOLD_S / 2))" >/dev/null 2>&1 &
		perf=$!
	fi
	lag_a=0 lag_w=0
	end=$(($(date +%s) + HOLD_S))
	while (($(date +%s) < end)); do
		read -r la lw < <(max_lags)
		((la > lag_a)) && lag_a=$la
		((lw > lag_w)) && lag_w=$lw
		sleep 0.5
	done
	read -r t1 h1 w1 a1 l1 p1 o1 < <(snapshot)
	cs_proc_sample >"$TL_TMP/procB"
	wait "$sub"
	[[ -z $perf ]] || wait "$perf"
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	per_s() { awk -v d="$(($2 - $1))" -v s="$secs" 'BEGIN { printf "%.0f", d / s }'; }
	offered=$(per_s "$o0" "$o1")
	collected=$(per_s "$h0" "$h1")
	recorded=$(per_s "$w0" "$w1")
	published=$(per_s "$p0" "$p1")
	lost=$((l1 - l0))
	read -r _ _ p50 p99 p999 < <(grep '^LATENCY' "$TL_TMP/lat.out" || echo "LATENCY 0 - - -")
	cpu_rss "$TL_TMP/procA" "$TL_TMP/procB" "$secs" >"$TL_TMP/cpu"
	c() { awk -v g="$1" -v f="$2" '$1 == g { print $f }' "$TL_TMP/cpu"; }
	held=no
	if ((lost == 0 && collected * 100 >= rate * 97 && recorded * 100 >= rate * 97)); then
		held=yes
		best=$rate
	fi
	echo "| $rate | $offered | $collected | $recorded | $published | $lag_a / $lag_w | $lost | $p50 / $p99 / $p999 |" \
		"$(c supervisor 2) / $(c collectors 2) / $(c aggregator 2) / $(c writer 2) / $(c fakex 2) / $(c redis 2) |" \
		"$(c supervisor 3) / $(c collectors 3) / $(c aggregator 3) / $(c writer 3) | $(cut -d' ' -f1 /proc/loadavg) | $held |" | tee -a "$OUT" >&2
	echo "BENCH system_collected_at_$rate $collected ticks/s"
	echo "BENCH system_recorded_at_$rate $recorded ticks/s"
	echo "BENCH system_latency_p50_us_at_$rate $p50 us"
	echo "BENCH system_latency_p99_us_at_$rate $p99 us"
	echo "BENCH system_latency_p999_us_at_$rate $p999 us"
	# load off until the readers caught up, so each step starts level
	cs_fx_all "rate 1"
	tl_wait_for 120 "writer caught up after $rate/s" bash -c \
		"(( \$(curl -s -m 2 http://127.0.0.1:$CS_HTTP_PORT/health | jq '[.rings[].readers[] | .lag] | max') < 1000 ))"
done
if [[ ${PERF:-0} == 1 && -f $TL_TMP/perf.data ]]; then
	for sort in comm,dso comm,sym; do
		perf report -i "$TL_TMP/perf.data" --sort "$sort" --stdio 2>/dev/null | grep -v '^#' | grep . | head -25
	done >"$OUT.perf"
	tl_log "perf (by process and library) in $OUT.perf"
fi
complete=1
cs_stop_and_check_parquet || complete=0
tl_log "Parquet rows per exchange: $(jq -s -c 'map({(.exchange): .n}) | add' "$TL_TMP/parquet.out" 2>/dev/null)"
((complete)) || tl_log "Parquet record incomplete: $(grep -v '"ok":true' "$TL_TMP/parquet.out")"
cs_check_no_leaks
tl_log "table: $OUT"
echo "BENCH system_max_rate_zero_loss $best ticks/s"
echo "BENCH system_parquet_complete $complete bool"

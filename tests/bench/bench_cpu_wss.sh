#!/usr/bin/env bash
# bench_cpu_wss: CPU per tick at a realistic rate (issue 16's scenario). Two
# Binance spreadbus-fakex over wss:// at RATE frames/s each (10k), 10 symbols
# each, the whole service (supervisor, 2 collectors, aggregator -> Redis,
# writer -> Parquet); CPU % of one core per process from /proc/PID/stat
# utime+stime over HOLD_S, context switches per second (voluntary +
# involuntary, /proc/PID/status), tick-to-subscriber latency (aggregator_sub
# --latency), spread updates sent to Redis per second. Then the Node.js
# pipeline of tests/compare over wss:// on the same fakex processes at the
# same offered load, with its own Redis CPU.
# RUNS (3) alternate service and Node.js; every BENCH line is the median.
# Knobs: RATE, HOLD_S (20), WARM_S (3), RUNS, CONFIG (more section.key=value
# words for the service's config, e.g. aggregator.max_batch_delay_us=0).
# Per-run lines in $SPREADBUS_BUILD/bench-cpu-wss.txt.
set -u
export CS_N=2 CS_ADAPTERS=binance CS_SCHEME=wss
export CS_SYMBOLS=${CS_SYMBOLS:-BTC-USDT,ETH-USDT,SOL-USDT,XRP-USDT,ADA-USDT,DOGE-USDT,LTC-USDT,DOT-USDT,LINK-USDT,AVAX-USDT}
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chaos/service.sh"
source "$CS_SRC/tests/lib/tls.sh"
RATE=${RATE:-10000}
HOLD_S=${HOLD_S:-20}
WARM_S=${WARM_S:-3}
RUNS=${RUNS:-3}
HZ=$(getconf CLK_TCK)
OUT=${SPREADBUS_BUILD:-$CS_SRC/build}/bench-cpu-wss.txt
[[ -d $CS_SRC/tests/compare/node_modules/ws ]] || tl_fail "tests/compare has no node_modules: run 'make deps'"

tl_make_cert
CS_FX_ARGS=(--tls-cert "$TL_CERT" --tls-key "$TL_KEY")


# name pid cpu_ticks context_switches, per process of the "name pid" lines on stdin
sample() {
	local name pid stat cs
	while read -r name pid; do
		stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
		cs=$(awk '/ctxt_switches:/ {n += $2} END {print n + 0}' "/proc/$pid/status" 2>/dev/null)
		awk -v n="$name" -v p="$pid" -v c="${cs:-0}" '{print n, p, $12 + $13, c}' <<<"${stat##*) }"
	done
}

# Between two samples over SECS: "group cpu_pct switches_per_s" (the
# collectors b1, b2 summed as one group)
deltas() {
	awk -v hz="$HZ" -v secs="$3" '
		function group(n) { return n ~ /^b[0-9]+$/ ? "collectors" : n }
		FNR == NR { t0[$1] = $3; s0[$1] = $4; next }
		($1 in t0) { g = group($1); cpu[g] += ($3 - t0[$1]) / hz / secs * 100; sw[g] += ($4 - s0[$1]) / secs }
		END { for (g in cpu) printf "%s %.1f %.0f\n", g, cpu[g], sw[g] }' "$1" "$2"
}

# measure TAG: samples the processes named on stdin around HOLD_S after
# WARM_S; appends "TAG group cpu switches" and "TAG offered_per_s N" to $OUT
measure() {
	local tag=$1 f0 f1 t0 t1 secs
	cat >"$TL_TMP/pids"
	sleep "$WARM_S"
	f0=$(cs_fx_offered) t0=$(date +%s%N) u0=$(updates "$tag")
	sample <"$TL_TMP/pids" >"$TL_TMP/sA"
	sleep "$HOLD_S"
	f1=$(cs_fx_offered) t1=$(date +%s%N) u1=$(updates "$tag")
	sample <"$TL_TMP/pids" >"$TL_TMP/sB"
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	deltas "$TL_TMP/sA" "$TL_TMP/sB" "$secs" | sed "s/^/$tag /" >>"$OUT"
	awk -v t="$tag" -v f=$((f1 - f0)) -v s="$secs" 'BEGIN { printf "%s offered %.0f 0\n", t, f / s }' >>"$OUT"
	awk -v t="$tag" -v u=$((u1 - u0)) -v s="$secs" 'BEGIN { printf "%s updates %.0f 0\n", t, u / s }' >>"$OUT"
}

# spread updates sent to Redis so far: the service's count (the Node.js
# pipeline publishes every frame)
updates() {
	if [[ $1 == service ]]; then cs_health .redis.published_total; else echo 0; fi
}

run_service() {
	cs_write_config "writer.enabled=true" "exchange.b1.tls_verify=false" "exchange.b2.tls_verify=false" ${CONFIG:-}
	cs_supervisor_start
	tl_wait_for 10 "2 connections to spreadbus" tl_at_least "$CS_N" cs_fx_connections
	tl_wait_for 10 "writer running" tl_at_least 1 cs_health .writer.journal_bytes
	"$TL_BIN/aggregator_sub" --port "$TL_REDIS_PORT" --latency --skip 100 --count 100000000 \
		--timeout-ms $(((WARM_S + HOLD_S) * 1000)) >"$TL_TMP/lat.out" 2>&1 &
	local sub=$!
	cs_pids | awk '$1 !~ /^fakex/' | measure service
	wait "$sub"
	read -r _ _ p50 p99 p999 < <(grep '^LATENCY' "$TL_TMP/lat.out" || echo "LATENCY 0 0 0 0")
	echo "service latency_p50_us $p50 0" >>"$OUT"
	echo "service latency_p99_us $p99 0" >>"$OUT"
	echo "service latency_p999_us $p999 0" >>"$OUT"
	cs_stop_service
	cs_check_no_leaks
	tl_wait_for 10 "fakex connections closed" cs_fx_no_connections
}

run_node() {
	local urls=() ex
	for ex in $(cs_exchanges); do urls+=("$ex=wss://127.0.0.1:${CS_FX_PORT[$ex]}"); done
	NODE_TLS_REJECT_UNAUTHORIZED=0 tl_spawn node node "$CS_SRC/tests/compare/pipeline.mjs" \
		--redis-port "$TL_REDIS_PORT" --symbols "$CS_SYMBOLS" "${urls[@]}"
	tl_wait_for 10 "2 connections to the Node.js pipeline" tl_at_least "$CS_N" cs_fx_connections
	printf 'node %s\nredis %s\n' "${TL_PID[node]}" "${TL_PID[redis]}" | measure node
	tl_stop node TERM
	tl_wait_for 10 "fakex connections closed" cs_fx_no_connections
}

# median NAME GROUP COLUMN over the runs in $OUT
median() {
	awk -v t="$1" -v g="$2" -v c="$3" '$1 == t && $2 == g { print $c }' "$OUT" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'
}

mkdir -p "$(dirname "$OUT")"
: >"$OUT"
cs_start_fakexes "$RATE"
cs_redis_start
for ((run = 1; run <= RUNS; run++)); do
	run_service
	run_node
	tl_log "run $run of $RUNS done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
own=0
for g in collectors aggregator writer; do
	v=$(median service "$g" 3)
	echo "BENCH cpu_wss_${g}_pct $v %"
	echo "BENCH cpu_wss_${g}_switches_per_s $(median service "$g" 4) 1/s"
	own=$(awk -v a="$own" -v b="$v" 'BEGIN { print a + b }')
done
echo "BENCH cpu_wss_supervisor_pct $(median service supervisor 3) %"
echo "BENCH cpu_wss_service_total_pct $own %"
echo "BENCH cpu_wss_redis_pct $(median service redis 3) %"
echo "BENCH cpu_wss_redis_switches_per_s $(median service redis 4) 1/s"
echo "BENCH cpu_wss_redis_updates_per_s $(median service updates 3) updates/s"
echo "BENCH cpu_wss_offered $(median service offered 3) frames/s"
for q in p50 p99 p999; do echo "BENCH cpu_wss_latency_${q}_us $(median service "latency_${q}_us" 3) us"; done
echo "BENCH cpu_wss_node_pct $(median node node 3) %"
echo "BENCH cpu_wss_node_redis_pct $(median node redis 3) %"
echo "BENCH cpu_wss_node_offered $(median node offered 3) frames/s"
echo "BENCH cpu_wss_load_avg $(cut -d' ' -f1 /proc/loadavg) load"
tl_log "per-run figures: $OUT"

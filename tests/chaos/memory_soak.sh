#!/usr/bin/env bash
# tests/chaos/memory_soak.sh: a long accelerated replay through the whole
# service (8 fakex over loopback WebSocket at RATE aggregate ticks/s, the
# supervisor, collectors, aggregator -> Redis, writer -> Parquet) until the
# rings took TICKS ticks; samples the resident memory of every process every
# SAMPLE_S seconds and prints a markdown table (anonymous RSS: the shared
# rings are in RssShmem and are the same pages in every process). Run by
# hand (docs/BENCHMARKS.md): TICKS=100000000 RATE=400000 bash tests/chaos/memory_soak.sh
# Fails if any process's anonymous RSS grew by more than GROWTH_MB (8)
# between the first sample after WARM_S and the last, which is at least
# SPAN_S (4 samples) later; if a process was replaced in between; or if the
# run is not done by MAX_S (default: twice the time TICKS take at RATE,
# plus the warm-up and the span).
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chaos/service.sh"
TICKS=${TICKS:-100000000}
RATE=${RATE:-400000}
SAMPLE_S=${SAMPLE_S:-30}
WARM_S=${WARM_S:-60}
GROWTH_MB=${GROWTH_MB:-8}
SPAN_S=${SPAN_S:-$((4 * SAMPLE_S))}
MAX_S=${MAX_S:-$((2 * TICKS / RATE + WARM_S + SPAN_S))}
((SAMPLE_S > 0 && SPAN_S >= SAMPLE_S)) || tl_fail "SPAN_S ($SPAN_S) must be at least SAMPLE_S ($SAMPLE_S) > 0"

cs_start_fakexes $((RATE / CS_N))
cs_redis_start
cs_write_config "restart.stop_timeout_ms=120000" "writer.heartbeat_timeout_ms=30000"
cs_supervisor_start
start=$(date +%s)
echo "| elapsed s | ticks | ticks/s (since last) | writer lag | RSS anon MB: supervisor | collector (max) | aggregator | writer | redis | fakex (max) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
prev_ticks=0 prev_t=$start first_t=
while :; do
	sleep "$SAMPLE_S"
	now=$(date +%s)
	ticks=$(cs_health '[.rings[].head] | add')
	lag=$(cs_health '[.rings[].readers[] | select(.name == "writer") | .lag] | max')
	cs_proc_sample >"$TL_TMP/mem.now"
	row=$(awk '{ g = $1 ~ /^b[0-9]+$/ ? "collector" : $1 ~ /^fakex-/ ? "fakex" : $1; if ($4 > m[g]) m[g] = $4 }
		END { printf "%.1f | %.1f | %.1f | %.1f | %.1f | %.1f", m["supervisor"] / 1024, m["collector"] / 1024,
			m["aggregator"] / 1024, m["writer"] / 1024, m["redis"] / 1024, m["fakex"] / 1024 }' "$TL_TMP/mem.now")
	echo "| $((now - start)) | $ticks | $(((ticks - prev_ticks) / (now - prev_t))) | $lag | $row |"
	if [[ -z $first_t ]] && ((now - start >= WARM_S)); then
		cp "$TL_TMP/mem.now" "$TL_TMP/mem.first"
		first_t=$now
	fi
	prev_ticks=$ticks prev_t=$now
	# done: every tick, and the last sample far enough after the first
	((ticks >= TICKS)) && [[ -n $first_t ]] && ((now - first_t >= SPAN_S)) && break
	((now - start < MAX_S)) || tl_fail "not done after $((now - start)) s (MAX_S): $ticks of $TICKS ticks," \
		"first sample at $((${first_t:-$now} - start)) s"
done
# The same process (name and pid) at both samples; one replaced in between
# cannot be compared, and a restart is not a flat run.
grown=$(awk -v lim=$((GROWTH_MB * 1024)) 'FNR == NR { a[$1 " " $2] = $4; next }
	($1 " " $2) in a { seen[$1 " " $2] = 1; if ($4 - a[$1 " " $2] > lim) printf "%s grew %d kB; ", $1, $4 - a[$1 " " $2] }
	END { for (k in a) if (!(k in seen)) printf "%s gone by the last sample; ", k }' \
	"$TL_TMP/mem.first" "$TL_TMP/mem.now")
cs_stop_service
cs_check_no_leaks
[[ -z $grown ]] || tl_fail "RSS not flat after warm-up: $grown"
tl_pass "$ticks ticks; anonymous RSS of every process within $GROWTH_MB MB over $((now - first_t)) s after ${WARM_S} s of warm-up"

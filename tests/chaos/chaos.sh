#!/usr/bin/env bash
# tests/chaos/chaos.sh: the whole service under load with recording on, while
# children, the supervisor, Redis and the fake exchanges fail; checks the
# Parquet record, gap rows, leaks and recovery, and prints the figures.
#
# Knobs (defaults = the full run, `make test-chaos`; test_chaos_short.sh
# passes smaller ones): CHAOS_KILLS (110 SIGKILLs of random children),
# CHAOS_SUPERVISOR_KILLS (5), CHAOS_REDIS_KILLS (5), CHAOS_REDIS_SLEEPS (3
# times DEBUG SLEEP 2), CHAOS_REFUSE_MS (60000), CHAOS_DROPS (10 forced
# closes, one every CHAOS_DROP_EVERY_S = 3 s), CHAOS_RATE (2000 frames/s per
# connection). Output: "CHAOS <name> <value> <unit>" lines.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chaos/service.sh"

KILLS=${CHAOS_KILLS:-110}
SUP_KILLS=${CHAOS_SUPERVISOR_KILLS:-5}
REDIS_KILLS=${CHAOS_REDIS_KILLS:-5}
REDIS_SLEEPS=${CHAOS_REDIS_SLEEPS:-3}
REFUSE_MS=${CHAOS_REFUSE_MS:-60000}
DROPS=${CHAOS_DROPS:-10}
DROP_EVERY_S=${CHAOS_DROP_EVERY_S:-3}
RATE=${CHAOS_RATE:-2000}
[[ -d $CS_SRC/tests/parquet_readers/node_modules/@duckdb ]] || tl_fail "DuckDB for node missing: run 'make deps' (npm ci in tests/parquet_readers)"

figure() { echo "CHAOS $*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
all_gone() { local p; for p; do kill -0 "$p" 2>/dev/null && return 1; done; return 0; }
child_field() { cs_health ".children[] | select(.name == \"$1\") | .$2"; }

# The child runs as a process other than OLD_PID and has sent a heartbeat.
child_back() {
	local s
	s=$(cs_health ".children[] | select(.name == \"$1\") | \"\(.state) \(.pid) \(.heartbeat_age_ms)\"" 2>/dev/null)
	[[ $s == running\ * && $s != *" $2 "* && $s != *null* ]]
}

# Recovery times in ms, one per line, per kind; median and max at the end.
declare -A REC=()
record() { REC[$1]+="$2 "; }
summarize() {
	local kind=$1 unit=${2:-ms}
	[[ -n ${REC[$kind]:-} ]] || return 0
	tr ' ' '\n' <<<"${REC[$kind]}" | grep . | sort -n | awk -v k="$kind" -v u="$unit" \
		'{v[NR] = $1} END {printf "CHAOS %s_recovery_p50 %d %s\nCHAOS %s_recovery_max %d %s\n", k, v[int((NR + 1) / 2)], u, k, v[NR], u}'
}

cs_start_fakexes "$RATE"
CS_REDIS_EXTRA=(--enable-debug-command yes)
cs_redis_start "${CS_REDIS_EXTRA[@]}"
cs_write_config "exchange.b2.no_data_timeout_ms=2000"
cs_supervisor_start
tl_log "service up: $CS_N exchanges at $RATE frames/s each, instance $CS_INSTANCE"
tl_wait_for 10 "writer rows" tl_at_least 1 cs_health .writer.journal_bytes

# ---- 1. SIGKILL random children; the supervisor itself now and then ----
children=($(cs_exchanges) aggregator writer)
declare -A killed=()
sup_every=$((KILLS / (SUP_KILLS + 1)))
for ((k = 1; k <= KILLS; k++)); do
	name=${children[RANDOM % ${#children[@]}]}
	tl_wait_for 15 "$name running before kill $k" child_back "$name" none
	pid=$(child_field "$name" pid)
	sleep "0.$((RANDOM % 5))"
	t0=$(now_ms)
	kill -KILL "$pid" || tl_fail "kill $k: cannot SIGKILL $name ($pid)"
	killed[$name]=$((${killed[$name]:-0} + 1))
	tl_wait_for 15 "$name restarted after kill $k" child_back "$name" "$pid"
	record "$( [[ $name == b* ]] && echo collector || echo "$name")" $(($(now_ms) - t0))
	if ((SUP_KILLS > 0 && k % sup_every == 0 && k / sup_every <= SUP_KILLS)); then
		old=$(cs_health '[.children[].pid] | map(tostring) | join(" ")')
		t0=$(now_ms)
		tl_stop supervisor KILL
		# PR_SET_PDEATHSIG: every child dies with it
		tl_wait_for 5 "children of the killed supervisor gone" all_gone $old
		cs_supervisor_start # as systemd's Restart=always would
		record supervisor $(($(now_ms) - t0))
		for name in $(cs_exchanges); do killed[$name]=$((${killed[$name]:-0} + 1)); done
	fi
done
tl_wait_for 15 "/health ok after the kills" cs_health_ok
figure child_kills "$KILLS" kills
figure supervisor_kills "$SUP_KILLS" kills
summarize collector
summarize aggregator
summarize writer
summarize supervisor
tl_log "kills per child: $(for n in "${children[@]}"; do printf '%s=%s ' "$n" "${killed[$n]:-0}"; done)"

# ---- 2. Redis killed and restarted, Redis slow ----
subscriber_gets_one() { "$TL_BIN/aggregator_sub" --port "$TL_REDIS_PORT" --count 1 --timeout-ms 500 >/dev/null 2>&1; }
agg_lost() { cs_health '[.rings[].readers[] | select(.name == "aggregator") | .lost_total] | add'; }
agg_lag() { cs_health '[.rings[].readers[] | select(.name == "aggregator") | .lag] | max'; }
lost0=$(agg_lost)
max_lag=0
for ((r = 1; r <= REDIS_KILLS; r++)); do
	cs_redis_kill
	sleep 1
	cs_redis_start "${CS_REDIS_EXTRA[@]}"
	t0=$(now_ms)
	tl_wait_for 20 "a subscriber receives spreads after Redis restart $r" subscriber_gets_one
	record redis_restart $(($(now_ms) - t0))
	lag=$(agg_lag)
	((lag > max_lag)) && max_lag=$lag
done
for ((r = 1; r <= REDIS_SLEEPS; r++)); do
	redis-cli -p "$TL_REDIS_PORT" DEBUG SLEEP 2 >/dev/null &
	sleeper=$!
	while kill -0 "$sleeper" 2>/dev/null; do
		lag=$(agg_lag)
		((lag > max_lag)) && max_lag=$lag
		sleep 0.1
	done
	wait "$sleeper" || tl_fail "DEBUG SLEEP 2 failed (debug command disabled?)"
	t0=$(now_ms)
	tl_wait_for 20 "a subscriber receives spreads after DEBUG SLEEP $r" subscriber_gets_one
	record redis_sleep $(($(now_ms) - t0))
done
lag=$(agg_lag)
((lag > max_lag)) && max_lag=$lag
tl_assert_eq "aggregator ticks lost to lapping during the Redis faults" "$lost0" "$(agg_lost)"
((max_lag < CS_RING / 2)) || tl_fail "aggregator ring lag reached $max_lag (ring $CS_RING)"
figure redis_kills "$REDIS_KILLS" kills
figure redis_slow "$REDIS_SLEEPS" "times"
figure aggregator_max_ring_lag "$max_lag" ticks
summarize redis_restart
summarize redis_sleep

# ---- 3. Misbehaving exchanges: b2 stalls, b3 drops, b4 garbage, b5 refuses ----
calm=(b1 b6 b7 b8)
msgs() { cs_health ".exchanges[] | select(.name == \"$1\") | .messages_total"; }
gaps() { tl_bus_metric "$CS_CONF" "$1" gaps_total; }
declare -A pid0=() gaps0=()
for ex in $(cs_exchanges); do
	pid0[$ex]=$(child_field "$ex" pid)
	gaps0[$ex]=$(gaps "$ex")
done
rejects0=$(tl_bus_field "$CS_CONF" b4 '[.metrics | to_entries[] | select(.key | test("^rejects_")) | .value] | add')
# The calm exchanges must keep rising every second (at least half the rate).
watch_calm() {
	local ex prev now
	declare -A prev_m=()
	for ex in "${calm[@]}"; do prev_m[$ex]=$(msgs "$ex"); done
	while [[ ! -e $TL_TMP/faults.done ]]; do
		sleep 1
		for ex in "${calm[@]}"; do
			now=$(msgs "$ex")
			[[ -n $now ]] || continue
			prev=${prev_m[$ex]}
			((now - prev >= RATE / 2)) || echo "$ex rose by $((now - prev)) in 1 s" >>"$TL_TMP/calm.bad"
			prev_m[$ex]=$now
		done
	done
}
watch_calm &
watcher=$!
# flowing again: 100 ms worth of new messages since the count $2
rising() { tl_at_least $(($2 + RATE / 10)) msgs "$1"; }
# stall: b2's no_data_timeout_ms (2 s) makes it reconnect
m=$(msgs b2)
cs_fx_cmd b2 "stall 5000" >/dev/null
t0=$(now_ms)
tl_wait_for 15 "b2 reconnects after the stall" tl_at_least $((${gaps0[b2]} + 1)) gaps b2
tl_wait_for 15 "b2 flows after the stall" rising b2 "$(msgs b2)"
record stall $(($(now_ms) - t0))
# drops every few seconds
for ((d = 1; d <= DROPS; d++)); do
	m=$(msgs b3)
	cs_fx_cmd b3 close >/dev/null
	t0=$(now_ms)
	tl_wait_for 10 "b3 flows after close $d" rising b3 "$m"
	record drop $(($(now_ms) - t0))
	sleep "$DROP_EVERY_S"
done
# garbage: malformed, oversize and binary frames are rejected, the pid stays
for cmd in "malformed 200" "oversize 20" "binary 20"; do cs_fx_cmd b4 "$cmd" >/dev/null; done
tl_wait_for 10 "b4 rejects the garbage" tl_at_least $((rejects0 + 240)) tl_bus_field "$CS_CONF" b4 \
	'[.metrics | to_entries[] | select(.key | test("^rejects_")) | .value] | add'
tl_assert_eq "b4 pid after garbage" "${pid0[b4]}" "$(child_field b4 pid)"
# refuse for a while, with the connection closed to make it reconnect
cs_fx_cmd b5 "refuse $REFUSE_MS" >/dev/null
cs_fx_cmd b5 close >/dev/null
t0=$(now_ms)
sleep "$((REFUSE_MS / 1000))"
tl_wait_for 20 "b5 flows after refusing $REFUSE_MS ms" rising b5 "$(msgs b5)"
record refuse $(($(now_ms) - t0 - REFUSE_MS))
touch "$TL_TMP/faults.done"
wait "$watcher"
[[ ! -s $TL_TMP/calm.bad ]] || tl_fail "calm exchanges noticed: $(head -5 "$TL_TMP/calm.bad")"
for ex in "${calm[@]}"; do
	tl_assert_eq "$ex pid through the exchange faults" "${pid0[$ex]}" "$(child_field "$ex" pid)"
	tl_assert_eq "$ex gap markers through the exchange faults" "${gaps0[$ex]}" "$(gaps "$ex")"
done
for ex in b2 b3 b5; do
	tl_assert_eq "$ex pid (a network fault never restarts the process)" "${pid0[$ex]}" "$(child_field "$ex" pid)"
done
figure fx_drops "$DROPS" closes
figure fx_refuse "$REFUSE_MS" ms
summarize stall
summarize drop
summarize refuse
tl_wait_for 10 "/health ok after the exchange faults" cs_health_ok

# ---- 4. Stop; every tick of every ring in Parquet exactly once ----
cs_stop_and_check_parquet
parquet_rc=$?
# published ticks (bus_seq below each ring's head) that no Parquet file holds
lost=$(jq -s 'map(.ticks_lost) | add' "$TL_TMP/parquet.out" 2>/dev/null)
figure parquet_ticks_lost "${lost:-unknown}" ticks
((parquet_rc == 0)) || tl_fail "Parquet record incomplete: $(cat "$TL_TMP/parquet.out")"
total=0
while read -r line; do
	ex=$(jq -r .exchange <<<"$line")
	n=$(jq .n <<<"$line")
	starts=$(jq .gap_collector_start <<<"$line")
	total=$((total + n))
	# one collector_start gap per process start: the first one and one per kill
	tl_assert_eq "$ex collector_start gap rows (killed ${killed[$ex]:-0} times)" $((${killed[$ex]:-0} + 1)) "$starts"
	tl_log "$ex: $n rows, bus_seq contiguous, $starts collector_start gaps for ${killed[$ex]:-0} kills"
done <"$TL_TMP/parquet.out"
figure parquet_rows_checked "$total" rows
cs_check_no_leaks
tl_pass "$KILLS child kills, $SUP_KILLS supervisor kills, $REDIS_KILLS Redis kills, $REDIS_SLEEPS slow Redis, 4 exchange faults"

#!/usr/bin/env bash
# Redis killed in the middle of a stream, then restarted; then hung
# (SIGSTOP) and resumed. The aggregator keeps reading the rings (lag stays
# small, heartbeat fresh), counts drops and errors, and publishing resumes
# by itself each time.
source "$(dirname "$0")/aggregator_lib.sh"

start_redis
# a small pipeline so a hung server fills it at once
MAX_PENDING=300 write_config
start_feeder
start_aggregator
wait_until 5 "redis up" metric_equals redis_up 1

# 4000 quotes/s for 14 s on two symbols and three exchanges, in the background
echo "stream binance,okx,bybit BTC-USDT,ETH-USDT 4000 14" >&3
wait_until 5 "publishing" metric_at_least redis_published_total 100

# keeps_reading: ticks_read advances, lag under 2000 ticks (0.5 s of
# input), heartbeat younger than 500 ms.
keeps_reading() {
	local before after lag age
	before=$(metric ticks_read_total)
	sleep 0.3
	after=$(metric ticks_read_total)
	lag=$(metric read_lag_ticks)
	age=$(heartbeat_age_ms)
	[ "$after" -gt "$before" ] || fail "ticks_read stuck at $after"
	[ "$lag" -lt 2000 ] || fail "read lag $lag"
	[ "$age" -lt 500 ] || fail "heartbeat $age ms old"
	agg_alive || fail "aggregator not alive"
}

# --- Redis killed ---
stop_redis
wait_until 5 "redis down noticed" metric_equals redis_up 0
errors_down=$(metric redis_errors_total)
[ "$errors_down" -ge 1 ] || fail "lost connection not counted"
for _ in 1 2 3 4 5; do keeps_reading; done
[ "$(agg_status | jq -r .state)" = degraded ] || fail "state while Redis is down: $(agg_status | jq -r .state)"
dropped=$(metric redis_dropped_total)
[ "$dropped" -gt 0 ] || fail "no drops counted while Redis was down"
[ "$(metric redis_errors_total)" -gt "$errors_down" ] || fail "failed reconnects not counted"
agg_status | jq -e '.detail | test("redis")' >/dev/null || fail "no status detail: $(agg_status)"

published_before=$(metric redis_published_total)
start_redis # same port
restart_s=$SECONDS
wait_until 5 "redis up again" metric_equals redis_up 1
wait_until 5 "publishing again" metric_at_least redis_published_total $((published_before + 100))
echo "publishing resumed $((SECONDS - restart_s)) s after the restart"
[ "$(rcli xlen spreads)" -gt 0 ] || fail "nothing in the new server's stream"
[ "$(rcli hlen spread:latest)" = 2 ] || fail "spread:latest not rebuilt"
[ "$(agg_status | jq -r .state)" = running ] || fail "state after recovery"

# --- Redis hung: replies stop, the stall timeout (1 s) opens the breaker ---
conflated=$(metric redis_conflated_total)
kill -STOP "$REDIS_PID"
for _ in 1 2 3 4 5 6; do keeps_reading; done
wait_until 5 "hung redis noticed" metric_equals redis_up 0
[ "$(metric redis_conflated_total)" -gt "$conflated" ] || fail "no conflation while Redis hung"
kill -CONT "$REDIS_PID"
published_before=$(metric redis_published_total)
wait_until 5 "redis up after hang" metric_equals redis_up 1
wait_until 5 "publishing after hang" metric_at_least redis_published_total $((published_before + 100))
[ "$(metric ticks_lost_total)" = 0 ] || fail "ticks lost: $(metric ticks_lost_total)"

kill -TERM "$AGG_PID"
wait "$AGG_PID" && rc=0 || rc=$?
[ $rc = 0 ] || fail "aggregator exit status $rc"
AGG_PID=
echo PASS

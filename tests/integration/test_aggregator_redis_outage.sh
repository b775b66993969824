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
tl_wait_for 5 "redis up" metric_equals redis_up 1

# 4000 quotes/s on two symbols and three exchanges, in the background for
# longer than the test lasts (the feeder is stopped at exit)
echo "stream binance,okx,bybit BTC-USDT,ETH-USDT 4000 120" >&3
tl_wait_for 5 "publishing" metric_at_least redis_published_total 100

# keeps_reading: ticks_read advances, lag under 2000 ticks (0.5 s of
# input), heartbeat younger than 500 ms.
keeps_reading() {
	local before after lag age
	before=$(metric ticks_read_total)
	sleep 0.3
	after=$(metric ticks_read_total)
	lag=$(metric read_lag_ticks)
	age=$(heartbeat_age_ms)
	[ "$after" -gt "$before" ] || tl_fail "ticks_read stuck at $after"
	[ "$lag" -lt 2000 ] || tl_fail "read lag $lag"
	[ "$age" -lt 500 ] || tl_fail "heartbeat $age ms old"
	agg_alive || tl_fail "aggregator not alive"
}

# --- Redis killed ---
stop_redis
tl_wait_for 5 "redis down noticed" metric_equals redis_up 0
errors_down=$(metric redis_errors_total)
[ "$errors_down" -ge 1 ] || tl_fail "lost connection not counted"
for _ in 1 2 3 4 5; do keeps_reading; done
[ "$(field .state)" = degraded ] || tl_fail "state while Redis is down: $(field .state)"
dropped=$(metric redis_dropped_total)
[ "$dropped" -gt 0 ] || tl_fail "no drops counted while Redis was down"
[ "$(metric redis_errors_total)" -gt "$errors_down" ] || tl_fail "failed reconnects not counted"
[[ $(field .detail) == redis:* ]] || tl_fail "no status detail: $(field .detail)"

published_before=$(metric redis_published_total)
start_redis # same port
restart_s=$SECONDS
tl_wait_for 5 "redis up again" metric_equals redis_up 1
tl_wait_for 5 "publishing again" metric_at_least redis_published_total $((published_before + 100))
echo "publishing resumed $((SECONDS - restart_s)) s after the restart"
[ "$(rcli xlen spreads)" -gt 0 ] || tl_fail "nothing in the new server's stream"
[ "$(rcli hlen spread:latest)" = 2 ] || tl_fail "spread:latest not rebuilt"
[ "$(field .state)" = running ] || tl_fail "state after recovery"

# --- Redis hung: replies stop, the stall timeout (2 s here) opens the breaker ---
conflated=$(metric redis_conflated_total)
kill -STOP "$(redis_pid)"
for _ in 1 2 3 4 5 6; do keeps_reading; done
tl_wait_for 5 "hung redis noticed" metric_equals redis_up 0
[ "$(metric redis_conflated_total)" -gt "$conflated" ] || tl_fail "no conflation while Redis hung"
kill -CONT "$(redis_pid)"
published_before=$(metric redis_published_total)
tl_wait_for 5 "redis up after hang" metric_equals redis_up 1
tl_wait_for 5 "publishing after hang" metric_at_least redis_published_total $((published_before + 100))
[ "$(metric ticks_lost_total)" = 0 ] || tl_fail "ticks lost: $(metric ticks_lost_total)"

stop_aggregator
tl_pass

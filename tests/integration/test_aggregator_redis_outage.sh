#!/usr/bin/env bash
# Redis killed in the middle of a stream, then restarted; then hung
# (SIGSTOP) and resumed. The aggregator keeps reading the rings (lag stays
# small, heartbeat fresh), counts drops and errors, and publishing resumes
# by itself each time.
source "$(dirname "$0")/aggregator_lib.sh"

tl_redis_start
# a small pipeline so a hung server fills it at once
MAX_PENDING=300 write_config
start_feeder
start_aggregator
tl_wait_for 5 "redis up" metric_equals redis_up 1

# 4000 quotes/s on two symbols and three exchanges, in the background for
# longer than the test lasts (the feeder is stopped at exit)
echo "stream binance,okx,bybit BTC-USDT,ETH-USDT 4000 120" >&3
tl_wait_for 5 "publishing" tl_at_least 100 metric redis_published_total

# reading_until CMD...: for tl_wait_for; until CMD holds, every poll
# checks that the aggregator keeps reading the rings: ticks_read moves on
# (within 2 s, with 4000 ticks/s coming in), lag under 2000 ticks (0.5 s
# of input), heartbeat younger than 500 ms.
reading_until() {
	local read lag age
	read=$(metric ticks_read_total)
	tl_wait_for 2 "ticks_read past $read" tl_at_least $((read + 1)) metric ticks_read_total
	lag=$(metric read_lag_ticks)
	age=$(heartbeat_age_ms)
	[ "$lag" -lt 2000 ] || tl_fail "read lag $lag"
	[ "$age" -lt 500 ] || tl_fail "heartbeat $age ms old"
	agg_alive || tl_fail "aggregator not alive"
	"$@"
}

# --- Redis killed ---
tl_redis_stop
tl_wait_for 5 "redis down noticed" metric_equals redis_up 0
errors_down=$(metric redis_errors_total)
[ "$errors_down" -ge 1 ] || tl_fail "lost connection not counted"
# while Redis is down, updates are dropped and reconnects fail, counted
tl_wait_for 10 "drops counted while reading on" reading_until tl_at_least 1 metric redis_dropped_total
tl_wait_for 10 "a failed reconnect counted while reading on" \
	reading_until tl_at_least $((errors_down + 1)) metric redis_errors_total
[ "$(field .state)" = degraded ] || tl_fail "state while Redis is down: $(field .state)"
[[ $(field .detail) == redis:* ]] || tl_fail "no status detail: $(field .detail)"

published_before=$(metric redis_published_total)
tl_redis_start # same port
restart_s=$SECONDS
tl_wait_for 5 "redis up again" metric_equals redis_up 1
tl_wait_for 5 "publishing again" tl_at_least $((published_before + 100)) metric redis_published_total
echo "publishing resumed $((SECONDS - restart_s)) s after the restart"
[ "$(tl_redis_cli xlen spreads)" -gt 0 ] || tl_fail "nothing in the new server's stream"
[ "$(tl_redis_cli hlen spread:latest)" = 2 ] || tl_fail "spread:latest not rebuilt"
[ "$(field .state)" = running ] || tl_fail "state after recovery"

# --- Redis hung: replies stop, the stall timeout (2 s here) opens the breaker ---
conflated=$(metric redis_conflated_total)
kill -STOP "${TL_PID[redis]}"
tl_wait_for 10 "hung redis noticed while reading on" reading_until metric_equals redis_up 0
[ "$(metric redis_conflated_total)" -gt "$conflated" ] || tl_fail "no conflation while Redis hung"
kill -CONT "${TL_PID[redis]}"
published_before=$(metric redis_published_total)
tl_wait_for 5 "redis up after hang" metric_equals redis_up 1
tl_wait_for 5 "publishing after hang" tl_at_least $((published_before + 100)) metric redis_published_total
[ "$(metric ticks_lost_total)" = 0 ] || tl_fail "ticks lost: $(metric ticks_lost_total)"

stop_aggregator
tl_pass

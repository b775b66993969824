#!/usr/bin/env bash
# Redis with requirepass: a wrong password and a missing one give a clear
# log line and status detail, counted errors, no crash, and the rings are
# still read; the right password (and a db index) publishes.
source "$(dirname "$0")/aggregator_lib.sh"

REDIS_PASS=s3cret
start_redis --requirepass "$REDIS_PASS"

stop_feeder() {
	exec 3>&-
	wait "$FEED_PID" 2>/dev/null || true
	FEED_PID=
	rm -f "$T/feed.in"
}

# refused PASSWORD DETAIL_REGEX LOG_REGEX: the aggregator keeps reading and
# keeps counting errors, and says why.
refused() {
	REDIS_PASSWORD_CONF=$1 write_config
	start_feeder
	: >"$AGG_LOG"
	start_aggregator
	feed quote binance BTC-USDT 100 100.5
	feed quote okx BTC-USDT 101 101.5
	wait_until 5 "ticks read" metric_equals ticks_read_total 2
	wait_until 5 "errors counted" metric_at_least redis_errors_total 6 # several breaker retries
	[ "$(metric redis_up)" = 0 ] || fail "redis_up with password '$1'"
	[ "$(metric redis_published_total)" = 0 ] || fail "published with password '$1'"
	[ "$(metric redis_dropped_total)" -ge 1 ] || fail "update not counted as dropped"
	agg_status | jq -e --arg re "$2" '.detail | test($re)' >/dev/null || fail "status detail: $(agg_status | jq .detail)"
	grep -Eq "$3" "$AGG_LOG" || fail "no log line matching $3"
	agg_alive || fail "aggregator died"
	[ "$(agg_status | jq -r .state)" = degraded ] || fail "state $(agg_status | jq -r .state)"
	kill -TERM "$AGG_PID"
	wait "$AGG_PID" || fail "exit status $? with password '$1'"
	AGG_PID=
	stop_feeder
	"$BIN/spreadbus-busctl" --config "$CONF" unlink >/dev/null
}

refused wrong 'AUTH refused' 'AUTH refused.*(WRONGPASS|invalid)'
refused '' 'requires a password' 'requires a password.*NOAUTH'

# the right password, db 3
REDIS_PASSWORD_CONF=$REDIS_PASS REDIS_DB=3 write_config
start_feeder
: >"$AGG_LOG"
start_aggregator
wait_until 5 "redis up" metric_equals redis_up 1
feed quote binance BTC-USDT 100 100.5
feed quote okx BTC-USDT 101 101.5
wait_until 5 "published" metric_equals redis_published_total 1
rcli -n 3 hget spread:latest BTC-USDT | jq -e '.buy == "binance" and .sell == "okx"' >/dev/null || fail "not in db 3"
[ "$(rcli -n 0 exists spread:latest)" = 0 ] || fail "written to db 0"
agg_status | jq -e '.detail == ""' >/dev/null || fail "detail not cleared: $(agg_status | jq .detail)"
kill -TERM "$AGG_PID"
wait "$AGG_PID" || fail "exit status $?"
AGG_PID=
echo PASS
